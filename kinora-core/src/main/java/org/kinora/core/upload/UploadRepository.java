package org.kinora.core.upload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Port: stored upload state. */
public interface UploadRepository {
    void insert(Upload upload);

    Optional<Upload> find(String id);

    void updateOffset(String id, long offset);

    void markCompleted(String id, Instant at);

    void delete(String id);

    /**
     * Claims, or renews, the right to append to upload {@code id} for {@code ttl}, for {@code writer}
     * (one request on one API node). True when nobody holds it, the holder's time ran out, or
     * {@code writer} already holds it. The store's clock decides, so nodes' clocks need not agree.
     */
    boolean claimWriter(String id, String writer, Duration ttl);

    /** Gives the claim up if {@code writer} still holds it. */
    void releaseWriter(String id, String writer);

    /**
     * Unfinished uploads whose every byte is recorded (offset = length): what a crash between
     * committing the bytes and the completion transaction leaves.
     */
    List<Upload> findAwaitingCompletion(int limit);

    /**
     * How many uploads of {@code ownerId} are unfinished and not yet expired at {@code now}; partial
     * uploads count until a final upload claims them, finished or not (they are still waiting).
     */
    int countUnfinished(String ownerId, Instant now);

    /** Uploads whose expiry is before {@code now} that still wait for something: see {@link Upload#isExpired}. */
    List<Upload> findExpired(Instant now, int limit);

    /**
     * tus concatenation: marks the finished partial uploads {@code partIds} of {@code ownerId} as
     * taken by final upload {@code finalId}, all or none; false (and nothing marked) when any of them
     * is not a finished, unclaimed partial upload of that owner unexpired at {@code now} (so that the
     * expiry sweep, which takes only unclaimed pieces past their expiry, never deletes a claimed one).
     * Runs inside the caller's transaction.
     */
    boolean claimParts(List<String> partIds, String ownerId, String finalId, Instant now);

    /** Deletes the partial uploads that final upload {@code finalId} claimed. */
    void deleteClaimedBy(String finalId);
}
