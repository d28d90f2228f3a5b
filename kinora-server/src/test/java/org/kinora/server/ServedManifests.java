package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.kinora.media.packaging.Fmp4Boxes;
import org.kinora.testing.ManifestText;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The served master playlist and MPD of a processed video, checked against the rules players rely
 * on (issue 13 items 3, 5, 8, 9) from the served files themselves, the way MeasuredManifestsTest
 * checks rendered ones: the start variant first, BANDWIDTH at least the measured peak of the
 * rung's segments (and not the planned maxrate above it), an I-frame stream per rung, a language
 * on the audio, the MPD's timescales those of the init segments and @maxSegmentDuration covering
 * every segment, none starting past the presentation's end.
 */
final class ServedManifests {
    /** HlsMasterPlaylist.START_SHORT_SIDE: the largest variant up to 720p is listed first. */
    private static final int START_SHORT_SIDE = 720;

    private ServedManifests() {}

    static void check(TestServer server, String masterUrl) throws Exception {
        String base = masterUrl.substring(0, masterUrl.length() - "master.m3u8".length());
        String master = text(server, masterUrl);
        List<Map<String, String>> variants = ManifestText.tags(master, "#EXT-X-STREAM-INF:");
        List<String> uris = ManifestText.uris(master);
        assertThat(variants).as(master).isNotEmpty().hasSameSizeAs(uris);

        List<Integer> shortSides = variants.stream().map(v -> shortSide(v.get("RESOLUTION"))).toList();
        int start = shortSides.stream().filter(s -> s <= START_SHORT_SIDE).max(Integer::compare)
                .orElse(shortSides.stream().min(Integer::compare).orElseThrow());
        assertThat(shortSides.getFirst()).as("the start variant first: " + master).isEqualTo(start);

        List<Map<String, String>> audio = ManifestText.tags(master, "#EXT-X-MEDIA:").stream()
                .filter(m -> "AUDIO".equals(m.get("TYPE"))).toList();
        assertThat(audio).as(master).isNotEmpty();
        long audioPeak = 0;
        for (Map<String, String> a : audio) {
            assertThat(a.get("LANGUAGE")).as("LANGUAGE of the audio").isNotNull().matches("\"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\"");
            audioPeak = Math.max(audioPeak, peak(server, base + ManifestText.unquoted(a.get("URI")), 0));
        }

        Set<String> iframes = ManifestText.tags(master, "#EXT-X-I-FRAME-STREAM-INF:").stream()
                .map(m -> ManifestText.unquoted(m.get("URI"))).collect(Collectors.toSet());
        for (int i = 0; i < uris.size(); i++) {
            String uri = uris.get(i);
            assertThat(uri).endsWith("/index.m3u8");
            String rung = uri.substring(0, uri.length() - "/index.m3u8".length());
            assertThat(iframes).as("an I-frame stream for " + rung).contains(rung + "/iframes.m3u8");
            // The measured peak, from the segments' sizes: segments of 2 s or more alone (a short last one is
            // averaged with its neighbour by the muxer's measure), and every segment for the upper bound.
            long peak = peak(server, base + uri, 2.0);
            long highest = peak(server, base + uri, 0);
            long bandwidth = Long.parseLong(variants.get(i).get("BANDWIDTH"));
            assertThat(bandwidth).as(rung + " BANDWIDTH against its segments' measured peak " + peak)
                    .isGreaterThanOrEqualTo(peak)
                    .isLessThanOrEqualTo(highest + audioPeak + 2_000); // EXT-X-BITRATE rounds up to whole kb/s
        }

        Document mpd = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text(server, base + "manifest.mpd").getBytes(StandardCharsets.UTF_8)));
        Element root = mpd.getDocumentElement();
        double maxSegment = seconds(root.getAttribute("maxSegmentDuration"));
        double presentation = seconds(root.getAttribute("mediaPresentationDuration"));
        NodeList representations = mpd.getElementsByTagName("Representation");
        assertThat(representations.getLength()).isPositive();
        for (int i = 0; i < representations.getLength(); i++) {
            Element r = (Element) representations.item(i);
            Element template = (Element) r.getElementsByTagName("SegmentTemplate").item(0);
            long timescale = Long.parseLong(template.getAttribute("timescale"));
            byte[] init = bytes(server, base + template.getAttribute("initialization"));
            assertThat(timescale).as(r.getAttribute("id") + " timescale = its init's mdhd").isEqualTo(Fmp4Boxes.timescale(init));
            for (long[] segment : ManifestText.segments(template)) {
                assertThat((double) segment[1] / timescale).as(r.getAttribute("id") + " segment at " + segment[0] + " within @maxSegmentDuration")
                        .isLessThanOrEqualTo(maxSegment);
                assertThat((double) segment[0] / timescale).as(r.getAttribute("id") + " segment starts before the end")
                        .isLessThan(presentation);
            }
        }
    }

    /** The highest bit rate of a media playlist's segments (bytes served over EXTINF) lasting at least {@code minSeconds}. */
    private static long peak(TestServer server, String playlistUrl, double minSeconds) throws Exception {
        String playlist = text(server, playlistUrl);
        String dir = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
        long peak = 0;
        double duration = 0;
        for (String line : playlist.lines().toList()) {
            if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring("#EXTINF:".length()).replaceAll(",.*$", ""));
            } else if (!line.isBlank() && !line.startsWith("#") && duration >= minSeconds) {
                peak = Math.max(peak, (long) (bytes(server, dir + line.strip()).length * 8 / duration));
            }
        }
        assertThat(peak).as("segments in " + playlistUrl).isPositive();
        return peak;
    }

    private static int shortSide(String resolution) {
        String[] wh = resolution.split("x");
        return Math.min(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]));
    }

    private static double seconds(String isoDuration) {
        return Duration.parse(isoDuration).toNanos() / 1e9;
    }

    private static String text(TestServer server, String url) throws Exception {
        HttpResponse<String> r = server.get(url, null);
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static byte[] bytes(TestServer server, String url) throws Exception {
        HttpResponse<byte[]> r = server.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }
}
