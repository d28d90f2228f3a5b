package org.kinora.adapters.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.upload.Upload;
import org.kinora.core.upload.UploadRepository;

public final class PgUploadRepository implements UploadRepository {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

    private static final RowMapper<Upload> MAPPER = (rs, ctx) -> {
        Timestamp completed = rs.getTimestamp("completed_at");
        String concat = rs.getString("concat");
        return new Upload(rs.getString("id"), rs.getString("video_id"), rs.getString("owner_id"),
                rs.getLong("length"), rs.getLong("upload_offset"), readMetadata(rs.getString("metadata")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("expires_at").toInstant(),
                completed == null ? null : completed.toInstant(),
                concat == null ? Upload.Concat.NONE : Upload.Concat.valueOf(concat.toUpperCase(java.util.Locale.ROOT)),
                List.of((String[]) rs.getArray("concat_parts").getArray()), rs.getString("consumed_by"));
    };

    private final PostgresDatabase db;

    public PgUploadRepository(PostgresDatabase db) {
        this.db = db;
    }

    private static Map<String, String> readMetadata(String json) {
        try {
            return JSON.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored upload metadata is not JSON", e);
        }
    }

    @Override
    public void insert(Upload u) {
        String metadata;
        try {
            metadata = JSON.writeValueAsString(u.metadata());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        db.useHandle(h -> h.createUpdate("""
                        INSERT INTO uploads (id, video_id, owner_id, length, upload_offset, metadata, created_at, expires_at,
                                             completed_at, concat, concat_parts)
                        VALUES (:id, :video, :owner, :length, :offset, CAST(:metadata AS jsonb), :createdAt, :expiresAt,
                                :completedAt, :concat, :parts)""")
                .bind("id", u.id()).bind("video", u.videoId()).bind("owner", u.ownerId()).bind("length", u.length())
                .bind("offset", u.offset()).bind("metadata", metadata).bind("createdAt", u.createdAt())
                .bind("expiresAt", u.expiresAt()).bind("completedAt", u.completedAt())
                .bind("concat", u.concat() == Upload.Concat.NONE ? null : u.concat().name().toLowerCase(java.util.Locale.ROOT))
                .bind("parts", u.parts().toArray(String[]::new)).execute());
    }

    @Override
    public Optional<Upload> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM uploads WHERE id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public void updateOffset(String id, long offset) {
        db.useHandle(h -> h.createUpdate("UPDATE uploads SET upload_offset = :o WHERE id = :id")
                .bind("id", id).bind("o", offset).execute());
    }

    @Override
    public void markCompleted(String id, Instant at) {
        db.useHandle(h -> h.createUpdate("UPDATE uploads SET completed_at = :at WHERE id = :id")
                .bind("id", id).bind("at", at).execute());
    }

    @Override
    public void delete(String id) {
        db.useHandle(h -> h.createUpdate("DELETE FROM uploads WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public boolean claimWriter(String id, String writer, Duration ttl) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE uploads SET writer = :writer, writer_until = clock_timestamp() + make_interval(secs => :ttl)
                        WHERE id = :id AND (writer IS NULL OR writer = :writer OR writer_until < clock_timestamp())""")
                .bind("id", id).bind("writer", writer).bind("ttl", ttl.toMillis() / 1000.0).execute()) == 1;
    }

    @Override
    public void releaseWriter(String id, String writer) {
        db.useHandle(h -> h.createUpdate("UPDATE uploads SET writer = NULL, writer_until = NULL WHERE id = :id AND writer = :writer")
                .bind("id", id).bind("writer", writer).execute());
    }

    @Override
    public List<Upload> findAwaitingCompletion(int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM uploads WHERE completed_at IS NULL AND upload_offset = length ORDER BY created_at LIMIT :limit""")
                .bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public int countUnfinished(String ownerId, Instant now) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM uploads WHERE owner_id = :owner AND expires_at >= :now
                        AND (completed_at IS NULL OR (concat = 'partial' AND consumed_by IS NULL))""")
                .bind("owner", ownerId).bind("now", now).mapTo(Integer.class).one());
    }

    @Override
    public List<Upload> findExpired(Instant now, int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT * FROM uploads WHERE expires_at < :now
                        AND (completed_at IS NULL OR (concat = 'partial' AND consumed_by IS NULL))
                        ORDER BY expires_at LIMIT :limit""")
                .bind("now", now).bind("limit", limit).map(MAPPER).list());
    }

    @Override
    public boolean claimParts(List<String> partIds, String ownerId, String finalId, Instant now) {
        int claimed = db.withHandle(h -> h.createUpdate("""
                        UPDATE uploads SET consumed_by = :final
                        WHERE id = ANY(:ids) AND owner_id = :owner AND concat = 'partial' AND consumed_by IS NULL
                        AND completed_at IS NOT NULL AND expires_at >= :now""")
                .bind("final", finalId).bind("ids", partIds.toArray(String[]::new)).bind("owner", ownerId)
                .bind("now", now).execute());
        // All or none: the caller throws on false, which rolls the partial claim back with its transaction.
        return claimed == partIds.size();
    }

    @Override
    public void deleteClaimedBy(String finalId) {
        db.useHandle(h -> h.createUpdate("DELETE FROM uploads WHERE consumed_by = :final").bind("final", finalId).execute());
    }
}
