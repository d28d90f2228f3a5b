package org.kinora.core.caption;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/**
 * Reads an uploaded caption file, WebVTT or SubRip (SRT), into plain-text {@link Cue}s, and writes
 * them back as WebVTT. Caption files come from anyone, so they are treated as hostile: bounded in
 * size, cue count and cue length, strict UTF-8, and every tag, style block and entity is dropped
 * rather than passed on, so nothing in a cue can become markup where a page shows it. What comes
 * out is Kinora's own WebVTT, never the uploaded bytes. Errors name the line, so the creator can
 * fix the file.
 */
public final class CaptionParser {
    /** Under the server's 1 MB request limit; a feature film's subtitles are 100–200 kB. */
    public static final int MAX_BYTES = 1_000_000;
    public static final int MAX_CUES = 20_000;
    public static final int MAX_CUE_CHARS = 1_000;
    /** Longer than any video Kinora accepts (a cue at 100 h is a typo in the file). */
    private static final double MAX_SECONDS = 100 * 3600.0;

    private static final Pattern VTT_TIME = Pattern.compile("(?:(\\d{1,3}):)?([0-5]\\d):([0-5]\\d)\\.(\\d{3})");
    private static final Pattern SRT_TIME = Pattern.compile("(\\d{1,3}):([0-5]\\d):([0-5]\\d)[,.](\\d{3})");
    private static final Pattern TIMING = Pattern.compile("^\\s*(\\S+)\\s+-->\\s+(\\S+)(?:\\s+.*)?$");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    private CaptionParser() {}

    /** Parses WebVTT (a file starting with "WEBVTT") or else SRT. */
    public static List<Cue> parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "captions_too_large",
                    "Caption files may be at most " + MAX_BYTES / 1024 + " KiB; this one is " + bytes.length / 1024 + " KiB.");
        }
        String text = decode(bytes);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        String[] lines = text.split("\r\n|\r|\n", -1);
        if (lines[0].startsWith("WEBVTT")) return parseVtt(lines);
        return parseSrt(lines);
    }

    private static String decode(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            if (s.indexOf('\0') >= 0) throw bad(lineOf(s, s.indexOf('\0')), "contains a NUL character; caption files are text.");
            return s;
        } catch (CharacterCodingException e) {
            throw KinoraException.badRequest("invalid_captions", "The caption file is not UTF-8 text. Save it as UTF-8 and upload it again.");
        }
    }

    private static int lineOf(String s, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) if (s.charAt(i) == '\n') line++;
        return line;
    }

    private static List<Cue> parseVtt(String[] lines) {
        if (!lines[0].equals("WEBVTT") && !lines[0].startsWith("WEBVTT ") && !lines[0].startsWith("WEBVTT\t")) {
            throw bad(1, "must be exactly \"WEBVTT\" (optionally followed by a space and a title).");
        }
        List<Cue> cues = new ArrayList<>();
        int i = 1;
        while (i < lines.length) {
            if (lines[i].isBlank()) { i++; continue; }
            int blockStart = i;
            // A block: optional identifier line, then the timing line; NOTE, STYLE and REGION blocks are skipped whole.
            String first = lines[i].strip();
            if (first.startsWith("NOTE") || first.equals("STYLE") || first.equals("REGION")) {
                while (i < lines.length && !lines[i].isBlank()) i++;
                continue;
            }
            if (!lines[i].contains("-->")) i++;
            if (i >= lines.length || !lines[i].contains("-->")) {
                throw bad(blockStart + 1, "expected a cue timing like \"00:00:01.000 --> 00:00:04.000\", found \"" + shorten(first) + "\".");
            }
            i = cue(lines, i, VTT_TIME, cues);
        }
        return cues;
    }

    private static List<Cue> parseSrt(String[] lines) {
        List<Cue> cues = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isBlank()) { i++; continue; }
            String number = lines[i].strip();
            if (!number.matches("\\d{1,9}")) {
                throw bad(i + 1, "expected a cue number (SRT) or \"WEBVTT\" (WebVTT), found \"" + shorten(number) + "\".");
            }
            i++;
            if (i >= lines.length || !lines[i].contains("-->")) {
                throw bad(i + 1, "expected a timing like \"00:00:01,000 --> 00:00:04,000\" after cue number " + number + ".");
            }
            i = cue(lines, i, SRT_TIME, cues);
        }
        return cues;
    }

    /** Reads the timing line at {@code i} and the text lines after it; returns the line after the cue. */
    private static int cue(String[] lines, int i, Pattern time, List<Cue> cues) {
        Matcher m = TIMING.matcher(lines[i]);
        if (!m.matches()) throw bad(i + 1, "the timing line \"" + shorten(lines[i]) + "\" is not \"start --> end\".");
        double start = seconds(m.group(1), time, i + 1);
        double end = seconds(m.group(2), time, i + 1);
        if (end <= start) throw bad(i + 1, "the cue ends (" + m.group(2) + ") before or when it starts (" + m.group(1) + ").");
        int timingLine = i + 1;
        i++;
        StringBuilder text = new StringBuilder();
        while (i < lines.length && !lines[i].isBlank()) {
            if (lines[i].contains("-->")) throw bad(i + 1, "a timing line inside a cue: separate cues with an empty line.");
            if (!text.isEmpty()) text.append('\n');
            text.append(lines[i].strip());
            i++;
        }
        String plain = plain(text.toString());
        if (plain.length() > MAX_CUE_CHARS) throw bad(timingLine, "the cue's text is longer than " + MAX_CUE_CHARS + " characters.");
        if (cues.size() == MAX_CUES) throw bad(timingLine, "more than " + MAX_CUES + " cues in one file.");
        if (!plain.isBlank()) cues.add(new Cue(start, end, plain));
        return i;
    }

    private static double seconds(String value, Pattern time, int line) {
        Matcher m = time.matcher(value);
        if (!m.matches()) {
            String example = time == VTT_TIME ? "00:01:02.500" : "00:01:02,500";
            throw bad(line, "\"" + shorten(value) + "\" is not a timestamp like " + example + ".");
        }
        double s = (m.group(1) == null ? 0 : Integer.parseInt(m.group(1))) * 3600.0
                + Integer.parseInt(m.group(2)) * 60.0 + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4)) / 1000.0;
        if (s > MAX_SECONDS) throw bad(line, "the timestamp " + value + " is beyond 100 hours.");
        return s;
    }

    /**
     * Cue text as plain text: tags (&lt;i&gt;, &lt;c.red&gt;, &lt;script&gt;, SRT's &lt;font&gt;...) removed,
     * the entities WebVTT defines decoded, control characters dropped.
     */
    static String plain(String cueText) {
        String noTags = TAG.matcher(cueText).replaceAll("");
        // SRT/ASS override blocks like {\an8} are positioning, not words.
        noTags = noTags.replaceAll("\\{\\\\[^}]*}", "");
        String decoded = noTags.replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", " ")
                .replace("&lrm;", "").replace("&rlm;", "").replace("&amp;", "&");
        StringBuilder out = new StringBuilder(decoded.length());
        decoded.codePoints().filter(c -> c == '\n' || !Character.isISOControl(c)).forEach(out::appendCodePoint);
        // A leftover '<' (an unclosed tag) must not start markup in our output either: it is escaped in toVtt.
        return out.toString().strip();
    }

    /** The cues as a WebVTT file: text escaped so that it is text, never tags. */
    public static String toVtt(List<Cue> cues) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        for (Cue c : cues) {
            vtt.append(timestamp(c.start())).append(" --> ").append(timestamp(c.end())).append('\n')
                    .append(escape(c.text())).append("\n\n");
        }
        return vtt.toString();
    }

    static String escape(String text) {
        // "-->" inside text would end a cue's timing line if a line started with it; escaping '>' covers that too.
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static String timestamp(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    /** All cue text in one string, for search. */
    public static String searchText(List<Cue> cues) {
        StringBuilder s = new StringBuilder();
        for (Cue c : cues) s.append(c.text().replace('\n', ' ')).append('\n');
        return s.toString();
    }

    private static KinoraException bad(int line, String problem) {
        return new KinoraException(ErrorKind.BAD_REQUEST, "invalid_captions", "Line " + line + ": " + problem,
                java.util.Map.of("line", line));
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }
}
