package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.moderation.ActionKind;
import org.kinora.core.moderation.ActionRepository;
import org.kinora.core.moderation.Appeal;
import org.kinora.core.moderation.ItemKind;
import org.kinora.core.moderation.ModerationAction;
import org.kinora.core.moderation.Penalty;

public final class PgActionRepository implements ActionRepository {
    private static final RowMapper<ModerationAction> ACTION = (rs, ctx) -> new ModerationAction(rs.getString("id"),
            rs.getString("actor_id"), ActionKind.parse(rs.getString("action")).orElseThrow(),
            ItemKind.parse(rs.getString("item_kind")).orElseThrow(), rs.getString("item_id"), rs.getString("target_user_id"),
            rs.getString("reason"), Penalty.parse(rs.getString("penalty")).orElse(null), PgVideoRepository.instant(rs, "penalty_until"),
            PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "reverted_at"));
    private static final RowMapper<Appeal> APPEAL = (rs, ctx) -> new Appeal(rs.getString("action_id"), rs.getString("user_id"),
            rs.getString("message"), rs.getString("status"), rs.getString("decided_by"), rs.getString("decision_reason"),
            PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "decided_at"));

    private final PostgresDatabase db;

    public PgActionRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(ModerationAction a) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO moderation_actions (id, actor_id, action, item_kind, item_id, target_user_id, reason, penalty,
                                                        penalty_until, created_at)
                        VALUES (:id, :actor, :action, :kind, :item, :target, :reason, :penalty, :until, :at)""")
                .bind("id", a.id()).bind("actor", a.actorId()).bind("action", a.action().wireName()).bind("kind", a.kind().wireName())
                .bind("item", a.itemId()).bind("target", a.targetUserId()).bind("reason", a.reason())
                .bind("penalty", a.penalty() == null ? null : a.penalty().wireName()).bind("until", a.penaltyUntil())
                .bind("at", a.createdAt()).execute());
    }

    @Override
    public Optional<ModerationAction> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM moderation_actions WHERE id = :id").bind("id", id).map(ACTION).findOne());
    }

    @Override
    public List<ModerationAction> concerning(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM moderation_actions WHERE target_user_id = :u ORDER BY created_at DESC, id")
                .bind("u", userId).map(ACTION).list());
    }

    @Override
    public void markReverted(String id, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE moderation_actions SET reverted_at = :at WHERE id = :id AND reverted_at IS NULL")
                .bind("id", id).bind("at", at).execute());
    }

    @Override
    public boolean insertAppeal(Appeal a) {
        return db.withHandle(h -> h.createUpdate("""
                        INSERT INTO appeals (action_id, user_id, message, created_at) VALUES (:action, :user, :message, :at)
                        ON CONFLICT (action_id) DO NOTHING""")
                .bind("action", a.actionId()).bind("user", a.userId()).bind("message", a.message()).bind("at", a.createdAt())
                .execute()) == 1;
    }

    @Override
    public Optional<Appeal> appeal(String actionId) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM appeals WHERE action_id = :a").bind("a", actionId).map(APPEAL).findOne());
    }

    @Override
    public List<Appeal> openAppeals(int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM appeals WHERE status = 'open' ORDER BY created_at LIMIT :limit")
                .bind("limit", limit).map(APPEAL).list());
    }

    @Override
    public boolean decideAppeal(String actionId, String status, String moderatorId, String reason, Instant at) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE appeals SET status = :status, decided_by = :m, decision_reason = :reason, decided_at = :at
                        WHERE action_id = :a AND status = 'open'""")
                .bind("a", actionId).bind("status", status).bind("m", moderatorId).bind("reason", reason).bind("at", at)
                .execute()) == 1;
    }
}
