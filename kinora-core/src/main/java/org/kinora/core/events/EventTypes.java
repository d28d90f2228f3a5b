package org.kinora.core.events;

/** The names of the events the video lifecycle emits. Other areas name their own. */
public final class EventTypes {
    private EventTypes() {}

    /** All of the file arrived; transcoding is queued. */
    public static final String VIDEO_UPLOADED = "video.uploaded";
    /** The first rendition is playable; the video is now visible according to its privacy. */
    public static final String VIDEO_PUBLISHED = "video.published";
    /** Every rung, the poster and the storyboard are done. */
    public static final String VIDEO_PROCESSED = "video.processed";
    /** The video cannot be played; {@code data.reason} says why. */
    public static final String VIDEO_FAILED = "video.failed";
    /** Title, description or privacy changed; {@code data.privacy} holds the new privacy. */
    public static final String VIDEO_UPDATED = "video.updated";
    public static final String VIDEO_DELETED = "video.deleted";
}
