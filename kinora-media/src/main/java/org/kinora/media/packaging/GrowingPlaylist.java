package org.kinora.media.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of a rendition that a growing pass ({@link CmafEncoder.Extras#growing()}) is still
 * writing: the segments ffmpeg has finished so far and the playlist to publish over them.
 *
 * <p>The published playlist is ffmpeg's EVENT playlist with each segment's measured
 * {@code EXT-X-BITRATE} (as {@link SegmentBitrates} writes for finished renditions) and
 * {@code EXT-X-START:TIME-OFFSET=0}: without it a player takes a playlist with no ENDLIST for live
 * and starts near its end, whereas a viewer of a video still processing wants its beginning.
 * Segments are only ever appended, so a player that reloads it (as players reload EVENT
 * playlists every target duration) sees the video grow and plays on without a stall as long as
 * the encoder stays ahead of it.
 *
 * @param segments the finished segment files in playlist order, to store before {@link #m3u8}
 * @param complete ffmpeg wrote ENDLIST: the rendition is finished
 */
public record GrowingPlaylist(String m3u8, List<Path> segments, double seconds, boolean complete) {
    public static final String START_AT_BEGINNING = "#EXT-X-START:TIME-OFFSET=0";

    public GrowingPlaylist {
        segments = List.copyOf(segments);
    }

    /**
     * Reads {@code <dir>/index.m3u8} as ffmpeg last wrote it. Empty until it lists a segment.
     * ffmpeg replaces the playlist by renaming a finished temporary file, so it is never read
     * half-written, and it lists a segment only once that segment is complete.
     */
    public static Optional<GrowingPlaylist> read(Path dir) {
        Path playlist = dir.resolve(CmafEncoder.PLAYLIST);
        String text;
        try {
            text = Files.readString(playlist);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the growing playlist " + playlist, e);
        }
        if (!text.contains("#EXTINF:")) return Optional.empty();
        MediaPlaylist parsed = MediaPlaylist.parse(text);
        StringBuilder out = new StringBuilder(text.length() + parsed.segments().size() * 24 + 32);
        List<Path> files = new ArrayList<>();
        int next = 0;
        try {
            for (String line : text.lines().toList()) {
                if (line.startsWith("#EXT-X-START:")) continue; // ours is written below
                if (line.startsWith("#EXTINF:")) {
                    MediaPlaylist.Segment segment = parsed.segments().get(next++);
                    Path file = dir.resolve(segment.uri());
                    files.add(file);
                    out.append("#EXT-X-BITRATE:").append(SegmentBitrates.kbps(Files.size(file), segment.durationSeconds())).append('\n');
                }
                out.append(line).append('\n');
                if (line.startsWith("#EXT-X-TARGETDURATION:")) out.append(START_AT_BEGINNING).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("A segment listed in " + playlist + " cannot be read", e);
        }
        return Optional.of(new GrowingPlaylist(out.toString(), files, parsed.totalDurationSeconds(), text.contains("#EXT-X-ENDLIST")));
    }
}
