package org.kinora.core.common;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a cursor-paginated listing; {@code nextCursor} is opaque to clients (see
 * {@link Cursors}) and present exactly when another page follows.
 *
 * <p>Every listing asks its store for {@link #fetchSize one row more} than the page holds: if
 * that row comes back there is a next page, found without a count query, and the cursor is the
 * position of the page's last item. {@link #of} does the rest, so the pattern lives here once.
 */
public record Page<T>(List<T> items, Optional<String> nextCursor) {

    public Page {
        items = List.copyOf(items);
    }

    /** How many rows to fetch for a page of {@code limit}: one more, to learn whether another page follows. */
    public static int fetchSize(int limit) {
        return Math.addExact(limit, 1);
    }

    /**
     * The page in {@code rows}, which were fetched with {@link #fetchSize}({@code limit}): the
     * first {@code limit} of them and, when there were more, the cursor of the last one kept.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<? super T, String> cursorOf) {
        if (rows.size() <= limit) return new Page<>(rows, Optional.empty());
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, Optional.of(cursorOf.apply(items.getLast())));
    }

    /** The same page with each item turned into {@code f}'s result (rows into API views, ids into videos). */
    public <R> Page<R> map(Function<List<T>, List<R>> f) {
        return new Page<>(f.apply(items), nextCursor);
    }

    /** The cursor as the API's {@code next_cursor} field carries it: null on the last page. */
    public String nextCursorOrNull() {
        return nextCursor.orElse(null);
    }
}
