package org.kinora.core.upload;

import java.util.Set;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.Transactions;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventType;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventLog;
import org.kinora.core.jobs.Job;
import org.kinora.core.jobs.JobQueue;
import org.kinora.core.jobs.JobRequest;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoStatus;

/** Plain in-memory implementations of the ports, for unit-testing the upload rules. */
final class InMemoryStores {
    private InMemoryStores() {}

    static final class Blobs implements BlobStore {
        final Map<String, byte[]> data = new ConcurrentHashMap<>();

        @Override public void put(String key, Path file, String contentType) throws IOException {
            data.put(key, java.nio.file.Files.readAllBytes(file));
        }
        @Override public void put(String key, byte[] bytes, String contentType) { data.put(key, bytes.clone()); }
        @Override public Optional<BlobInfo> stat(String key) {
            return Optional.ofNullable(data.get(key)).map(b -> new BlobInfo(key, b.length, Instant.EPOCH));
        }
        @Override public InputStream open(String key, long offset, long length) {
            return new ByteArrayInputStream(data.get(key), (int) offset, (int) length);
        }
        /** Staged bytes by final key. */
        final Map<String, byte[]> staged = new ConcurrentHashMap<>();

        @Override public long stagedSize(String key) { return staged.getOrDefault(key, new byte[0]).length; }
        @Override public long appendStaged(String key, InputStream in, long maxBytes) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(staged.getOrDefault(key, new byte[0]));
            long written = 0;
            byte[] buf = new byte[8192];
            try {
                while (written < maxBytes) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, maxBytes - written));
                    if (n < 0) break;
                    out.write(buf, 0, n);
                    written += n;
                }
            } finally {
                staged.put(key, out.toByteArray());
            }
            return written;
        }
        @Override public void truncateStaged(String key, long size) { staged.computeIfPresent(key, (k, b) -> Arrays.copyOf(b, (int) size)); }
        @Override public void commitStaged(String key) {
            byte[] bytes = staged.remove(key);
            if (bytes != null) data.put(key, bytes);
        }
        @Override public void abortStaged(String key) { staged.remove(key); }
        @Override public Path localFile(String key, Path scratchDir) { throw new UnsupportedOperationException(); }
        @Override public void delete(String key) { data.remove(key); }
        @Override public void deletePrefix(String prefix) { data.keySet().removeIf(k -> k.startsWith(prefix)); }
        @Override public long concatenate(List<String> sources, String target) throws java.io.IOException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (String source : sources) {
                byte[] bytes = data.get(source);
                if (bytes == null) throw new java.io.FileNotFoundException(source);
                out.write(bytes);
            }
            data.put(target, out.toByteArray());
            return out.size();
        }
    }

    static final class Uploads implements UploadRepository {
        final Map<String, Upload> rows = new ConcurrentHashMap<>();

        @Override public void insert(Upload u) { rows.put(u.id(), u); }
        @Override public Optional<Upload> find(String id) { return Optional.ofNullable(rows.get(id)); }
        @Override public void updateOffset(String id, long offset) { rows.computeIfPresent(id, (k, u) -> u.withOffset(offset)); }
        @Override public void markCompleted(String id, Instant at) {
            rows.computeIfPresent(id, (k, u) -> u.completedAt(at));
        }
        @Override public void delete(String id) { rows.remove(id); }
        /** Who holds each upload's writer claim (time-outs are not modelled). */
        final Map<String, String> writers = new ConcurrentHashMap<>();
        @Override public boolean claimWriter(String id, String writer, java.time.Duration ttl) {
            return writer.equals(writers.merge(id, writer, (held, wanted) -> held));
        }
        @Override public void releaseWriter(String id, String writer) { writers.remove(id, writer); }
        @Override public List<Upload> findAwaitingCompletion(int limit) {
            return rows.values().stream().filter(u -> !u.isComplete() && u.offset() == u.length()).limit(limit).toList();
        }
        @Override public int countUnfinished(String ownerId, Instant now) {
            return (int) rows.values().stream().filter(u -> u.ownerId().equals(ownerId) && u.consumedBy() == null
                    && (!u.isComplete() || u.isPartial()) && !u.isExpired(now)).count();
        }
        @Override public synchronized boolean claimParts(List<String> partIds, String ownerId, String finalId, Instant now) {
            boolean all = partIds.stream().map(rows::get).allMatch(u -> u != null && u.ownerId().equals(ownerId) && u.isPartial()
                    && u.isComplete() && u.consumedBy() == null && !now.isAfter(u.expiresAt()));
            if (all) partIds.forEach(id -> rows.computeIfPresent(id, (k, u) -> u.consumedBy(finalId)));
            return all;
        }
        @Override public void deleteClaimedBy(String finalId) { rows.values().removeIf(u -> finalId.equals(u.consumedBy())); }
        @Override public List<Upload> findExpired(Instant now, int limit) {
            return rows.values().stream().filter(u -> u.isExpired(now)).limit(limit).toList();
        }
    }

    static final class Videos implements VideoRepository {
        @Override public Map<String, List<Rendition>> renditions(java.util.Collection<String> ids) {
            Map<String, List<Rendition>> out = new java.util.HashMap<>();
            for (String id : ids) if (!renditions(id).isEmpty()) out.put(id, renditions(id));
            return out;
        }

        @Override public List<Video> listPublicReadyByOwner(String ownerId, Optional<Cursor> after, int limit) { return List.of(); }

        final Map<String, Video> rows = new ConcurrentHashMap<>();

        @Override public void insert(Video v) { rows.put(v.id(), v); }
        @Override public Optional<Video> find(String id) { return Optional.ofNullable(rows.get(id)); }
        @Override public void updateDetails(String id, String title, String description, Privacy privacy) {
            throw new UnsupportedOperationException();
        }
        @Override public void updateStatus(String id, VideoStatus status, int progress, String reason) {
            rows.computeIfPresent(id, (k, v) -> new Video(v.id(), v.ownerId(), v.title(), v.description(), v.privacy(), status,
                    progress, reason, v.durationSeconds(), v.width(), v.height(), v.createdAt(), v.updatedAt(), v.publishedAt(), v.deletedAt()));
        }
        @Override public void updateTags(String id, List<String> tags) { throw new UnsupportedOperationException(); }
        @Override public void markPicturesChanged(String id) { throw new UnsupportedOperationException(); }
        @Override public void updateProgress(String id, int progress) { throw new UnsupportedOperationException(); }
        @Override public boolean markProcessed(String id) { throw new UnsupportedOperationException(); }
        @Override public void updateSourceInfo(String id, double d, int w, int h) { throw new UnsupportedOperationException(); }
        @Override public void markReady(String id) { throw new UnsupportedOperationException(); }
        @Override public void markDeleted(String id, Instant at) {
            rows.computeIfPresent(id, (k, v) -> new Video(v.id(), v.ownerId(), v.title(), v.description(), v.privacy(), v.status(),
                    v.progress(), v.failureReason(), v.durationSeconds(), v.width(), v.height(), v.createdAt(), v.updatedAt(), v.publishedAt(), at));
        }
        @Override public List<Video> listPublicReady(Optional<Cursor> after, int limit) { return List.of(); }
        @Override public List<Video> listByOwner(String ownerId, int limit) { return List.of(); }
        @Override public void upsertRendition(Rendition rendition) {}
        @Override public void deleteRendition(String videoId, String name) {}
        @Override public List<Rendition> renditions(String videoId) { return List.of(); }
    }

    static final class Jobs implements JobQueue {
        final List<JobRequest> queued = new ArrayList<>();

        @Override public synchronized void enqueue(JobRequest request) { queued.add(request); }
        @Override public Optional<Job> claim(String workerId, java.time.Duration lease) { return Optional.empty(); }
        @Override public boolean heartbeat(long jobId, String workerId, java.time.Duration lease) { return false; }
        @Override public void complete(long jobId, String workerId) {}
        @Override public boolean fail(long jobId, String workerId, String error, java.time.Duration retryDelay) { return false; }
        @Override public QueueStats stats() { return new QueueStats(queued.size(), 0, 0); }
    }

    static final class Events implements EventLog {
        final List<EventEnvelope> appended = new ArrayList<>();

        @Override public void append(EventEnvelope event) { appended.add(event); }

        @Override public int deliver(String consumer, Set<EventType> types, int limit, EventHandler handler) {
            throw new UnsupportedOperationException("delivery is tested against PostgreSQL in PgEventLogIT");
        }
    }

    static final Transactions DIRECT = new Transactions() {
        @Override public <T> T inTransaction(Supplier<T> work) { return work.get(); }
    };
}
