package org.kinora.core.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PageTest {
    /** A store of 0..n-1 read in keyset order after a cursor, as the repositories do. */
    private static List<Integer> fetch(int n, Integer after, int size) {
        return IntStream.range(after == null ? 0 : after + 1, n).limit(size).boxed().toList();
    }

    @Test
    void theExtraRowSaysAnotherPageFollowsAndIsNotShown() {
        Page<Integer> page = Page.of(fetch(10, null, Page.fetchSize(4)), 4, i -> Cursors.encode(i));
        assertThat(page.items()).containsExactly(0, 1, 2, 3);
        assertThat(page.nextCursor()).isPresent();
        assertThat(Cursors.decode(page.nextCursorOrNull(), 1).integer(0)).as("the cursor is the last item shown").isEqualTo(3);
    }

    @Test
    void aPageThatHoldsTheRestHasNoCursor() {
        assertThat(Page.of(fetch(4, null, Page.fetchSize(4)), 4, i -> Cursors.encode(i)).nextCursorOrNull()).isNull();
        assertThat(Page.of(List.<Integer>of(), 4, i -> Cursors.encode(i)).nextCursor()).isEmpty();
    }

    @Test
    void followingTheCursorsVisitsEveryRowOnce() {
        for (int n : new int[] {0, 1, 5, 6, 7, 23}) {
            List<Integer> seen = new java.util.ArrayList<>();
            String cursor = null;
            do {
                Integer after = cursor == null ? null : Cursors.decode(cursor, 1).integer(0);
                Page<Integer> page = Page.of(fetch(n, after, Page.fetchSize(6)), 6, i -> Cursors.encode(i));
                seen.addAll(page.items());
                cursor = page.nextCursorOrNull();
            } while (cursor != null);
            assertThat(seen).as("n=%d", n).isEqualTo(IntStream.range(0, n).boxed().toList());
        }
    }

    @Test
    void mapKeepsTheCursor() {
        Page<Integer> page = Page.of(List.of(1, 2, 3), 2, i -> "after-" + i);
        Page<String> mapped = page.map(items -> items.stream().map(i -> "#" + i).toList());
        assertThat(mapped.items()).containsExactly("#1", "#2");
        assertThat(mapped.nextCursor()).contains("after-2");
    }
}
