package org.kinora.core.common;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, URL-safe, unguessable identifiers (11 characters for videos, like the ones viewers know). */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {}

    /** 64 random bits, 11 characters. Unguessable, so unlisted videos stay unlisted. */
    public static String newVideoId() {
        return random(8);
    }

    /** 128 random bits, 22 characters. */
    public static String newId() {
        return random(16);
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }

    /** Ids we issue never contain anything but base64url characters; this rejects path tricks early. */
    public static boolean looksValid(String id) {
        return id != null && !id.isEmpty() && id.length() <= 64 && id.chars().allMatch(Ids::isUrlSafe);
    }

    private static boolean isUrlSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
