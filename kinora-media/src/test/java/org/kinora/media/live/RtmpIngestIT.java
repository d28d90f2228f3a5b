package org.kinora.media.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.TestTools;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.live.rtmp.PublishHandler;
import org.kinora.media.live.rtmp.RtmpLimits;
import org.kinora.media.live.rtmp.RtmpServer;

/**
 * The unmodified ffmpeg RTMP client against Kinora's RTMP listener: a right key publishes and
 * the media reaches the live encoder as LL-HLS parts; a wrong key is refused at publish (ffmpeg
 * fails) before any media; garbage on the port closes the connection.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RtmpIngestIT {
    static final Ffmpeg ffmpeg = TestTools.ffmpeg();
    static RtmpServer server;
    static final List<String> keysAsked = new CopyOnWriteArrayList<>();
    static final AtomicReference<PublishHandler.Publisher> current = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        server = RtmpServer.start("127.0.0.1", 0, (app, key, addr) -> {
            keysAsked.add(app + "/" + key);
            if (!key.equals("good-key")) return new PublishHandler.Refused("Unknown or revoked stream key.");
            PublishHandler.Publisher p = current.get();
            return p == null ? new PublishHandler.Refused("busy") : new PublishHandler.Accepted(p);
        }, RtmpLimits.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static Process publish(String key, int seconds) throws Exception {
        ProcessBuilder pb = ffmpeg.processBuilder(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "flv", "rtmp://127.0.0.1:" + server.port() + "/live/" + key));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    @Test
    void ffmpegPublishesAndTheEncoderCutsParts() throws Exception {
        LiveRendition rendition = new LiveRendition("source", 1.0, 10);
        LiveRung rung = new LiveRung("source", null, 320, 240, 500_000, null);
        LiveEncoder encoder = new LiveEncoder(ffmpeg, List.of(rung), List.of(rendition), new LiveEncoder.Settings(0.333, 1.0, "ultrafast"));
        CountDownLatch ended = new CountDownLatch(1);
        List<Integer> types = new ArrayList<>();
        current.set(new PublishHandler.Publisher() {
            @Override
            public void media(int type, long ts, byte[] body) {
                synchronized (types) {
                    types.add(type);
                }
                encoder.tag(LiveEncoder.serialise(type, ts, body));
            }

            @Override
            public void ended(String reason, boolean unpublished) {
                ended.countDown();
            }
        });
        Process p = publish("good-key", 4);
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        encoder.close();
        rendition.end();
        synchronized (types) {
            assertThat(types).contains(8, 9);
        }
        LiveRendition.Snapshot s = rendition.snapshot();
        assertThat(rendition.initSegment()).isPresent();
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < s.segments().size(); i++) {
            d.append("seg ").append(s.segments().get(i).msn()).append(':');
            for (LiveRendition.Part part : s.parts().get(i)) d.append(String.format(" %.3f%s", part.duration(), part.independent() ? "I" : ""));
            d.append('\n');
        }
        assertThat(s.segments().size()).as(d.toString()).isBetween(3, 6);
        List<LiveRendition.Part> parts = s.parts().stream().flatMap(List::stream).toList();
        assertThat(parts.size()).isGreaterThanOrEqualTo(9);
        assertThat(parts).allSatisfy(part -> assertThat(part.duration()).isLessThanOrEqualTo(0.334));
        assertThat(s.parts().get(1).getFirst().independent()).isTrue();
        String playlist = LlHlsPlaylist.render(s, 0.333, new LlHlsPlaylist.Names() {
            public String init() { return "init.mp4"; }
            public String segment(int msn) { return "s" + msn + ".m4s"; }
            public String part(int msn, int i) { return "p" + msn + "." + i + ".m4s"; }
        });
        assertThat(playlist).contains("#EXT-X-PART-INF:PART-TARGET=0.333", "CAN-BLOCK-RELOAD=YES", "#EXT-X-ENDLIST");
    }

    @Test
    void aWrongKeyIsRefusedAtPublish() throws Exception {
        Process p = publish("wrong-key", 2);
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(keysAsked).contains("live/wrong-key");
    }

    @Test
    void aMessageLargerThanTheLimitClosesTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            InputStream in = s.getInputStream();
            o.write(3);
            o.write(new byte[1536]); // C1
            o.flush();
            in.readNBytes(1 + 1536 + 1536); // S0, S1, S2
            o.write(new byte[1536]); // C2
            // A type-0 chunk header announcing a 16 MiB command message (the limit is 8 MiB).
            o.write(new byte[] {0x03, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 20, 0, 0, 0, 0});
            o.flush();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void garbageOnThePortClosesTheConnection() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream o = s.getOutputStream();
            o.write(new byte[] {'G', 'E', 'T', ' ', '/'});
            o.flush();
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
