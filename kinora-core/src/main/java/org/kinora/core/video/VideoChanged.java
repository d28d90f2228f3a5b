package org.kinora.core.video;

import org.kinora.core.common.LiveBus;

/**
 * Live message: the video's row or renditions changed and the change has committed (status,
 * processing progress, edit, privacy, deletion). A hint to re-read it, sent by
 * {@link CachingVideoRepository} from whichever process made the change (a worker reporting
 * progress, an API node handling an edit) to every process.
 */
public record VideoChanged(String id) {
    public static final String TOPIC = "video-changed";

    public static LiveBus.Topic<VideoChanged> topic(LiveBus bus) {
        return bus.topic(TOPIC, VideoChanged.class);
    }
}
