package org.kinora.core.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.engagement.Rating;
import org.kinora.core.events.DomainEvent.ChannelSubscribed;
import org.kinora.core.events.DomainEvent.ChannelUnsubscribed;
import org.kinora.core.events.DomainEvent.CommentCreated;
import org.kinora.core.events.DomainEvent.CommentDeleted;
import org.kinora.core.events.DomainEvent.VideoDeleted;
import org.kinora.core.events.DomainEvent.VideoFailed;
import org.kinora.core.events.DomainEvent.VideoProcessed;
import org.kinora.core.events.DomainEvent.VideoPublished;
import org.kinora.core.events.DomainEvent.VideoRated;
import org.kinora.core.events.DomainEvent.VideoUpdated;
import org.kinora.core.events.DomainEvent.VideoUploaded;
import org.kinora.core.events.DomainEvent.VideoViewed;
import org.kinora.core.video.Privacy;

/**
 * The stored form stays what the previous version wrote. Each row below is copied from what its
 * emitting code path put in the outbox before events were typed ({@code DomainEvent.of(type,
 * subject, actor, at, Map.of(...))} in UploadService, TranscodeJobHandler, VideoService,
 * ViewRecorder, RatingService, CommentService, SubscriptionService).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EventCodecTest {

    /** A row of the old outbox: type, subject_id, actor_id, data. */
    record Row(String type, String subject, String actor, Map<String, String> data) {}

    /** Each old row with the typed event it must decode to (and encode back from). */
    static final Map<Row, DomainEvent> PREVIOUS_FORMAT = new LinkedHashMap<>();

    static {
        // UploadService.complete
        PREVIOUS_FORMAT.put(new Row("video.uploaded", "v1", "alice", Map.of("bytes", "1048576")),
                new VideoUploaded("v1", "alice", 1_048_576));
        // UploadService.expireStale: no actor
        PREVIOUS_FORMAT.put(new Row("video.failed", "v1", null,
                        Map.of("reason", "The upload expired before all of the file arrived. Upload it again.")),
                new VideoFailed("v1", null, "The upload expired before all of the file arrived. Upload it again."));
        // TranscodeJobHandler
        PREVIOUS_FORMAT.put(new Row("video.published", "v1", "alice", Map.of("privacy", "unlisted", "rendition", "360p")),
                new VideoPublished("v1", "alice", Privacy.UNLISTED, "360p"));
        PREVIOUS_FORMAT.put(new Row("video.processed", "v1", "alice", Map.of("renditions", "4")),
                new VideoProcessed("v1", "alice", 4));
        PREVIOUS_FORMAT.put(new Row("video.failed", "v2", "alice", Map.of("reason", "The file holds no video stream.")),
                new VideoFailed("v2", "alice", "The file holds no video stream."));
        // VideoService.update / delete
        PREVIOUS_FORMAT.put(new Row("video.updated", "v1", "alice", Map.of("privacy", "public", "previous_privacy", "private")),
                new VideoUpdated("v1", "alice", Privacy.PUBLIC, Privacy.PRIVATE));
        PREVIOUS_FORMAT.put(new Row("video.deleted", "v1", "alice", Map.of()), new VideoDeleted("v1", "alice"));
        // ViewRecorder.flush: no actor
        PREVIOUS_FORMAT.put(new Row("video.viewed", "v1", null, Map.of("views", "17")), new VideoViewed("v1", 17));
        // ViewRecorder.flush (analytics, new in this version): one row per video per flush, a line per play
        PREVIOUS_FORMAT.put(new Row("video.played", "v1", null, Map.of("plays",
                        "start\t0.0\t1700000000000\ts:abcdefgh\tembed\tblog.example\tmobile\tfirefox\tFR\n"
                                + "heartbeat\t10.0\t1700000010000\tu:bob\tsearch\t\tdesktop\tchrome\t")),
                new DomainEvent.VideoPlayed("v1", List.of(
                        new org.kinora.core.view.PlayEvent("v1", null, "abcdefgh", org.kinora.core.view.PlayEvent.Type.START, 0.0,
                                java.time.Instant.ofEpochMilli(1_700_000_000_000L), new org.kinora.core.view.PlayContext(
                                        org.kinora.core.analytics.TrafficSource.EMBED, "blog.example", "mobile", "firefox", "FR")),
                        new org.kinora.core.view.PlayEvent("v1", "bob", null, org.kinora.core.view.PlayEvent.Type.HEARTBEAT, 10.0,
                                java.time.Instant.ofEpochMilli(1_700_000_010_000L), new org.kinora.core.view.PlayContext(
                                        org.kinora.core.analytics.TrafficSource.SEARCH, null, "desktop", "chrome", null)))));
        // RatingService.rate
        PREVIOUS_FORMAT.put(new Row("video.rated", "v1", "bob", Map.of("rating", "like", "previous", "none")),
                new VideoRated("v1", "bob", Rating.LIKE, Rating.NONE));
        // CommentService.post: a top-level comment, then a reply
        PREVIOUS_FORMAT.put(new Row("comment.created", "c1", "bob",
                        Map.of("video_id", "v1", "video_owner_id", "alice", "video_title", "Cats")),
                new CommentCreated("c1", "bob", "v1", "alice", "Cats", null, null));
        PREVIOUS_FORMAT.put(new Row("comment.created", "c2", "carol", Map.of("video_id", "v1", "video_owner_id", "alice",
                        "video_title", "Cats", "parent_id", "c1", "parent_author_id", "bob")),
                new CommentCreated("c2", "carol", "v1", "alice", "Cats", "c1", "bob"));
        PREVIOUS_FORMAT.put(new Row("comment.deleted", "c1", "alice", Map.of("video_id", "v1")),
                new CommentDeleted("c1", "alice", "v1"));
        // SubscriptionService
        PREVIOUS_FORMAT.put(new Row("channel.subscribed", "ch1", "bob", Map.of()), new ChannelSubscribed("ch1", "bob"));
        PREVIOUS_FORMAT.put(new Row("channel.unsubscribed", "ch1", "bob", Map.of()), new ChannelUnsubscribed("ch1", "bob"));
        // LiveService.start
        PREVIOUS_FORMAT.put(new Row("live.started", "l1", "alice", Map.of("title", "Speedrun")),
                new DomainEvent.LiveStarted("l1", "alice", "Speedrun"));
        // ModerationService.act: approve (a held video) and remove
        PREVIOUS_FORMAT.put(new Row("video.reviewed", "v1", "mod", Map.of("owner_id", "alice", "outcome", "approved", "reason", "Fine.")),
                new DomainEvent.VideoReviewed("v1", "mod", "alice", true, "Fine."));
        PREVIOUS_FORMAT.put(new Row("video.reviewed", "v2", "mod", Map.of("owner_id", "alice", "outcome", "taken_down", "reason", "Spam.")),
                new DomainEvent.VideoReviewed("v2", "mod", "alice", false, "Spam."));
    }

    @Test
    void rowsWrittenInThePreviousFormatDecodeToTypedEvents() {
        PREVIOUS_FORMAT.forEach((row, event) ->
                assertThat(EventCodec.decode(row.type(), row.subject(), row.actor(), row.data())).as(row.toString()).isEqualTo(event));
    }

    @Test
    void typedEventsEncodeToThePreviousFormat() {
        PREVIOUS_FORMAT.forEach((row, event) -> {
            assertThat(event.type().wireName()).as(row.toString()).isEqualTo(row.type());
            assertThat(event.subjectId()).as(row.toString()).isEqualTo(row.subject());
            assertThat(event.actorId()).as(row.toString()).isEqualTo(row.actor());
            assertThat(EventCodec.data(event)).as(row.toString()).isEqualTo(row.data());
        });
    }

    @Test
    void everyTypeInTheCatalogueIsCoveredAndNamesAreUnique() {
        Set<EventType> covered = PREVIOUS_FORMAT.values().stream().map(DomainEvent::type).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(EnumSet.allOf(EventType.class));
        List<String> names = java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList();
        assertThat(names).doesNotHaveDuplicates();
        for (EventType t : EventType.values()) assertThat(EventType.parse(t.wireName())).contains(t);
    }

    @Test
    void extraKeysAreIgnoredSoAnOlderVersionReadsANewerRow() {
        Map<String, String> data = new HashMap<>(Map.of("views", "2", "added_later", "x"));
        assertThat(EventCodec.decode("video.viewed", "v1", null, data)).isEqualTo(new VideoViewed("v1", 2));
    }

    @Test
    void anUnreadableRowSaysWhatIsWrong() {
        assertThatThrownBy(() -> EventCodec.decode("video.exploded", "v1", null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown event type 'video.exploded'");
        assertThatThrownBy(() -> EventCodec.decode("video.viewed", "v1", null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("video.viewed event has no data.views");
        assertThatThrownBy(() -> EventCodec.decode("video.viewed", "v1", null, Map.of("views", "many")))
                .hasMessageContaining("data.views = 'many'");
        assertThatThrownBy(() -> EventCodec.decode("video.rated", "v1", "u", Map.of("rating", "love", "previous", "none")))
                .hasMessageContaining("data.rating = 'love'");
    }

    @Test
    void madePublicIsTrueOnlyWhenAVideoBecomesPublic() {
        assertThat(new VideoUpdated("v", "u", Privacy.PUBLIC, Privacy.PRIVATE).madePublic()).isTrue();
        assertThat(new VideoUpdated("v", "u", Privacy.PUBLIC, Privacy.PUBLIC).madePublic()).isFalse();
        assertThat(new VideoUpdated("v", "u", Privacy.UNLISTED, Privacy.PRIVATE).madePublic()).isFalse();
    }
}
