package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ffmpeg.MediaInfo;
import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.LadderPlanner;
import org.kinora.media.ladder.Rung;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** AV1 rungs beside the H.264 ones in the master, the MPD and the ffmpeg arguments. */
@Timeout(60)
class Av1ManifestsTest {
    static final String MEASURED_AV1 = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-TARGETDURATION:4
            #EXT-X-MAP:URI="init.mp4"
            #EXT-X-BITRATE:300
            #EXTINF:4.000000,
            seg_00001.m4s
            #EXT-X-BITRATE:200
            #EXTINF:4.000000,
            seg_00002.m4s
            #EXT-X-ENDLIST
            """;

    final List<Rung> h264 = new LadderPlanner().plan(640, 360, 30);
    final List<Rung> av1 = new Av1Ladder(true, Set.of(), 10).plan(h264, 30);

    List<VideoRendition> renditions() {
        List<VideoRendition> all = new ArrayList<>();
        for (Rung r : av1) all.add(ManifestsTest.rendition(r, MediaPlaylist.parse(MEASURED_AV1)));
        for (Rung r : h264) all.add(ManifestsTest.rendition(r, ManifestsTest.VIDEO));
        return all;
    }

    @Test
    void theMasterStartsOnH264AndListsTheAv1VariantsAfterEveryH264OneWithMeasuredRatesAndAv1Codecs() {
        String master = HlsMasterPlaylist.render(renditions(), ManifestsTest.WITH_AUDIO);
        assertThat(master.lines().filter(l -> !l.startsWith("#")).toList())
                .containsExactly("360p/index.m3u8", "240p/index.m3u8", "240p-av1/index.m3u8", "360p-av1/index.m3u8");
        // Peak 300 kb/s and mean 250 kb/s of the AV1 segments, plus the audio's planned 128 kb/s.
        assertThat(master).contains("#EXT-X-STREAM-INF:BANDWIDTH=428000,AVERAGE-BANDWIDTH=378000,RESOLUTION=426x240,"
                + "CODECS=\"av01.0.00M.08,mp4a.40.2\",FRAME-RATE=30.000,AUDIO=\"audio\"\n240p-av1/index.m3u8");
        assertThat(master).contains("CODECS=\"av01.0.01M.08,mp4a.40.2\"", "CODECS=\"avc1.64001e,mp4a.40.2\"");
    }

    @Test
    void theMpdGivesEachCodecItsOwnVideoAdaptationSet() throws Exception {
        String xml = DashManifest.render(renditions(), ManifestsTest.WITH_AUDIO);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(3);
        List<String> described = new ArrayList<>();
        for (int i = 0; i < sets.getLength(); i++) {
            Element set = (Element) sets.item(i);
            NodeList reps = set.getElementsByTagName("Representation");
            List<String> codecs = new ArrayList<>();
            for (int j = 0; j < reps.getLength(); j++) {
                Element rep = (Element) reps.item(j);
                codecs.add(rep.getAttribute("id") + "=" + rep.getAttribute("codecs") + "@" + rep.getAttribute("bandwidth"));
            }
            described.add(set.getAttribute("id") + " " + set.getAttribute("contentType") + " " + codecs);
        }
        assertThat(described).containsExactly(
                "0 video [240p=avc1.640015@600000, 360p=avc1.64001e@1200000]",
                "2 video [240p-av1=av01.0.00M.08@300000, 360p-av1=av01.0.01M.08@300000]",
                "1 audio [audio=mp4a.40.2@128000]");
        Element av1Set = (Element) sets.item(1);
        assertThat(av1Set.getAttribute("maxWidth")).isEqualTo("640");
        assertThat(((Element) av1Set.getElementsByTagName("SegmentTemplate").item(0)).getAttribute("media"))
                .isEqualTo("240p-av1/seg_$Number%05d$.m4s");
    }

    @Test
    void av1RungsAreEncodedBySvtAv1AtTheirLevelWithTheSameForcedKeyframesAsH264() {
        MediaInfo info = new MediaInfo(6, 640, 360, 30, false, "h264", null, "mov,mp4,m4a,3gp,3g2,mj2", 100_000, null);
        List<Rung> rungs = List.of(h264.getFirst(), av1.getFirst());
        List<String> args = new CmafEncoder(null, "veryfast", 0, 8).arguments(info, rungs, false, Path.of("out"));
        String line = String.join(" ", args);
        assertThat(line).contains("-map [v0] -an -c:v libx264 -threads 0 -preset veryfast -profile:v high -level:v 2.1");
        assertThat(line).contains("-map [v1] -an -c:v libsvtav1 -preset 8 -pix_fmt yuv420p -crf 35 -maxrate 360k -bufsize 480k "
                + "-g 120 -force_key_frames expr:gte(t,n_forced*4) -svtav1-params level=2.0");
        assertThat(line).contains("/out/240p-av1/seg_%05d.m4s");
    }
}
