package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files a player fetches for one video, relative to /media/{token}/{video}/. */
final class MediaObjects {
    private MediaObjects() {}

    /** Walks the HLS playlists, the DASH manifest and the storyboard through the origin, as a player would. */
    static List<String> discover(TestServer server, String hlsUrl) throws Exception {
        String base = hlsUrl.replace("master.m3u8", "");
        Set<String> found = new LinkedHashSet<>(List.of("master.m3u8", "manifest.mpd", "thumbs/poster.jpg", "thumbs/storyboard.vtt"));
        List<String> playlists = new ArrayList<>(List.of("master.m3u8"));
        for (int i = 0; i < playlists.size(); i++) {
            String playlist = playlists.get(i);
            String dirOf = playlist.contains("/") ? playlist.substring(0, playlist.lastIndexOf('/') + 1) : "";
            for (String ref : references(server.get(base + playlist, null).body())) {
                String path = URI.create("x:/" + dirOf).resolve(ref).getPath().substring(1);
                if (found.add(path) && path.endsWith(".m3u8")) playlists.add(path);
            }
        }
        for (String line : server.get(base + "thumbs/storyboard.vtt", null).body().split("\n")) {
            if (line.contains(".jpg")) found.add("thumbs/" + line.replaceAll("#.*", "").trim());
        }
        assertThat(found).anyMatch(p -> p.endsWith(".m4s") || p.endsWith(".ts"));
        return List.copyOf(found);
    }

    private static List<String> references(String playlist) {
        List<String> refs = new ArrayList<>();
        Matcher uri = Pattern.compile("URI=\"([^\"]+)\"").matcher(playlist);
        while (uri.find()) refs.add(uri.group(1));
        for (String line : playlist.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) refs.add(line.trim());
        }
        return refs;
    }

}
