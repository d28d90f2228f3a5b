package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.kinora.core.moderation.BlockRepository;

public final class PgBlockRepository implements BlockRepository {
    private final PostgresDatabase db;

    public PgBlockRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void blockChannel(String userId, String channelId, Instant at) {
        db.useHandle(h -> h.createUpdate("INSERT INTO channel_blocks VALUES (:u, :c, :at) ON CONFLICT DO NOTHING")
                .bind("u", userId).bind("c", channelId).bind("at", at).execute());
    }

    @Override
    public void unblockChannel(String userId, String channelId) {
        db.useHandle(h -> h.createUpdate("DELETE FROM channel_blocks WHERE user_id = :u AND channel_id = :c")
                .bind("u", userId).bind("c", channelId).execute());
    }

    @Override
    public Set<String> blockedChannels(String userId) {
        return new HashSet<>(db.withHandle(h -> h.createQuery("SELECT channel_id FROM channel_blocks WHERE user_id = :u")
                .bind("u", userId).mapTo(String.class).list()));
    }

    @Override
    public void hideUser(String channelId, String userId, Instant at) {
        db.useHandle(h -> h.createUpdate("INSERT INTO channel_hidden_users VALUES (:c, :u, :at) ON CONFLICT DO NOTHING")
                .bind("c", channelId).bind("u", userId).bind("at", at).execute());
    }

    @Override
    public void unhideUser(String channelId, String userId) {
        db.useHandle(h -> h.createUpdate("DELETE FROM channel_hidden_users WHERE channel_id = :c AND user_id = :u")
                .bind("c", channelId).bind("u", userId).execute());
    }

    @Override
    public boolean isHidden(String channelId, String userId) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM channel_hidden_users WHERE channel_id = :c AND user_id = :u")
                .bind("c", channelId).bind("u", userId).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Set<String> hiddenUsers(String channelId) {
        return new HashSet<>(db.withHandle(h -> h.createQuery("SELECT user_id FROM channel_hidden_users WHERE channel_id = :c")
                .bind("c", channelId).mapTo(String.class).list()));
    }

    @Override
    public void blockDomain(String domain, String reason, String adminId, Instant at) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO blocked_email_domains VALUES (:d, :r, :a, :at) ON CONFLICT (domain) DO UPDATE SET reason = :r""")
                .bind("d", domain).bind("r", reason).bind("a", adminId).bind("at", at).execute());
    }

    @Override
    public void unblockDomain(String domain) {
        db.useHandle(h -> h.createUpdate("DELETE FROM blocked_email_domains WHERE domain = :d").bind("d", domain).execute());
    }

    @Override
    public boolean isDomainBlocked(String domain) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM blocked_email_domains WHERE domain = :d")
                .bind("d", domain).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public List<String> blockedDomains() {
        return db.withHandle(h -> h.createQuery("SELECT domain FROM blocked_email_domains ORDER BY domain").mapTo(String.class).list());
    }
}
