package org.kinora.core.search;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.kinora.core.common.Page;
import org.kinora.core.moderation.ChannelBlocks;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoGate;
import org.kinora.core.video.VideoRepository;
import org.kinora.core.video.VideoService;

/**
 * Search and discovery for viewers. Engines answer with ids; every id is then checked against the
 * live video row, so a video that became private, was deleted or failed is never shown even when
 * an engine's index has not caught up yet (a page may then hold fewer items than asked for).
 */
public final class SearchService {
    public static final int MAX_DISCOVERY = 50;

    private final SearchEngine engine;
    private final VideoRepository videos;
    private final VideoService videoService;
    private final SubscriptionFeed subscriptions;
    private final ChannelBlocks blocks;
    private final VideoGate gate;

    /**
     * {@code blocks}: the channels each viewer blocked, left out of everything listed for them;
     * {@code gate}: moderation's say, so a video taken down or held is out of the answers at once,
     * even while an engine's own index still holds it.
     */
    public SearchService(SearchEngine engine, VideoRepository videos, VideoService videoService, SubscriptionFeed subscriptions,
                         ChannelBlocks blocks, VideoGate gate) {
        this.gate = gate;
        this.engine = engine;
        this.videos = videos;
        this.videoService = videoService;
        this.subscriptions = subscriptions;
        this.blocks = blocks;
    }

    public SearchEngine engine() { return engine; }

    /** The engine leaves the viewer's blocked channels out itself, so pages stay full and cursors exact. */
    public Page<Video> search(SearchQuery query, String viewerId) {
        Set<String> blocked = blocks.of(viewerId);
        Page<String> ids = engine.videos(blocked.isEmpty() ? query : query.excluding(blocked));
        return new Page<>(blocks.without(viewerId, listed(ids.items())), ids.nextCursor());
    }

    public List<ChannelHit> channels(String text, int limit, String viewerId) {
        if (text.isBlank()) return List.of();
        Set<String> blocked = blocks.of(viewerId);
        return engine.channels(text, limit).stream().filter(c -> !blocked.contains(c.id())).toList();
    }

    public List<String> suggest(String prefix, int limit) {
        return prefix.isBlank() ? List.of() : engine.suggest(prefix, limit);
    }

    public List<Video> trending(int limit, String viewerId) {
        return blocks.without(viewerId, listed(engine.trending(limit)));
    }

    /** Videos related to one the viewer may see (404 otherwise), the video itself excluded. */
    public List<Video> related(String videoId, String viewerId, int limit) {
        Video v = videoService.visibleVideo(videoId, viewerId);
        List<String> ids = engine.related(new RelatedQuery(v.id(), v.ownerId(), v.title(), v.tags()), limit + 1);
        return blocks.without(viewerId, listed(ids.stream().filter(id -> !id.equals(v.id())).toList())).stream().limit(limit).toList();
    }

    /**
     * The signed-in viewer's home feed: subscriptions, trending and fresh uploads interleaved in
     * that order of preference (one of each in turn), without repeats and without the viewer's
     * own videos.
     */
    public List<Video> homeFeed(String userId, int limit) {
        // Trending and fresh overlap (without views trending is recency) and the viewer's own
        // videos are dropped, so each source offers more than the page needs.
        int candidates = Math.min(limit * 3, VideoService.MAX_PAGE);
        List<String> subs = subscriptions.latest(userId, candidates);
        List<String> hot = engine.trending(candidates);
        List<String> fresh = videos.listPublicReady(Optional.empty(), candidates).stream().map(Video::id).toList();
        Set<String> mixed = new LinkedHashSet<>();
        List<Iterator<String>> sources = List.of(subs.iterator(), hot.iterator(), fresh.iterator());
        boolean any = true;
        while (any) {
            any = false;
            for (Iterator<String> it : sources) {
                if (it.hasNext()) {
                    mixed.add(it.next());
                    any = true;
                }
            }
        }
        return blocks.without(userId, listed(List.copyOf(mixed))).stream().filter(v -> !v.isOwnedBy(userId)).limit(limit).toList();
    }

    /** The publicly listed videos among {@code ids} that moderation does not withhold, in the order given. */
    private List<Video> listed(List<String> ids) {
        if (ids.isEmpty()) return List.of();
        List<Video> found = videos.findMany(ids);
        Set<String> withheld = gate.withheld(found);
        Map<String, Video> byId = found.stream().collect(Collectors.toMap(Video::id, Function.identity()));
        List<Video> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            Video v = byId.get(id);
            if (v != null && v.isPubliclyListed() && !withheld.contains(id)) out.add(v);
        }
        return out;
    }
}
