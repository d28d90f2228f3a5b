package org.kinora.server.protection;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Rendition;
import org.kinora.core.video.Video;
import org.kinora.server.http.HttpDates;
import org.kinora.server.playback.AcceptEncoding;
import org.kinora.server.playback.ByteRange;
import org.kinora.server.playback.MediaCaching;
import org.kinora.server.playback.Preconditions;

/**
 * The origin's protected copies of a video's media, encrypted as they are served from the clear
 * files the pipeline stored (docs/content-protection.md says why at serve time):
 *
 * <pre>
 *   aes/master.m3u8, aes/{rung}/index.m3u8   HLS with EXT-X-KEY (AES-128, key per N segments)
 *   aes/{rung}/seg_NNNNN.m4s                 the segment, AES-128-CBC
 *   cenc/manifest.mpd ... cenc/{rung}/init.mp4, cenc/{rung}/seg_NNNNN.m4s   DASH, CENC 'cenc' (AES-CTR)
 *   cbcs/manifest.mpd ... cbcs/{rung}/init.mp4, cbcs/{rung}/seg_NNNNN.m4s   DASH, CENC 'cbcs' (AES-CBC, pattern 1:9)
 *   keys/hls/{n}.key                         HLS key n: Cache-Control private, no-store
 * </pre>
 *
 * The protected copies have their own URLs, so a CDN never mixes them with clear copies cached
 * earlier; the clear manifests and segments of a protected video are refused (403
 * {@code content_protected}). Anything else under {@code aes/} or {@code cenc/} (init segments
 * for HLS, captions) is the stored file. Both DASH schemes are served (the video JSON names the
 * one {@code delivery.dash-encryption-scheme} chooses): each is a pure function of the stored
 * file, so the copy nobody asks for costs nothing. One hook in OriginRoutes, after the token and the video's
 * visibility are checked.
 */
public final class ProtectedMedia {
    private static final Pattern KEY_PATH = Pattern.compile("keys/hls/(\\d{1,6})\\.key");
    private static final Pattern RUNG_FILE = Pattern.compile("([a-z0-9]{1,16})/" + BlobKeys.RUNG_FILE_NAMES);
    static final String AES = "aes/";
    /** What the content keys' secret is derived for (Secrets.derive). */
    public static final String KEY_PURPOSE = ContentKeys.KEY_PURPOSE;

    private final BlobStore blobs;
    private final PlaybackGate gate;
    private final ContentKeys keys;
    private final int rotation;
    /**
     * Bump when Cenc, HlsAes128 or DashCenc make other bytes from the same stored file and key: the
     * ETags change with it, so no cache revalidates an old encrypted copy as current.
     */
    static final String OUTPUT_VERSION = "1";

    ProtectedMedia(BlobStore blobs, PlaybackGate gate, ContentKeys keys, int rotation) {
        this.blobs = blobs;
        this.gate = gate;
        this.keys = keys;
        this.rotation = rotation;
    }

    public static ProtectedMedia create(BlobStore blobs, PlaybackGate gate, byte[] keySecret, int rotation) {
        return new ProtectedMedia(blobs, gate, new ContentKeys(keySecret), rotation);
    }

    /** Paths only this class serves (OriginRoutes lets them past its own path check). */
    public static boolean isOwnPath(String path) {
        if (KEY_PATH.matcher(path).matches()) return true;
        String prefix = prefixOf(path);
        return prefix != null && BlobKeys.isPublishedMediaPath(path.substring(prefix.length()));
    }

    private static String prefixOf(String path) {
        for (String p : new String[] {AES, DashCenc.PREFIX, DashCenc.CBCS_PREFIX}) if (path.startsWith(p)) return p;
        return null;
    }

    /**
     * Serves {@code path} of {@code video} if it is a protected copy (true), refuses the clear
     * copies of a protected video, or leaves everything else to the origin (false).
     */
    public boolean serve(Context ctx, Video video, String path) throws IOException {
        boolean own = isOwnPath(path);
        boolean protectedVideo = gate.isProtected(video.id());
        if (!own) {
            if (protectedVideo && isClearMedia(path)) {
                throw new KinoraException(ErrorKind.FORBIDDEN, "content_protected",
                        "This video is protected: its media are served encrypted only. Reload the video page for its current links.");
            }
            return false;
        }
        if (!protectedVideo) throw KinoraException.notFound("Protected media of this video (it is not protected)");

        Matcher key = KEY_PATH.matcher(path);
        if (key.matches()) {
            // The key is the secret: never stored by a shared cache, nor kept by the browser's.
            byte[] k = keys.hlsKey(video.id(), Integer.parseInt(key.group(1)));
            send(ctx, "application/octet-stream", false, "private, no-store", k);
            return true;
        }
        String prefix = prefixOf(path);
        boolean hls = prefix.equals(AES);
        boolean cbcs = prefix.equals(DashCenc.CBCS_PREFIX);
        String file = path.substring(prefix.length());
        Matcher rung = RUNG_FILE.matcher(file);
        String name = rung.matches() ? rung.group(2) : file;
        if (hls && name.equals(BlobKeys.IFRAME_PLAYLIST)) throw KinoraException.notFound("I-frame playlist of a protected video");

        String blobKey = BlobKeys.videoPrefix(video.id()) + file;
        Optional<BlobInfo> stat = blobs.stat(blobKey);
        if (stat.isEmpty()) throw KinoraException.notFound("Media file " + file);
        byte[] stored = read(blobKey, stat.get());
        byte[] body;
        boolean immutable = false;
        try {
            if (hls && file.equals(BlobKeys.MASTER_PLAYLIST)) {
                body = HlsAes128.protectMasterPlaylist(text(stored)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else if (hls && name.equals(BlobKeys.RUNG_PLAYLIST)) {
                body = HlsAes128.protectMediaPlaylist(text(stored), rotation).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else if (hls && BlobKeys.isSegmentFile(name)) {
                int n = HlsAes128.segmentNumber(name);
                body = HlsAes128.encryptSegment(stored, keys.hlsKey(video.id(), HlsAes128.keyIndex(n, rotation)), n);
                immutable = true;
            } else if (cbcs && file.equals(BlobKeys.DASH_MANIFEST)) {
                body = DashCenc.protect(text(stored), keys.cbcsKeyId(video.id()), Cenc.Scheme.CBCS).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else if (cbcs && name.equals(BlobKeys.INIT_SEGMENT)) {
                body = Cenc.protectInit(stored, keys.cbcsKeyId(video.id()), Cenc.Scheme.CBCS, keys.cbcsIv(video.id(), rung.group(1)));
                immutable = true;
            } else if (cbcs && BlobKeys.isSegmentFile(name)) {
                // The slice headers' lengths depend on the rung's SPS and PPS: its init segment (a small second read).
                AvcSliceHeaders avc = rung.group(1).equals(Rendition.AUDIO) ? null
                        : Cenc.avcOf(read(BlobKeys.videoPrefix(video.id()) + rung.group(1) + "/" + BlobKeys.INIT_SEGMENT))
                                .orElseThrow(() -> new IllegalArgumentException("a video rung whose init segment holds no H.264 track"));
                body = Cenc.protectSegmentCbcs(stored, keys.cbcsKey(video.id()), keys.cbcsIv(video.id(), rung.group(1)), avc);
                immutable = true;
            } else if (!hls && file.equals(BlobKeys.DASH_MANIFEST)) {
                body = DashCenc.protect(text(stored), keys.cencKeyId(video.id())).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else if (!hls && name.equals(BlobKeys.INIT_SEGMENT)) {
                body = Cenc.protectInit(stored, keys.cencKeyId(video.id()));
                immutable = true;
            } else if (!hls && BlobKeys.isSegmentFile(name)) {
                boolean videoTrack = !rung.group(1).equals(Rendition.AUDIO);
                body = Cenc.protectSegment(stored, keys.cencKey(video.id()), videoTrack, video.id() + "/" + file);
                immutable = true;
            } else {
                body = stored; // an HLS init segment, captions, thumbnails: clear as stored
                immutable = BlobKeys.isImmutableMediaPath(file) && !file.endsWith(".m3u8");
            }
        } catch (IllegalArgumentException notCmaf) {
            // A stored file of another shape than the pipeline writes (an older layout): say so rather than fail with a 500.
            throw new KinoraException(ErrorKind.CONFLICT, "cannot_protect", "This media file cannot be served encrypted ("
                    + notCmaf.getMessage() + "); turn protection off for this video, or process it again.");
        }
        String scope = video.privacy() == Privacy.PRIVATE ? "private" : "public";
        // The encrypted files never change for a given key; the rest (manifests, rung playlists, captions) are
        // functions of the stored file they come from, so they follow its rule: 2 s while the ladder grows, a
        // minute for master and MPD once processed (captions rewrite them), rung playlists then immutable.
        String cache = immutable ? scope + ", " + MediaCaching.IMMUTABLE : MediaCaching.cacheControl(file, video);
        String etag = etag(stat.get(), video.id(), path);
        sendRepresentation(ctx, BlobKeys.contentType(blobKey), BlobKeys.isText(blobKey), cache, etag, stat.get().lastModified(), body);
        return true;
    }

    private byte[] read(String blobKey) throws IOException {
        Optional<BlobInfo> stat = blobs.stat(blobKey);
        if (stat.isEmpty()) throw KinoraException.notFound("Media file " + blobKey.substring(blobKey.indexOf('/', "videos/".length()) + 1));
        return read(blobKey, stat.get());
    }

    private byte[] read(String blobKey, BlobInfo stat) throws IOException {
        try (InputStream in = blobs.open(blobKey, 0, stat.size())) {
            return in.readAllBytes();
        }
    }

    /**
     * The encrypted file's strong ETag, from what its bytes are a function of: the stored file's own tag, which
     * copy (path: prefix and file), the key rotation, the keys (a fingerprint of this video's keys, which change
     * with auth.secret) and {@link #OUTPUT_VERSION}. Computed without hashing the body (that cost as much as
     * the encryption, ~3 ms for 840 KB under load); for a cbcs segment the rung's init (its SPS/PPS) is not in
     * it: an init rewritten under the same segments' tags needs a re-process, which rewrites the segments too.
     */
    private String etag(BlobInfo stored, String videoId, String path) {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update((stored.etag() + "|" + path + "|" + rotation + "|" + OUTPUT_VERSION + "|").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            d.update(keys.fingerprint(videoId));
            return "\"p" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(d.digest(), 16)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Common Encryption key ids and keys of a video's DASH tracks (cenc, cbcs), for the ClearKey licence. */
    Map<String, byte[]> licenceKeys(String videoId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return Map.of(b64.encodeToString(keys.cencKeyId(videoId)), keys.cencKey(videoId),
                b64.encodeToString(keys.cbcsKeyId(videoId)), keys.cbcsKey(videoId));
    }

    private static boolean isClearMedia(String path) {
        if (path.equals(BlobKeys.MASTER_PLAYLIST) || path.equals(BlobKeys.DASH_MANIFEST)) return true;
        Matcher m = RUNG_FILE.matcher(path);
        return m.matches() && !m.group(2).equals(BlobKeys.INIT_SEGMENT);
    }

    private static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * An encrypted file as HTTP representation of its own: a strong ETag (the same on every node, since the
     * bytes are a pure function of the stored file and the key: {@link #etag}), 304 on If-None-Match, and
     * a single byte range of the encrypted bytes (206, 416) as a player or CDN may ask for. The whole file
     * is encrypted first either way (CBC chains and CENC's boxes do not split), so a range costs as much
     * origin CPU as the file; the edge caches the whole one.
     */
    private static void sendRepresentation(Context ctx, String contentType, boolean text, String cacheControl, String etag,
            java.time.Instant lastModified, byte[] body) throws IOException {
        // Playlists and MPDs gzipped as the clear ones are (MediaAnswers): a weak ETag for the other bytes of
        // the same meaning, never for a range (served from the plain bytes), and Vary so caches keep both apart.
        boolean gzip = text && ctx.header("Range") == null && AcceptEncoding.acceptsGzip(ctx.header("Accept-Encoding"));
        if (gzip) etag = "W/" + etag;
        if (text) ctx.header("Vary", "Accept-Encoding");
        ctx.header("ETag", etag);
        ctx.header("Accept-Ranges", "bytes");
        // The stored file's date: the encrypted copy changes with it (or with auth.secret, which needs a CDN
        // purge anyway, docs/content-protection.md; If-None-Match, which caches send too, sees that change).
        ctx.header("Last-Modified", HttpDates.format(lastModified));
        if (Preconditions.notModified(ctx.header("If-None-Match"), ctx.header("If-Modified-Since"), etag, lastModified)) {
            ctx.header("Cache-Control", cacheControl);
            ctx.status(304);
            return;
        }
        if (gzip) {
            ctx.header("Content-Encoding", "gzip");
            send(ctx, contentType, true, cacheControl, gzip(body));
            return;
        }
        String ifRange = ctx.header("If-Range");
        Optional<ByteRange> range;
        try {
            // If-Range with another validator (an older copy): the whole file, as RFC 9110 13.1.5 says.
            range = ifRange != null && !ifRange.equals(etag) ? Optional.empty() : ByteRange.parse(ctx.header("Range"), body.length);
        } catch (KinoraException unsatisfiable) {
            ctx.header("Content-Range", "bytes */" + body.length);
            throw unsatisfiable;
        }
        if (range.isEmpty()) {
            send(ctx, contentType, text, cacheControl, body);
            return;
        }
        ByteRange r = range.get();
        ctx.header("Content-Range", "bytes " + r.start() + "-" + r.endInclusive() + "/" + body.length);
        send(ctx, 206, contentType, text, cacheControl, java.util.Arrays.copyOfRange(body, (int) r.start(), (int) r.endInclusive() + 1));
    }

    private static byte[] gzip(byte[] body) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length / 4 + 64);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }

    private static void send(Context ctx, String contentType, boolean text, String cacheControl, byte[] body) throws IOException {
        send(ctx, 200, contentType, text, cacheControl, body);
    }

    private static void send(Context ctx, int status, String contentType, boolean text, String cacheControl, byte[] body) throws IOException {
        ctx.status(status);
        ctx.res().setContentType(contentType);
        if (!text) ctx.res().setCharacterEncoding(null); // binary: no "; charset=" suffix
        ctx.header("Cache-Control", cacheControl);
        ctx.res().setContentLengthLong(body.length);
        if (ctx.method() == HandlerType.HEAD) return;
        ctx.res().getOutputStream().write(body);
    }
}
