package org.kinora.core.moderation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface ReportRepository {
    /** False when the reporter already has an open report on this item. */
    boolean insert(Report report);

    /** Open reports grouped by item, in {@code sort}'s order, the first {@code limit} that come after {@code after}. */
    List<QueueEntry.Reported> openItems(QueueSort sort, int limit, Optional<QueueEntry.After> after);

    List<Report> openReports(ItemKind kind, String itemId, int limit);

    /** Closes every open report on the item with {@code status} and the outcome the reporters see; returns how many. */
    int resolve(ItemKind kind, String itemId, String status, String outcome, Instant at);

    List<Report> byReporter(String reporterId, int limit);
}
