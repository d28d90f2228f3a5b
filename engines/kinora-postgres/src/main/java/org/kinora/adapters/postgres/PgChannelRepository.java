package org.kinora.adapters.postgres;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.channel.Channel;
import org.kinora.core.channel.ChannelImage;
import org.kinora.core.channel.ChannelRepository;

public final class PgChannelRepository implements ChannelRepository {
    static final RowMapper<Channel> CHANNEL = (rs, ctx) -> new Channel(rs.getString("id"), rs.getString("handle"),
            rs.getString("display_name"), rs.getString("description"), rs.getString("avatar_file"), rs.getString("banner_file"),
            rs.getLong("subscriber_count"), PgVideoRepository.instant(rs, "created_at"), PgVideoRepository.instant(rs, "updated_at"));

    private final PostgresDatabase db;

    public PgChannelRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public boolean insertIfAbsent(Channel c) {
        return db.withHandle(h -> h.createUpdate("""
                        INSERT INTO channels (id, handle, display_name, description, created_at, updated_at)
                        VALUES (:id, :handle, :name, :description, :createdAt, :updatedAt)
                        ON CONFLICT DO NOTHING""")
                .bind("id", c.id()).bind("handle", c.handle()).bind("name", c.displayName()).bind("description", c.description())
                .bind("createdAt", c.createdAt()).bind("updatedAt", c.updatedAt()).execute()) == 1;
    }

    @Override
    public Optional<Channel> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM channels WHERE id = :id").bind("id", id).map(CHANNEL).findOne());
    }

    @Override
    public Optional<Channel> findByHandle(String handle) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM channels WHERE lower(handle) = lower(:h)")
                .bind("h", handle).map(CHANNEL).findOne());
    }

    @Override
    public Map<String, Channel> findAll(Collection<String> ids) {
        List<Channel> found = db.withHandle(h -> h.createQuery("SELECT * FROM channels WHERE id = ANY(:ids)")
                .bindArray("ids", String.class, List.copyOf(ids)).map(CHANNEL).list());
        return found.stream().collect(Collectors.toMap(Channel::id, Function.identity()));
    }

    @Override
    public boolean updateProfile(String id, String handle, String displayName, String description) {
        return db.withHandle(h -> h.createUpdate("""
                        UPDATE channels SET handle = :handle, display_name = :name, description = :description, updated_at = now()
                        WHERE id = :id AND NOT EXISTS (SELECT 1 FROM channels o WHERE lower(o.handle) = lower(:handle) AND o.id <> :id)""")
                .bind("id", id).bind("handle", handle).bind("name", displayName).bind("description", description)
                .execute()) == 1;
    }

    @Override
    public void setImage(String id, ChannelImage kind, String file) {
        String column = kind == ChannelImage.AVATAR ? "avatar_file" : "banner_file";
        db.useHandle(h -> h.createUpdate("UPDATE channels SET " + column + " = :file, updated_at = now() WHERE id = :id")
                .bind("id", id).bind("file", file).execute());
    }

    @Override
    public long publicVideoCount(String id) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM videos WHERE owner_id = :id AND privacy = 'public' AND status = 'ready' AND deleted_at IS NULL"""
                        + " AND " + PgRestrictionRepository.notWithheld("videos"))
                .bind("id", id).mapTo(Long.class).one());
    }
}
