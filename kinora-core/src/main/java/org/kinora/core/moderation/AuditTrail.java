package org.kinora.core.moderation;

/**
 * Port: where admin actions are recorded (who, what, which item, why): {@link #into} the
 * searchable, append-only {@link AuditLog} that moderators' actions go to as well.
 */
@FunctionalInterface
public interface AuditTrail {
    void record(String actorId, String action, String itemKind, String itemId, String reason);

    /** Appends to {@code log} at {@code clock}'s time; {@code itemKind} is an {@link ItemKind} wire name. */
    static AuditTrail into(AuditLog log, org.kinora.core.common.Clock clock) {
        return (actor, action, kind, id, reason) -> log.append(actor, action, ItemKind.parse(kind).orElseThrow(
                () -> new IllegalArgumentException("no audit item kind " + kind)), id, reason, "", clock.now());
    }

    /** Records to the application log only, for tests and tools without a database. */
    AuditTrail LOG = (actor, action, kind, id, reason) -> org.slf4j.LoggerFactory.getLogger(AuditTrail.class)
            .info("audit: {} {} {} {}: {}", actor, action, kind, id, reason);
}
