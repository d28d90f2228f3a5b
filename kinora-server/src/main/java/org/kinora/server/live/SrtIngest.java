package org.kinora.server.live;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kinora.core.live.LiveChannel;
import org.kinora.core.live.LiveService;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.live.rtmp.PublishHandler;
import org.kinora.media.live.srt.SrtListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SRT listeners of this ingest node: one per channel that turned SRT on, on its own port,
 * with its current stream key as passphrase. Kept in line with the database every few seconds,
 * so a channel turning SRT on or off, or regenerating its key (the old passphrase stops working),
 * reaches every ingest node without a message between them.
 */
final class SrtIngest implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SrtIngest.class);

    private final LiveService lives;
    private final Ffmpeg ffmpeg;
    private final String host;
    private final PublishHandler handler;
    private final Map<String, SrtListener> byOwner = new HashMap<>();

    SrtIngest(LiveService lives, Ffmpeg ffmpeg, String host, PublishHandler handler) {
        this.lives = lives;
        this.ffmpeg = ffmpeg;
        this.host = host;
        this.handler = handler;
    }

    synchronized void reconcile() {
        List<LiveChannel> wanted = lives.srtChannels();
        Set<String> keep = new HashSet<>();
        for (LiveChannel c : wanted) {
            keep.add(c.ownerId());
            SrtListener running = byOwner.get(c.ownerId());
            if (running != null && running.port() == c.srtPort() && running.passphrase().equals(c.streamKey())) continue;
            if (running != null) running.close();
            byOwner.put(c.ownerId(), new SrtListener(ffmpeg, host, c.srtPort(), c.streamKey(), c.streamKey(), handler));
            log.info("SRT listener for channel {} on port {}", c.ownerId(), c.srtPort());
        }
        for (String owner : Set.copyOf(byOwner.keySet())) {
            if (!keep.contains(owner)) byOwner.remove(owner).close();
        }
    }

    @Override
    public synchronized void close() {
        byOwner.values().forEach(SrtListener::close);
        byOwner.clear();
    }
}
