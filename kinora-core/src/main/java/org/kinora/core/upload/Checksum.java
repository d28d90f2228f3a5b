package org.kinora.core.upload;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.kinora.core.common.KinoraException;

/** A tus {@code Upload-Checksum}: the algorithm and the digest the client computed for one chunk. */
public record Checksum(String algorithm, byte[] expected) {
    /** tus names, in the order we advertise them. */
    public static final List<String> SUPPORTED = List.of("sha1", "sha256", "md5");

    /** Parses {@code "<algorithm> <base64 digest>"}. */
    public static Checksum parse(String header) {
        String[] parts = header.trim().split(" ", 2);
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        if (!SUPPORTED.contains(algorithm)) {
            throw KinoraException.badRequest("unsupported_checksum",
                    "Checksum algorithm '" + parts[0] + "' is not supported; use one of " + String.join(", ", SUPPORTED) + ".");
        }
        if (parts.length < 2) {
            throw KinoraException.badRequest("invalid_checksum", "Upload-Checksum must be '<algorithm> <base64 digest>'.");
        }
        try {
            return new Checksum(algorithm, Base64.getDecoder().decode(parts[1].trim()));
        } catch (IllegalArgumentException e) {
            throw KinoraException.badRequest("invalid_checksum", "Upload-Checksum digest is not valid base64.");
        }
    }

    public MessageDigest newDigest() {
        String jca = switch (algorithm) {
            case "sha1" -> "SHA-1";
            case "sha256" -> "SHA-256";
            case "md5" -> "MD5";
            default -> throw new IllegalStateException(algorithm);
        };
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without " + jca, e);
        }
    }

    public boolean matches(byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }
}
