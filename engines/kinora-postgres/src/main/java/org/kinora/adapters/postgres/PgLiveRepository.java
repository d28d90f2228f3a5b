package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.live.LiveChannel;
import org.kinora.core.live.LiveRepository;
import org.kinora.core.live.LiveSession;

/** Live channels and sessions; "one live per channel" is the partial unique index of V80. */
public final class PgLiveRepository implements LiveRepository {
    private static final RowMapper<LiveChannel> CHANNEL = (rs, ctx) -> new LiveChannel(rs.getString("owner_id"),
            rs.getString("stream_key"), rs.getString("title"), rs.getBoolean("replays"),
            PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "updated_at"),
            (Integer) rs.getObject("srt_port"));
    private static final RowMapper<LiveSession> SESSION = (rs, ctx) -> new LiveSession(rs.getString("id"), rs.getString("owner_id"),
            rs.getString("title"), LiveSession.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)), rs.getString("ingest_url"),
            PgVideoRepository.instant(rs, "lease_until"), rs.getString("replay_video_id"),
            PgVideoRepository.instant(rs, "started_at"), PgVideoRepository.instant(rs, "ended_at"), rs.getString("description"),
            PgVideoRepository.instant(rs, "scheduled_for"), rs.getString("thumbnail_file"));

    private final PostgresDatabase db;

    public PgLiveRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<LiveChannel> channel(String ownerId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_channels WHERE owner_id = :o").bind("o", ownerId).map(CHANNEL).findOne());
    }

    @Override
    public Optional<LiveChannel> channelByKey(String streamKey) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_channels WHERE stream_key = :k").bind("k", streamKey).map(CHANNEL).findOne());
    }

    @Override
    public void saveKey(String ownerId, String streamKey, Instant at) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO live_channels (owner_id, stream_key, created_at, updated_at) VALUES (:o, :k, :at, :at)
                        ON CONFLICT (owner_id) DO UPDATE SET stream_key = :k, updated_at = :at""")
                .bind("o", ownerId).bind("k", streamKey).bind("at", at).execute());
    }

    @Override
    public void updateSettings(String ownerId, String title, boolean replays, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE live_channels SET title = :t, replays = :r, updated_at = :at WHERE owner_id = :o")
                .bind("o", ownerId).bind("t", title).bind("r", replays).bind("at", at).execute());
    }

    @Override
    public Optional<LiveSession> start(LiveSession s, Instant now, Instant takeUpcomingBefore) {
        return db.inTransaction(() -> db.withHandle(h -> {
            // The channel's row is the lock: two publishes of one channel on two nodes take turns here.
            h.createQuery("SELECT owner_id FROM live_channels WHERE owner_id = :o FOR UPDATE").bind("o", s.ownerId()).mapTo(String.class).findOne();
            h.createUpdate("UPDATE live_sessions SET state = 'ended', ended_at = lease_until WHERE owner_id = :o AND state = 'live' AND lease_until < :now")
                    .bind("o", s.ownerId()).bind("now", now).execute();
            boolean live = h.createQuery("SELECT 1 FROM live_sessions WHERE owner_id = :o AND state = 'live'").bind("o", s.ownerId())
                    .mapTo(Integer.class).findOne().isPresent();
            if (live) return Optional.<LiveSession>empty();
            Optional<String> upcoming = h.createQuery("""
                            SELECT id FROM live_sessions WHERE owner_id = :o AND state = 'upcoming' AND scheduled_for < :before
                            ORDER BY scheduled_for, id LIMIT 1""")
                    .bind("o", s.ownerId()).bind("before", takeUpcomingBefore).mapTo(String.class).findOne();
            String id = upcoming.orElse(s.id());
            if (upcoming.isPresent()) {
                h.createUpdate("UPDATE live_sessions SET state = 'live', ingest_url = :url, lease_until = :lease, started_at = :at WHERE id = :id")
                        .bind("id", id).bind("url", s.ingestUrl()).bind("lease", s.leaseUntil()).bind("at", s.startedAt()).execute();
            } else {
                h.createUpdate("""
                                INSERT INTO live_sessions (id, owner_id, title, state, ingest_url, lease_until, started_at)
                                VALUES (:id, :o, :t, 'live', :url, :lease, :at)""")
                        .bind("id", id).bind("o", s.ownerId()).bind("t", s.title()).bind("url", s.ingestUrl())
                        .bind("lease", s.leaseUntil()).bind("at", s.startedAt()).execute();
            }
            return h.createQuery("SELECT * FROM live_sessions WHERE id = :id").bind("id", id).map(SESSION).findOne();
        }));
    }

    @Override
    public Optional<Integer> assignSrtPort(String ownerId, int lowest, int highest) {
        return db.withHandle(h -> {
            Optional<Integer> mine = h.createQuery("SELECT srt_port FROM live_channels WHERE owner_id = :o AND srt_port IS NOT NULL")
                    .bind("o", ownerId).mapTo(Integer.class).findOne();
            if (mine.isPresent()) return mine;
            // The lowest free port; two channels asking at once: the UNIQUE constraint lets one win, the other tries once more.
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<Integer> free = h.createQuery("""
                                SELECT p FROM generate_series(:lo, :hi) p WHERE NOT EXISTS (SELECT 1 FROM live_channels WHERE srt_port = p)
                                ORDER BY p LIMIT 1""").bind("lo", lowest).bind("hi", highest).mapTo(Integer.class).findOne();
                if (free.isEmpty()) return Optional.<Integer>empty();
                try {
                    h.createUpdate("UPDATE live_channels SET srt_port = :p WHERE owner_id = :o").bind("p", free.get()).bind("o", ownerId).execute();
                    return free;
                } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException taken) {
                    // another channel took it meanwhile
                }
            }
            return Optional.<Integer>empty();
        });
    }

    @Override
    public void clearSrtPort(String ownerId) {
        db.useHandle(h -> h.createUpdate("UPDATE live_channels SET srt_port = NULL WHERE owner_id = :o").bind("o", ownerId).execute());
    }

    @Override
    public List<LiveChannel> srtChannels() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_channels WHERE srt_port IS NOT NULL ORDER BY srt_port").map(CHANNEL).list());
    }

    @Override
    public void schedule(LiveSession u) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO live_sessions (id, owner_id, title, description, state, scheduled_for)
                        VALUES (:id, :o, :t, :d, 'upcoming', :when)""")
                .bind("id", u.id()).bind("o", u.ownerId()).bind("t", u.title()).bind("d", u.description())
                .bind("when", u.scheduledFor()).execute());
    }

    @Override
    public List<LiveSession> upcoming(String ownerId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM live_sessions WHERE owner_id = :o AND state = 'upcoming' ORDER BY scheduled_for, id LIMIT :n""")
                .bind("o", ownerId).bind("n", limit).map(SESSION).list());
    }

    @Override
    public void setThumbnail(String sessionId, String file) {
        db.useHandle(h -> h.createUpdate("UPDATE live_sessions SET thumbnail_file = :f WHERE id = :id").bind("id", sessionId).bind("f", file).execute());
    }

    @Override
    public boolean cancel(String sessionId) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM live_sessions WHERE id = :id AND state = 'upcoming'").bind("id", sessionId).execute() == 1);
    }

    @Override
    public Optional<LiveSession> byReplay(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_sessions WHERE replay_video_id = :v").bind("v", videoId).map(SESSION).findOne());
    }

    @Override
    public List<LiveSession> ended(String ownerId, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM live_sessions WHERE owner_id = :o AND state = 'ended' ORDER BY ended_at DESC, id LIMIT :n""")
                .bind("o", ownerId).bind("n", limit).map(SESSION).list());
    }

    @Override
    public void renew(String sessionId, Instant leaseUntil) {
        db.useHandle(h -> h.createUpdate("UPDATE live_sessions SET lease_until = :l WHERE id = :id AND state = 'live'")
                .bind("id", sessionId).bind("l", leaseUntil).execute());
    }

    @Override
    public void end(String sessionId, Instant at, String replayVideoId) {
        db.useHandle(h -> h.createUpdate("UPDATE live_sessions SET state = 'ended', ended_at = :at, replay_video_id = :v WHERE id = :id")
                .bind("id", sessionId).bind("at", at).bind("v", replayVideoId).execute());
    }

    @Override
    public Optional<LiveSession> session(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_sessions WHERE id = :id").bind("id", id).map(SESSION).findOne());
    }

    @Override
    public Optional<LiveSession> current(String ownerId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM live_sessions WHERE owner_id = :o AND state = 'live'")
                .bind("o", ownerId).map(SESSION).findOne());
    }

    @Override
    public List<LiveSession> live(Instant now, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM live_sessions WHERE state = 'live' AND lease_until >= :now ORDER BY started_at DESC, id LIMIT :n""")
                .bind("now", now).bind("n", limit).map(SESSION).list());
    }
}
