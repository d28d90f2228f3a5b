package org.kinora.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kinora.core.events.EventCodec;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventLog;
import org.kinora.core.events.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox in PostgreSQL. A consumer's batch runs in one transaction that holds the consumer's
 * row lock, so two nodes never deliver to the same consumer at once, and a handler's own writes
 * commit together with the checkpoint that passes its event.
 *
 * <p>A row is {@code type, subject_id, actor_id, occurred_at} and {@code data}, the event's fields
 * as {@link EventCodec#data} gives them, stored as a flat JSON object of strings.
 */
public final class PgEventLog implements EventLog {
    private static final Logger log = LoggerFactory.getLogger(PgEventLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final PostgresDatabase db;

    public PgEventLog(PostgresDatabase db) {
        this.db = db;
    }

    /** A row as read; its event is decoded only for a consumer that subscribed to its type. */
    private record Row(long tx, long id, String eventId, String type, String subjectId, String actorId, Instant occurredAt,
                       String data) {}

    private record Checkpoint(long tx, long lastId) {}

    @Override
    public void append(EventEnvelope e) {
        String data;
        try {
            data = JSON.writeValueAsString(EventCodec.data(e.event()));
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException("event data is not serialisable", ex);
        }
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO outbox (event_id, type, subject_id, actor_id, occurred_at, data)
                        VALUES (:id, :type, :subject, :actor, :at, CAST(:data AS jsonb))""")
                .bind("id", e.id()).bind("type", e.type().wireName()).bind("subject", e.subjectId()).bind("actor", e.actorId())
                .bind("at", Timestamp.from(e.occurredAt())).bind("data", data).execute());
    }

    @Override
    public int deliver(String consumer, Set<EventType> types, int limit, EventHandler handler) throws Exception {
        db.useHandle(h -> h.createUpdate("INSERT INTO event_consumers (name) VALUES (:name) ON CONFLICT DO NOTHING")
                .bind("name", consumer).execute());
        try {
            return db.inTransaction(() -> {
                Optional<Checkpoint> locked = db.withHandle(h -> h.createQuery(
                                "SELECT tx, last_id FROM event_consumers WHERE name = :name FOR UPDATE SKIP LOCKED")
                        .bind("name", consumer)
                        .map((rs, ctx) -> new Checkpoint(rs.getLong("tx"), rs.getLong("last_id"))).findOne());
                if (locked.isEmpty()) return 0; // another node is delivering to this consumer
                List<Row> rows = db.withHandle(h -> h.createQuery("""
                                SELECT tx, id, event_id, type, subject_id, actor_id, occurred_at, data::text AS data
                                FROM outbox
                                WHERE (tx, id) > (:tx, :id)
                                  AND tx < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
                                ORDER BY tx, id
                                LIMIT :limit""")
                        .bind("tx", locked.get().tx()).bind("id", locked.get().lastId()).bind("limit", limit)
                        .map((rs, ctx) -> new Row(rs.getLong("tx"), rs.getLong("id"), rs.getString("event_id"),
                                rs.getString("type"), rs.getString("subject_id"), rs.getString("actor_id"),
                                rs.getTimestamp("occurred_at").toInstant(), rs.getString("data")))
                        .list());
                for (Row row : rows) {
                    Optional<EventType> type = EventType.parse(row.type());
                    if (type.isPresent() && types.contains(type.get())) {
                        Optional<EventEnvelope> event = decode(row, consumer);
                        if (event.isEmpty()) continue;
                        try {
                            handler.handle(event.get());
                        } catch (Exception e) {
                            throw new HandlerFailed(e);
                        }
                    }
                }
                if (!rows.isEmpty()) {
                    try {
                        handler.flush();
                    } catch (Exception e) {
                        throw new HandlerFailed(e);
                    }
                    Row last = rows.getLast();
                    db.useHandle(h -> h.createUpdate(
                                    "UPDATE event_consumers SET tx = :tx, last_id = :id, updated_at = now() WHERE name = :name")
                            .bind("tx", last.tx()).bind("id", last.id()).bind("name", consumer).execute());
                }
                return rows.size();
            });
        } catch (HandlerFailed e) {
            throw e.cause;
        }
    }

    /**
     * Deletes up to {@code batch} of the oldest events that occurred before {@code cutoff} and that
     * every consumer has passed. A consumer that is behind (a relay whose broker has been down for
     * days, or one left over from a feature that was switched off) keeps the events it has not seen;
     * {@link #consumersHoldingBack} names it. A consumer that registers later starts from what is left.
     *
     * @return how many events were deleted
     */
    public int prune(Instant cutoff, int batch) {
        return db.withHandle(h -> h.createUpdate("""
                        DELETE FROM outbox WHERE id IN (
                            SELECT o.id FROM outbox o
                            WHERE o.occurred_at < :cutoff
                              AND NOT EXISTS (SELECT 1 FROM event_consumers c WHERE (c.tx, c.last_id) < (o.tx, o.id))
                            ORDER BY o.tx, o.id
                            LIMIT :batch)""")
                .bind("cutoff", Timestamp.from(cutoff)).bind("batch", batch).execute());
    }

    /** The consumers that have not passed every event older than {@code cutoff}, each with when it last moved. */
    public Map<String, Instant> consumersHoldingBack(Instant cutoff) {
        Map<String, Instant> behind = new LinkedHashMap<>();
        db.useHandle(h -> h.createQuery("""
                        SELECT c.name, c.updated_at FROM event_consumers c
                        WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.occurred_at < :cutoff AND (c.tx, c.last_id) < (o.tx, o.id))
                        ORDER BY c.name""")
                .bind("cutoff", Timestamp.from(cutoff))
                .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getTimestamp("updated_at").toInstant()))
                .forEach(e -> behind.put(e.getKey(), e.getValue())));
        return behind;
    }

    /** Carries a handler's checked exception out of the transaction callback, rolling it back. */
    private static final class HandlerFailed extends RuntimeException {
        final Exception cause;

        HandlerFailed(Exception cause) {
            super(cause);
            this.cause = cause;
        }
    }

    /**
     * The row's event, or empty (logged) when the row cannot be read: its data lacks a field the
     * type needs, or is not JSON. Retrying cannot repair a row, so it is passed over rather than
     * stalling the consumer; rows written by this or an earlier version always decode.
     */
    private static Optional<EventEnvelope> decode(Row row, String consumer) {
        try {
            Map<String, String> data = JSON.readValue(row.data(), STRING_MAP);
            return Optional.of(new EventEnvelope(row.eventId(), row.occurredAt(),
                    EventCodec.decode(row.type(), row.subjectId(), row.actorId(), data)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            log.error("consumer {} passes over outbox event {} ({} {}), which cannot be read: {}",
                    consumer, row.eventId(), row.type(), row.subjectId(), e.getMessage());
            return Optional.empty();
        }
    }
}
