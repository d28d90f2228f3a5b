package org.kinora.server.playback;

import java.util.Optional;

/** The parts of a media request's target as the media port reads them: no decoding, nothing guessed. */
final class MediaPaths {
    private static final String PREFIX = "/media/";

    private MediaPaths() {}

    /**
     * {token, videoId, path} of {@code /media/{token}/{videoId}/{path}} (a query is ignored), or
     * empty. Nothing is percent-decoded: Kinora's tokens, ids and file names never need it, so an
     * encoded target simply fails the checks that follow ({@link MediaAccess#check}).
     */
    static Optional<String[]> split(String uri) {
        String path = pathOf(uri);
        if (!path.startsWith(PREFIX)) return Optional.empty();
        int tokenEnd = path.indexOf('/', PREFIX.length());
        if (tokenEnd <= PREFIX.length()) return Optional.empty();
        int idEnd = path.indexOf('/', tokenEnd + 1);
        if (idEnd <= tokenEnd + 1 || idEnd == path.length() - 1) return Optional.empty();
        return Optional.of(new String[] {path.substring(PREFIX.length(), tokenEnd), path.substring(tokenEnd + 1, idEnd), path.substring(idEnd + 1)});
    }

    /** The request target without its query. */
    static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /**
     * The host of a Host header without its port, for a redirect to the main listener; "localhost"
     * when absent or not a plain host name or address (a redirect never carries what a client made up).
     */
    static String hostOnly(String hostHeader) {
        if (hostHeader == null) return "localhost";
        String host = hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
                : hostHeader.contains(":") ? hostHeader.substring(0, hostHeader.indexOf(':')) : hostHeader;
        return host.matches("[A-Za-z0-9.\\-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]") ? host : "localhost";
    }
}
