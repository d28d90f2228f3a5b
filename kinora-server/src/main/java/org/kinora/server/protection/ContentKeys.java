package org.kinora.server.protection;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The content keys of protected videos, derived rather than stored: {@code HMAC-SHA256(k, label)}
 * cut to 128 bits, with {@code k} derived from {@code auth.secret} for this purpose alone. Every
 * node computes the same keys with no database read and no key table to back up or replicate;
 * a key per video (and, for HLS, per run of N segments), never shared between videos. Rotating
 * {@code auth.secret} rotates every key (cached ciphertext then no longer decrypts: purge the CDN).
 */
final class ContentKeys {
    static final String KEY_PURPOSE = "content-key";
    private final byte[] secret;

    ContentKeys(byte[] secret) {
        this.secret = secret.clone();
    }

    /** The HLS AES-128 key of the {@code index}-th run of segments of a video. */
    byte[] hlsKey(String videoId, int index) {
        return derive("hls-aes128|" + videoId + "|" + index);
    }

    /** The CENC key id of a video's DASH tracks (video and audio share it: one licence request). */
    byte[] cencKeyId(String videoId) {
        return derive("cenc-kid|" + videoId);
    }

    byte[] cencKey(String videoId) {
        return derive("cenc-key|" + videoId);
    }

    /**
     * The cbcs key id and key: another pair than cenc's, so that no key ever serves both AES-CTR and
     * AES-CBC (the two copies are encrypted from the same clear samples).
     */
    byte[] cbcsKeyId(String videoId) {
        return derive("cbcs-kid|" + videoId);
    }

    byte[] cbcsKey(String videoId) {
        return derive("cbcs-key|" + videoId);
    }

    /** The constant IV of one cbcs track (tenc): a rung's init segment and all its media segments agree on it. */
    byte[] cbcsIv(String videoId, String rung) {
        return derive("cbcs-iv|" + videoId + "|" + rung);
    }

    /** Changes with this video's keys (with auth.secret), reveals none of them: what the encrypted files' ETags include. */
    byte[] fingerprint(String videoId) {
        return derive("etag|" + videoId);
    }

    private byte[] derive(String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
