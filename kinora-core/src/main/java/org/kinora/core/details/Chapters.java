package org.kinora.core.details;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.caption.CaptionParser;
import org.kinora.core.common.KinoraException;

/**
 * Chapters from text: every line that starts with a timestamp ({@code 0:00 Intro},
 * {@code 1:02:03 - Outro}, {@code [12:30] Q&A}) is a chapter. The rule is YouTube's, which
 * creators already follow: at least {@link #MIN_CHAPTERS}, the first at 0:00, each later than the
 * one before. A description that breaks the rule simply has no chapters (it may mention times for
 * other reasons); chapters typed in Studio that break it are refused with the reason.
 */
public final class Chapters {
    public static final int MIN_CHAPTERS = 3;
    public static final int MAX_CHAPTERS = 100;
    public static final int MAX_TITLE = 100;

    private static final Pattern LINE = Pattern.compile(
            "^\\s*[\\[(]?((?:(\\d{1,2}):)?(\\d{1,2}):(\\d{2}))[\\])]?\\s*(?:[-–—:|]\\s*)?(.*)$");

    private Chapters() {}

    /** The chapters a description declares, or none when its timestamps do not follow the rule. */
    public static List<Chapter> fromDescription(String description) {
        try {
            return parse(description == null ? "" : description, true);
        } catch (KinoraException notChapters) {
            return List.of();
        }
    }

    /** Chapters typed in Studio (one per line); a 400 naming the problem when they break the rule. */
    public static List<Chapter> parseStrict(String text) {
        return parse(text, false);
    }

    private static List<Chapter> parse(String text, boolean skipOtherLines) {
        List<Chapter> chapters = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                if (skipOtherLines || line.isBlank()) continue;
                throw bad("Line " + (n + 1) + " does not start with a time like 0:00 or 1:02:03.");
            }
            int minutes = Integer.parseInt(m.group(3));
            int seconds = Integer.parseInt(m.group(4));
            if (seconds > 59 || (m.group(2) != null && minutes > 59)) throw bad("Line " + (n + 1) + ": " + m.group(1) + " is not a valid time.");
            int start = (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)) * 3600) + minutes * 60 + seconds;
            String title = m.group(5).strip();
            if (title.isEmpty()) throw bad("Line " + (n + 1) + ": the chapter at " + m.group(1) + " has no title.");
            if (title.length() > MAX_TITLE) throw bad("Line " + (n + 1) + ": chapter titles may be at most " + MAX_TITLE + " characters.");
            if (chapters.isEmpty() && start != 0) throw bad("The first chapter must start at 0:00.");
            if (!chapters.isEmpty() && start <= chapters.getLast().start()) {
                throw bad("Line " + (n + 1) + ": " + m.group(1) + " is not later than the chapter before it.");
            }
            chapters.add(new Chapter(start, title));
        }
        if (chapters.isEmpty() && skipOtherLines) return List.of();
        if (chapters.size() < MIN_CHAPTERS) throw bad("Chapters need at least " + MIN_CHAPTERS + " timestamps, the first at 0:00.");
        if (chapters.size() > MAX_CHAPTERS) throw bad("At most " + MAX_CHAPTERS + " chapters.");
        return List.copyOf(chapters);
    }

    /** Chapters starting past the end of the video are dropped (a description written for a longer cut). */
    public static List<Chapter> within(List<Chapter> chapters, Double durationSeconds) {
        if (durationSeconds == null || durationSeconds <= 0) return chapters;
        List<Chapter> kept = chapters.stream().filter(c -> c.start() < durationSeconds).toList();
        return kept.size() < MIN_CHAPTERS ? List.of() : kept;
    }

    /** The chapters as WebVTT chapter cues (kind="chapters"), each ending where the next starts. */
    public static String toVtt(List<Chapter> chapters, Double durationSeconds) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (int i = 0; i < chapters.size(); i++) {
            Chapter c = chapters.get(i);
            double end = i + 1 < chapters.size() ? chapters.get(i + 1).start()
                    : Optional.ofNullable(durationSeconds).filter(d -> d > c.start()).orElse(c.start() + 1.0);
            vtt.append(i + 1).append('\n').append(CaptionParser.timestamp(c.start())).append(" --> ")
                    .append(CaptionParser.timestamp(end)).append('\n')
                    .append(c.title().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("\n\n");
        }
        return vtt.toString();
    }

    /** "1:02:03" or "2:05". */
    public static String format(int seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static KinoraException bad(String message) {
        return KinoraException.badRequest("invalid_chapters", message);
    }
}
