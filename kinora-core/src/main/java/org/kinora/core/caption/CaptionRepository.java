package org.kinora.core.caption;

import java.util.List;
import java.util.Optional;

/** Port: the caption tracks of videos, with their text for search. */
public interface CaptionRepository {
    /** Adds or replaces the track of {@code track.language()}. */
    void upsert(CaptionTrack track, String searchText);

    /** Whether a track was there to delete. */
    boolean delete(String videoId, String language);

    List<CaptionTrack> list(String videoId);

    /**
     * Inside a transaction: takes the video's manifest lock (held until the transaction ends) and
     * lists its tracks. Whoever rewrites the video's master playlist or MPD (the transcoder as rungs
     * join the ladder, the caption service after a change) does it under this lock, with these
     * tracks, so two rewrites never interleave and the last one always lists the current tracks.
     */
    List<CaptionTrack> listLockingManifests(String videoId);

    default Optional<CaptionTrack> find(String videoId, String language) {
        return list(videoId).stream().filter(t -> t.language().equals(language)).findFirst();
    }
}
