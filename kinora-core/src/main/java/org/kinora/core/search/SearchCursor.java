package org.kinora.core.search;

import org.kinora.core.common.Cursors;
import org.kinora.core.common.KinoraException;

/**
 * A keyset position in a result list: the sort it belongs to, the sort key of the last item
 * returned (as the engine wrote it: a score, an instant, a count) and that item's id as the tie
 * breaker. Clients see it as an opaque string ({@link Cursors}); the engine reads its key back
 * with {@link Cursors#parse}.
 */
public record SearchCursor(SearchSort sort, String value, String videoId) {
    private static final String VERSION = "s1";

    public String encode() {
        return Cursors.encode(VERSION, sort.wireName(), value, videoId);
    }

    /** The cursor in {@code text}, which must have been issued for {@code expected} sort. */
    public static SearchCursor decode(String text, SearchSort expected) {
        Cursors.Fields f = Cursors.decode(text, 4);
        if (!VERSION.equals(f.text(0))) throw Cursors.invalid();
        SearchSort sort = SearchSort.parse(f.text(1)).orElseThrow(Cursors::invalid);
        if (sort != expected) {
            throw KinoraException.badRequest("invalid_cursor",
                    "This cursor belongs to sort=" + sort.wireName() + "; repeat the request with that sort or drop the cursor.");
        }
        return new SearchCursor(sort, f.text(2), f.text(3));
    }
}
