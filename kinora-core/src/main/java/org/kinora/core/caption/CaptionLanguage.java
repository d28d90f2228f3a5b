package org.kinora.core.caption;

import java.util.Locale;
import java.util.regex.Pattern;
import org.kinora.core.common.KinoraException;

/**
 * The language tags captions may use: a 2–3 letter language, optionally a region ("en",
 * "pt-BR", "es-419"). Kept this narrow because the tag becomes a file name and a manifest
 * attribute; it is validated before either is built.
 */
public final class CaptionLanguage {
    private static final Pattern TAG = Pattern.compile("([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}|\\d{3}))?");

    private CaptionLanguage() {}

    public static String normalise(String tag) {
        var m = tag == null ? null : TAG.matcher(tag.strip());
        if (m == null || !m.matches()) {
            throw KinoraException.badRequest("invalid_language",
                    "language must be a language tag like \"en\", \"fr\" or \"pt-BR\".");
        }
        String lang = m.group(1).toLowerCase(Locale.ROOT);
        return m.group(2) == null ? lang : lang + "-" + m.group(2).toUpperCase(Locale.ROOT);
    }

    /** The file name stem of a normalised tag (lower case, as blob keys are). */
    public static String fileStem(String language) {
        return language.toLowerCase(Locale.ROOT);
    }

    /** "English", "Português (Brasil)": the language's name in itself, for the player's menu. */
    public static String defaultLabel(String language) {
        Locale locale = Locale.forLanguageTag(language);
        String name = locale.getDisplayName(locale);
        return name.isBlank() || name.equalsIgnoreCase(language) ? language
                : name.substring(0, 1).toUpperCase(locale) + name.substring(1);
    }
}
