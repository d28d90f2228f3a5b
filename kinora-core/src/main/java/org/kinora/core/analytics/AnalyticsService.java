package org.kinora.core.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kinora.core.analytics.AnalyticsRepository.Point;
import org.kinora.core.analytics.AnalyticsRepository.Scope;
import org.kinora.core.analytics.AnalyticsRepository.Sums;
import org.kinora.core.common.Clock;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoService;

/** Analytics of a video or a channel for its owner, over a chosen range, with the previous period beside it. */
public final class AnalyticsService {
    /** The ranges offered: the last 48 hours by hour, the last 7, 28 or 90 days and all time by UTC day. */
    public enum Range {
        H48("48h", 48), D7("7d", 7), D28("28d", 28), D90("90d", 90), ALL("all", 0);

        public final String wireName;
        final int length;

        Range(String wireName, int length) {
            this.wireName = wireName;
            this.length = length;
        }

        public boolean hourly() { return this == H48; }

        public static Range parse(String s) {
            if (s == null || s.isBlank()) return D28;
            for (Range r : values()) if (r.wireName.equals(s.trim().toLowerCase(Locale.ROOT))) return r;
            throw KinoraException.badRequest("invalid_range", "range must be one of 48h, 7d, 28d, 90d, all.");
        }
    }

    /** Figures over a period. Averages are 0 without views; {@code averageViewPercentage} is null for a video of unknown length. */
    public record Totals(long plays, long views, long uniqueViewers, double watchHours, double averageViewDurationSeconds,
                         Double averageViewPercentage, long likes, long dislikes, long comments, long subscribersGained,
                         long subscribersLost) {}

    /** {@code retention}: per 1 % point, passes divided by plays (null for a channel). */
    public record Report(String scope, String id, String range, String granularity, Instant from, Instant to,
                         Totals totals, Totals previous, Instant previousFrom, List<Point> series, List<Double> retention,
                         double durationSeconds, List<AnalyticsRepository.DimValue> dimensions, boolean countriesAvailable) {}

    private final AnalyticsRepository repo;
    private final VideoService videos;
    private final Clock clock;
    private final boolean countries;

    public AnalyticsService(AnalyticsRepository repo, VideoService videos, Clock clock, boolean countriesAvailable) {
        this.repo = repo;
        this.videos = videos;
        this.clock = clock;
        this.countries = countriesAvailable;
    }

    public Report video(String videoId, String requesterId, String range) {
        Video v = videos.visibleVideo(videoId, requesterId);
        if (!v.isOwnedBy(requesterId)) throw KinoraException.forbidden("Only the video's owner may see its analytics.");
        double duration = v.durationSeconds() == null ? 0 : v.durationSeconds();
        return report("video", v.id(), Scope.video(v.id()), Range.parse(range), duration);
    }

    /** A channel's id is its owner's user id. */
    public Report channel(String channelId, String requesterId, String range) {
        requireChannelOwner(channelId, requesterId);
        return report("channel", channelId, Scope.channel(channelId), Range.parse(range), 0);
    }

    /** Counted views per minute over the last 60 minutes, the current minute last. */
    public List<Point> realtime(String scope, String id, String requesterId) {
        Scope s;
        if ("video".equals(scope)) {
            Video v = videos.visibleVideo(id, requesterId);
            if (!v.isOwnedBy(requesterId)) throw KinoraException.forbidden("Only the video's owner may see its analytics.");
            s = Scope.video(v.id());
        } else {
            requireChannelOwner(id, requesterId);
            s = Scope.channel(id);
        }
        Instant end = clock.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        return repo.minutes(s, end.minus(60, ChronoUnit.MINUTES), end);
    }

    private static void requireChannelOwner(String channelId, String requesterId) {
        if (channelId == null || !channelId.equals(requesterId)) throw KinoraException.forbidden("Only the channel's owner may see its analytics.");
    }

    private Report report(String kind, String id, Scope scope, Range range, double duration) {
        Instant now = clock.now();
        if (range.hourly()) {
            Instant to = now.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
            Instant from = to.minus(range.length, ChronoUnit.HOURS);
            Instant prevFrom = from.minus(range.length, ChronoUnit.HOURS);
            Totals totals = totals(repo.hourlySums(scope, from, to),
                    repo.uniqueViewers(scope, day(from), day(to.minusSeconds(1))), duration, scope);
            Totals previous = totals(repo.hourlySums(scope, prevFrom, from),
                    repo.uniqueViewers(scope, day(prevFrom), day(from.minusSeconds(1))), duration, scope);
            return new Report(kind, id, range.wireName, "hour", from, to, totals, previous, prevFrom, repo.hourly(scope, from, to),
                    retention(scope, day(from), day(to.minusSeconds(1)), totals.plays()), duration,
                    dims(scope, day(from), day(to.minusSeconds(1))), countries);
        }
        LocalDate today = day(now);
        LocalDate first = range == Range.ALL ? repo.firstDay(scope).filter(d -> d.isBefore(today)).orElse(today) : today.minusDays(range.length - 1L);
        long days = ChronoUnit.DAYS.between(first, today) + 1;
        Totals totals = totals(repo.sums(scope, first, today), repo.uniqueViewers(scope, first, today), duration, scope);
        Totals previous = null;
        Instant prevFrom = null;
        if (range != Range.ALL) {
            LocalDate pf = first.minusDays(days);
            previous = totals(repo.sums(scope, pf, first.minusDays(1)), repo.uniqueViewers(scope, pf, first.minusDays(1)), duration, scope);
            prevFrom = start(pf);
        }
        return new Report(kind, id, range.wireName, "day", start(first), start(today.plusDays(1)), totals, previous, prevFrom,
                repo.daily(scope, first, today), retention(scope, first, today, totals.plays()), duration, dims(scope, first, today), countries);
    }

    private List<AnalyticsRepository.DimValue> dims(Scope scope, LocalDate from, LocalDate to) {
        List<AnalyticsRepository.DimValue> all = repo.dimensions(scope, from, to);
        return countries ? all : all.stream().filter(d -> !d.dimension().equals("country")).toList();
    }

    private List<Double> retention(Scope scope, LocalDate from, LocalDate to, long plays) {
        if (scope.videoId() == null) return null;
        long[] passes = repo.retention(scope.videoId(), from, to);
        List<Double> shares = new ArrayList<>(passes.length);
        for (long p : passes) shares.add(plays == 0 ? 0.0 : (double) p / plays);
        return shares;
    }

    private static Totals totals(Sums s, long unique, double duration, Scope scope) {
        double avg = s.views() == 0 ? 0 : s.watchMs() / 1000.0 / s.views();
        Double pct = s.views() == 0 || s.viewedDurationMs() == 0 ? (scope.videoId() != null && duration == 0 ? null : 0.0)
                : 100.0 * s.watchMs() / s.viewedDurationMs();
        return new Totals(s.plays(), s.views(), unique, s.watchMs() / 3_600_000.0, avg, pct, s.likes(), s.dislikes(), s.comments(),
                s.subscribersGained(), s.subscribersLost());
    }

    private static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static Instant start(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
