package org.kinora.server.protection;

import java.util.HexFormat;

/**
 * The MPD of a protected video: every audio and video AdaptationSet announces Common Encryption
 * with its scheme and key id ({@code urn:mpeg:dash:mp4protection:2011}, {@code value="cenc"} or
 * {@code "cbcs"}, {@code cenc:default_KID}) and W3C ClearKey. It is served at
 * {@code cenc/manifest.mpd} or {@code cbcs/manifest.mpd}, so its relative segment URLs lead to the
 * encrypted copies under the same prefix (captions there are the stored files), for every
 * viewer's own token.
 */
final class DashCenc {
    /** dash.js and Shaka name W3C ClearKey by this scheme id. */
    static final String CLEARKEY_SCHEME = "urn:uuid:e2719d58-a985-b3c9-781a-b030af78d30e";
    /** The W3C "Common" system (Cenc.CLEARKEY_SYSTEM_ID), whose pssh browsers' ClearKey reads. */
    static final String COMMON_SCHEME = "urn:uuid:1077efec-c0b2-4d02-ace3-3c1e52e2fb4b";
    static final String PREFIX = "cenc/";
    static final String CBCS_PREFIX = "cbcs/";

    private DashCenc() {}

    static String protect(String mpd, byte[] kid) {
        return protect(mpd, kid, Cenc.Scheme.CENC);
    }

    static String protect(String mpd, byte[] kid, Cenc.Scheme scheme) {
        String protection = "\n      <ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"" + scheme.fourcc
                + "\" cenc:default_KID=\""
                + uuid(kid) + "\"/>\n      <ContentProtection schemeIdUri=\"" + CLEARKEY_SCHEME + "\" value=\"ClearKey1.0\"/>"
                // The W3C common system with the init segments' own pssh: a player may start the licence request from the MPD.
                + "\n      <ContentProtection schemeIdUri=\"" + COMMON_SCHEME + "\" value=\"ClearKey1.0\"><cenc:pssh>"
                + java.util.Base64.getEncoder().encodeToString(Cenc.pssh(kid)) + "</cenc:pssh></ContentProtection>";
        return mpd.replaceFirst("<MPD ", "<MPD xmlns:cenc=\"urn:mpeg:cenc:2013\" ")
                .replaceAll("(<AdaptationSet[^>]*contentType=\"(?:video|audio)\"[^>]*>)", "$1" + protection.replace("$", "\\$"));
    }

    static String uuid(byte[] kid) {
        String h = HexFormat.of().formatHex(kid);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20);
    }
}
