package org.kinora.server.upload;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;

/**
 * The tus {@code Upload-Concat} request header: absent, {@code partial}, or
 * {@code final;<url> <url>...} naming finished partial uploads in order.
 *
 * <p>The header is hostile input, so each URL is held to exactly what this server hands out in
 * {@code Location}: the path {@code /api/v1/uploads/<id>}, alone or in an absolute http(s) URL
 * (tus-js-client resolves Location against its endpoint), with no user info, query, fragment, dot
 * segments or percent-escapes. The host of an absolute URL is not compared with the request's:
 * behind a proxy the two need not agree, and it is the id, looked up here and required to be one of
 * the requester's own finished partial uploads, that names the piece.
 */
sealed interface UploadConcat {
    /** More pieces than any client sends (tus-js-client's parallelUploads is typically 2–10). */
    int MAX_PARTS = 100;

    record None() implements UploadConcat {}

    record Partial() implements UploadConcat {}

    record Final(List<String> uploadIds) implements UploadConcat {}

    static UploadConcat parse(String header, String base) {
        if (header == null) return new None();
        String value = header.trim();
        if (value.equals("partial")) return new Partial();
        if (!value.startsWith("final;")) {
            throw invalid("Upload-Concat must be 'partial' or 'final;<upload URL> <upload URL>...', not '" + shorten(value) + "'.");
        }
        String list = value.substring("final;".length()).trim();
        if (list.isEmpty()) throw invalid("'Upload-Concat: final;' names no partial uploads.");
        String[] urls = list.split(" +");
        if (urls.length > MAX_PARTS) {
            throw invalid("Upload-Concat names " + urls.length + " partial uploads; at most " + MAX_PARTS + " may be joined.");
        }
        List<String> ids = new ArrayList<>();
        for (String url : urls) ids.add(uploadId(url, base));
        return new Final(List.copyOf(ids));
    }

    private static String uploadId(String url, String base) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid("'" + shorten(url) + "' in Upload-Concat is not a URL: " + e.getReason() + ".");
        }
        if (uri.isAbsolute()) {
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getRawAuthority() == null || uri.getHost() == null) {
                throw invalid("'" + shorten(url) + "' in Upload-Concat is not an http(s) URL of an upload on this server.");
            }
            if (uri.getRawUserInfo() != null) throw invalid("'" + shorten(url) + "' in Upload-Concat carries user info.");
        } else if (uri.getRawAuthority() != null || uri.getScheme() != null) {
            throw invalid("'" + shorten(url) + "' in Upload-Concat is not an upload URL.");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("'" + shorten(url) + "' in Upload-Concat has a query or fragment; send the upload's URL as Location gave it.");
        }
        String path = uri.getRawPath();
        String prefix = base + "/";
        String id = path == null || !path.startsWith(prefix) ? null : path.substring(prefix.length());
        if (id == null || !Ids.looksValid(id)) {
            throw invalid("'" + shorten(url) + "' in Upload-Concat is not the URL of an upload (" + prefix + "<id>).");
        }
        return id;
    }

    /** The header a HEAD on a final upload answers with: its pieces' URLs, as paths. */
    static String finalHeader(String base, List<String> uploadIds) {
        return "final;" + String.join(" ", uploadIds.stream().map(id -> base + "/" + id).toList());
    }

    private static KinoraException invalid(String message) {
        return KinoraException.badRequest("invalid_upload_concat", message);
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }
}
