package org.kinora.server.live;

import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.kinora.adapters.postgres.PgChatRepository;
import org.kinora.adapters.postgres.PgLiveRepository;
import org.kinora.core.live.LiveChat;
import org.kinora.core.live.LiveService;
import org.kinora.media.live.rtmp.RtmpLimits;
import org.kinora.media.live.rtmp.RtmpServer;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.Engines;
import org.kinora.server.feature.Contributions;
import org.kinora.server.feature.Feature;
import org.kinora.server.feature.Platform;
import org.kinora.server.feature.SharedServices;
import org.kinora.server.web.LivePage;

/**
 * Live streaming (docs/live.md): RTMP ingest with per-channel stream keys, a live ladder
 * published as Low-Latency HLS from memory, and the recording turned into a replay video. The
 * ingest runs in this process when {@code live.enabled}; the routes serve a live held here or
 * forward to the node that holds it.
 */
public final class LiveFeature implements Feature {
    private final Platform p;
    private final SharedServices shared;
    private final Mode mode;

    /** What this process does for lives. */
    public enum Mode {
        /** Takes RTMP publishers and serves every live route (the server role). */
        INGEST,
        /** Serves every live route, forwarding the live edge to the ingest node (the api role). */
        FORWARD,
        /** Takes RTMP publishers and serves only the live edge (playlists, parts, segments): the {@code kinora live} role. */
        EDGE_ONLY
    }

    public LiveFeature(Platform p, SharedServices shared, Mode mode) {
        this.p = p;
        this.shared = shared;
        this.mode = mode;
    }

    /** The URLs a client is told: the RTMP server URL, from config or the host of the request's vetted base URL. */
    record Urls(KinoraConfig.Live live, int rtmpPort) {
        String rtmp(Context ctx) {
            if (live.publicRtmpUrl().isPresent()) return live.publicRtmpUrl().get();
            return "rtmp://" + host(ctx) + ":" + rtmpPort + "/live";
        }

        /** What OBS takes as its SRT server URL (passphrase included); null when the channel has SRT off. */
        String srt(Context ctx, org.kinora.core.live.LiveChannel c) {
            if (c.srtPort() == null || !live.srt()) return null;
            String host = live.publicRtmpUrl().map(u -> {
                try {
                    return URI.create(u).getHost();
                } catch (RuntimeException e) {
                    return null;
                }
            }).orElse(host(ctx));
            return "srt://" + host + ":" + c.srtPort() + "?passphrase=" + c.streamKey() + "&pbkeylen=16";
        }

        /** server.public-url's host, or the request's when it is one of ours, else localhost (ForwardedHeaders): never a forged Host. */
        private static String host(Context ctx) {
            try {
                return URI.create(org.kinora.server.http.ForwardedHeaders.baseUrl(ctx).orElse("http://localhost")).getHost();
            } catch (RuntimeException e) {
                return "localhost";
            }
        }
    }

    @Override
    public void contribute(Contributions c) {
        KinoraConfig config = p.config();
        KinoraConfig.Live live = config.live();
        Engines e = p.engines();
        LiveService lives = new LiveService(new PgLiveRepository(e.database()), e.videos(), e.jobs(), e.blobs(), e.database(), e.events(),
                p.clock(), config.jobMaxAttempts(), p.wakeWorker(), ownerId -> {
                    try {
                        shared.restrictions.checkMayPublish(ownerId); // frozen, suspended or terminated: no live either
                        return true;
                    } catch (org.kinora.core.common.KinoraException refused) {
                        return false;
                    }
                });
        String ownUrl = live.ingestUrl().orElse("http://127.0.0.1:" + config.port());
        Path workDir = config.workDir().resolve("live");
        PgChatRepository chatStore = new PgChatRepository(e.database());
        // Only other nodes use it (a live held here is served here), so server.port 0 in a single-node test does no harm.
        Ingest ingest = new Ingest(lives, p.ffmpeg(), live, workDir, () -> ownUrl, e.blobs(), chatStore);
        int rtmpPort = live.rtmpPort();
        if (live.enabled() && mode != Mode.FORWARD) {
            RtmpLimits d = RtmpLimits.defaults();
            RtmpLimits limits = new RtmpLimits(d.handshakeTimeout(), d.idleTimeout(), d.maxChunkSize(), d.maxMessageBytes(),
                    live.maxIngestKbps() * 1000L, d.bitrateWindow(), d.maxConnections());
            try {
                RtmpServer rtmp = RtmpServer.start(live.rtmpHost(), live.rtmpPort(), ingest, limits);
                c.closeOnStop(rtmp);
                c.closeOnStop((AutoCloseable) ingest::closeAll); // closed before the listener: lives end (with replays) at shutdown
                rtmpPort = rtmp.port();
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
            c.every("renewing lives", Duration.ofSeconds(1), Duration.ofSeconds(2), ingest::tick);
            if (live.srt()) {
                SrtIngest srt = new SrtIngest(lives, p.ffmpeg(), live.rtmpHost(), ingest);
                c.closeOnStop(srt); // registered after the ingest's close: listeners stop first, then the lives end
                c.every("SRT listeners", Duration.ZERO, Duration.ofSeconds(3), srt::reconcile);
            }
        }
        LiveRoutes routes = new LiveRoutes(lives, ingest, shared.auth, new Urls(live, rtmpPort), live.partTarget().toMillis() / 1000.0,
                live.segmentTarget().toMillis() / 1000.0, new EdgeProxy(ownUrl),
                new LiveThumbnails(e.blobs(), new org.kinora.adapters.image.ImageIoProcessor()), shared.channels);
        if (mode == Mode.EDGE_ONLY) {
            c.routes(routes::registerEdge);
            return;
        }
        // 20 messages a minute per viewer (bursts of 5): enough to talk, not to flood.
        LiveChat chat = new LiveChat(chatStore, lives, shared.accountAdmin, e.bus(), 20, p.clock());
        c.routes(new LiveChatRoutes(chat, lives, shared.channels, shared.auth, shared.videos));
        c.routes(routes, new LivePage.Routes(p, shared));
    }
}
