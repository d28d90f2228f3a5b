package org.kinora.core.search;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.caption.CaptionLanguage;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.details.VideoDetails;

/** Turns the request's strings into a {@link SearchQuery}, with a 400 that names the bad parameter. */
public final class SearchQueries {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 50;
    public static final int MAX_TEXT = 200;

    private SearchQueries() {}

    public static SearchQuery parse(String q, String sort, String duration, String uploaded, String channel,
                                    String cursor, String limit, Instant now) {
        return parse(q, sort, duration, uploaded, channel, cursor, limit, null, null, now);
    }

    /** With the category (one of {@link VideoDetails#CATEGORIES}) and language (a tag like "en") filters. */
    public static SearchQuery parse(String q, String sort, String duration, String uploaded, String channel,
                                    String cursor, String limit, String category, String language, Instant now) {
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_TEXT) {
            throw bad("invalid_query", "q is " + text.length() + " characters; at most " + MAX_TEXT + " are searched.", "q", text.length());
        }
        SearchSort s = blank(sort) ? SearchSort.RELEVANCE : SearchSort.parse(sort.strip())
                .orElseThrow(() -> bad("invalid_sort", "sort must be relevance, newest or views, not '" + sort + "'.", "sort", sort));
        Optional<DurationBand> d = blank(duration) ? Optional.empty() : Optional.of(DurationBand.parse(duration.strip())
                .orElseThrow(() -> bad("invalid_duration",
                        "duration must be short (under 4 min), medium (4-20 min) or long (over 20 min), not '" + duration + "'.",
                        "duration", duration)));
        Optional<Instant> since = blank(uploaded) ? Optional.empty() : Optional.of(UploadedWindow.parse(uploaded.strip())
                .orElseThrow(() -> bad("invalid_uploaded", "uploaded must be hour, today, week, month or year, not '" + uploaded + "'.",
                        "uploaded", uploaded))
                .since(now));
        Optional<String> ch = blank(channel) ? Optional.empty() : Optional.of(channel.strip());
        if (ch.isPresent() && !Ids.looksValid(ch.get())) {
            throw bad("invalid_channel", "channel must be a channel id (the owner_id of a video).", "channel", channel);
        }
        SearchSort effective = s == SearchSort.RELEVANCE && text.isEmpty() ? SearchSort.NEWEST : s;
        Optional<SearchCursor> after = blank(cursor) ? Optional.empty() : Optional.of(SearchCursor.decode(cursor.strip(), effective));
        Optional<String> cat = blank(category) ? Optional.empty() : Optional.of(category.strip().toLowerCase(java.util.Locale.ROOT));
        if (cat.isPresent() && !VideoDetails.CATEGORIES.contains(cat.get())) {
            throw bad("invalid_category", "category must be one of " + String.join(", ", VideoDetails.CATEGORIES) + ".", "category", category);
        }
        Optional<String> lang;
        try {
            lang = blank(language) ? Optional.empty() : Optional.of(CaptionLanguage.normalise(language));
        } catch (KinoraException e) {
            throw bad("invalid_language", "language must be a language tag like en or pt-BR, not '" + language + "'.", "language", language);
        }
        return new SearchQuery(text, s, d, since, ch, after, parseLimit(limit, DEFAULT_LIMIT, MAX_LIMIT), cat, lang);
    }

    /** A {@code limit} parameter: blank means {@code fallback}; otherwise 1..max or a 400. */
    public static int parseLimit(String limit, int fallback, int max) {
        if (blank(limit)) return fallback;
        try {
            int n = Integer.parseInt(limit.strip());
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw bad("invalid_limit", "limit must be a whole number from 1 to " + max + ", not '" + limit + "'.", "limit", limit);
    }

    /** Free text for channel search and suggestions: trimmed, at most {@link #MAX_TEXT} characters. */
    public static String text(String q) {
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_TEXT) {
            throw bad("invalid_query", "q is " + text.length() + " characters; at most " + MAX_TEXT + " are searched.", "q", text.length());
        }
        return text;
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }

    private static KinoraException bad(String code, String message, String param, Object value) {
        return new KinoraException(ErrorKind.BAD_REQUEST, code, message, Map.of("parameter", param, "value", value));
    }
}
