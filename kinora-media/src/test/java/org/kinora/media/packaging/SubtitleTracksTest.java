package org.kinora.media.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.core.caption.CaptionTrack;
import org.w3c.dom.Element;

@Timeout(10)
class SubtitleTracksTest {
    static final String MASTER = """
            #EXTM3U
            #EXT-X-VERSION:7
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Default",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/index.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=900000,AVERAGE-BANDWIDTH=700000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"
            360p/index.m3u8
            #EXT-X-STREAM-INF:BANDWIDTH=2000000,AVERAGE-BANDWIDTH=1500000,RESOLUTION=1280x720,CODECS="avc1.64001f,mp4a.40.2",FRAME-RATE=30.000,AUDIO="audio"
            720p/index.m3u8
            #EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,RESOLUTION=640x360,CODECS="avc1.64001e",URI="360p/iframes.m3u8"
            """;
    static final List<CaptionTrack> TRACKS = List.of(new CaptionTrack("v", "en", "English", 3, Instant.EPOCH),
            new CaptionTrack("v", "pt-BR", "Português \"BR\"", 3, Instant.EPOCH));

    @Test
    void theMasterGetsASubtitlesGroupThatEveryVariantNames() {
        String master = SubtitleTracks.hls(MASTER, TRACKS);
        assertThat(master).contains("""
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="captions/en.m3u8"
                #EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="Português 'BR'",LANGUAGE="pt-BR",DEFAULT=NO,AUTOSELECT=NO,FORCED=NO,URI="captions/pt-br.m3u8"
                #EXT-X-STREAM-INF:BANDWIDTH=900000""");
        assertThat(master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")))
                .hasSize(2).allSatisfy(l -> assertThat(l).endsWith(",AUDIO=\"audio\",SUBTITLES=\"subs\""));
        assertThat(master).contains("#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=90000,RESOLUTION=640x360,CODECS=\"avc1.64001e\",URI=\"360p/iframes.m3u8\"\n");
        // Applying again replaces rather than adds; no tracks gives the original back.
        assertThat(SubtitleTracks.hls(master, TRACKS)).isEqualTo(master);
        assertThat(SubtitleTracks.hls(master, List.of())).isEqualTo(MASTER);
    }

    @Test
    void theMpdGetsOneTextAdaptationSetPerTrack() throws Exception {
        String mpd = """
                <?xml version="1.0" encoding="UTF-8"?>
                <MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static">
                  <Period id="0" start="PT0S">
                    <AdaptationSet id="0" contentType="video" mimeType="video/mp4">
                    </AdaptationSet>
                  </Period>
                </MPD>
                """;
        String withText = SubtitleTracks.dash(mpd, TRACKS);
        var doc = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(withText.getBytes(StandardCharsets.UTF_8)));
        var sets = doc.getElementsByTagName("AdaptationSet");
        assertThat(sets.getLength()).isEqualTo(3);
        Element en = (Element) sets.item(1);
        assertThat(en.getAttribute("contentType")).isEqualTo("text");
        assertThat(en.getAttribute("mimeType")).isEqualTo("text/vtt");
        assertThat(en.getAttribute("lang")).isEqualTo("en");
        assertThat(en.getElementsByTagName("BaseURL").item(0).getTextContent()).isEqualTo("captions/en.vtt");
        assertThat(((Element) sets.item(2)).getElementsByTagName("Label").item(0).getTextContent()).isEqualTo("Português \"BR\"");
        assertThat(SubtitleTracks.dash(withText, TRACKS)).isEqualTo(withText);
        assertThat(SubtitleTracks.dash(withText, List.of())).isEqualTo(mpd);
    }

    @Test
    void theRenderersTakeTheTracksAsAParameter() {
        String master = HlsMasterPlaylist.renderWithSubtitles(ManifestsTest.RENDITIONS, ManifestsTest.WITH_AUDIO, TRACKS);
        assertThat(master).isEqualTo(SubtitleTracks.hls(HlsMasterPlaylist.render(ManifestsTest.RENDITIONS, ManifestsTest.WITH_AUDIO), TRACKS))
                .contains("TYPE=SUBTITLES", "SUBTITLES=\"subs\"");
        assertThat(DashManifest.render(ManifestsTest.RENDITIONS, ManifestsTest.WITH_AUDIO, TRACKS))
                .contains("<AdaptationSet id=\"text-en\" contentType=\"text\"", "<BaseURL>captions/pt-br.vtt</BaseURL>");
        assertThat(HlsMasterPlaylist.render(ManifestsTest.RENDITIONS, ManifestsTest.WITH_AUDIO, List.of()))
                .isEqualTo(HlsMasterPlaylist.render(ManifestsTest.RENDITIONS, ManifestsTest.WITH_AUDIO));
    }
}
