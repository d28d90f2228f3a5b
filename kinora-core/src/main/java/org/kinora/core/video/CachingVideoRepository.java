package org.kinora.core.video;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.kinora.core.common.Transactions;

/**
 * A {@link VideoRepository} that reads single videos through a {@link VideoCache} and, after
 * every change to a video commits, drops its cache entry and announces the change (the status
 * stream of every node wakes on it). Listings are not cached: they go to the database (or its
 * read replica).
 *
 * <p>Invalidation runs after the commit, not inside the transaction: dropping the entry before
 * the commit would let a concurrent reader put the old row back. A reader that loaded the old row
 * just before the commit cannot put it back afterwards either, see {@link VideoCache#invalidate}.
 */
public final class CachingVideoRepository implements VideoRepository {
    private final VideoRepository db;
    private final VideoCache cache;
    private final Transactions tx;
    private final Consumer<String> changed;
    private final AtomicLong loads = new AtomicLong();

    /**
     * @param changed told the id of every video whose change has committed (after the cache
     *                entry is gone); must not throw and must not block for long
     */
    public CachingVideoRepository(VideoRepository db, VideoCache cache, Transactions tx, Consumer<String> changed) {
        this.db = db;
        this.cache = cache;
        this.tx = tx;
        this.changed = changed;
    }

    /** How many times a read went to the database (cache misses), for metrics and tests. */
    public long loads() { return loads.get(); }

    private Optional<VideoCache.Entry> entry(String id) {
        return cache.get(id, key -> {
            loads.incrementAndGet();
            return db.find(key).map(v -> new VideoCache.Entry(v, db.renditions(key)));
        });
    }

    private void afterChange(String id) {
        tx.afterCommit(() -> {
            cache.invalidate(id);
            changed.accept(id);
        });
    }

    @Override
    public Optional<Video> find(String id) {
        return entry(id).map(VideoCache.Entry::video);
    }

    @Override
    public List<Rendition> renditions(String videoId) {
        return entry(videoId).map(VideoCache.Entry::renditions).orElseGet(List::of);
    }

    @Override
    public void insert(Video video) {
        db.insert(video);
        afterChange(video.id());
    }

    @Override
    public void updateDetails(String id, String title, String description, Privacy privacy) {
        db.updateDetails(id, title, description, privacy);
        afterChange(id);
    }

    @Override
    public void markPicturesChanged(String id) {
        db.markPicturesChanged(id);
        afterChange(id);
    }

    @Override
    public void updateTags(String id, List<String> tags) {
        db.updateTags(id, tags);
        afterChange(id);
    }

    @Override
    public List<Video> findMany(Collection<String> ids) {
        return db.findMany(ids);
    }

    @Override
    public void updateStatus(String id, VideoStatus status, int progress, String failureReason) {
        db.updateStatus(id, status, progress, failureReason);
        afterChange(id);
    }

    @Override
    public void updateProgress(String id, int progress) {
        db.updateProgress(id, progress);
        afterChange(id);
    }

    @Override
    public boolean markProcessed(String id) {
        boolean changed = db.markProcessed(id);
        if (changed) afterChange(id);
        return changed;
    }

    @Override
    public void updateSourceInfo(String id, double durationSeconds, int width, int height) {
        db.updateSourceInfo(id, durationSeconds, width, height);
        afterChange(id);
    }

    @Override
    public void markReady(String id) {
        db.markReady(id);
        afterChange(id);
    }

    @Override
    public void markDeleted(String id, Instant at) {
        db.markDeleted(id, at);
        afterChange(id);
    }

    @Override
    public List<Video> listPublicReady(Optional<Cursor> after, int limit) {
        return db.listPublicReady(after, limit);
    }

    @Override
    public List<Video> listByOwner(String ownerId, int limit) {
        return db.listByOwner(ownerId, limit);
    }

    @Override
    public List<Video> listPublicReadyByOwner(String ownerId, Optional<Cursor> after, int limit) {
        return db.listPublicReadyByOwner(ownerId, after, limit);
    }

    @Override
    public void upsertRendition(Rendition rendition) {
        db.upsertRendition(rendition);
        afterChange(rendition.videoId());
    }

    @Override
    public void deleteRendition(String videoId, String name) {
        db.deleteRendition(videoId, name);
        afterChange(videoId);
    }

    @Override
    public Map<String, List<Rendition>> renditions(Collection<String> videoIds) {
        return db.renditions(videoIds);
    }
}
