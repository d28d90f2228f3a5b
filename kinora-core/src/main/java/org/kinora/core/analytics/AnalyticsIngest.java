package org.kinora.core.analytics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.kinora.core.engagement.Rating;
import org.kinora.core.events.DomainEvent;
import org.kinora.core.events.EventEnvelope;
import org.kinora.core.events.EventHandler;
import org.kinora.core.events.EventType;

/**
 * The analytics consumer of the outbox: play events (packed per video per flush), ratings,
 * comments and subscriptions in; raw events and rollups out. Delivery is at least once, so the raw
 * rows, keyed by the outbox event id and the play's place in it, are inserted first and only the
 * new ones go into the rollups: a redelivered batch adds nothing. The outbox delivers a batch in
 * one transaction that also moves the checkpoint, so the rollups and the checkpoint move together.
 */
public final class AnalyticsIngest implements EventHandler {
    public static final String CONSUMER = "analytics";
    public static final Set<EventType> TYPES = Set.of(EventType.VIDEO_PLAYED, EventType.VIDEO_RATED, EventType.COMMENT_CREATED,
            EventType.CHANNEL_SUBSCRIBED, EventType.CHANNEL_UNSUBSCRIBED);

    private final AnalyticsRepository repo;
    private final LongConsumer ingested;
    private final List<AnalyticsRepository.Raw> raw = new ArrayList<>();
    private final List<EventEnvelope> engagement = new ArrayList<>();

    /** {@code ingested} hears how many new play events each batch added (a meter). */
    public AnalyticsIngest(AnalyticsRepository repo, LongConsumer ingested) {
        this.repo = repo;
        this.ingested = ingested;
    }

    @Override
    public void handle(EventEnvelope event) {
        if (event.event() instanceof DomainEvent.VideoPlayed p) {
            for (int i = 0; i < p.plays().size(); i++) raw.add(new AnalyticsRepository.Raw(event.id(), i, p.plays().get(i)));
        } else {
            engagement.add(event);
        }
    }

    @Override
    public void flush() {
        try {
            Set<String> fresh = repo.insertRaw(raw);
            List<AnalyticsRepository.Raw> plays = raw.stream().filter(r -> fresh.contains(r.eventId() + "/" + r.seq())).toList();
            Rollup rollup = new Rollup();
            fold(repo, plays, rollup);
            engagement(engagement.isEmpty() ? Set.of() : repo.markSeen(engagement.stream().map(EventEnvelope::id).toList()), rollup);
            if (!rollup.isEmpty()) repo.apply(rollup);
            ingested.accept(plays.size());
        } finally {
            raw.clear();
            engagement.clear();
        }
    }

    /** Folds plays into {@code rollup}, starting from the stored playback states. */
    static void fold(AnalyticsRepository repo, List<AnalyticsRepository.Raw> plays, Rollup rollup) {
        if (plays.isEmpty()) return;
        Set<String> videoIds = new HashSet<>();
        Set<PlaybackFold.Key> keys = new HashSet<>();
        for (var r : plays) {
            videoIds.add(r.play().videoId());
            keys.add(new PlaybackFold.Key(r.play().videoId(), r.play().viewerKey()));
        }
        fold(plays, repo.videos(videoIds), repo.playbacks(keys), rollup);
    }

    /**
     * Folds plays, in the order they occurred, into {@code rollup}, starting from the playback states
     * {@code known}; plays of videos not in {@code videos} (deleted, unknown) are skipped. Rebuilding
     * from raw events is this with no known states.
     */
    public static void fold(List<AnalyticsRepository.Raw> plays, Map<String, PlaybackFold.Video> videos,
                            Map<PlaybackFold.Key, PlaybackFold.State> known, Rollup rollup) {
        List<AnalyticsRepository.Raw> ordered = new ArrayList<>(plays);
        ordered.sort(java.util.Comparator.comparing((AnalyticsRepository.Raw r) -> r.play().at())); // stable: arrival order within a millisecond
        for (var r : ordered) {
            PlaybackFold.Video v = videos.get(r.play().videoId());
            if (v != null) PlaybackFold.apply(r.play(), v, known, rollup);
        }
    }

    private void engagement(Set<String> fresh, Rollup rollup) {
        Map<String, EventEnvelope> byVideo = new LinkedHashMap<>();
        for (EventEnvelope e : engagement) {
            if (e.event() instanceof DomainEvent.VideoRated r) byVideo.put(r.videoId(), e);
            if (e.event() instanceof DomainEvent.CommentCreated c) byVideo.put(c.videoId(), e);
        }
        Map<String, PlaybackFold.Video> videos = byVideo.isEmpty() ? Map.of() : repo.videos(byVideo.keySet());
        for (EventEnvelope e : engagement) {
            if (!fresh.contains(e.id())) continue;
            var hour = e.occurredAt().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            switch (e.event()) {
                case DomainEvent.VideoRated r when videos.containsKey(r.videoId()) -> {
                    rollup.channels.put(r.videoId(), videos.get(r.videoId()).channelId());
                    Rollup.Counts c = rollup.at(r.videoId(), e.occurredAt());
                    c.likes += is(r.rating(), Rating.LIKE) - is(r.previous(), Rating.LIKE);
                    c.dislikes += is(r.rating(), Rating.DISLIKE) - is(r.previous(), Rating.DISLIKE);
                }
                case DomainEvent.CommentCreated c when videos.containsKey(c.videoId()) -> {
                    rollup.channels.put(c.videoId(), videos.get(c.videoId()).channelId());
                    rollup.at(c.videoId(), e.occurredAt()).comments++;
                }
                case DomainEvent.ChannelSubscribed s ->
                        rollup.subscribers.computeIfAbsent(new Rollup.ChannelHour(s.channelId(), hour), k -> new long[2])[0]++;
                case DomainEvent.ChannelUnsubscribed u ->
                        rollup.subscribers.computeIfAbsent(new Rollup.ChannelHour(u.channelId(), hour), k -> new long[2])[1]++;
                default -> { }
            }
        }
    }

    private static int is(Rating r, Rating wanted) {
        return r == wanted ? 1 : 0;
    }
}
