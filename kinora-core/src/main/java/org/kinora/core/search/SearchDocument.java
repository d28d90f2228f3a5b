package org.kinora.core.search;

import java.time.Instant;
import java.util.List;

/**
 * What the search index holds about one publicly listed video. {@code channelName} is the
 * owner's username until channels get names of their own; {@code views} is the total known when
 * the document was built; {@code heat} is the trending heat at {@code heatAt}: the sum over the
 * views of the last 7 days of 0.5^(age in days), which keeps halving daily until new views come.
 */
public record SearchDocument(
        String videoId,
        String ownerId,
        String channelName,
        String title,
        String description,
        List<String> tags,
        Double durationSeconds,
        Instant publishedAt,
        long views,
        double heat,
        Instant heatAt) {

    public SearchDocument {
        tags = List.copyOf(tags);
    }
}
