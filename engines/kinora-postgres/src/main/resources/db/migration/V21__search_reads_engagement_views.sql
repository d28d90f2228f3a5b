-- Search's trending and sort=views now read the engagement counters (video_stats.view_count and
-- video_daily_stats), which the view recorder keeps; search's own per-event tallies go.
DROP TABLE search_views;
DROP TABLE search_video_stats;

-- Trending sums the last seven days of every video: read by day, not by video.
CREATE INDEX video_daily_stats_recent ON video_daily_stats (day, video_id) INCLUDE (views);
