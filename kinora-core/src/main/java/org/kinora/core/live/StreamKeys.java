package org.kinora.core.live;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;

/** Stream keys: 160 random bits, URL- and RTMP-safe, compared in constant time. */
public final class StreamKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private StreamKeys() {}

    public static String generate() {
        StringBuilder b = new StringBuilder("live_");
        for (int i = 0; i < 28; i++) b.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        return b.toString();
    }

    /** Whether {@code candidate} could be a key at all (the lookup is skipped for anything else). */
    public static boolean wellFormed(String candidate) {
        return candidate != null && candidate.matches("live_[A-Za-z0-9]{28}");
    }

    public static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
