package org.kinora.core.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.RateLimiter;

/** Report rules in core: the hourly limit per reporter (with an injected clock), one open report per item, own items refused. */
@Timeout(10)
class ReportServiceTest {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    final List<Report> stored = new ArrayList<>();

    final ReportRepository repo = new ReportRepository() {
        @Override
        public boolean insert(Report r) {
            boolean dup = stored.stream().anyMatch(x -> x.status().equals(Report.OPEN) && x.reporterId().equals(r.reporterId())
                    && x.kind() == r.kind() && x.itemId().equals(r.itemId()));
            if (!dup) stored.add(r);
            return !dup;
        }

        @Override
        public List<QueueEntry.Reported> openItems(QueueSort sort, int limit, java.util.Optional<QueueEntry.After> after) { return List.of(); }

        @Override
        public List<Report> openReports(ItemKind kind, String itemId, int limit) { return List.of(); }

        @Override
        public int resolve(ItemKind kind, String itemId, String status, String outcome, Instant at) { return 0; }

        @Override
        public List<Report> byReporter(String reporterId, int limit) { return List.of(); }
    };

    final Items items = new Items() {
        @Override
        public Optional<Item> find(ItemKind kind, String id) {
            return Optional.of(new Item(kind, id, "owner", "title", null));
        }

        @Override
        public void removeComment(String commentId, String moderatorId) {}

        @Override
        public void approveComment(String commentId) {}
    };

    final ReportService reports = new ReportService(repo, items, RateLimiter.perHour("report", 2, 2, now::get), now::get);

    @Test
    void aReporterGetsTheHourlyBudgetThenWaits() {
        reports.report("alice", ItemKind.VIDEO, "v1", ReportReason.SPAM, "", 3.0);
        reports.report("alice", ItemKind.VIDEO, "v2", ReportReason.SPAM, "", null);
        assertThatThrownBy(() -> reports.report("alice", ItemKind.VIDEO, "v3", ReportReason.SPAM, "", null))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED));
        reports.report("bob", ItemKind.VIDEO, "v3", ReportReason.SPAM, "", null); // the budget is per reporter
        now.set(now.get().plus(Duration.ofMinutes(30))); // half an hour refills one of two
        reports.report("alice", ItemKind.VIDEO, "v3", ReportReason.SPAM, "", null);
        assertThat(stored).hasSize(4);
    }

    @Test
    void oneOpenReportPerReporterAndItemAndNoneOfOnesOwn() {
        reports.report("alice", ItemKind.COMMENT, "c1", ReportReason.HARASSMENT, "rude", null);
        assertThatThrownBy(() -> reports.report("alice", ItemKind.COMMENT, "c1", ReportReason.SPAM, "", null))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("already_reported"));
        assertThatThrownBy(() -> reports.report("owner", ItemKind.VIDEO, "v9", ReportReason.SPAM, "", null))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("own_item"));
        assertThatThrownBy(() -> reports.report("alice", ItemKind.EMAIL_DOMAIN, "spam.example", ReportReason.SPAM, "", null))
                .isInstanceOfSatisfying(KinoraException.class, e -> assertThat(e.code()).isEqualTo("invalid_kind"));
    }
}
