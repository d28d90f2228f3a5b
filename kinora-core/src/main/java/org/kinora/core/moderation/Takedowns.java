package org.kinora.core.moderation;

/**
 * Told when a video is taken down or restored, after the change committed: the place for edge
 * revocation (purging CDN caches, revoking signed URLs), which the edge capability provides.
 * The origin and the API already refuse a taken-down video on the next request without it.
 */
public interface Takedowns {
    Takedowns NONE = new Takedowns() {
        @Override
        public void takenDown(String videoId) {}

        @Override
        public void restored(String videoId) {}
    };

    void takenDown(String videoId);

    void restored(String videoId);
}
