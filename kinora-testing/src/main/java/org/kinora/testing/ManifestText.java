package org.kinora.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reading HLS playlists and DASH timelines back in tests, as a player does: the tests of the
 * rendered manifests (kinora-media) and of the manifests a server serves (kinora-server) check the
 * same rules with the same parsing.
 */
public final class ManifestText {
    private static final Pattern ATTRIBUTE = Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)");

    private ManifestText() {}

    /** The attribute lists of every line starting with {@code tag}, in order; quoted values keep their quotes. */
    public static List<Map<String, String>> tags(String m3u8, String tag) {
        List<Map<String, String>> found = new ArrayList<>();
        for (String line : m3u8.lines().filter(l -> l.startsWith(tag)).toList()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            Matcher m = ATTRIBUTE.matcher(line.substring(tag.length()));
            while (m.find()) attributes.put(m.group(1), m.group(2));
            found.add(attributes);
        }
        return found;
    }

    /** A quoted attribute value without its quotes. */
    public static String unquoted(String value) {
        return value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }

    /** The URI lines of a playlist (every line that is neither blank nor a tag), in order. */
    public static List<String> uris(String m3u8) {
        return m3u8.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** Each {@code <S>} of a SegmentTemplate as "t+d x count". */
    public static List<String> timeline(Element template) {
        List<String> runs = new ArrayList<>();
        NodeList s = template.getElementsByTagName("S");
        for (int i = 0; i < s.getLength(); i++) {
            Element e = (Element) s.item(i);
            runs.add(e.getAttribute("t") + "+" + e.getAttribute("d") + "x" + (repeat(e) + 1));
        }
        return runs;
    }

    /** Every segment of a SegmentTemplate's timeline as {start, duration} in its timescale, repeats expanded. */
    public static List<long[]> segments(Element template) {
        List<long[]> out = new ArrayList<>();
        NodeList s = template.getElementsByTagName("S");
        long next = 0;
        for (int i = 0; i < s.getLength(); i++) {
            Element e = (Element) s.item(i);
            long t = e.getAttribute("t").isEmpty() ? next : Long.parseLong(e.getAttribute("t"));
            long d = Long.parseLong(e.getAttribute("d"));
            for (int k = 0; k <= repeat(e); k++) {
                out.add(new long[] {t, d});
                t += d;
            }
            next = t;
        }
        return out;
    }

    private static int repeat(Element s) {
        return s.getAttribute("r").isEmpty() ? 0 : Integer.parseInt(s.getAttribute("r"));
    }
}
