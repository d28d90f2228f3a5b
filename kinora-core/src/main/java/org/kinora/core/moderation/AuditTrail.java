package org.kinora.core.moderation;

/**
 * Port: where moderator and admin actions are recorded (who, what, which item, why). The audit
 * log of issue 18a implements it; until then {@link #LOG} writes them to the application log.
 */
@FunctionalInterface
public interface AuditTrail {
    void record(String actorId, String action, String itemKind, String itemId, String reason);

    /** Records to the log only (no searchable audit log in this build). */
    AuditTrail LOG = (actor, action, kind, id, reason) -> org.slf4j.LoggerFactory.getLogger(AuditTrail.class)
            .info("audit: {} {} {} {}: {}", actor, action, kind, id, reason);
}
