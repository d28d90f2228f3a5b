package org.kinora.core.playback;

import java.time.Instant;
import java.util.Set;

/**
 * Port: takedown of a video's playback everywhere, caches included. Edges and shields keep one
 * cached copy of a public video's media for all viewers and check the viewer's token themselves,
 * so a video that stops being public must also stop being served from those copies: every tier
 * fetches the list of revoked videos about once a second and sends their requests past its
 * cache to the origin, which decides from the video's current state (its owner may still watch a
 * private video; nobody plays a deleted or taken-down one).
 *
 * <p>Callers: the playback feature (a video made private or deleted) and moderation (a takedown).
 * A revocation takes effect at the edge within {@code docs/edge.md}'s bound (about 3 seconds).
 * Both calls are idempotent.
 */
public interface PlaybackRevocations {
    /** Stops cached copies of the video from playing; {@code reason} is for operators ("private", "deleted", "takedown"). */
    void revoke(String videoId, String reason);

    /** The video may be served from caches again (it is public or unlisted once more). */
    void reinstate(String videoId);

    /** Videos revoked at or after {@code since} and not reinstated: what a cache still holding them must pass by. */
    Set<String> revokedSince(Instant since);
}
