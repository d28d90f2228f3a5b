package org.kinora.core.common;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Port: remembered responses of requests that carried an {@code Idempotency-Key}, so that a
 * retried request gets the first response instead of doing the work twice.
 */
public interface IdempotencyRepository {
    /** The stored request; {@code status} is null while the first request is still running. */
    record Entry(String method, String path, String requestHash, Integer status, String contentType, byte[] body,
                 Map<String, String> headers) {}

    /** Claims the key for a new request; returns the existing entry instead when the key was used before. */
    Optional<Entry> claim(String scope, String key, String method, String path, String requestHash);

    void complete(String scope, String key, int status, String contentType, byte[] body, Map<String, String> headers);

    /** Forgets a claim whose request failed before producing a response worth replaying. */
    void release(String scope, String key);

    int deleteOlderThan(Instant cutoff);
}
