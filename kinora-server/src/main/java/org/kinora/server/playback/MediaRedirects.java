package org.kinora.server.playback;

import java.net.URI;
import java.util.Optional;

/**
 * Where the origin may send a viewer for a media file instead of serving its bytes itself (a
 * presigned S3 URL, say), once the playback token and the video's visibility have been checked.
 */
@FunctionalInterface
public interface MediaRedirects {
    MediaRedirects NONE = key -> Optional.empty();

    /** A URL for {@code key} and how long a client may reuse the redirect to it; empty: serve it here. */
    Optional<Redirect> redirectFor(String key);

    record Redirect(URI url, long cacheSeconds) {}
}
