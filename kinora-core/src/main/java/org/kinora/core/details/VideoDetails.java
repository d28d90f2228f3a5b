package org.kinora.core.details;

import java.time.Instant;
import java.util.List;

/**
 * What a creator sets about a video in Studio beyond title and description: {@code category}
 * and {@code language} (both search filters), {@code licence}, {@code chapters} typed in Studio
 * (one "0:00 Title" per line; null means the description's timestamps) and {@code publishAt}, the
 * time the video turns public (null when none is scheduled). Null fields are unset.
 */
public record VideoDetails(String videoId, String category, String language, String licence, String chapters, Instant publishAt) {
    public static final List<String> CATEGORIES = List.of("autos", "comedy", "education", "entertainment", "film", "gaming",
            "howto", "music", "news", "nonprofit", "people", "pets", "science", "sports", "tech", "travel", "other");
    public static final List<String> LICENCES = List.of("all-rights-reserved", "cc-by", "cc-by-sa", "cc-by-nd", "cc-by-nc",
            "cc-by-nc-sa", "cc-by-nc-nd", "cc0", "public-domain");

    public static VideoDetails none(String videoId) {
        return new VideoDetails(videoId, null, null, null, null, null);
    }
}
