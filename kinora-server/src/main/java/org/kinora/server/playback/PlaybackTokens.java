package org.kinora.server.playback;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/**
 * Signed playback grants carried in the media URL's path ({@code /media/{token}/{videoId}/...}),
 * so that the relative segment URLs inside playlists carry them too. A token binds the video,
 * the viewer (or "-" for anonymous) and an expiry: {@code <expiry>.<viewer>.<signature>}.
 */
public final class PlaybackTokens {
    private static final String ANONYMOUS = "-";
    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public PlaybackTokens(byte[] key, Duration ttl, Clock clock) {
        this.key = key.clone();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** What a valid token grants. */
    public record Grant(String videoId, String viewerId) {}

    public String issue(String videoId, String viewerId) {
        long expiry = clock.now().plus(ttl).getEpochSecond();
        String viewer = viewerId == null ? ANONYMOUS : viewerId;
        return expiry + "." + viewer + "." + sign(videoId, viewer, expiry);
    }

    public Grant verify(String token, String videoId) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) throw invalid();
        long expiry;
        try {
            expiry = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            throw invalid();
        }
        byte[] expected = sign(videoId, parts[1], expiry).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII))) throw invalid();
        if (clock.now().getEpochSecond() >= expiry) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "playback_token_expired",
                    "This playback link expired; reload the video page for a new one.");
        }
        return new Grant(videoId, ANONYMOUS.equals(parts[1]) ? null : parts[1]);
    }

    private static KinoraException invalid() {
        return new KinoraException(ErrorKind.FORBIDDEN, "invalid_playback_token",
                "This playback link is not valid for this video; reload the video page for a new one.");
    }

    private String sign(String videoId, String viewer, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((videoId + "|" + viewer + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            // 128 bits of the MAC keep URLs short and are far beyond guessing.
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sig, 16));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
