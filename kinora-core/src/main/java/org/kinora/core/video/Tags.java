package org.kinora.core.video;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/**
 * The rules for a video's tags. Tags are matched case-insensitively, so they are kept lower-cased
 * with inner whitespace collapsed; duplicates collapse into one. Limits keep the search index and
 * the watch page sane: at most {@value #MAX_TAGS} tags of at most {@value #MAX_LENGTH} characters.
 */
public final class Tags {
    public static final int MAX_TAGS = 20;
    public static final int MAX_LENGTH = 40;

    private Tags() {}

    /** Tags as a creator sends them in tus Upload-Metadata: one string, comma separated. */
    public static List<String> parseCommaSeparated(String text) {
        if (text == null || text.isBlank()) return List.of();
        return normalise(List.of(text.split(",", -1)).stream().filter(t -> !t.isBlank()).toList());
    }

    /** Validated, normalised tags; a 400 naming the offending tag otherwise. */
    public static List<String> normalise(Collection<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : raw) {
            if (t == null) throw invalid("A tag is null; send strings.", Map.of());
            String tag = t.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            if (tag.isEmpty()) throw invalid("Tags must not be empty.", Map.of());
            if (tag.length() > MAX_LENGTH) {
                throw invalid("The tag '" + abbreviate(tag) + "' is " + tag.length() + " characters; at most " + MAX_LENGTH + " are allowed.",
                        Map.of("tag", tag, "max_length", MAX_LENGTH));
            }
            if (tag.chars().anyMatch(c -> c == ',' || Character.isISOControl(c))) {
                throw invalid("The tag '" + abbreviate(tag) + "' contains a comma or a control character.", Map.of("tag", tag));
            }
            out.add(tag);
        }
        if (out.size() > MAX_TAGS) {
            throw invalid("A video may have at most " + MAX_TAGS + " tags; " + out.size() + " were given.",
                    Map.of("count", out.size(), "max_tags", MAX_TAGS));
        }
        return new ArrayList<>(out);
    }

    private static String abbreviate(String tag) {
        return tag.length() <= 50 ? tag : tag.substring(0, 47) + "...";
    }

    private static KinoraException invalid(String message, Map<String, Object> details) {
        return new KinoraException(ErrorKind.BAD_REQUEST, "invalid_tags", message, details);
    }
}
