package org.kinora.adapters.postgres;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Builds {@code to_tsquery} input from what a person typed. Only letters and digits survive, so
 * nothing typed can be tsquery syntax; PostgreSQL then stems each word with the 'english'
 * configuration and drops stop words.
 */
final class TsQueries {
    static final int MAX_TERMS = 12;

    private TsQueries() {}

    static List<String> terms(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(t -> !t.isEmpty()).limit(MAX_TERMS).toList();
    }

    /** Every term, the last one also as a prefix (the viewer may still be typing it). */
    static String all(List<String> terms) {
        return join(terms, " & ", true, "");
    }

    /** Any term; the last one as a prefix. Ranking then prefers documents with more of them. */
    static String any(List<String> terms) {
        return join(terms, " | ", true, "");
    }

    /** Any term, whole words only (for "related": nothing is being typed). */
    static String anyWhole(List<String> terms) {
        return join(terms, " | ", false, "");
    }

    /** Every term in the title (weight A), the last as a prefix: completions for the search box. */
    static String titlePrefix(List<String> terms) {
        return join(terms, " & ", true, "A");
    }

    private static String join(List<String> terms, String op, boolean lastIsPrefix, String weight) {
        if (terms.isEmpty()) return "";
        return java.util.stream.IntStream.range(0, terms.size())
                .mapToObj(i -> "'" + terms.get(i) + "'" + (lastIsPrefix && i == terms.size() - 1 ? ":*" : (weight.isEmpty() ? "" : ":")) + weight)
                .collect(Collectors.joining(op));
    }
}
