package org.kinora.core.search;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.kinora.core.common.KinoraException;

/**
 * A keyset position in a result list: the sort it belongs to, the sort key of the last item
 * returned (as the engine wrote it: a score, an instant, a count) and that item's id as the tie
 * breaker. Clients see it as an opaque string.
 */
public record SearchCursor(SearchSort sort, String value, String videoId) {
    private static final String VERSION = "s1";

    public String encode() {
        String raw = VERSION + "|" + sort.wireName() + "|" + value + "|" + videoId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor in {@code text}, which must have been issued for {@code expected} sort. */
    public static SearchCursor decode(String text, SearchSort expected) {
        String[] p;
        try {
            p = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|", 4);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (p.length != 4 || !VERSION.equals(p[0]) || p[2].isEmpty() || p[3].isEmpty()) throw invalid();
        SearchSort sort = SearchSort.parse(p[1]).orElseThrow(SearchCursor::invalid);
        if (sort != expected) {
            throw KinoraException.badRequest("invalid_cursor",
                    "This cursor belongs to sort=" + sort.wireName() + "; repeat the request with that sort or drop the cursor.");
        }
        return new SearchCursor(sort, p[2], p[3]);
    }

    private static KinoraException invalid() {
        return KinoraException.badRequest("invalid_cursor", "cursor is not one this API returned; drop it to start from the first page.");
    }
}
