package org.kinora.core.engagement;

import java.util.Collection;
import java.util.Map;

/** Port: per-video counters; videos without a row have all counters at zero. */
public interface VideoStatsRepository {
    Map<String, VideoStats> find(Collection<String> videoIds);
}
