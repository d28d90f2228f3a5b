package org.kinora.server.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.kinora.core.common.KinoraException;
import org.kinora.core.live.LiveChannel;
import org.kinora.core.live.LiveService;
import org.kinora.core.live.LiveSession;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.live.LiveEncoder;
import org.kinora.media.live.LiveLadder;
import org.kinora.media.live.LiveRendition;
import org.kinora.media.live.LiveRung;
import org.kinora.media.live.rtmp.PublishHandler;
import org.kinora.server.config.KinoraConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest side of lives on this node: admits RTMP publishers by stream key (before any media,
 * before anything is created), holds each live's {@link Broadcast}, restarts the encoders when a
 * publisher reconnects within the grace period, and ends lives (replay included) when it runs out.
 */
final class Ingest implements PublishHandler {
    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    static final Duration LEASE = Duration.ofSeconds(20);
    /** Tags kept while waiting for the first video tag (which fixes the ladder); more: the stream has no video. */
    private static final int MAX_PENDING_TAGS = 2000;
    /** Tags to wait for an audio tag after the video started; a stream without audio then gets a ladder without it. */
    private static final int AUDIO_WAIT_TAGS = 30;
    /** How long an ended live's edge stays in memory (players get its ENDLIST, the page its replay). */
    private static final long KEEP_ENDED_MILLIS = 120_000;

    private final LiveService lives;
    private final Ffmpeg ffmpeg;
    private final KinoraConfig.Live config;
    private final Path workDir;
    private final Supplier<String> ingestUrl;
    private final org.kinora.core.blob.BlobStore blobs;
    private final org.kinora.core.live.ChatRepository chat;
    private final Map<String, Broadcast> byOwner = new ConcurrentHashMap<>();
    private final Map<String, Broadcast> bySession = new ConcurrentHashMap<>();

    Ingest(LiveService lives, Ffmpeg ffmpeg, KinoraConfig.Live config, Path workDir, Supplier<String> ingestUrl,
           org.kinora.core.blob.BlobStore blobs, org.kinora.core.live.ChatRepository chat) {
        this.blobs = blobs;
        this.chat = chat;
        this.lives = lives;
        this.ffmpeg = ffmpeg;
        this.config = config;
        this.workDir = workDir;
        this.ingestUrl = ingestUrl;
    }

    @Override
    public Decision publish(String app, String streamKey, String remoteAddress) {
        if (!"live".equals(app)) return new Refused("Publish to rtmp://<host>/live with your stream key; '" + app + "' is not an application here.");
        Optional<LiveChannel> channel = lives.admit(streamKey);
        if (channel.isEmpty()) return new Refused("Unknown or revoked stream key. Copy the current key from Studio.");
        String owner = channel.get().ownerId();
        synchronized (this) {
            Broadcast b = byOwner.get(owner);
            if (b != null) {
                synchronized (b) {
                    if (b.finished) b = null;
                }
            }
            if (b != null) {
                synchronized (b) {
                    if (b.current != null) return new Refused("This channel is live already from another encoder.");
                    Connection c = new Connection(b, streamKey);
                    b.current = c;
                    b.newConnection();
                    b.gaps.add(new long[] {b.droppedAtMillis, System.currentTimeMillis()});
                    log.info("live {}: the publisher is back from {}; continuing with a discontinuity", b.session.id(), remoteAddress);
                    return new Accepted(c);
                }
            }
            LiveSession session;
            try {
                session = lives.start(channel.get(), ingestUrl.get(), LEASE);
            } catch (KinoraException busy) {
                return new Refused("This channel is live already on another ingest node.");
            }
            try {
                b = new Broadcast(session, workDir.resolve(session.id() + ".flv"),
                        config.dvrWindow().isZero() ? null : new DvrArchive(blobs, session.id()));
            } catch (IOException e) {
                log.warn("live {}: cannot open its recording", session.id(), e);
                endQuietly(session, null);
                return new Refused("The server cannot record this live now; try again later.");
            }
            Connection c = new Connection(b, streamKey);
            b.current = c;
            byOwner.put(owner, b);
            bySession.put(session.id(), b);
            log.info("live {} of channel {} started from {}", session.id(), owner, remoteAddress);
            return new Accepted(c);
        }
    }

    Optional<Broadcast> broadcast(String sessionId) {
        return Optional.ofNullable(bySession.get(sessionId));
    }

    Optional<Broadcast> ofOwner(String ownerId) {
        return Optional.ofNullable(byOwner.get(ownerId));
    }

    /** The channel's key was regenerated: a publisher still using the old key is cut off at its next tag. */
    void revoke(String ownerId) {
        Broadcast b = byOwner.get(ownerId);
        if (b == null) return;
        synchronized (b) {
            if (b.current != null) b.current.revoked = true;
        }
    }

    /** Renews the leases of running lives, ends those whose publisher stayed away past the grace period, forgets old ones. */
    void tick() {
        long now = System.currentTimeMillis();
        for (Broadcast b : List.copyOf(bySession.values())) {
            b.health.tick();
            boolean expire;
            synchronized (b) {
                if (b.finished) {
                    if (now - b.finishedAtMillis > KEEP_ENDED_MILLIS && bySession.remove(b.session.id(), b) && b.dvr != null) {
                        Thread.ofVirtual().name("live-dvr-delete-" + b.session.id()).start(b.dvr::delete);
                    }
                    continue;
                }
                expire = b.current == null && now - b.droppedAtMillis >= config.reconnectGrace().toMillis();
            }
            if (expire) finish(b);
            else lives.renew(b.session.id(), LEASE);
        }
    }

    /** Ends the live: the edge gets its ENDLIST, the recording becomes the replay (unless replays are off). */
    private void finish(Broadcast b) {
        LiveEncoder encoder;
        List<LiveRendition> renditions;
        synchronized (b) {
            if (b.finished) return;
            b.finished = true;
            b.finishedAtMillis = System.currentTimeMillis();
            encoder = b.encoder;
            b.encoder = null;
            renditions = b.renditions;
        }
        if (encoder != null) encoder.close();
        if (renditions != null) renditions.forEach(LiveRendition::end);
        byOwner.remove(b.session.ownerId(), b);
        b.closeRecording();
        List<long[]> gaps;
        synchronized (b) {
            gaps = List.copyOf(b.gaps);
        }
        for (long[] g : gaps) {
            try {
                chat.collapseGap(b.session.id(), java.time.Instant.ofEpochMilli(g[0]), java.time.Instant.ofEpochMilli(g[1]));
            } catch (RuntimeException e) {
                log.warn("live {}: the chat's replay offsets after a reconnect could not be corrected", b.session.id(), e);
            }
        }
        String replay = endQuietly(b.session, b.recordingFile);
        synchronized (b) {
            b.replayVideoId = replay;
        }
        try {
            Files.deleteIfExists(b.recordingFile);
        } catch (IOException e) {
            log.warn("live {}: could not delete its recording {}", b.session.id(), b.recordingFile, e);
        }
    }

    private String endQuietly(LiveSession session, Path recording) {
        try {
            return lives.end(session, recording).orElse(null);
        } catch (IOException | RuntimeException e) {
            log.error("live {}: ending it failed; its lease runs out and the next publish ends it", session.id(), e);
            return null;
        }
    }

    /** Ends every live this node holds (shutdown): no grace, replays are made. */
    void closeAll() {
        for (Broadcast b : List.copyOf(bySession.values())) {
            finish(b);
            if (b.dvr != null) b.dvr.delete(); // the edge is gone with this process; the replay is made from the recording
        }
    }

    /** One publisher connection feeding a broadcast. */
    final class Connection implements Publisher {
        private final Broadcast b;
        private final String streamKey;
        volatile boolean revoked;
        private final List<Object[]> pending = new ArrayList<>();
        private LiveEncoder encoder;
        private long firstTs = -1;
        private boolean videoSeen;

        Connection(Broadcast b, String streamKey) {
            this.b = b;
            this.streamKey = streamKey;
        }

        @Override
        public void media(int type, long ts, byte[] body) {
            if (revoked) throw new Disconnect("the stream key was regenerated");
            if (type == 18) body = stripSetDataFrame(body);
            b.health.bytes += body.length + 11;
            if (type == 18) {
                synchronized (b) {
                    b.source = b.source.withScript(body);
                }
            } else {
                synchronized (b) {
                    b.source = b.source.withMedia(type, body);
                }
                if (type == 9) {
                    videoSeen = true;
                    video(ts, body);
                }
                if (firstTs < 0) firstTs = ts;
                try {
                    b.record(type, ts, firstTs, body);
                } catch (IOException e) {
                    throw new Disconnect("the recording cannot be written: " + e.getMessage());
                }
            }
            LiveEncoder.FlvTag tag = LiveEncoder.serialise(type, ts, body);
            // The ladder needs both codecs: ffmpeg and OBS send the video's sequence header first, the audio's just after.
            if (encoder == null && (type == 8 || type == 9)) {
                boolean known;
                synchronized (b) {
                    known = b.rungs != null || videoSeen && (b.source.aac() || pending.size() >= AUDIO_WAIT_TAGS);
                }
                if (known) startEncoder();
            }
            if (encoder != null) {
                encoder.tag(tag);
            } else {
                if (pending.size() >= MAX_PENDING_TAGS) throw new Disconnect("no video in the stream");
                pending.add(new Object[] {tag});
            }
        }

        private void video(long ts, byte[] body) {
            Broadcast.Health h = b.health;
            boolean sequenceHeader = body.length > 1 && (body[0] & 0x0F) == 7 && body[1] == 0;
            if (sequenceHeader) return;
            h.videoFrames++;
            if ((body[0] >> 4 & 0x0F) == 1) { // keyframe
                if (h.lastKeyframeMillis >= 0 && ts > h.lastKeyframeMillis) h.keyframeIntervalSeconds = (ts - h.lastKeyframeMillis) / 1000.0;
                h.lastKeyframeMillis = ts;
            }
        }

        private void startEncoder() {
            List<LiveRung> rungs;
            List<LiveRendition> renditions;
            synchronized (b) {
                if (b.rungs == null) {
                    b.rungs = LiveLadder.plan(b.source, config.transcodedRungs(), config.passThroughMaxKbps());
                    List<LiveRendition> list = new ArrayList<>();
                    double segment = config.segmentTarget().toMillis() / 1000.0;
                    for (LiveRung r : b.rungs) {
                        list.add(new LiveRendition(r.name(), segment, config.windowSegments(), config.dvrSegments(),
                                b.dvr == null ? null : b.dvr.spill(r.name())));
                    }
                    b.renditions = List.copyOf(list);
                    log.info("live {}: source {}x{} {} fps {} kb/s h264={} aac={}; renditions {}", b.session.id(), b.source.width(),
                            b.source.height(), b.source.frameRate(), b.source.videoKbps(), b.source.h264(), b.source.aac(),
                            b.rungs.stream().map(LiveRung::name).toList());
                }
                rungs = b.rungs;
                renditions = b.renditions;
            }
            try {
                encoder = new LiveEncoder(ffmpeg, rungs, renditions, new LiveEncoder.Settings(config.partTarget().toMillis() / 1000.0,
                        config.segmentTarget().toMillis() / 1000.0, config.x264Preset()));
            } catch (IOException e) {
                throw new Disconnect("the live encoder could not start: " + e.getMessage());
            }
            synchronized (b) {
                b.encoder = encoder;
            }
            for (Object[] p : pending) encoder.tag((LiveEncoder.FlvTag) p[0]);
            pending.clear();
        }

        @Override
        public void ended(String reason, boolean unpublished) {
            LiveEncoder e = encoder;
            encoder = null;
            if (e != null) e.close();
            boolean endNow;
            synchronized (b) {
                if (b.current == this) b.current = null;
                if (b.encoder == e) b.encoder = null;
                b.droppedAtMillis = System.currentTimeMillis();
                if (b.renditions != null) b.renditions.forEach(LiveRendition::interrupt);
                endNow = unpublished || revoked || config.reconnectGrace().isZero();
            }
            log.info("live {}: publisher gone ({}){}", b.session.id(), reason, endNow ? "; ending the live" : "; waiting for it to come back");
            if (endNow) Thread.ofVirtual().name("live-end-" + b.session.id()).start(() -> finish(b));
        }
    }

    /** ffmpeg and OBS send metadata as {@code @setDataFrame("onMetaData", {...})}; an FLV file holds {@code onMetaData(...)}. */
    static byte[] stripSetDataFrame(byte[] body) {
        byte[] prefix = {2, 0, 13, '@', 's', 'e', 't', 'D', 'a', 't', 'a', 'F', 'r', 'a', 'm', 'e'};
        if (body.length < prefix.length) return body;
        for (int i = 0; i < prefix.length; i++) if (body[i] != prefix[i]) return body;
        return java.util.Arrays.copyOfRange(body, prefix.length, body.length);
    }
}
