package org.kinora.core.moderation;

import java.util.List;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.RateLimiter;

/**
 * Reports from signed-in people: one open report per reporter and item, within a rate limit; the
 * reporter later reads the outcome. Reporting one's own item is refused (it cannot be meant).
 */
public final class ReportService {
    public static final int MAX_NOTE = 2000;

    private final ReportRepository reports;
    private final Items items;
    private final RateLimiter limit;
    private final Clock clock;

    public ReportService(ReportRepository reports, Items items, RateLimiter limit, Clock clock) {
        this.reports = reports;
        this.items = items;
        this.limit = limit;
        this.clock = clock;
    }

    public Report report(String reporterId, ItemKind kind, String itemId, ReportReason reason, String note, Double atSeconds) {
        if (!kind.reportable()) throw KinoraException.badRequest("invalid_kind", "kind must be video, comment, channel or live_chat.");
        if (!Ids.looksValid(itemId)) throw KinoraException.notFound("Item");
        if (note != null && note.length() > MAX_NOTE) {
            throw KinoraException.badRequest("invalid_note", "The note is longer than " + MAX_NOTE + " characters.");
        }
        if (atSeconds != null && (kind != ItemKind.VIDEO || atSeconds < 0 || atSeconds.isNaN() || atSeconds.isInfinite())) {
            throw KinoraException.badRequest("invalid_timestamp", "at_seconds is a position in a video, 0 or more seconds.");
        }
        if (kind != ItemKind.LIVE_CHAT) {
            Items.Item item = items.find(kind, itemId).orElseThrow(() -> KinoraException.notFound(label(kind)));
            if (reporterId.equals(item.ownerId())) {
                throw KinoraException.badRequest("own_item", "You cannot report your own " + label(kind).toLowerCase() + ".");
            }
        }
        limit.acquire(reporterId);
        Report r = new Report(Ids.newId(), reporterId, kind, itemId, reason, note == null ? "" : note.strip(), atSeconds,
                Report.OPEN, null, clock.now(), null);
        if (!reports.insert(r)) {
            throw KinoraException.conflict("already_reported", "You already reported this " + label(kind).toLowerCase()
                    + "; moderators will look at it, and you will see the outcome under your reports.");
        }
        return r;
    }

    public List<Report> mine(String reporterId) {
        return reports.byReporter(reporterId, 200);
    }

    static String label(ItemKind kind) {
        return switch (kind) {
            case VIDEO -> "Video";
            case COMMENT -> "Comment";
            case CHANNEL -> "Channel";
            case LIVE_CHAT -> "Live chat message";
            case EMAIL_DOMAIN -> "Email domain";
            case ACCOUNT -> "Account";
            case JOB -> "Job";
            case JOB_KIND -> "Jobs of a kind";
            case INSTANCE -> "Instance settings";
        };
    }
}
