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
    /** What the signing key is derived for (Secrets.derive); CDN edges hold that key alone (`kinora edge-key`). */
    public static final String KEY_PURPOSE = "playback-token";
    private static final String ANONYMOUS = "-";
    private final byte[] key;
    /** Time to finish watching after the video's own length, for private URLs. */
    private static final Duration PRIVATE_SLACK = Duration.ofMinutes(15);
    private final Duration ttl;
    private final Duration privateTtl;
    private final Clock clock;
    private final Mac prototype;

    public PlaybackTokens(byte[] key, Duration ttl, Clock clock) {
        this(key, ttl, ttl, clock);
    }

    /**
     * @param privateTtl lifetime of URLs to private videos: a link is a bearer grant (players and
     *                   CDNs fetch segments without the viewer's credentials, so it cannot be bound
     *                   to a session), and a forwarded or leaked private link should die soon
     */
    public PlaybackTokens(byte[] key, Duration ttl, Duration privateTtl, Clock clock) {
        this.key = key.clone();
        this.prototype = keyedMac(this.key);
        this.ttl = ttl;
        this.privateTtl = privateTtl.compareTo(ttl) < 0 ? privateTtl : ttl;
        this.clock = clock;
    }

    /** What a valid token grants. */
    public record Grant(String videoId, String viewerId) {}

    public String issue(String videoId, String viewerId) {
        return issue(videoId, viewerId, ttl);
    }

    /**
     * A URL to a private video: valid for {@code privateTtl}, or long enough to watch it through
     * once (its duration plus 15 minutes) when that is longer, never longer than other videos' URLs.
     */
    public String issuePrivate(String videoId, String viewerId, Double durationSeconds) {
        Duration viewing = durationSeconds == null ? Duration.ZERO : Duration.ofSeconds((long) Math.ceil(durationSeconds)).plus(PRIVATE_SLACK);
        Duration lifetime = viewing.compareTo(privateTtl) > 0 ? viewing : privateTtl;
        return issue(videoId, viewerId, lifetime.compareTo(ttl) < 0 ? lifetime : ttl);
    }

    private String issue(String videoId, String viewerId, Duration lifetime) {
        long expiry = clock.now().plus(lifetime).getEpochSecond();
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
            // A clone per call (a Mac is not thread-safe); the prototype is never updated, so cloning only reads it.
            Mac mac = (Mac) prototype.clone();
            byte[] sig = mac.doFinal((videoId + "|" + viewer + "|" + expiry).getBytes(StandardCharsets.UTF_8));
            // 128 bits of the MAC keep URLs short and are far beyond guessing.
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(sig, 16));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Mac keyed once; each signature works on a clone (every request checks one, so the provider lookup and key setup add up). */
    private static Mac keyedMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.clone(); // fails here, at start, on a provider whose Mac cannot be cloned
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException | CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
