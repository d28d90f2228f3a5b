package org.kinora.adapters.postgres;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.kinora.core.engagement.VideoStats;
import org.kinora.core.engagement.VideoStatsRepository;

public final class PgVideoStatsRepository implements VideoStatsRepository {
    private final PostgresDatabase db;

    public PgVideoStatsRepository(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, VideoStats> find(Collection<String> videoIds) {
        if (videoIds.isEmpty()) return Map.of();
        return db.withHandle(h -> h.createQuery("SELECT * FROM video_stats WHERE video_id = ANY(:ids)")
                        .bindArray("ids", String.class, List.copyOf(videoIds))
                        .map((rs, ctx) -> new VideoStats(rs.getString("video_id"), rs.getLong("view_count"), rs.getLong("like_count"),
                                rs.getLong("dislike_count"), rs.getLong("comment_count")))
                        .list())
                .stream().collect(Collectors.toMap(VideoStats::videoId, Function.identity()));
    }
}
