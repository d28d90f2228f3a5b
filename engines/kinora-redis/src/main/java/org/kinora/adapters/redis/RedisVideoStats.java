package org.kinora.adapters.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.kinora.core.engagement.VideoStats;
import org.kinora.core.engagement.VideoStatsRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-video counters (views, likes, dislikes, comments) read through Redis: {@code
 * kinora:vstats:{id}} holds "views:likes:dislikes:comments" for a few seconds, so a video page or
 * listing that thousands open at once costs the database one counter query per video per TTL
 * across all nodes instead of one per request. The counters stay written where they are today
 * (views: each node buffers play events and writes them in batches; likes and comments: in the
 * database transaction of the action), so nothing is lost if Redis is flushed. What a viewer
 * sees lags the database by at most the TTL; the person who likes gets the fresh count in the
 * answer to the like itself, which does not go through here.
 */
public final class RedisVideoStats implements VideoStatsRepository {
    private static final Logger log = LoggerFactory.getLogger(RedisVideoStats.class);
    private static final String SET_ALL = """
            local ttl = ARGV[#ARGV]
            for i = 1, #KEYS do redis.call('SET', KEYS[i], ARGV[i], 'PX', ttl) end
            return #KEYS""";

    private final VideoStatsRepository db;
    private final Redis redis;
    private final long ttlMillis;
    private final Redis.Complaints complaints = new Redis.Complaints();

    public RedisVideoStats(VideoStatsRepository db, Redis redis, Duration ttl) {
        this.db = db;
        this.redis = redis;
        this.ttlMillis = ttl.toMillis();
    }

    static String key(String id) { return Redis.PREFIX + "vstats:" + id; }

    @Override
    public Map<String, VideoStats> find(Collection<String> videoIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(videoIds));
        if (ids.isEmpty()) return Map.of();
        List<String> cached;
        try {
            cached = redis.client().mget(ids.stream().map(RedisVideoStats::key).toArray(String[]::new));
        } catch (RuntimeException e) {
            complaints.warn(log, "reading cached counters", e);
            return db.find(ids);
        }
        Map<String, VideoStats> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            VideoStats s = decode(ids.get(i), cached.get(i));
            if (s == null) missing.add(ids.get(i));
            else out.put(s.videoId(), s);
        }
        if (missing.isEmpty()) return out;
        Map<String, VideoStats> loaded = db.find(missing);
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String id : missing) {
            VideoStats s = loaded.getOrDefault(id, VideoStats.zero(id));
            out.put(id, s);
            keys.add(key(id));
            values.add(s.viewCount() + ":" + s.likeCount() + ":" + s.dislikeCount() + ":" + s.commentCount());
        }
        values.add(Long.toString(ttlMillis));
        try {
            redis.client().eval(SET_ALL, keys, values);
        } catch (RuntimeException e) {
            complaints.warn(log, "caching counters", e);
        }
        return out;
    }

    private static VideoStats decode(String id, String value) {
        if (value == null) return null;
        String[] p = value.split(":");
        if (p.length != 4) return null;
        try {
            return new VideoStats(id, Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
