package org.kinora.media.packaging;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.caption.CaptionLanguage;
import org.kinora.core.caption.CaptionTrack;

/**
 * Adds caption tracks to a rendered HLS master playlist and DASH manifest: an {@code
 * EXT-X-MEDIA:TYPE=SUBTITLES} group named {@value #GROUP} that every variant refers to, and one
 * text AdaptationSet per language pointing at the WebVTT file. Both transforms first take out the
 * tracks a previous call put in, so they can be applied again to their own output whenever the
 * captions change, and to a fresh manifest from the transcoder alike; with no tracks they give
 * back the manifest without captions.
 */
public final class SubtitleTracks {
    public static final String GROUP = "subs";
    private static final String VARIANT_ATTRIBUTE = ",SUBTITLES=\"" + GROUP + "\"";
    private static final Pattern DASH_TEXT_SET = Pattern.compile(
            "    <AdaptationSet id=\"text-[^\"]*\" contentType=\"text\".*?</AdaptationSet>\n", Pattern.DOTALL);

    private SubtitleTracks() {}

    /** The master playlist listing exactly {@code tracks} (the first is the default when the viewer has no choice). */
    public static String hls(String master, List<CaptionTrack> tracks) {
        StringBuilder out = new StringBuilder();
        StringBuilder media = new StringBuilder();
        for (int i = 0; i < tracks.size(); i++) {
            CaptionTrack t = tracks.get(i);
            media.append("#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=\"").append(GROUP).append("\",NAME=\"").append(quoted(t.label()))
                    .append("\",LANGUAGE=\"").append(t.language()).append("\",DEFAULT=NO,AUTOSELECT=")
                    .append(i == 0 ? "YES" : "NO").append(",FORCED=NO,URI=\"")
                    .append(BlobKeys.captionPlaylistPath(CaptionLanguage.fileStem(t.language()))).append("\"\n");
        }
        boolean inserted = false;
        for (String line : master.split("\n")) {
            if (line.startsWith("#EXT-X-MEDIA:TYPE=SUBTITLES,")) continue;
            if (line.startsWith("#EXT-X-STREAM-INF:")) {
                if (!inserted) { out.append(media); inserted = true; }
                line = line.replace(VARIANT_ATTRIBUTE, "");
                if (!tracks.isEmpty()) line = line + VARIANT_ATTRIBUTE;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The MPD with one text AdaptationSet (WebVTT, a subtitle Role) per track, after the audio and video ones. */
    public static String dash(String mpd, List<CaptionTrack> tracks) {
        String without = DASH_TEXT_SET.matcher(mpd).replaceAll("");
        String sets = tracks.stream().map(t -> {
            String stem = CaptionLanguage.fileStem(t.language());
            return String.format(Locale.ROOT, """
                        <AdaptationSet id="text-%s" contentType="text" mimeType="text/vtt" lang="%s">
                          <Label>%s</Label>
                          <Role schemeIdUri="urn:mpeg:dash:role:2011" value="subtitle"/>
                          <Representation id="captions-%s" bandwidth="256">
                            <BaseURL>%s</BaseURL>
                          </Representation>
                        </AdaptationSet>
                    """, stem, t.language(), xml(t.label()), stem, BlobKeys.captionFilePath(stem));
        }).collect(Collectors.joining());
        int end = without.lastIndexOf("  </Period>");
        if (end < 0) throw new IllegalArgumentException("not a Kinora MPD: no </Period>");
        return without.substring(0, end) + sets + without.substring(end);
    }

    /** HLS quoted strings may not hold '"' or line breaks. */
    private static String quoted(String s) {
        return s.replace('"', '\'').replaceAll("[\\r\\n]", " ");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
