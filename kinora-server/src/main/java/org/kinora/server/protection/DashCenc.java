package org.kinora.server.protection;

import java.util.HexFormat;

/**
 * The MPD of a protected video: every audio and video AdaptationSet announces CENC with its key
 * id ({@code urn:mpeg:dash:mp4protection:2011}, {@code cenc:default_KID}) and W3C ClearKey. It is
 * served at {@code cenc/manifest.mpd}, so its relative segment URLs lead to the encrypted copies
 * under {@code cenc/} (captions there are the stored files), for every viewer's own token.
 */
final class DashCenc {
    /** dash.js and Shaka name W3C ClearKey by this scheme id. */
    static final String CLEARKEY_SCHEME = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";
    static final String PREFIX = "cenc/";

    private DashCenc() {}

    static String protect(String mpd, byte[] kid) {
        String protection = "\n      <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"cenc\" cenc:default_KID=\""
                + uuid(kid) + "\"/>\n      <ContentProtection schemeIdUri=\"" + CLEARKEY_SCHEME + "\" value=\"ClearKey1.0\"/>";
        return mpd.replaceFirst("<MPD ", "<MPD xmlns:cenc=\"urn:mpeg:cenc:2013\" ")
                .replaceAll("(<AdaptationSet[^>]*contentType=\"(?:video|audio)\"[^>]*>)", "$1" + protection.replace("$", "\\$"));
    }

    static String uuid(byte[] kid) {
        String h = HexFormat.of().formatHex(kid);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }
}
