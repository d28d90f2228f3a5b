package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import javax.xml.parsers.DocumentBuilderFactory;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ladder.Rung;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

@Timeout(60)
class ManifestsTest {
    static final String PLAYLIST_360 = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:1
            #EXT-X-PLAYLIST-TYPE:VOD
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.000000,
            seg_00001.m4s
            #EXTINF:4.000000,
            seg_00002.m4s
            #EXTINF:4.000000,
            seg_00003.m4s
            #EXTINF:1.500000,
            seg_00004.m4s
            #EXT-X-ENDLIST
            """;
    static final String AUDIO = """
            #EXTM3U
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init.mp4"
            #EXTINF:4.010667,
            seg_00001.m4s
            #EXTINF:4.010667,
            seg_00002.m4s
            #EXTINF:5.4786,
            seg_00003.m4s
            #EXT-X-ENDLIST
            """;

    static final Rung R240 = new Rung("240p", 426, 240, 400, 600, "2.1", "avc1.640015");
    static final Rung R360 = new Rung("360p", 640, 360, 800, 1200, "3.0", "avc1.64001e");
    static final MediaPlaylist VIDEO = MediaPlaylist.parse(PLAYLIST_360);
    // Given highest first, to check the manifests sort lowest first.
    static final List<VideoRendition> RENDITIONS = List.of(rendition(R360, VIDEO), rendition(R240, VIDEO));
    static final Optional<AudioRendition> WITH_AUDIO = Optional.of(AudioRendition.aacStereo(MediaPlaylist.parse(AUDIO), "en", 48_000));

    static VideoRendition rendition(Rung rung, MediaPlaylist playlist) {
        return new VideoRendition(rung, 30, playlist, 15_360, Optional.empty());
    }

    @Test
    void parsesMediaPlaylist() {
        assertThat(VIDEO.targetDurationSeconds()).isEqualTo(4);
        assertThat(VIDEO.initUri()).isEqualTo("init.mp4");
        assertThat(VIDEO.segments()).hasSize(4);
        assertThat(VIDEO.segments().getLast()).isEqualTo(new MediaPlaylist.Segment("seg_00004.m4s", 1.5));
        assertThat(VIDEO.totalDurationSeconds()).isEqualTo(13.5);
    }

    @Test
    void rejectsNonPlaylists() {
        assertThatThrownBy(() -> MediaPlaylist.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MediaPlaylist.parse("#EXTM3U\n#EXT-X-TARGETDURATION:4\nseg.m4s\n"))
                .hasMessageContaining("no #EXTINF");
    }

    @Test
    void unmeasuredPlaylistsFallBackToThePlannedRatesLargestUpTo720pFirst() {
        assertThat(HlsMasterPlaylist.render(RENDITIONS, WITH_AUDIO)).isEqualTo("""
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Default",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=1328000,AVERAGE-BANDWIDTH=928000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"
                360p/index.m3u8
                #EXT-X-STREAM-INF:BANDWIDTH=728000,AVERAGE-BANDWIDTH=528000,RESOLUTION=426x240,CODECS="avc1.640015,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"
                240p/index.m3u8
                """);
    }

    @Test
    void rungsStillBeingEncodedAreListedAfterThePublishedOnesAtTheirPlannedRates() {
        Rung r480 = new Rung("480p", 854, 480, 1400, 2100, "3.0", "avc1.64001e");
        String master = HlsMasterPlaylist.render(List.of(rendition(R240, VIDEO)), WITH_AUDIO, List.of(r480, R360));
        assertThat(master.lines().filter(l -> !l.startsWith("#")).toList())
                .as("published first (the start variant), then pending lowest first")
                .containsExactly("240p/index.m3u8", "360p/index.m3u8", "480p/index.m3u8");
        assertThat(master).contains(
                "#EXT-X-STREAM-INF:BANDWIDTH=1328000,AVERAGE-BANDWIDTH=928000,RESOLUTION=640x360,CODECS=\"avc1.64001e,mp4a.40.2\",FRAME-RATE=30.000,AUDIO=\"audio\"\n360p/index.m3u8",
                "BANDWIDTH=2228000,AVERAGE-BANDWIDTH=1528000,RESOLUTION=854x480");
        assertThat(HlsMasterPlaylist.render(RENDITIONS, WITH_AUDIO, List.of())).isEqualTo(HlsMasterPlaylist.render(RENDITIONS, WITH_AUDIO));
    }

    @Test
    void masterWithoutAudioHasNoAudioGroup() {
        String master = HlsMasterPlaylist.render(RENDITIONS, Optional.empty());
        assertThat(master).doesNotContain("EXT-X-MEDIA").doesNotContain("AUDIO=").doesNotContain("mp4a");
        assertThat(master).contains("BANDWIDTH=600000,AVERAGE-BANDWIDTH=400000,");
    }

    @Test
    void rendersWellFormedDashManifest() throws Exception {
        String xml = DashManifest.render(RENDITIONS, WITH_AUDIO);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));

        Element mpd = doc.getDocumentElement();
        assertThat(mpd.getLocalName()).isEqualTo("MPD");
        assertThat(mpd.getNamespaceURI()).isEqualTo("urn:mpeg:dash:schema:mpd:2011");
        assertThat(mpd.getAttribute("profiles")).isEqualTo("urn:mpeg:dash:profile:isoff-live:2011");
        assertThat(mpd.getAttribute("type")).isEqualTo("static");
        assertThat(mpd.getAttribute("mediaPresentationDuration")).isEqualTo("PT13.500S");
        assertThat(mpd.getAttribute("minBufferTime")).isEqualTo("PT4S");

        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(2);
        Element videoSet = (Element) sets.item(0);
        assertThat(videoSet.getAttribute("mimeType")).isEqualTo("video/mp4");
        assertThat(videoSet.getAttribute("segmentAlignment")).isEqualTo("true");
        NodeList videoReps = videoSet.getElementsByTagName("Representation");
        assertThat(videoReps.getLength()).isEqualTo(2);
        Element low = (Element) videoReps.item(0);
        assertThat(low.getAttribute("id")).isEqualTo("240p");
        assertThat(low.getAttribute("bandwidth")).isEqualTo("600000");
        assertThat(low.getAttribute("width")).isEqualTo("426");
        assertThat(low.getAttribute("height")).isEqualTo("240");
        assertThat(low.getAttribute("codecs")).isEqualTo("avc1.640015");
        assertThat(low.getAttribute("frameRate")).isEqualTo("30");
        Element template = (Element) low.getElementsByTagName("SegmentTemplate").item(0);
        assertThat(template.getAttribute("initialization")).isEqualTo("240p/init.mp4");
        assertThat(template.getAttribute("media")).isEqualTo("240p/seg_$Number%05d$.m4s");
        assertThat(template.getAttribute("startNumber")).isEqualTo("1");
        assertThat(template.getAttribute("timescale")).isEqualTo("15360");
        NodeList timeline = template.getElementsByTagName("S");
        assertThat(timeline.getLength()).isEqualTo(2);
        assertThat(attributes((Element) timeline.item(0))).isEqualTo("t=0 d=61440 r=2");
        assertThat(attributes((Element) timeline.item(1))).isEqualTo("t=184320 d=23040 r=");

        Element audioSet = (Element) sets.item(1);
        assertThat(audioSet.getAttribute("mimeType")).isEqualTo("audio/mp4");
        Element audioRep = (Element) audioSet.getElementsByTagName("Representation").item(0);
        assertThat(audioRep.getAttribute("codecs")).isEqualTo("mp4a.40.2");
        assertThat(audioRep.getAttribute("audioSamplingRate")).isEqualTo("48000");
        assertThat(((Element) audioRep.getElementsByTagName("SegmentTemplate").item(0)).getAttribute("media"))
                .isEqualTo("audio/seg_$Number%05d$.m4s");
    }

    private static String attributes(Element s) {
        return "t=" + s.getAttribute("t") + " d=" + s.getAttribute("d") + " r=" + s.getAttribute("r");
    }

    @Test
    void timelineRoundsRunningTotalsSoItDoesNotDrift() {
        // 4.010667 s each: summing rounded durations (4011 ms) would drift 1 ms per 3 segments.
        List<DashManifest.TimelineRun> runs = DashManifest.timeline(MediaPlaylist.parse(AUDIO), 1000, 100);
        assertThat(runs.getFirst().start()).isZero();
        long end = runs.stream().mapToLong(r -> r.duration() * (r.repeat() + 1)).sum();
        assertThat(end).isEqualTo(Math.round((4.010667 * 2 + 5.4786) * 1000));
    }

    @Test
    void frameRatesAreValidMpdValues() {
        assertThat(DashManifest.frameRate(25)).isEqualTo("25");
        assertThat(DashManifest.frameRate(30000 / 1001.0)).isEqualTo("30000/1001");
        assertThat(DashManifest.frameRate(60000 / 1001.0)).isEqualTo("60000/1001");
        assertThat(DashManifest.frameRate(12.5)).isEqualTo("12500/1000");
    }
}
