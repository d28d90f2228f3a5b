package org.kinora.core.moderation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which new videos and comments wait for review before others see them: uploads by accounts
 * younger than {@code newAccountDays} days or with fewer than {@code minPublished} published
 * videos (0 turns each rule off), and text containing one of {@code keywords} (comments always,
 * video titles and descriptions when {@code videosByKeyword}).
 */
public record HoldPolicy(int newAccountDays, int minPublished, List<String> keywords, boolean videosByKeyword) {
    public static final HoldPolicy OFF = new HoldPolicy(0, 0, List.of(), false);

    public HoldPolicy {
        keywords = keywords.stream().map(k -> k.strip().toLowerCase(Locale.ROOT)).filter(k -> !k.isEmpty()).toList();
    }

    /** Why an upload is held, or empty when it publishes as usual. */
    public Optional<String> videoHold(Instant accountCreatedAt, long publishedVideos, String title, String description, Instant now) {
        if (newAccountDays > 0 && accountCreatedAt.plus(Duration.ofDays(newAccountDays)).isAfter(now)) {
            return Optional.of("New accounts' uploads are reviewed before they are public (account younger than " + newAccountDays + " days).");
        }
        if (minPublished > 0 && publishedVideos < minPublished) {
            return Optional.of("Uploads are reviewed until a channel has " + minPublished + " published videos.");
        }
        if (videosByKeyword) return keyword(title + "\n" + description).map(k -> "The title or description contains \"" + k + "\".");
        return Optional.empty();
    }

    /** Why a comment is held, or empty. */
    public Optional<String> commentHold(String body) {
        return keyword(body).map(k -> "The comment contains \"" + k + "\".");
    }

    private Optional<String> keyword(String text) {
        if (text == null || keywords.isEmpty()) return Optional.empty();
        String lower = text.toLowerCase(Locale.ROOT);
        return keywords.stream().filter(lower::contains).findFirst();
    }
}
