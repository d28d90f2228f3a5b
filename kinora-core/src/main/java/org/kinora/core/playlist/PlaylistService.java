package org.kinora.core.playlist;

import java.util.List;
import java.util.Optional;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.VideoService;

/**
 * Playlists: the owner edits; others see public and unlisted ones (a private playlist is a 404
 * to them, like a private video). Videos the viewer may not see are skipped in listings and
 * in "next".
 */
public final class PlaylistService {
    public static final String WATCH_LATER_REF = "watch-later";
    public static final int MAX_ITEMS = 5000;
    public static final int MAX_PLAYLISTS = 500;

    private final PlaylistRepository playlists;
    private final VideoService videos;
    private final Transactions tx;
    private final Clock clock;

    public PlaylistService(PlaylistRepository playlists, VideoService videos, Transactions tx, Clock clock) {
        this.playlists = playlists;
        this.videos = videos;
        this.tx = tx;
        this.clock = clock;
    }

    public Playlist create(String ownerId, String title, String description, Privacy privacy) {
        if (playlists.listByOwner(ownerId, false).size() >= MAX_PLAYLISTS) {
            throw KinoraException.conflict("too_many_playlists", "You have " + MAX_PLAYLISTS + " playlists, the most allowed.");
        }
        var now = clock.now();
        Playlist p = new Playlist(Ids.newId(), ownerId, Playlist.Kind.REGULAR, validTitle(title), validDescription(description),
                privacy == null ? Privacy.PRIVATE : privacy, 0, now, now);
        playlists.insert(p);
        return p;
    }

    /** By id, or the caller's Watch later for {@code "watch-later"}. */
    public Playlist playlist(String ref, String viewerId) {
        if (WATCH_LATER_REF.equals(ref)) {
            if (viewerId == null) {
                throw KinoraException.unauthorized("authentication_required", "Sign in to use Watch later.");
            }
            return playlists.ensureWatchLater(viewerId, clock.now());
        }
        if (!Ids.looksValid(ref)) throw KinoraException.notFound("Playlist");
        return playlists.find(ref).filter(p -> p.isVisibleTo(viewerId)).orElseThrow(() -> KinoraException.notFound("Playlist"));
    }

    public List<Playlist> listOwn(String ownerId) {
        playlists.ensureWatchLater(ownerId, clock.now());
        return playlists.listByOwner(ownerId, false);
    }

    public List<Playlist> listPublic(String ownerId) {
        return playlists.listByOwner(ownerId, true);
    }

    public Playlist update(String ref, String userId, String title, String description, Privacy privacy) {
        Playlist p = owned(ref, userId);
        if (p.kind() == Playlist.Kind.WATCH_LATER && (title != null || privacy != null && privacy != Privacy.PRIVATE)) {
            throw KinoraException.badRequest("watch_later_fixed", "Watch later keeps its name and stays private.");
        }
        playlists.update(p.id(), title == null ? p.title() : validTitle(title),
                description == null ? p.description() : validDescription(description),
                privacy == null ? p.privacy() : privacy, clock.now());
        return playlists.find(p.id()).orElseThrow();
    }

    public void delete(String ref, String userId) {
        Playlist p = owned(ref, userId);
        if (p.kind() == Playlist.Kind.WATCH_LATER) {
            throw KinoraException.badRequest("watch_later_fixed", "Watch later cannot be deleted; remove its videos instead.");
        }
        playlists.delete(p.id());
    }

    public Playlist add(String ref, String userId, String videoId, Integer position) {
        Playlist p = owned(ref, userId);
        var video = videos.visibleVideo(videoId, userId);
        if (position != null && position < 0) throw KinoraException.badRequest("invalid_position", "position must be 0 or more.");
        tx.inTransaction(() -> {
            if (playlists.size(p.id()) >= MAX_ITEMS) {
                throw KinoraException.conflict("playlist_full", "A playlist holds at most " + MAX_ITEMS + " videos.");
            }
            playlists.add(p.id(), video.id(), position, clock.now());
        });
        return playlists.find(p.id()).orElseThrow();
    }

    public Playlist remove(String ref, String userId, String videoId) {
        Playlist p = owned(ref, userId);
        if (!Ids.looksValid(videoId) || !tx.inTransaction(() -> playlists.remove(p.id(), videoId, clock.now()))) {
            throw KinoraException.notFound("That video in this playlist");
        }
        return playlists.find(p.id()).orElseThrow();
    }

    public Playlist move(String ref, String userId, String videoId, int position) {
        Playlist p = owned(ref, userId);
        if (position < 0) throw KinoraException.badRequest("invalid_position", "position must be 0 or more.");
        if (!Ids.looksValid(videoId) || !tx.inTransaction(() -> playlists.move(p.id(), videoId, position, clock.now()))) {
            throw KinoraException.notFound("That video in this playlist");
        }
        return playlists.find(p.id()).orElseThrow();
    }

    public List<PlaylistRepository.Item> items(Playlist p, String viewerId, int fromPosition, int limit) {
        return playlists.items(p.id(), viewerId, Math.max(0, fromPosition), Math.max(1, Math.min(limit, 200)));
    }

    /** What plays after {@code currentVideoId} (the first item when null or not in the list); empty at the end. */
    public Optional<PlaylistRepository.Item> next(String ref, String viewerId, String currentVideoId) {
        Playlist p = playlist(ref, viewerId);
        int from = currentVideoId == null ? 0
                : playlists.positionOf(p.id(), currentVideoId).map(pos -> pos + 1).orElse(0);
        return playlists.items(p.id(), viewerId, from, 1).stream().findFirst();
    }

    private Playlist owned(String ref, String userId) {
        Playlist p = playlist(ref, userId);
        if (!p.isOwnedBy(userId)) throw KinoraException.forbidden("Only the playlist's owner may change it.");
        return p;
    }

    private static String validTitle(String title) {
        if (title == null || title.isBlank() || title.length() > 150) {
            throw KinoraException.badRequest("invalid_title", "Playlist title must be 1–150 characters.");
        }
        return title.strip();
    }

    private static String validDescription(String d) {
        if (d == null) return "";
        if (d.length() > 5000) throw KinoraException.badRequest("invalid_description", "Playlist description is longer than 5000 characters.");
        return d;
    }
}
