package org.kinora.core.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Tags;

@Timeout(60)
class SearchQueriesTest {
    static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    static SearchQuery parse(String q, String sort, String duration, String uploaded, String cursor, String limit) {
        return SearchQueries.parse(q, sort, duration, uploaded, null, cursor, limit, NOW);
    }

    static String code(Runnable r) {
        try {
            r.run();
        } catch (KinoraException e) {
            return e.code();
        }
        throw new AssertionError("no exception");
    }

    @Test
    void defaultsAndFilters() {
        SearchQuery q = parse(" cats ", null, "medium", "week", null, null);
        assertThat(q.text()).isEqualTo("cats");
        assertThat(q.sort()).isEqualTo(SearchSort.RELEVANCE);
        assertThat(q.limit()).isEqualTo(SearchQueries.DEFAULT_LIMIT);
        assertThat(q.duration()).contains(DurationBand.MEDIUM);
        assertThat(q.uploadedSince()).contains(NOW.minus(Duration.ofDays(7)));
        assertThat(parse("", null, null, null, null, null).effectiveSort()).isEqualTo(SearchSort.NEWEST);
        assertThat(DurationBand.SHORT.contains(239.9)).isTrue();
        assertThat(DurationBand.MEDIUM.contains(240)).isTrue();
        assertThat(DurationBand.LONG.contains(1200)).isTrue();
    }

    @Test
    void badValuesNameTheParameter() {
        assertThat(code(() -> parse("x", "best", null, null, null, null))).isEqualTo("invalid_sort");
        assertThat(code(() -> parse("x", null, "huge", null, null, null))).isEqualTo("invalid_duration");
        assertThat(code(() -> parse("x", null, null, "decade", null, null))).isEqualTo("invalid_uploaded");
        assertThat(code(() -> parse("x", null, null, null, null, "51"))).isEqualTo("invalid_limit");
        assertThat(code(() -> parse("x", null, null, null, "%%%", null))).isEqualTo("invalid_cursor");
        assertThat(code(() -> parse("x".repeat(201), null, null, null, null, null))).isEqualTo("invalid_query");
    }

    @Test
    void cursorsRoundTripAndBelongToOneSort() {
        String c = new SearchCursor(SearchSort.VIEWS, "42", "abc_DEF-1").encode();
        assertThat(SearchCursor.decode(c, SearchSort.VIEWS)).isEqualTo(new SearchCursor(SearchSort.VIEWS, "42", "abc_DEF-1"));
        assertThatThrownBy(() -> SearchCursor.decode(c, SearchSort.NEWEST)).hasMessageContaining("sort=views");
    }

    @Test
    void tagsAreNormalisedAndLimited() {
        assertThat(Tags.parseCommaSeparated(" Cats, kittens  cute ,cats,, ")).containsExactly("cats", "kittens cute");
        assertThat(code(() -> Tags.normalise(List.of("x".repeat(41))))).isEqualTo("invalid_tags");
        assertThat(code(() -> Tags.normalise(java.util.stream.IntStream.range(0, 21).mapToObj(i -> "t" + i).toList())))
                .isEqualTo("invalid_tags");
        assertThat(code(() -> Tags.normalise(List.of(" ")))).isEqualTo("invalid_tags");
    }
}
