package org.kinora.adapters.postgres;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.kinora.core.account.User;
import org.kinora.core.account.UserRepository;

public final class PgUserRepository implements UserRepository {
    private static final RowMapper<User> MAPPER = (rs, ctx) -> new User(rs.getString("id"), rs.getString("username"),
            rs.getString("email"), rs.getString("password_hash"), rs.getTimestamp("created_at").toInstant());

    private final PostgresDatabase db;

    public PgUserRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public boolean insertIfAbsent(User user) {
        return db.withHandle(h -> h.createUpdate("""
                        INSERT INTO users (id, username, email, password_hash, created_at, role)
                        VALUES (:id, :username, :email, :hash, :createdAt,
                                -- The first account of an instance administers it (like Gitea and PeerTube's root).
                                CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END)
                        ON CONFLICT DO NOTHING""")
                .bind("id", user.id()).bind("username", user.username()).bind("email", user.email())
                .bind("hash", user.passwordHash()).bind("createdAt", user.createdAt())
                .execute()) == 1;
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM users WHERE lower(username) = lower(:u)")
                .bind("u", username).map(MAPPER).findOne());
    }

    @Override
    public Optional<User> findById(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public List<User> findByIds(Collection<String> ids) {
        if (ids.isEmpty()) return List.of();
        return db.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = ANY(:ids)")
                .bindArray("ids", String.class, ids).map(MAPPER).list());
    }

    @Override
    public void updatePasswordHash(String id, String passwordHash) {
        db.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", passwordHash).bind("id", id).execute());
    }
}
