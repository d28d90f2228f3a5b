package org.kinora.core.events;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.kinora.core.engagement.Rating;
import org.kinora.core.events.DomainEvent.ChannelSubscribed;
import org.kinora.core.events.DomainEvent.ChannelUnsubscribed;
import org.kinora.core.events.DomainEvent.CommentCreated;
import org.kinora.core.events.DomainEvent.CommentDeleted;
import org.kinora.core.events.DomainEvent.LiveStarted;
import org.kinora.core.events.DomainEvent.VideoDeleted;
import org.kinora.core.events.DomainEvent.VideoFailed;
import org.kinora.core.events.DomainEvent.VideoProcessed;
import org.kinora.core.events.DomainEvent.VideoPublished;
import org.kinora.core.events.DomainEvent.VideoRated;
import org.kinora.core.events.DomainEvent.VideoReviewed;
import org.kinora.core.events.DomainEvent.VideoUpdated;
import org.kinora.core.events.DomainEvent.VideoUploaded;
import org.kinora.core.events.DomainEvent.VideoPlayed;
import org.kinora.core.events.DomainEvent.VideoViewed;
import org.kinora.core.video.Privacy;

/**
 * The one mapping between typed events and their stored form: an outbox row is
 * {@code type, subject_id, actor_id, data}, where {@code data} is a flat JSON object of strings
 * (numbers and enums as text, {@code snake_case} keys). That form was written by earlier versions
 * as a bare {@code Map<String,String>}; the keys below are exactly the ones they wrote, so events
 * already stored decode, and the relayed Kafka messages keep their shape.
 *
 * <p>The JSON text of {@code data} is left to the adapters (Jackson, in the PostgreSQL outbox and
 * the Kafka relay), because the core depends on no library; a flat string map is the whole
 * contract between them, so there is nothing left for two JSON writers to disagree on.
 *
 * <p>The {@code switch} over the sealed family is exhaustive: a new event does not compile until
 * it has its fields here.
 */
public final class EventCodec {
    private EventCodec() {}

    /** The {@code data} object of {@code e}, keys in a stable order; absent optional fields are left out. */
    public static Map<String, String> data(DomainEvent e) {
        Map<String, String> d = new LinkedHashMap<>();
        switch (e) {
            case VideoUploaded u -> d.put("bytes", Long.toString(u.bytes()));
            case VideoPublished p -> {
                d.put("privacy", p.privacy().wireName());
                d.put("rendition", p.rendition());
            }
            case VideoProcessed p -> d.put("renditions", Integer.toString(p.renditions()));
            case VideoFailed f -> d.put("reason", f.reason());
            case VideoUpdated u -> {
                d.put("privacy", u.privacy().wireName());
                d.put("previous_privacy", u.previousPrivacy().wireName());
            }
            case VideoDeleted ignored -> { }
            case VideoViewed v -> d.put("views", Integer.toString(v.views()));
            case VideoPlayed p -> d.put("plays", PlayLines.encode(p.plays()));
            case VideoRated r -> {
                d.put("rating", r.rating().wireName());
                d.put("previous", r.previous().wireName());
            }
            case CommentCreated c -> {
                d.put("video_id", c.videoId());
                d.put("video_owner_id", c.videoOwnerId());
                d.put("video_title", c.videoTitle());
                if (c.parentId() != null) d.put("parent_id", c.parentId());
                if (c.parentAuthorId() != null) d.put("parent_author_id", c.parentAuthorId());
            }
            case CommentDeleted c -> d.put("video_id", c.videoId());
            case ChannelSubscribed ignored -> { }
            case ChannelUnsubscribed ignored -> { }
            case LiveStarted l -> d.put("title", l.title());
            case VideoReviewed r -> {
                d.put("owner_id", r.ownerId());
                d.put("outcome", r.approved() ? "approved" : "taken_down");
                d.put("reason", r.reason());
            }
        }
        return d;
    }

    /**
     * The event a stored row holds.
     *
     * @throws IllegalArgumentException when the type is unknown or a field it needs is missing or
     *         malformed; the message names the type and the field
     */
    public static DomainEvent decode(String type, String subjectId, String actorId, Map<String, String> data) {
        EventType t = EventType.parse(type).orElseThrow(() -> new IllegalArgumentException(
                "unknown event type '" + type + "'; known: " + java.util.Arrays.stream(EventType.values()).map(EventType::wireName).toList()));
        Fields f = new Fields(t, data);
        return switch (t) {
            case VIDEO_UPLOADED -> new VideoUploaded(subjectId, actorId, f.parse("bytes", Long::parseLong));
            case VIDEO_PUBLISHED -> new VideoPublished(subjectId, actorId, f.privacy("privacy"), f.required("rendition"));
            case VIDEO_PROCESSED -> new VideoProcessed(subjectId, actorId, f.parse("renditions", Integer::parseInt));
            case VIDEO_FAILED -> new VideoFailed(subjectId, actorId, f.required("reason"));
            case VIDEO_UPDATED -> new VideoUpdated(subjectId, actorId, f.privacy("privacy"), f.privacy("previous_privacy"));
            case VIDEO_DELETED -> new VideoDeleted(subjectId, actorId);
            case VIDEO_VIEWED -> new VideoViewed(subjectId, f.parse("views", Integer::parseInt));
            case VIDEO_PLAYED -> new VideoPlayed(subjectId, PlayLines.decode(subjectId, f.required("plays")));
            case VIDEO_RATED -> new VideoRated(subjectId, actorId, f.rating("rating"), f.rating("previous"));
            case COMMENT_CREATED -> new CommentCreated(subjectId, actorId, f.required("video_id"), f.required("video_owner_id"),
                    f.required("video_title"), data.get("parent_id"), data.get("parent_author_id"));
            case COMMENT_DELETED -> new CommentDeleted(subjectId, actorId, f.required("video_id"));
            case CHANNEL_SUBSCRIBED -> new ChannelSubscribed(subjectId, actorId);
            case CHANNEL_UNSUBSCRIBED -> new ChannelUnsubscribed(subjectId, actorId);
            case LIVE_STARTED -> new LiveStarted(subjectId, actorId, f.required("title"));
            case VIDEO_REVIEWED -> new VideoReviewed(subjectId, actorId, f.required("owner_id"),
                    f.parse("outcome", o -> switch (o) {
                        case "approved" -> true;
                        case "taken_down" -> false;
                        default -> throw new IllegalArgumentException(o);
                    }), f.required("reason"));
        };
    }

    private record Fields(EventType type, Map<String, String> data) {
        String required(String key) {
            String v = data.get(key);
            if (v == null) throw new IllegalArgumentException(type.wireName() + " event has no data." + key);
            return v;
        }

        <T> T parse(String key, Function<String, T> parser) {
            String v = required(key);
            try {
                return parser.apply(v);
            } catch (RuntimeException e) {
                throw malformed(key, v);
            }
        }

        Privacy privacy(String key) {
            return known(key, Privacy::parse);
        }

        Rating rating(String key) {
            return known(key, Rating::parse);
        }

        private <T> T known(String key, Function<String, Optional<T>> parser) {
            String v = required(key);
            return parser.apply(v).orElseThrow(() -> malformed(key, v));
        }

        private IllegalArgumentException malformed(String key, String value) {
            return new IllegalArgumentException(type.wireName() + " event has data." + key + " = '" + value + "', which this version cannot read");
        }
    }
}
