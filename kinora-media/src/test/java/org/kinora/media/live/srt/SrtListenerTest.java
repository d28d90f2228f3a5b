package org.kinora.media.live.srt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a caller sends over SRT is untrusted input: one protocol, one named demuxer, remuxed and never decoded. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SrtListenerTest {
    @Test
    void ffmpegListensWithOnlyTheSrtProtocolAndTheMpegTsDemuxerAndCopiesTheStreams() {
        List<String> args = SrtListener.arguments("127.0.0.1", 9000, "abcdefghij0123");
        assertThat(args).containsSequence("-protocol_whitelist", "srt", "-format_whitelist", "mpegts");
        int input = args.indexOf("-i");
        assertThat(args.lastIndexOf("-i")).as("one input").isEqualTo(input);
        assertThat(args.subList(input - 2, input + 2)).containsExactly("-f", "mpegts", "-i",
                "srt://127.0.0.1:9000?mode=listener&passphrase=abcdefghij0123&pbkeylen=16&latency=120000");
        assertThat(args.indexOf("-protocol_whitelist")).as("before the input").isLessThan(input);
        assertThat(args.subList(input, args.size())).containsSequence("-c", "copy").containsSequence("-f", "flv");
    }
}
