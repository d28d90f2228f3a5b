package org.kinora.server.protection;

import java.util.Map;
import org.kinora.core.playback.PlaybackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every video's effective playback settings (age restriction, content protection) in memory,
 * re-read every second by the task "playback-settings": the origin and the video API consult them
 * on every request, which must cost no query (nor wait on the database while it is down: the last
 * copy stays). A change saved on this node is seen at once; moderation's age restriction and
 * changes on other nodes within a second.
 */
public final class PlaybackSettingsCache {
    private static final Logger log = LoggerFactory.getLogger(PlaybackSettingsCache.class);
    private final PlaybackSettings.Store store;
    private volatile Map<String, PlaybackSettings> all;
    private volatile boolean failing;

    public PlaybackSettingsCache(PlaybackSettings.Store store) {
        this.store = store;
    }

    public void refresh() {
        try {
            all = Map.copyOf(store.allEffective());
            if (failing) log.info("playback settings are read again");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) log.warn("playback settings could not be read, keeping the last copy: {}", e.toString());
            failing = true;
        }
    }

    public PlaybackSettings find(String videoId) {
        if (all == null) refresh(); // before the task's first run
        Map<String, PlaybackSettings> a = all;
        return a == null ? PlaybackSettings.NONE : a.getOrDefault(videoId, PlaybackSettings.NONE);
    }

    PlaybackSettings.Store store() { return store; }
}
