package org.kinora.media.packaging;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a container's audio language tag into the BCP 47 tag HLS (LANGUAGE, RFC 5646) and DASH
 * (@lang) expect. MP4 and Matroska store ISO 639-2 codes ("eng", "fre", "deu"); BCP 47 wants the
 * two-letter ISO 639-1 code where one exists ("en", "fr", "de") and the three letters otherwise.
 */
public final class AudioLanguage {
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*");
    private static final Map<String, String> TWO_LETTER = new HashMap<>();

    static {
        for (String code : Locale.getISOLanguages()) {
            TWO_LETTER.put(Locale.of(code).getISO3Language(), code); // terminological codes: fra, deu, zho
        }
        // ISO 639-2 bibliographic codes, which MP4 muxers often write.
        String[][] bibliographic = {{"alb", "sq"}, {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"chi", "zh"},
                {"cze", "cs"}, {"dut", "nl"}, {"fre", "fr"}, {"geo", "ka"}, {"ger", "de"}, {"gre", "el"},
                {"ice", "is"}, {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"}, {"per", "fa"}, {"rum", "ro"},
                {"slo", "sk"}, {"tib", "bo"}, {"wel", "cy"}};
        for (String[] pair : bibliographic) TWO_LETTER.put(pair[0], pair[1]);
    }

    private AudioLanguage() {}

    /** The BCP 47 tag for a source's language tag; empty when untagged, "und" (undetermined) or malformed. */
    public static Optional<String> fromSourceTag(String tag) {
        if (tag == null || !TAG.matcher(tag.strip()).matches()) return Optional.empty();
        String[] parts = tag.strip().split("-", 2);
        String primary = parts[0].toLowerCase(Locale.ROOT);
        if (primary.equals("und")) return Optional.empty(); // undetermined: let the configured default say
        String normalized = TWO_LETTER.getOrDefault(primary, primary);
        return Optional.of(parts.length > 1 ? normalized + "-" + parts[1] : normalized);
    }

    /** Whether a configured default is usable as LANGUAGE/@lang ("und" is). */
    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }
}
