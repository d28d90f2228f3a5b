package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.common.Ids;
import org.kinora.core.playlist.Playlist;
import org.kinora.core.playlist.PlaylistRepository;
import org.kinora.core.video.Privacy;

/** Positions are dense 0..n-1; every change renumbers within one transaction under a lock on the playlist row. */
public final class PgPlaylistRepository implements PlaylistRepository {
    private static final String SELECT = """
            SELECT p.*, (SELECT count(*) FROM playlist_items i WHERE i.playlist_id = p.id) AS item_count FROM playlists p
            """;
    private static final RowMapper<Playlist> PLAYLIST = (rs, ctx) -> new Playlist(rs.getString("id"), rs.getString("owner_id"),
            Playlist.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("title"), rs.getString("description"),
            Privacy.valueOf(rs.getString("privacy").toUpperCase(Locale.ROOT)), rs.getInt("item_count"),
            PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "updated_at"));

    private final PostgresDatabase db;

    public PgPlaylistRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(Playlist p) {
        db.useHandle(h -> insert(h, p, false));
    }

    private static int insert(Handle h, Playlist p, boolean ignoreConflict) {
        return h.createUpdate("""
                        INSERT INTO playlists (id, owner_id, kind, title, description, privacy, created_at, updated_at)
                        VALUES (:id, :owner, :kind, :title, :description, :privacy, :at, :at)""" + (ignoreConflict ? " ON CONFLICT DO NOTHING" : ""))
                .bind("id", p.id()).bind("owner", p.ownerId()).bind("kind", p.kind().name().toLowerCase(Locale.ROOT))
                .bind("title", p.title()).bind("description", p.description()).bind("privacy", p.privacy().wireName())
                .bind("at", p.createdAt()).execute();
    }

    @Override
    public Playlist ensureWatchLater(String ownerId, Instant at) {
        return db.withHandle(h -> {
            Optional<Playlist> existing = h.createQuery(SELECT + " WHERE p.owner_id = :o AND p.kind = 'watch_later'")
                    .bind("o", ownerId).map(PLAYLIST).findOne();
            if (existing.isPresent()) return existing.get();
            insert(h, new Playlist(Ids.newId(), ownerId, Playlist.Kind.WATCH_LATER, "Watch later", "", Privacy.PRIVATE, 0, at, at), true);
            return h.createQuery(SELECT + " WHERE p.owner_id = :o AND p.kind = 'watch_later'").bind("o", ownerId).map(PLAYLIST).one();
        });
    }

    @Override
    public Optional<Playlist> find(String id) {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE p.id = :id").bind("id", id).map(PLAYLIST).findOne());
    }

    @Override
    public List<Playlist> listByOwner(String ownerId, boolean publicOnly) {
        return db.withHandle(h -> h.createQuery(SELECT + " WHERE p.owner_id = :o" + (publicOnly ? " AND p.privacy = 'public'" : "")
                        + " ORDER BY (p.kind = 'watch_later') DESC, p.created_at DESC, p.id")
                .bind("o", ownerId).map(PLAYLIST).list());
    }

    @Override
    public void update(String id, String title, String description, Privacy privacy, Instant at) {
        db.useHandle(h -> h.createUpdate("""
                        UPDATE playlists SET title = :title, description = :d, privacy = :privacy, updated_at = :at WHERE id = :id""")
                .bind("id", id).bind("title", title).bind("d", description).bind("privacy", privacy.wireName()).bind("at", at).execute());
    }

    @Override
    public void delete(String id) {
        db.useHandle(h -> h.createUpdate("DELETE FROM playlists WHERE id = :id").bind("id", id).execute());
    }

    /** Serialises changes to one playlist's order. */
    private static void lock(Handle h, String playlistId, Instant at) {
        h.createUpdate("UPDATE playlists SET updated_at = :at WHERE id = :id").bind("id", playlistId).bind("at", at).execute();
    }

    @Override
    public void add(String playlistId, String videoId, Integer position, Instant at) {
        db.useHandle(h -> {
            lock(h, playlistId, at);
            h.createUpdate("""
                            INSERT INTO playlist_items (playlist_id, video_id, position, added_at)
                            VALUES (:p, :v, (SELECT count(*) FROM playlist_items WHERE playlist_id = :p), :at)
                            ON CONFLICT DO NOTHING""")
                    .bind("p", playlistId).bind("v", videoId).bind("at", at).execute();
            // Adding a video that is already there only moves it, and only when a position is given.
            if (position != null) moveLocked(h, playlistId, videoId, position);
        });
    }

    @Override
    public boolean remove(String playlistId, String videoId, Instant at) {
        return db.withHandle(h -> {
            lock(h, playlistId, at);
            Optional<Integer> pos = h.createQuery("DELETE FROM playlist_items WHERE playlist_id = :p AND video_id = :v RETURNING position")
                    .bind("p", playlistId).bind("v", videoId).mapTo(Integer.class).findOne();
            pos.ifPresent(p -> h.createUpdate("UPDATE playlist_items SET position = position - 1 WHERE playlist_id = :p AND position > :pos")
                    .bind("p", playlistId).bind("pos", p).execute());
            return pos.isPresent();
        });
    }

    @Override
    public boolean move(String playlistId, String videoId, int position, Instant at) {
        return db.withHandle(h -> {
            lock(h, playlistId, at);
            return moveLocked(h, playlistId, videoId, position);
        });
    }

    private static boolean moveLocked(Handle h, String playlistId, String videoId, int wanted) {
        Optional<Integer> current = h.createQuery("SELECT position FROM playlist_items WHERE playlist_id = :p AND video_id = :v")
                .bind("p", playlistId).bind("v", videoId).mapTo(Integer.class).findOne();
        if (current.isEmpty()) return false;
        int size = h.createQuery("SELECT count(*) FROM playlist_items WHERE playlist_id = :p").bind("p", playlistId).mapTo(Integer.class).one();
        int from = current.get();
        int to = Math.min(wanted, size - 1);
        if (from == to) return true;
        // Shift the items between the two places by one, then drop the moved one in.
        if (to < from) {
            h.createUpdate("UPDATE playlist_items SET position = position + 1 WHERE playlist_id = :p AND position >= :to AND position < :from")
                    .bind("p", playlistId).bind("to", to).bind("from", from).execute();
        } else {
            h.createUpdate("UPDATE playlist_items SET position = position - 1 WHERE playlist_id = :p AND position > :from AND position <= :to")
                    .bind("p", playlistId).bind("to", to).bind("from", from).execute();
        }
        h.createUpdate("UPDATE playlist_items SET position = :to WHERE playlist_id = :p AND video_id = :v")
                .bind("p", playlistId).bind("v", videoId).bind("to", to).execute();
        return true;
    }

    @Override
    public List<Item> items(String playlistId, String viewerId, int fromPosition, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT v.*, i.position AS i_position, i.added_at AS i_added_at
                        FROM playlist_items i JOIN videos v ON v.id = i.video_id
                        WHERE i.playlist_id = :p AND i.position >= :from
                          AND v.deleted_at IS NULL AND (v.owner_id = :viewer OR (v.privacy <> 'private' AND WITHHELD))
                        ORDER BY i.position LIMIT :limit""".replace("WITHHELD", PgRestrictionRepository.notWithheld("v")))
                .bind("p", playlistId).bind("from", fromPosition).bind("viewer", viewerId).bind("limit", limit)
                .map((rs, ctx) -> new Item(rs.getInt("i_position"), PgVideoRepository.VIDEO.map(rs, ctx),
                        PgVideoRepository.instant(rs, "i_added_at")))
                .list());
    }

    @Override
    public int size(String playlistId) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM playlist_items WHERE playlist_id = :p")
                .bind("p", playlistId).mapTo(Integer.class).one());
    }

    @Override
    public Optional<Integer> positionOf(String playlistId, String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT position FROM playlist_items WHERE playlist_id = :p AND video_id = :v")
                .bind("p", playlistId).bind("v", videoId).mapTo(Integer.class).findOne());
    }
}
