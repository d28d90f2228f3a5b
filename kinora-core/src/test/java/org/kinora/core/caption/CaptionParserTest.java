package org.kinora.core.caption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

@Timeout(10)
class CaptionParserTest {
    private static List<Cue> parse(String s) {
        return CaptionParser.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void srtBecomesWebVtt() {
        List<Cue> cues = parse("1\r\n00:00:01,000 --> 00:00:03,500\r\nHello <i>there</i>\r\n\r\n2\r\n00:00:04,000 --> 00:01:02,250\r\nTwo\r\nlines\r\n");
        assertThat(cues).containsExactly(new Cue(1.0, 3.5, "Hello there"), new Cue(4.0, 62.25, "Two\nlines"));
        assertThat(CaptionParser.toVtt(cues)).isEqualTo("WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nHello there\n\n"
                + "00:00:04.000 --> 00:01:02.250\nTwo\nlines\n\n");
    }

    @Test
    void webVttWithIdentifiersNotesStylesAndSettingsIsRead() {
        List<Cue> cues = parse("\uFEFFWEBVTT Kinora\n\nNOTE a comment\nover lines\n\nSTYLE\n::cue { color: red }\n\n"
                + "intro\n00:01.000 --> 00:02.000 align:start line:0\n<v Roger>Hi &amp; welcome\n\n01:00:00.000 --> 01:00:01.000\nlate\n");
        assertThat(cues).containsExactly(new Cue(1, 2, "Hi & welcome"), new Cue(3600, 3601, "late"));
    }

    @Test
    void markupInCuesNeverSurvives() {
        List<Cue> cues = parse("WEBVTT\n\n00:00.000 --> 00:01.000\n<script>alert(1)</script><img src=x onerror=alert(2)>&lt;b&gt; 1 < 2\n");
        assertThat(cues.getFirst().text()).isEqualTo("alert(1)<b> 1 < 2");
        // Written back, the text is escaped: nothing in it is a tag to a WebVTT or HTML reader.
        assertThat(CaptionParser.toVtt(cues)).contains("alert(1)&lt;b&gt; 1 &lt; 2").doesNotContain("<");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:03,000 -> 00:00:04,000\nbad\n"))
                .isInstanceOf(KinoraException.class).hasMessageStartingWith("Line 6:")
                .satisfies(e -> assertThat(((KinoraException) e).details()).containsEntry("line", 6));
        assertThatThrownBy(() -> parse("1\n00:00:01,000 --> 00:00:02,000\nok\n\nhello\n"))
                .hasMessage("Line 5: expected a cue number (SRT) or \"WEBVTT\" (WebVTT), found \"hello\".");
        assertThatThrownBy(() -> parse("1\n00:00:05,000 --> 00:00:02,000\nbackwards\n")).hasMessageStartingWith("Line 2: the cue ends");
        assertThatThrownBy(() -> parse("1\n00:00:01,000 --> 00:00:61,000\nx\n")).hasMessageContaining("Line 2: \"00:00:61,000\" is not a timestamp");
        assertThatThrownBy(() -> parse("WEBVTTX\n")).hasMessageStartingWith("Line 1:");
    }

    @Test
    void hostileFilesAreRefused() {
        assertThatThrownBy(() -> CaptionParser.parse(new byte[CaptionParser.MAX_BYTES + 1]))
                .satisfies(e -> assertThat(((KinoraException) e).kind()).isEqualTo(ErrorKind.PAYLOAD_TOO_LARGE));
        assertThatThrownBy(() -> CaptionParser.parse(new byte[] {'W', 'E', (byte) 0xff, (byte) 0xfe}))
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> parse("WEBVTT\n\n00:00.000 --> 00:01.000\na\0b\n")).hasMessageContaining("Line 4: contains a NUL");
        assertThatThrownBy(() -> parse("WEBVTT\n\n00:00.000 --> 00:01.000\n" + "x".repeat(1001) + "\n"))
                .hasMessageContaining("longer than 1000");
    }
}
