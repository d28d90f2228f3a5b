package org.kinora.adapters.postgres;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.kinora.core.analytics.AnalyticsRepository;
import org.kinora.core.analytics.PlaybackFold;
import org.kinora.core.analytics.Rollup;
import org.kinora.core.analytics.TrafficSource;
import org.kinora.core.view.PlayContext;
import org.kinora.core.view.PlayEvent;

/**
 * Analytics in PostgreSQL: every write of a batch is one statement per table over arrays
 * ({@code unnest}), so a batch of thousands of play events costs about a dozen round trips. The
 * queries read the rollups through the (channel_id, day) and (video_id, day) keys: a 90-day channel
 * query reads at most videos × 90 rows per table.
 */
public final class PgAnalyticsRepository implements AnalyticsRepository {
    private final PostgresDatabase db;

    public PgAnalyticsRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Set<String> insertRaw(List<Raw> events) {
        if (events.isEmpty()) return Set.of();
        Set<String> fresh = new HashSet<>();
        db.useHandle(h -> h.createQuery("""
                        INSERT INTO analytics_raw (event_id, seq, video_id, viewer_key, kind, position, at, source, domain, device, browser, country)
                        SELECT e, s, v, k, t, p, to_timestamp(a / 1000.0), src, dom, dev, br, c
                        FROM unnest(CAST(:e AS text[]), CAST(:s AS int[]), CAST(:v AS text[]), CAST(:k AS text[]), CAST(:t AS text[]),
                                    CAST(:p AS float8[]), CAST(:a AS bigint[]), CAST(:src AS text[]), CAST(:dom AS text[]),
                                    CAST(:dev AS text[]), CAST(:br AS text[]), CAST(:c AS text[]))
                            WITH ORDINALITY AS x(e, s, v, k, t, p, a, src, dom, dev, br, c, o)
                        ORDER BY o
                        ON CONFLICT (event_id, seq) DO NOTHING
                        RETURNING event_id, seq""")
                .bindArray("e", String.class, map(events, Raw::eventId))
                .bindArray("s", Integer.class, map(events, Raw::seq))
                .bindArray("v", String.class, map(events, r -> r.play().videoId()))
                .bindArray("k", String.class, map(events, r -> r.play().viewerKey()))
                .bindArray("t", String.class, map(events, r -> r.play().type().name().toLowerCase(java.util.Locale.ROOT)))
                .bindArray("p", Double.class, map(events, r -> r.play().positionSeconds()))
                .bindArray("a", Long.class, map(events, r -> r.play().at().toEpochMilli()))
                .bindArray("src", String.class, map(events, r -> r.play().context().source().wireName()))
                .bindArray("dom", String.class, map(events, r -> r.play().context().domain()))
                .bindArray("dev", String.class, map(events, r -> r.play().context().device()))
                .bindArray("br", String.class, map(events, r -> r.play().context().browser()))
                .bindArray("c", String.class, map(events, r -> r.play().context().country()))
                .map((rs, ctx) -> rs.getString(1) + "/" + rs.getInt(2)).forEach(fresh::add));
        return fresh;
    }

    @Override
    public Set<String> markSeen(List<String> eventIds) {
        if (eventIds.isEmpty()) return Set.of();
        return new HashSet<>(db.withHandle(h -> h.createQuery("""
                        INSERT INTO analytics_seen (event_id) SELECT unnest(CAST(:ids AS text[]))
                        ON CONFLICT DO NOTHING RETURNING event_id""")
                .bindArray("ids", String.class, eventIds).mapTo(String.class).list()));
    }

    @Override
    public Map<String, PlaybackFold.Video> videos(Collection<String> ids) {
        if (ids.isEmpty()) return Map.of();
        Map<String, PlaybackFold.Video> out = new HashMap<>();
        db.useHandle(h -> h.createQuery("""
                        SELECT id, owner_id, coalesce(duration_seconds, 0) AS d FROM videos
                        WHERE id = ANY(CAST(:ids AS text[])) AND deleted_at IS NULL""")
                .bindArray("ids", String.class, new ArrayList<>(ids))
                .map((rs, ctx) -> new PlaybackFold.Video(rs.getString("id"), rs.getString("owner_id"), rs.getString("owner_id"), rs.getDouble("d")))
                .forEach(v -> out.put(v.id(), v)));
        return out;
    }

    @Override
    public Map<PlaybackFold.Key, PlaybackFold.State> playbacks(Collection<PlaybackFold.Key> keys) {
        if (keys.isEmpty()) return Map.of();
        List<PlaybackFold.Key> list = new ArrayList<>(keys);
        Map<PlaybackFold.Key, PlaybackFold.State> out = new HashMap<>();
        db.useHandle(h -> h.createQuery("""
                        SELECT p.* FROM unnest(CAST(:v AS text[]), CAST(:k AS text[])) AS x(v, k)
                        JOIN analytics_playbacks p ON p.video_id = x.v AND p.viewer_key = x.k""")
                .bindArray("v", String.class, map(list, PlaybackFold.Key::videoId))
                .bindArray("k", String.class, map(list, PlaybackFold.Key::viewerKey))
                .map((rs, ctx) -> Map.entry(new PlaybackFold.Key(rs.getString("video_id"), rs.getString("viewer_key")),
                        new PlaybackFold.State(rs.getTimestamp("started_at").toInstant(), rs.getTimestamp("last_at").toInstant(),
                                rs.getDouble("last_pos"), rs.getLong("watch_ms"), rs.getBoolean("counted"),
                                new PlayContext(TrafficSource.parse(rs.getString("source")).orElse(TrafficSource.DIRECT),
                                        rs.getString("domain"), rs.getString("device"), rs.getString("browser"), rs.getString("country")))))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    @Override
    public void apply(Rollup r) {
        db.useHandle(h -> {
            counts(h, "analytics_hourly", "hour", "timestamptz", r, r.hourly.entrySet().stream()
                    .map(e -> Map.entry(new Object[] {e.getKey().videoId(), Timestamp.from(e.getKey().hour())}, e.getValue())).toList());
            Map<Rollup.Day, Rollup.Counts> daily = new LinkedHashMap<>();
            r.hourly.forEach((k, c) -> {
                Rollup.Counts d = daily.computeIfAbsent(new Rollup.Day(k.videoId(), day(k.hour())), x -> new Rollup.Counts());
                d.plays += c.plays;
                d.views += c.views;
                d.watchMs += c.watchMs;
                d.likes += c.likes;
                d.dislikes += c.dislikes;
                d.comments += c.comments;
            });
            counts(h, "analytics_daily", "day", "date", r, daily.entrySet().stream()
                    .map(e -> Map.entry(new Object[] {e.getKey().videoId(), java.sql.Date.valueOf(e.getKey().day())}, e.getValue())).toList());
            subscribers(h, r);
            dims(h, r);
            retention(h, r);
            viewers(h, r);
            minutes(h, r);
            playbacks(h, r);
        });
    }

    private static void counts(Handle h, String table, String col, String type, Rollup r, List<Map.Entry<Object[], Rollup.Counts>> rows) {
        if (rows.isEmpty()) return;
        PreparedBatch b = h.prepareBatch("INSERT INTO " + table + " (video_id, channel_id, " + col
                + ", plays, views, watch_ms, likes, dislikes, comments) VALUES (:v, :c, CAST(:t AS " + type + "), :plays, :views, :watch, :likes, :dislikes, :comments)"
                + " ON CONFLICT (video_id, " + col + ") DO UPDATE SET plays = " + table + ".plays + excluded.plays, views = " + table
                + ".views + excluded.views, watch_ms = " + table + ".watch_ms + excluded.watch_ms, likes = " + table + ".likes + excluded.likes,"
                + " dislikes = " + table + ".dislikes + excluded.dislikes, comments = " + table + ".comments + excluded.comments");
        for (var e : rows) {
            Rollup.Counts c = e.getValue();
            b.bind("v", (String) e.getKey()[0]).bind("c", r.channels.get((String) e.getKey()[0])).bind("t", e.getKey()[1])
                    .bind("plays", c.plays).bind("views", c.views).bind("watch", c.watchMs).bind("likes", c.likes)
                    .bind("dislikes", c.dislikes).bind("comments", c.comments).add();
        }
        b.execute();
    }

    private static void subscribers(Handle h, Rollup r) {
        if (r.subscribers.isEmpty()) return;
        Map<List<Object>, long[]> daily = new LinkedHashMap<>();
        for (var e : r.subscribers.entrySet()) {
            long[] d = daily.computeIfAbsent(List.of(e.getKey().channelId(), day(e.getKey().hour())), k -> new long[2]);
            d[0] += e.getValue()[0];
            d[1] += e.getValue()[1];
        }
        PreparedBatch hb = h.prepareBatch("""
                INSERT INTO analytics_channel_hourly (channel_id, hour, subs_gained, subs_lost) VALUES (:c, :t, :g, :l)
                ON CONFLICT (channel_id, hour) DO UPDATE SET subs_gained = analytics_channel_hourly.subs_gained + excluded.subs_gained,
                    subs_lost = analytics_channel_hourly.subs_lost + excluded.subs_lost""");
        r.subscribers.forEach((k, v) -> hb.bind("c", k.channelId()).bind("t", Timestamp.from(k.hour())).bind("g", v[0]).bind("l", v[1]).add());
        hb.execute();
        PreparedBatch db = h.prepareBatch("""
                INSERT INTO analytics_channel_daily (channel_id, day, subs_gained, subs_lost) VALUES (:c, :t, :g, :l)
                ON CONFLICT (channel_id, day) DO UPDATE SET subs_gained = analytics_channel_daily.subs_gained + excluded.subs_gained,
                    subs_lost = analytics_channel_daily.subs_lost + excluded.subs_lost""");
        daily.forEach((k, v) -> db.bind("c", (String) k.get(0)).bind("t", java.sql.Date.valueOf((LocalDate) k.get(1))).bind("g", v[0]).bind("l", v[1]).add());
        db.execute();
    }

    private static void dims(Handle h, Rollup r) {
        if (r.dims.isEmpty()) return;
        List<Map.Entry<Rollup.Dim, long[]>> rows = new ArrayList<>(r.dims.entrySet());
        h.createUpdate("""
                        INSERT INTO analytics_dims (video_id, channel_id, day, dimension, value, views, watch_ms)
                        SELECT * FROM unnest(CAST(:v AS text[]), CAST(:c AS text[]), CAST(:d AS date[]), CAST(:n AS text[]), CAST(:x AS text[]),
                                             CAST(:views AS bigint[]), CAST(:watch AS bigint[]))
                        ON CONFLICT (video_id, day, dimension, value) DO UPDATE SET views = analytics_dims.views + excluded.views,
                            watch_ms = analytics_dims.watch_ms + excluded.watch_ms""")
                .bindArray("v", String.class, map(rows, e -> e.getKey().videoId()))
                .bindArray("c", String.class, map(rows, e -> r.channels.get(e.getKey().videoId())))
                .bindArray("d", String.class, map(rows, e -> e.getKey().day().toString()))
                .bindArray("n", String.class, map(rows, e -> e.getKey().dimension()))
                .bindArray("x", String.class, map(rows, e -> e.getKey().value()))
                .bindArray("views", Long.class, map(rows, e -> e.getValue()[0]))
                .bindArray("watch", Long.class, map(rows, e -> e.getValue()[1]))
                .execute();
        Map<List<Object>, long[]> perChannel = new LinkedHashMap<>();
        for (var e : rows) {
            long[] c = perChannel.computeIfAbsent(List.of(r.channels.get(e.getKey().videoId()), e.getKey().day().toString(),
                    e.getKey().dimension(), e.getKey().value()), k -> new long[2]);
            c[0] += e.getValue()[0];
            c[1] += e.getValue()[1];
        }
        List<Map.Entry<List<Object>, long[]>> ch = new ArrayList<>(perChannel.entrySet());
        h.createUpdate("""
                        INSERT INTO analytics_channel_dims (channel_id, day, dimension, value, views, watch_ms)
                        SELECT * FROM unnest(CAST(:c AS text[]), CAST(:d AS date[]), CAST(:n AS text[]), CAST(:x AS text[]),
                                             CAST(:views AS bigint[]), CAST(:watch AS bigint[]))
                        ON CONFLICT (channel_id, day, dimension, value) DO UPDATE SET views = analytics_channel_dims.views + excluded.views,
                            watch_ms = analytics_channel_dims.watch_ms + excluded.watch_ms""")
                .bindArray("c", String.class, map(ch, e -> (String) e.getKey().get(0)))
                .bindArray("d", String.class, map(ch, e -> (String) e.getKey().get(1)))
                .bindArray("n", String.class, map(ch, e -> (String) e.getKey().get(2)))
                .bindArray("x", String.class, map(ch, e -> (String) e.getKey().get(3)))
                .bindArray("views", Long.class, map(ch, e -> e.getValue()[0]))
                .bindArray("watch", Long.class, map(ch, e -> e.getValue()[1]))
                .execute();
    }

    private static void retention(Handle h, Rollup r) {
        if (r.retention.isEmpty()) return;
        PreparedBatch b = h.prepareBatch("""
                INSERT INTO analytics_retention (video_id, day, passes) VALUES (:v, :d, CAST(:p AS bigint[]))
                ON CONFLICT (video_id, day) DO UPDATE SET passes = (
                    SELECT array_agg(a + b ORDER BY i) FROM unnest(analytics_retention.passes, excluded.passes) WITH ORDINALITY AS x(a, b, i))""");
        r.retention.forEach((k, passes) -> {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < passes.length; i++) s.append(i == 0 ? "" : ",").append(passes[i]);
            b.bind("v", k.videoId()).bind("d", java.sql.Date.valueOf(k.day())).bind("p", s.append('}').toString()).add();
        });
        b.execute();
    }

    private static void viewers(Handle h, Rollup r) {
        if (r.viewers.isEmpty()) return;
        List<Rollup.Viewer> rows = new ArrayList<>(r.viewers);
        h.createUpdate("""
                        INSERT INTO analytics_viewers (video_id, channel_id, day, viewer_hash)
                        SELECT * FROM unnest(CAST(:v AS text[]), CAST(:c AS text[]), CAST(:d AS date[]), CAST(:x AS bigint[]))
                        ON CONFLICT DO NOTHING""")
                .bindArray("v", String.class, map(rows, Rollup.Viewer::videoId))
                .bindArray("c", String.class, map(rows, x -> r.channels.get(x.videoId())))
                .bindArray("d", String.class, map(rows, x -> x.day().toString()))
                .bindArray("x", Long.class, map(rows, Rollup.Viewer::viewerHash))
                .execute();
        h.createUpdate("""
                        INSERT INTO analytics_channel_viewers (channel_id, day, viewer_hash)
                        SELECT DISTINCT * FROM unnest(CAST(:c AS text[]), CAST(:d AS date[]), CAST(:x AS bigint[]))
                        ON CONFLICT DO NOTHING""")
                .bindArray("c", String.class, map(rows, x -> r.channels.get(x.videoId())))
                .bindArray("d", String.class, map(rows, x -> x.day().toString()))
                .bindArray("x", Long.class, map(rows, Rollup.Viewer::viewerHash))
                .execute();
    }

    private static void minutes(Handle h, Rollup r) {
        if (r.minutes.isEmpty()) return;
        List<Map.Entry<Rollup.Minute, long[]>> rows = new ArrayList<>(r.minutes.entrySet());
        h.createUpdate("""
                        INSERT INTO analytics_minutes (video_id, channel_id, minute, views)
                        SELECT v, c, to_timestamp(m / 1000.0), n
                        FROM unnest(CAST(:v AS text[]), CAST(:c AS text[]), CAST(:m AS bigint[]), CAST(:n AS bigint[])) AS x(v, c, m, n)
                        ON CONFLICT (video_id, minute) DO UPDATE SET views = analytics_minutes.views + excluded.views""")
                .bindArray("v", String.class, map(rows, e -> e.getKey().videoId()))
                .bindArray("c", String.class, map(rows, e -> r.channels.get(e.getKey().videoId())))
                .bindArray("m", Long.class, map(rows, e -> e.getKey().minute().toEpochMilli()))
                .bindArray("n", Long.class, map(rows, e -> e.getValue()[0]))
                .execute();
    }

    private static void playbacks(Handle h, Rollup r) {
        if (r.playbacks.isEmpty()) return;
        List<Map.Entry<PlaybackFold.Key, PlaybackFold.State>> rows = new ArrayList<>(r.playbacks.entrySet());
        h.createUpdate("""
                        INSERT INTO analytics_playbacks (video_id, viewer_key, started_at, last_at, last_pos, watch_ms, counted, source, domain, device, browser, country)
                        SELECT v, k, to_timestamp(s / 1000.0), to_timestamp(l / 1000.0), p, w, c, src, dom, dev, br, cc
                        FROM unnest(CAST(:v AS text[]), CAST(:k AS text[]), CAST(:s AS bigint[]), CAST(:l AS bigint[]), CAST(:p AS float8[]),
                                    CAST(:w AS bigint[]), CAST(:c AS boolean[]), CAST(:src AS text[]), CAST(:dom AS text[]), CAST(:dev AS text[]),
                                    CAST(:br AS text[]), CAST(:cc AS text[])) AS x(v, k, s, l, p, w, c, src, dom, dev, br, cc)
                        ON CONFLICT (video_id, viewer_key) DO UPDATE SET started_at = excluded.started_at, last_at = excluded.last_at,
                            last_pos = excluded.last_pos, watch_ms = excluded.watch_ms, counted = excluded.counted, source = excluded.source,
                            domain = excluded.domain, device = excluded.device, browser = excluded.browser, country = excluded.country""")
                .bindArray("v", String.class, map(rows, e -> e.getKey().videoId()))
                .bindArray("k", String.class, map(rows, e -> e.getKey().viewerKey()))
                .bindArray("s", Long.class, map(rows, e -> e.getValue().startedAt().toEpochMilli()))
                .bindArray("l", Long.class, map(rows, e -> e.getValue().lastAt().toEpochMilli()))
                .bindArray("p", Double.class, map(rows, e -> e.getValue().lastPosition()))
                .bindArray("w", Long.class, map(rows, e -> e.getValue().watchMs()))
                .bindArray("c", Boolean.class, map(rows, e -> e.getValue().counted()))
                .bindArray("src", String.class, map(rows, e -> e.getValue().context().source().wireName()))
                .bindArray("dom", String.class, map(rows, e -> e.getValue().context().domain()))
                .bindArray("dev", String.class, map(rows, e -> e.getValue().context().device()))
                .bindArray("br", String.class, map(rows, e -> e.getValue().context().browser()))
                .bindArray("cc", String.class, map(rows, e -> e.getValue().context().country()))
                .execute();
    }

    @Override
    public void replayRaw(Instant from, Instant to, Consumer<Raw> sink) {
        db.inTransaction(() -> {
            db.useHandle(h -> h.createQuery("""
                            SELECT * FROM analytics_raw WHERE at >= :from AND at < :to AND kind IN ('start', 'heartbeat', 'seek', 'complete')
                            ORDER BY at, n""")
                    .bind("from", Timestamp.from(from)).bind("to", Timestamp.from(to)).setFetchSize(5000)
                    .map((rs, ctx) -> {
                        String viewer = rs.getString("viewer_key");
                        double pos = rs.getDouble("position");
                        Double position = rs.wasNull() ? null : pos;
                        PlayEvent p = new PlayEvent(rs.getString("video_id"), viewer.startsWith("u:") ? viewer.substring(2) : null,
                                viewer.startsWith("s:") ? viewer.substring(2) : null,
                                PlayEvent.Type.parse(rs.getString("kind")).orElseThrow(), position, rs.getTimestamp("at").toInstant(),
                                new PlayContext(TrafficSource.parse(rs.getString("source")).orElse(TrafficSource.DIRECT), rs.getString("domain"),
                                        rs.getString("device"), rs.getString("browser"), rs.getString("country")));
                        return new Raw(rs.getString("event_id"), rs.getInt("seq"), p);
                    }).forEach(sink));
            return null;
        });
    }

    // --- Queries -----------------------------------------------------------------------------

    private static String col(Scope s) {
        return s.videoId() != null ? "video_id" : "channel_id";
    }

    private static String id(Scope s) {
        return s.videoId() != null ? s.videoId() : s.channelId();
    }

    /** The daily or the hourly tables: which ones, their time column, a range condition and the series of steps. */
    private record Grain(String table, String channelTable, String time, String range, String steps) {}

    private static final Grain DAY = new Grain("analytics_daily", "analytics_channel_daily", "day", "day BETWEEN :f AND :t",
            "generate_series(CAST(:f AS date), CAST(:t AS date), interval '1 day')");
    /** Whole hours in [from, to). */
    private static final Grain HOUR = new Grain("analytics_hourly", "analytics_channel_hourly", "hour", "hour >= :f AND hour < :t",
            "generate_series(CAST(:f AS timestamptz), CAST(:t AS timestamptz) - interval '1 hour', interval '1 hour')");

    @Override
    public Sums sums(Scope scope, LocalDate from, LocalDate to) {
        return sums(DAY, scope, from, to);
    }

    @Override
    public Sums hourlySums(Scope scope, Instant from, Instant to) {
        return sums(HOUR, scope, Timestamp.from(from), Timestamp.from(to));
    }

    private Sums sums(Grain g, Scope scope, Object from, Object to) {
        return db.withReadHandle(h -> {
            Sums s = h.createQuery("SELECT coalesce(sum(d.plays), 0) AS plays, coalesce(sum(d.views), 0) AS views, coalesce(sum(d.watch_ms), 0) AS watch,"
                            + " coalesce(sum(d.views * coalesce(v.duration_seconds, 0) * 1000), 0)::bigint AS dur, coalesce(sum(d.likes), 0) AS likes,"
                            + " coalesce(sum(d.dislikes), 0) AS dislikes, coalesce(sum(d.comments), 0) AS comments"
                            + " FROM " + g.table() + " d JOIN videos v ON v.id = d.video_id WHERE d." + col(scope) + " = :id AND d." + g.range())
                    .bind("id", id(scope)).bind("f", from).bind("t", to)
                    .map((rs, ctx) -> new Sums(rs.getLong("plays"), rs.getLong("views"), rs.getLong("watch"), rs.getLong("dur"), rs.getLong("likes"),
                            rs.getLong("dislikes"), rs.getLong("comments"), 0, 0)).one();
            if (scope.channelId() == null) return s;
            long[] subs = h.createQuery("SELECT coalesce(sum(subs_gained), 0), coalesce(sum(subs_lost), 0) FROM " + g.channelTable()
                            + " WHERE channel_id = :id AND " + g.range())
                    .bind("id", scope.channelId()).bind("f", from).bind("t", to).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
            return new Sums(s.plays(), s.views(), s.watchMs(), s.viewedDurationMs(), s.likes(), s.dislikes(), s.comments(), subs[0], subs[1]);
        });
    }

    @Override
    public List<Point> daily(Scope scope, LocalDate from, LocalDate to) {
        return series(DAY, scope, from, to);
    }

    @Override
    public List<Point> hourly(Scope scope, Instant from, Instant to) {
        return series(HOUR, scope, Timestamp.from(from), Timestamp.from(to));
    }

    /** Every step of the range, zeros included, oldest first; a day is given as its start (UTC). */
    private List<Point> series(Grain g, Scope scope, Object from, Object to) {
        String t = g.time();
        String subs = scope.channelId() == null ? "SELECT NULL::timestamptz AS " + t + ", 0::bigint AS g, 0::bigint AS l WHERE false"
                : "SELECT " + t + ", subs_gained AS g, subs_lost AS l FROM " + g.channelTable() + " WHERE channel_id = :id AND " + g.range();
        return db.withReadHandle(h -> h.createQuery("SELECT extract(epoch FROM s)::bigint AS t, coalesce(a.plays, 0) AS plays, coalesce(a.views, 0) AS views,"
                        + " coalesce(a.watch, 0) AS watch, coalesce(a.likes, 0) AS likes, coalesce(a.dislikes, 0) AS dislikes,"
                        + " coalesce(a.comments, 0) AS comments, coalesce(b.g, 0) AS g, coalesce(b.l, 0) AS l"
                        + " FROM " + g.steps() + " s"
                        + " LEFT JOIN (SELECT " + t + ", sum(plays) AS plays, sum(views) AS views, sum(watch_ms) AS watch, sum(likes) AS likes,"
                        + "   sum(dislikes) AS dislikes, sum(comments) AS comments FROM " + g.table() + " WHERE " + col(scope) + " = :id"
                        + "   AND " + g.range() + " GROUP BY " + t + ") a ON a." + t + " = s"
                        + " LEFT JOIN (" + subs + ") b ON b." + t + " = s ORDER BY s")
                .bind("id", id(scope)).bind("f", from).bind("t", to)
                .map((rs, ctx) -> point(rs, Instant.ofEpochSecond(rs.getLong("t")))).list()); // a date step's epoch is its UTC midnight
    }

    private static Point point(java.sql.ResultSet rs, Instant at) throws java.sql.SQLException {
        return new Point(at, rs.getLong("plays"), rs.getLong("views"), rs.getLong("watch"), rs.getLong("likes"), rs.getLong("dislikes"),
                rs.getLong("comments"), rs.getLong("g"), rs.getLong("l"));
    }

    @Override
    public long uniqueViewers(Scope scope, LocalDate from, LocalDate to) {
        String table = scope.videoId() != null ? "analytics_viewers WHERE video_id" : "analytics_channel_viewers WHERE channel_id";
        return db.withReadHandle(h -> h.createQuery("SELECT count(DISTINCT viewer_hash) FROM " + table + " = :id AND day BETWEEN :f AND :t")
                .bind("id", id(scope)).bind("f", from).bind("t", to).mapTo(Long.class).one());
    }

    @Override
    public long[] retention(String videoId, LocalDate from, LocalDate to) {
        long[] sum = new long[PlaybackFold.POINTS];
        db.useHandle(h -> h.createQuery("SELECT passes FROM analytics_retention WHERE video_id = :v AND day BETWEEN :f AND :t")
                .bind("v", videoId).bind("f", from).bind("t", to)
                .map((rs, ctx) -> (Long[]) rs.getArray(1).getArray())
                .forEach(p -> {
                    for (int i = 0; i < Math.min(p.length, sum.length); i++) sum[i] += p[i];
                }));
        return sum;
    }

    @Override
    public List<DimValue> dimensions(Scope scope, LocalDate from, LocalDate to) {
        String table = scope.videoId() != null ? "analytics_dims WHERE video_id" : "analytics_channel_dims WHERE channel_id";
        return db.withReadHandle(h -> h.createQuery("SELECT dimension, value, sum(views) AS views, sum(watch_ms) AS watch FROM " + table
                        + " = :id AND day BETWEEN :f AND :t GROUP BY dimension, value ORDER BY dimension, views DESC, watch DESC, value")
                .bind("id", id(scope)).bind("f", from).bind("t", to)
                .map((rs, ctx) -> new DimValue(rs.getString("dimension"), rs.getString("value"), rs.getLong("views"), rs.getLong("watch"))).list());
    }

    @Override
    public List<Point> minutes(Scope scope, Instant from, Instant to) {
        return db.withReadHandle(h -> h.createQuery("SELECT s AS t, coalesce(a.views, 0) AS views"
                        + " FROM generate_series(CAST(:f AS timestamptz), CAST(:t AS timestamptz) - interval '1 minute', interval '1 minute') s"
                        + " LEFT JOIN (SELECT minute, sum(views) AS views FROM analytics_minutes WHERE " + col(scope) + " = :id"
                        + "   AND minute >= :f AND minute < :t GROUP BY minute) a ON a.minute = s ORDER BY s")
                .bind("id", id(scope)).bind("f", Timestamp.from(from)).bind("t", Timestamp.from(to))
                .map((rs, ctx) -> new Point(rs.getTimestamp("t").toInstant(), 0, rs.getLong("views"), 0, 0, 0, 0, 0, 0)).list());
    }

    @Override
    public Optional<LocalDate> firstDay(Scope scope) {
        return db.withReadHandle(h -> h.createQuery("SELECT min(day) FROM analytics_daily WHERE " + col(scope) + " = :id")
                .bind("id", id(scope)).map((rs, ctx) -> rs.getDate(1) == null ? null : rs.getDate(1).toLocalDate()).findOne());
    }

    @Override
    public int prune(Instant rawBefore, Instant minutesBefore, Instant playbacksBefore) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM analytics_raw WHERE at < :t").bind("t", Timestamp.from(rawBefore)).execute()
                + h.createUpdate("DELETE FROM analytics_seen WHERE at < :t").bind("t", Timestamp.from(rawBefore)).execute()
                + h.createUpdate("DELETE FROM analytics_hourly WHERE hour < :t").bind("t", Timestamp.from(rawBefore)).execute()
                + h.createUpdate("DELETE FROM analytics_channel_hourly WHERE hour < :t").bind("t", Timestamp.from(rawBefore)).execute()
                + h.createUpdate("DELETE FROM analytics_minutes WHERE minute < :t").bind("t", Timestamp.from(minutesBefore)).execute()
                // Rows the consumer holds are skipped (next run), so the prune never waits on it: no deadlock.
                + h.createUpdate("""
                        DELETE FROM analytics_playbacks WHERE ctid IN (
                            SELECT ctid FROM analytics_playbacks WHERE last_at < :t FOR UPDATE SKIP LOCKED)""")
                        .bind("t", Timestamp.from(playbacksBefore)).execute());
    }

    private static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    private static <T, R> List<R> map(List<T> list, Function<T, R> f) {
        List<R> out = new ArrayList<>(list.size());
        for (T t : list) out.add(f.apply(t));
        return out;
    }
}
