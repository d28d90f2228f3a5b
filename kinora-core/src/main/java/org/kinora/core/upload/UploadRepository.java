package org.kinora.core.upload;

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

    /** Unfinished uploads whose expiry is before {@code now}. */
    List<Upload> findExpired(Instant now, int limit);
}
