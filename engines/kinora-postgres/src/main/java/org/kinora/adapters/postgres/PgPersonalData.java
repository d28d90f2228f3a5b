package org.kinora.adapters.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.ResultSetMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kinora.core.account.PersonalData;

/** The account's rows in every table that holds personal data, read for export and erased for deletion. */
public final class PgPersonalData implements PersonalData {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One export document per query; {@code :u} is the account id. */
    private static final Map<String, String> EXPORT = new LinkedHashMap<>();

    static {
        EXPORT.put("account.json", """
                SELECT id, username, email, role, upload_quota_bytes, history_paused, created_at, email_verified_at,
                       (SELECT b.birth_date::text FROM account_birth_dates b WHERE b.user_id = users.id) AS birth_date
                FROM users WHERE id = :u""");
        EXPORT.put("channel.json", "SELECT id, handle, display_name, description, subscriber_count, created_at FROM channels WHERE id = :u");
        EXPORT.put("videos.json", """
                SELECT id, title, description, privacy, status, failure_reason, duration_seconds, width, height,
                       created_at, published_at
                FROM videos WHERE owner_id = :u AND deleted_at IS NULL ORDER BY created_at""");
        EXPORT.put("comments.json", """
                SELECT id, video_id, parent_id, body, created_at, edited_at FROM comments
                WHERE author_id = :u AND deleted_at IS NULL ORDER BY created_at""");
        EXPORT.put("ratings.json", "SELECT * FROM video_reactions WHERE user_id = :u ORDER BY created_at");
        EXPORT.put("subscriptions.json", "SELECT channel_id, created_at FROM subscriptions WHERE subscriber_id = :u ORDER BY created_at");
        EXPORT.put("playlists.json", """
                SELECT p.*, (SELECT coalesce(json_agg(i.video_id ORDER BY i.position), '[]'::json)::text
                             FROM playlist_items i WHERE i.playlist_id = p.id) AS video_ids
                FROM playlists p WHERE p.owner_id = :u ORDER BY p.created_at""");
        EXPORT.put("history.json", "SELECT * FROM watch_history WHERE user_id = :u ORDER BY updated_at");
        EXPORT.put("notifications.json", "SELECT * FROM notifications WHERE user_id = :u ORDER BY id");
    }

    private final PostgresDatabase db;

    public PgPersonalData(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public List<String> videoIds(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT id FROM videos WHERE owner_id = :u AND deleted_at IS NULL ORDER BY created_at")
                .bind("u", userId).mapTo(String.class).list());
    }

    @Override
    public List<LiveComment> liveComments(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT id, video_id FROM comments WHERE author_id = :u AND deleted_at IS NULL")
                .bind("u", userId).map((rs, ctx) -> new LiveComment(rs.getString("id"), rs.getString("video_id"))).list());
    }

    @Override
    public void export(String userId, EntryWriter out) throws IOException {
        for (var e : EXPORT.entrySet()) {
            List<Map<String, Object>> rows = db.withHandle(h -> h.createQuery(e.getValue()).bind("u", userId).map((rs, ctx) -> {
                ResultSetMetaData md = rs.getMetaData();
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(md.getColumnLabel(i), v instanceof java.sql.Timestamp t ? t.toInstant().toString()
                            : v == null || v instanceof Number || v instanceof Boolean ? v : v.toString());
                }
                return row;
            }).list());
            Object doc = e.getKey().equals("account.json") || e.getKey().equals("channel.json")
                    ? (rows.isEmpty() ? Map.of() : rows.getFirst()) : new ArrayList<>(rows);
            OutputStream os = out.entry(e.getKey());
            os.write(JSON.writeValueAsBytes(doc));
        }
    }

    @Override
    public void erase(String userId, Instant at) {
        db.inTransaction(() -> {
            db.useHandle(h -> {
                h.createUpdate("DELETE FROM watch_history WHERE user_id = :u").bind("u", userId).execute();
                h.createUpdate("""
                                UPDATE channels c SET subscriber_count = greatest(0, c.subscriber_count - 1)
                                FROM subscriptions s WHERE s.subscriber_id = :u AND s.channel_id = c.id""")
                        .bind("u", userId).execute();
                h.createUpdate("DELETE FROM subscriptions WHERE subscriber_id = :u OR channel_id = :u").bind("u", userId).execute();
                h.createUpdate("DELETE FROM playlists WHERE owner_id = :u").bind("u", userId).execute();
                h.createUpdate("DELETE FROM notifications WHERE user_id = :u").bind("u", userId).execute();
                h.createUpdate("DELETE FROM web_sessions WHERE user_id = :u").bind("u", userId).execute();
                h.createUpdate("DELETE FROM account_tokens WHERE user_id = :u").bind("u", userId).execute();
                h.createUpdate("DELETE FROM account_birth_dates WHERE user_id = :u").bind("u", userId).execute();
                h.createUpdate("UPDATE comments SET body = '' WHERE author_id = :u").bind("u", userId).execute();
                h.createUpdate("""
                                UPDATE channels SET handle = 'deleted-' || id, display_name = 'Deleted account', description = '',
                                    avatar_file = NULL, banner_file = NULL, subscriber_count = 0, updated_at = :at
                                WHERE id = :u""")
                        .bind("u", userId).bind("at", at).execute();
                // An unusable password hash: no password verifies against it.
                h.createUpdate("""
                                UPDATE users SET username = 'deleted-' || id, email = id || '@deleted.invalid',
                                    password_hash = '!account-deleted', role = 'user', suspended_at = :at,
                                    suspension_reason = 'This account was deleted.'
                                WHERE id = :u""")
                        .bind("u", userId).bind("at", at).execute();
            });
            return null;
        });
    }
}
