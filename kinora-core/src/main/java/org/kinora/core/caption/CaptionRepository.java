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

    default Optional<CaptionTrack> find(String videoId, String language) {
        return list(videoId).stream().filter(t -> t.language().equals(language)).findFirst();
    }
}
