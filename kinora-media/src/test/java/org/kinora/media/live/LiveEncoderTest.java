package org.kinora.media.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ladder.Rung;

/** The FLV a publisher sends is read as untrusted input, like an upload: stdin only, the flv demuxer only. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LiveEncoderTest {
    @Test
    void everyRungReadsOnlyFlvFromItsStdin() {
        LiveEncoder.Settings settings = new LiveEncoder.Settings(1.0, 4.0, "veryfast");
        List<LiveRung> rungs = List.of(new LiveRung("source", null, 1280, 720, 3_000_000, null),
                new LiveRung("360p", new Rung("360p", 640, 360, 800, 1200, "3.0", "avc1.64001e"), 640, 360, 1_328_000, "avc1.64001e"));
        for (LiveRung rung : rungs) {
            List<String> args = LiveEncoder.arguments(rung, settings);
            int input = args.indexOf("-i");
            assertThat(args.lastIndexOf("-i")).as(rung.name() + ": one input").isEqualTo(input);
            assertThat(args.get(input + 1)).as(rung.name()).isEqualTo("fd:");
            assertThat(args.subList(0, input)).as(rung.name())
                    .containsSequence("-protocol_whitelist", "fd", "-format_whitelist", "flv", "-f", "flv");
        }
    }
}
