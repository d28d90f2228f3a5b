package org.kinora.core.playlist;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;

/** Port: playlists and their ordered items. */
public interface PlaylistRepository {
    void insert(Playlist p);

    /** Creates the user's Watch later unless it exists; returns it either way. */
    Playlist ensureWatchLater(String ownerId, Instant at);

    Optional<Playlist> find(String id);

    /** The owner's playlists (Watch later first); {@code publicOnly} for other viewers. */
    List<Playlist> listByOwner(String ownerId, boolean publicOnly);

    void update(String id, String title, String description, Privacy privacy, Instant at);

    void delete(String id);

    /** An entry in order; {@code video} is what the viewer may see of it. */
    record Item(int position, Video video, Instant addedAt) {}

    /**
     * Appends (or moves to {@code position} when given); adding a video already in the playlist
     * only moves it when a position is given. Positions are 0-based and stay dense.
     */
    void add(String playlistId, String videoId, Integer position, Instant at);

    boolean remove(String playlistId, String videoId, Instant at);

    /** Moves an item to {@code position} (clamped to the list); false when the video is not in it. */
    boolean move(String playlistId, String videoId, int position, Instant at);

    /** Items in order, positions from {@code fromPosition}, hiding videos the viewer may not see. */
    List<Item> items(String playlistId, String viewerId, int fromPosition, int limit);

    int size(String playlistId);

    Optional<Integer> positionOf(String playlistId, String videoId);
}
