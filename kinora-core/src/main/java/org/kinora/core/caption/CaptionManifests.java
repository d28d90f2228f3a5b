package org.kinora.core.caption;

import java.io.IOException;
import java.util.List;

/**
 * Port: writes a video's caption tracks into its published HLS master playlist (a SUBTITLES
 * group) and DASH manifest (text AdaptationSets), replacing whatever tracks were listed before.
 * Done from the stored manifests, never by transcoding again; a video without manifests yet is
 * left alone (they get the tracks once processing publishes them).
 */
public interface CaptionManifests {
    void publish(String videoId, List<CaptionTrack> tracks, double durationSeconds) throws IOException;
}
