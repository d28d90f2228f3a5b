package org.kinora.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.IdempotencyRepository;

public final class PgIdempotencyRepository implements IdempotencyRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private final PostgresDatabase db;

    public PgIdempotencyRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<Entry> claim(String scope, String key, String method, String path, String requestHash) {
        return db.withHandle(h -> {
            // A claim whose request never finished (the node died mid-request) is taken over after a minute.
            h.createUpdate("""
                            DELETE FROM idempotency_keys
                            WHERE scope = :s AND key = :k AND status IS NULL AND created_at < now() - interval '1 minute'""")
                    .bind("s", scope).bind("k", key).execute();
            int inserted = h.createUpdate("""
                            INSERT INTO idempotency_keys (scope, key, method, path, request_hash) VALUES (:s, :k, :m, :p, :hash)
                            ON CONFLICT DO NOTHING""")
                    .bind("s", scope).bind("k", key).bind("m", method).bind("p", path).bind("hash", requestHash).execute();
            if (inserted == 1) return Optional.empty();
            return h.createQuery("SELECT * FROM idempotency_keys WHERE scope = :s AND key = :k").bind("s", scope).bind("k", key)
                    .map((rs, ctx) -> new Entry(rs.getString("method"), rs.getString("path"), rs.getString("request_hash"),
                            (Integer) rs.getObject("status"), rs.getString("content_type"), rs.getBytes("body"),
                            readHeaders(rs.getString("headers"))))
                    .findOne();
        });
    }

    @Override
    public void complete(String scope, String key, int status, String contentType, byte[] body, Map<String, String> headers) {
        String json;
        try {
            json = JSON.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        db.useHandle(h -> h.createUpdate("""
                        UPDATE idempotency_keys SET status = :status, content_type = :ct, body = :body, headers = CAST(:headers AS jsonb)
                        WHERE scope = :s AND key = :k""")
                .bind("s", scope).bind("k", key).bind("status", status).bind("ct", contentType).bind("body", body)
                .bind("headers", json).execute());
    }

    @Override
    public void release(String scope, String key) {
        db.useHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE scope = :s AND key = :k AND status IS NULL")
                .bind("s", scope).bind("k", key).execute());
    }

    @Override
    public int deleteOlderThan(Instant cutoff) {
        return db.withHandle(h -> h.createUpdate("DELETE FROM idempotency_keys WHERE created_at < :t").bind("t", cutoff).execute());
    }

    private static Map<String, String> readHeaders(String json) {
        try {
            return json == null ? Map.of() : JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored idempotent response headers are not JSON", e);
        }
    }
}
