package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.moderation.AuditEntry;
import org.kinora.core.moderation.AuditLog;
import org.kinora.core.moderation.ItemKind;

public final class PgAuditLog implements AuditLog {
    private final PostgresDatabase db;

    public PgAuditLog(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void append(String actorId, String action, ItemKind kind, String itemId, String reason, String details, Instant at) {
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO audit_log (at, actor_id, action, item_kind, item_id, reason, details)
                        VALUES (:at, :actor, :action, :kind, :item, :reason, :details)""")
                .bind("at", at).bind("actor", actorId).bind("action", action).bind("kind", kind.wireName()).bind("item", itemId)
                .bind("reason", reason).bind("details", details).execute());
    }

    @Override
    public List<AuditEntry> search(Optional<String> actorId, Optional<ItemKind> kind, Optional<String> itemId, Optional<Long> beforeId,
                                   int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM audit_log
                        WHERE (CAST(:actor AS text) IS NULL OR actor_id = :actor)
                          AND (CAST(:kind AS text) IS NULL OR item_kind = :kind)
                          AND (CAST(:item AS text) IS NULL OR item_id = :item)
                          AND (CAST(:before AS bigint) IS NULL OR id < :before)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("actor", actorId.orElse(null)).bind("kind", kind.map(ItemKind::wireName).orElse(null))
                .bind("item", itemId.orElse(null)).bind("before", beforeId.orElse(null)).bind("limit", limit)
                .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), PgVideoRepository.instant(rs, "at"), rs.getString("actor_id"),
                        rs.getString("action"), ItemKind.parse(rs.getString("item_kind")).orElseThrow(), rs.getString("item_id"),
                        rs.getString("reason"), rs.getString("details")))
                .list());
    }
}
