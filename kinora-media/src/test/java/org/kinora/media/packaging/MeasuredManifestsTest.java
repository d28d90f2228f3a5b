package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.kinora.testing.ManifestText;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The manifests of a 1080p ladder whose playlists carry measured segment bit rates, parsed back
 * and checked against the rules players rely on: measured BANDWIDTH, the start variant first,
 * I-frame streams, languages, the MPD's AdaptationSet limits and timing in the media timescale.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MeasuredManifestsTest {
    /** 4 s segments at 90 %, 110 % and 70 % of a rung's target rate, then a 1.5 s one at 200 %. */
    private static MediaPlaylist video(int targetKbps) {
        long[] kbps = {targetKbps * 9L / 10, targetKbps * 11L / 10, targetKbps * 7L / 10, targetKbps * 2L};
        double[] seconds = {4, 4, 4, 1.5};
        StringBuilder m3u8 = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        for (int i = 0; i < kbps.length; i++) {
            m3u8.append("#EXT-X-BITRATE:").append(kbps[i]).append("\n#EXTINF:").append(seconds[i]).append(",\nseg_0000")
                    .append(i + 1).append(".m4s\n");
        }
        return MediaPlaylist.parse(m3u8.append("#EXT-X-ENDLIST\n").toString());
    }

    /** AAC segments cut at 1024-sample frames: 4.010667 s, and a 21 ms one starting where the video ends (13.5 s). */
    static final MediaPlaylist AUDIO = MediaPlaylist.parse("""
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-BITRATE:131
            #EXTINF:4.010667,
            seg_00001.m4s
            #EXTINF:3.989333,
            seg_00002.m4s
            #EXTINF:4.010667,
            seg_00003.m4s
            #EXTINF:1.489333,
            seg_00004.m4s
            #EXT-X-BITRATE:300
            #EXTINF:0.021333,
            seg_00005.m4s
            #EXT-X-ENDLIST
            """);

    private static final List<Rung> LADDER = new LadderPlanner().plan(1920, 1080, 30);

    private static List<VideoRendition> renditions() {
        List<VideoRendition> video = new ArrayList<>();
        for (Rung rung : LADDER.reversed()) { // any order in, a fixed order out
            MediaPlaylist playlist = video(rung.videoBitrateKbps());
            List<Fmp4Boxes.Range> keyframes = playlist.segments().stream().map(s -> new Fmp4Boxes.Range(76, s.bits() / 8 / 20)).toList();
            MediaPlaylist iframes = MediaPlaylist.parse(IFramePlaylist.render(playlist, keyframes));
            video.add(new VideoRendition(rung, 30, playlist, 15_360, Optional.of(iframes)));
        }
        return video;
    }

    private static final Optional<AudioRendition> AUDIO_EN = Optional.of(AudioRendition.aacStereo(AUDIO, "en", 48_000));

    @Test
    void peakAndAverageAreMeasuredFromTheSegments() {
        MediaPlaylist p720 = video(2800);
        // Windows of 2-6 s: 4 s segments alone, and the 4 s + 1.5 s pair (the 1.5 s one alone is too short).
        assertThat(p720.peakBitsPerSecond()).hasValue(3_080_000);
        long bits = (2520L * 4 + 3080L * 4 + 1960L * 4 + 5600L * 3 / 2) * 1000;
        assertThat(p720.averageBitsPerSecond()).hasValue((long) Math.ceil(bits / 13.5));
        assertThat(MediaPlaylist.parse(ManifestsTest.PLAYLIST_360).peakBitsPerSecond()).isEmpty();
    }

    @Test
    void masterDeclaresMeasuredRatesStartsAt720pAndListsIFrameStreams() {
        String master = HlsMasterPlaylist.render(renditions(), AUDIO_EN);
        List<Map<String, String>> variants = ManifestText.tags(master, "#EXT-X-STREAM-INF:");
        List<String> uris = master.lines().filter(l -> l.endsWith("/index.m3u8")).toList();
        assertThat(uris).containsExactly("720p/index.m3u8", "240p/index.m3u8", "360p/index.m3u8", "480p/index.m3u8", "1080p/index.m3u8");

        long audioPeak = AUDIO_EN.get().peakBitsPerSecond();
        long audioAverage = AUDIO_EN.get().averageBitsPerSecond();
        assertThat(audioPeak).isBetween(131_000L, 134_000L); // the 21 ms segment's overhead does not count alone
        Map<String, String> start = variants.getFirst();
        assertThat(start).containsEntry("RESOLUTION", "1280x720").containsEntry("CODECS", "\"avc1.64001f,mp4a.40.2\"");
        // 110 % of the 2800 kb/s target, not the 4200 kb/s maxrate.
        assertThat(Long.parseLong(start.get("BANDWIDTH"))).isEqualTo(3_080_000 + audioPeak);
        assertThat(Long.parseLong(start.get("AVERAGE-BANDWIDTH")))
                .isEqualTo(video(2800).averageBitsPerSecond().getAsLong() + audioAverage);
        Map<String, String> top = variants.getLast();
        assertThat(top).containsEntry("RESOLUTION", "1920x1080").containsEntry("CODECS", "\"avc1.640028,mp4a.40.2\"");

        Map<String, String> audio = ManifestText.tags(master, "#EXT-X-MEDIA:").getFirst();
        assertThat(audio).containsEntry("LANGUAGE", "\"en\"").containsEntry("TYPE", "AUDIO");

        List<Map<String, String>> iframes = ManifestText.tags(master, "#EXT-X-I-FRAME-STREAM-INF:");
        assertThat(iframes).hasSize(5);
        assertThat(iframes).extracting(m -> m.get("URI")).containsExactly("\"240p/iframes.m3u8\"", "\"360p/iframes.m3u8\"",
                "\"480p/iframes.m3u8\"", "\"720p/iframes.m3u8\"", "\"1080p/iframes.m3u8\"");
        Map<String, String> iframe720 = iframes.get(3);
        assertThat(iframe720).containsEntry("CODECS", "\"avc1.64001f\"").containsEntry("RESOLUTION", "1280x720");
        // The keyframes are a twentieth of each segment here, so the I-frame peak is a twentieth of the video's.
        assertThat(Long.parseLong(iframe720.get("BANDWIDTH"))).isEqualTo(3_080_000 / 20);
    }

    @Test
    void iFramePlaylistNamesEachSegmentsKeyframeByByteRange() {
        MediaPlaylist playlist = video(800);
        String m3u8 = IFramePlaylist.render(playlist, List.of(new Fmp4Boxes.Range(76, 9000), new Fmp4Boxes.Range(76, 8000),
                new Fmp4Boxes.Range(76, 7000), new Fmp4Boxes.Range(76, 6000)));
        assertThat(m3u8).startsWith("#EXTM3U\n#EXT-X-VERSION:7\n").contains("#EXT-X-I-FRAMES-ONLY\n", "#EXT-X-MAP:URI=\"init.mp4\"\n")
                .contains("#EXTINF:4.000000,\n#EXT-X-BYTERANGE:9000@76\nseg_00001.m4s\n")
                .contains("#EXTINF:1.500000,\n#EXT-X-BYTERANGE:6000@76\nseg_00004.m4s\n").endsWith("#EXT-X-ENDLIST\n");
        MediaPlaylist parsed = MediaPlaylist.parse(m3u8);
        assertThat(parsed.segments()).extracting(MediaPlaylist.Segment::byteLength).containsExactly(9000L, 8000L, 7000L, 6000L);
        assertThat(parsed.totalDurationSeconds()).isEqualTo(playlist.totalDurationSeconds());
    }

    @Test
    void mpdHasLanguageLimitsTimescalesAndATimelineWithinThePresentation() throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(DashManifest.render(renditions(), AUDIO_EN).getBytes(StandardCharsets.UTF_8)));
        Element mpd = doc.getDocumentElement();
        assertThat(mpd.getAttribute("mediaPresentationDuration")).isEqualTo("PT13.500S");
        // The longest segment kept is audio's 4.010667 s, rounded up.
        assertThat(mpd.getAttribute("maxSegmentDuration")).isEqualTo("PT4.011S");

        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        Element videoSet = (Element) sets.item(0);
        assertThat(videoSet.getAttribute("par")).isEqualTo("16:9");
        assertThat(videoSet.getAttribute("maxWidth")).isEqualTo("1920");
        assertThat(videoSet.getAttribute("maxHeight")).isEqualTo("1080");
        assertThat(videoSet.getAttribute("maxFrameRate")).isEqualTo("30");
        Element v720 = (Element) videoSet.getElementsByTagName("Representation").item(3);
        assertThat(v720.getAttribute("id")).isEqualTo("720p");
        assertThat(v720.getAttribute("bandwidth")).isEqualTo("3080000");
        assertThat(v720.getAttribute("codecs")).isEqualTo("avc1.64001f");
        Element videoTemplate = (Element) v720.getElementsByTagName("SegmentTemplate").item(0);
        assertThat(videoTemplate.getAttribute("timescale")).isEqualTo("15360");
        assertThat(ManifestText.timeline(videoTemplate)).containsExactly("0+61440x3", "184320+23040x1");

        Element audioSet = (Element) sets.item(1);
        assertThat(audioSet.getAttribute("lang")).isEqualTo("en");
        Element audioTemplate = (Element) audioSet.getElementsByTagName("SegmentTemplate").item(0);
        assertThat(audioTemplate.getAttribute("timescale")).isEqualTo("48000");
        // Exact sample counts (192512 = 188 AAC frames), and no 21 ms segment starting at the end (648000 = 13.5 s).
        assertThat(ManifestText.timeline(audioTemplate)).containsExactly("0+192512x1", "192512+191488x1", "384000+192512x1", "576512+71488x1");
        long end = 576512 + 71488;
        assertThat(end).isEqualTo(Math.round(13.5 * 48_000));
    }

    @Test
    void sourceLanguageTagsBecomeBcp47() {
        assertThat(AudioLanguage.fromSourceTag("eng")).hasValue("en");
        assertThat(AudioLanguage.fromSourceTag("fre")).hasValue("fr");
        assertThat(AudioLanguage.fromSourceTag("deu")).hasValue("de");
        assertThat(AudioLanguage.fromSourceTag("pt-BR")).hasValue("pt-BR");
        assertThat(AudioLanguage.fromSourceTag("haw")).hasValue("haw");
        assertThat(AudioLanguage.fromSourceTag("und")).isEmpty();
        assertThat(AudioLanguage.fromSourceTag(null)).isEmpty();
        assertThat(AudioLanguage.fromSourceTag("en\"><x")).isEmpty();
    }
}
