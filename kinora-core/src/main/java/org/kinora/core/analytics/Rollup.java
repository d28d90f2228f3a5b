package org.kinora.core.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a batch of events adds to the analytics tables: counters per video and hour (the daily
 * table adds the same numbers per day), per video, day and dimension value, retention passes per
 * video and day, the viewers counted per video and day, views per minute, subscriber changes per
 * channel and hour, and the playback states to keep. Built by {@link PlaybackFold}; written in one
 * transaction by the repository.
 */
public final class Rollup {
    /** Mutable counters of one video in one hour. */
    public static final class Counts {
        public long plays, views, watchMs, likes, dislikes, comments;
    }

    public record Hour(String videoId, Instant hour) {}

    public record Dim(String videoId, LocalDate day, String dimension, String value) {}

    public record Day(String videoId, LocalDate day) {}

    public record Viewer(String videoId, LocalDate day, long viewerHash) {}

    public record Minute(String videoId, Instant minute) {}

    public record ChannelHour(String channelId, Instant hour) {}

    /** The channel of each video touched. */
    public final Map<String, String> channels = new HashMap<>();
    public final Map<Hour, Counts> hourly = new LinkedHashMap<>();
    /** {views, watch ms} per dimension value. */
    public final Map<Dim, long[]> dims = new LinkedHashMap<>();
    /** Passes over each 1 % point of the video. */
    public final Map<Day, long[]> retention = new LinkedHashMap<>();
    public final Set<Viewer> viewers = new HashSet<>();
    public final Map<Minute, long[]> minutes = new LinkedHashMap<>();
    /** {gained, lost}. */
    public final Map<ChannelHour, long[]> subscribers = new LinkedHashMap<>();
    public final Map<PlaybackFold.Key, PlaybackFold.State> playbacks = new LinkedHashMap<>();

    Counts at(String videoId, Instant t) {
        return hourly.computeIfAbsent(new Hour(videoId, t.truncatedTo(ChronoUnit.HOURS)), k -> new Counts());
    }

    void dim(String videoId, Instant t, String dimension, String value, long views, long watchMs) {
        if (value == null) return;
        long[] c = dims.computeIfAbsent(new Dim(videoId, day(t), dimension, value), k -> new long[2]);
        c[0] += views;
        c[1] += watchMs;
    }

    static LocalDate day(Instant t) {
        return t.atZone(ZoneOffset.UTC).toLocalDate();
    }

    public boolean isEmpty() {
        return hourly.isEmpty() && subscribers.isEmpty() && playbacks.isEmpty();
    }
}
