package org.kinora.server.upload;

import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.upload.Checksum;
import org.kinora.core.upload.Upload;
import org.kinora.core.upload.UploadService;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.HttpDates;
import org.kinora.server.http.Routes;
import org.kinora.server.ops.Metrics;

/**
 * tus 1.0.0 at {@code /api/v1/uploads}: core protocol plus creation, creation-with-upload,
 * termination, checksum, expiration and concatenation. The protocol's HTTP details live here; what
 * an upload is and how bytes are kept is {@link UploadService}'s.
 */
public final class TusRoutes implements Routes {
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration,concatenation";
    static final String OFFSET_OCTET_STREAM = "application/offset+octet-stream";
    private static final String BASE = "/api/v1/uploads";

    private final UploadService uploads;
    private final Authenticator auth;
    private final Metrics metrics;

    public TusRoutes(UploadService uploads, Authenticator auth, Metrics metrics) {
        this.uploads = uploads;
        this.auth = auth;
        this.metrics = metrics;
    }

    @Override
    public void register(Api app) {
        app.before(BASE, this::tusHeaders);
        app.before(BASE + "/*", this::tusHeaders);
        app.options(BASE, doc("tus: the server's tus version, extensions and size limit"), this::options);
        app.options(BASE + "/{id}", doc("tus: the server's tus version, extensions and size limit"), this::options);
        app.post(BASE, doc("tus: start an upload (Upload-Length, Upload-Metadata with filename and title); creates the video."
                + " 'Upload-Concat: partial' starts a piece of a parallel upload (no video);"
                + " 'Upload-Concat: final;<url> <url>...' assembles finished pieces into the video", SIGNED_IN, WRITE_LIMITED), this::create);
        app.head(BASE + "/{id}", doc("tus: how many bytes of the upload arrived (Upload-Offset)", SIGNED_IN), this::head);
        app.patch(BASE + "/{id}", doc("tus: append bytes at Upload-Offset (application/offset+octet-stream)", SIGNED_IN), this::patch);
        app.delete(BASE + "/{id}", doc("tus: cancel an unfinished upload", SIGNED_IN), this::terminate);
    }

    private void tusHeaders(Context ctx) {
        ctx.header("Tus-Resumable", VERSION);
        if (ctx.method() == HandlerType.OPTIONS) return;
        String version = ctx.header("Tus-Resumable");
        if (!VERSION.equals(version)) {
            ctx.header("Tus-Version", VERSION);
            throw new KinoraException(ErrorKind.PRECONDITION_FAILED, "unsupported_tus_version",
                    "This server speaks tus " + VERSION + "; send 'Tus-Resumable: " + VERSION + "'.");
        }
    }

    private void options(Context ctx) {
        ctx.header("Tus-Version", VERSION);
        ctx.header("Tus-Extension", EXTENSIONS);
        ctx.header("Tus-Max-Size", Long.toString(uploads.settings().maxSizeBytes()));
        ctx.header("Tus-Checksum-Algorithm", String.join(",", Checksum.SUPPORTED));
        ctx.status(204);
    }

    private void create(Context ctx) throws IOException {
        String userId = auth.requireUser(ctx);
        if (ctx.header("Upload-Defer-Length") != null) {
            throw KinoraException.badRequest("defer_length_unsupported", "Send Upload-Length; deferred lengths are not supported.");
        }
        UploadConcat concat = UploadConcat.parse(ctx.header("Upload-Concat"), BASE);
        Map<String, String> metadata = parseMetadata(ctx.header("Upload-Metadata"));
        if (concat instanceof UploadConcat.Final f) {
            createFinal(ctx, userId, f, metadata);
            return;
        }
        long length = headerLong(ctx, "Upload-Length")
                .orElseThrow(() -> KinoraException.badRequest("missing_upload_length", "Upload-Length header is required."));
        Upload upload = concat instanceof UploadConcat.Partial
                ? uploads.createPartial(userId, new UploadService.NewUpload(length, metadata))
                : uploads.create(userId, new UploadService.NewUpload(length, metadata));
        if (!upload.isPartial()) metrics.uploadCreated(); // the uploads metrics count files: a piece is not one
        ctx.header("Location", BASE + "/" + upload.id());
        if (upload.videoId() != null) ctx.header("Kinora-Video-Id", upload.videoId());
        if (!upload.isComplete()) ctx.header("Upload-Expires", HttpDates.format(upload.expiresAt()));
        if (upload.isComplete()) {
            ctx.status(201); // an empty piece: nothing to send
            return;
        }
        // creation-with-upload: the first chunk may ride along with the POST.
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
            requireOctetStream(ctx);
            Upload after = append(ctx, userId, upload, 0);
            ctx.header("Upload-Offset", Long.toString(after.offset()));
        }
        ctx.status(201);
    }

    /**
     * The final upload is complete when this answers (the pieces are assembled and the video queued
     * before the 201), so Upload-Offset is already its whole length.
     */
    private void createFinal(Context ctx, String userId, UploadConcat.Final concat, Map<String, String> metadata) throws IOException {
        if (ctx.header("Upload-Length") != null) {
            throw KinoraException.badRequest("upload_length_with_final",
                    "A final upload's length is the sum of its pieces; do not send Upload-Length with 'Upload-Concat: final'.");
        }
        if (ctx.req().getContentLengthLong() > 0) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "final_upload_not_writable",
                    "A final upload's bytes are those of its partial uploads; send no body with 'Upload-Concat: final'.");
        }
        Upload upload = uploads.createFinal(userId, concat.uploadIds(), metadata);
        metrics.uploadCreated();
        metrics.uploadCompleted();
        ctx.header("Location", BASE + "/" + upload.id());
        ctx.header("Kinora-Video-Id", upload.videoId());
        ctx.header("Upload-Offset", Long.toString(upload.length()));
        ctx.status(201);
    }

    private void head(Context ctx) {
        String userId = auth.requireUser(ctx);
        Upload upload = uploads.find(ctx.pathParam("id"), userId);
        ctx.header("Upload-Offset", Long.toString(upload.offset()));
        ctx.header("Upload-Length", Long.toString(upload.length()));
        if (upload.videoId() != null) ctx.header("Kinora-Video-Id", upload.videoId());
        if (upload.isPartial()) ctx.header("Upload-Concat", "partial");
        if (upload.isFinal()) ctx.header("Upload-Concat", UploadConcat.finalHeader(BASE, upload.parts()));
        if (!upload.isComplete()) ctx.header("Upload-Expires", HttpDates.format(upload.expiresAt()));
        ctx.header("Cache-Control", "no-store");
        ctx.status(200);
    }

    private void patch(Context ctx) throws IOException {
        String userId = auth.requireUser(ctx);
        requireOctetStream(ctx);
        long offset = headerLong(ctx, "Upload-Offset")
                .orElseThrow(() -> KinoraException.badRequest("missing_upload_offset", "Upload-Offset header is required."));
        Upload upload = uploads.find(ctx.pathParam("id"), userId);
        if (upload.isFinal()) throw UploadService.finalNotWritable(); // before the size check below
        Upload after = append(ctx, userId, upload, offset);
        ctx.header("Upload-Offset", Long.toString(after.offset()));
        if (!after.isComplete() && after.offset() < after.length()) ctx.header("Upload-Expires", HttpDates.format(after.expiresAt()));
        ctx.status(204);
    }

    private Upload append(Context ctx, String userId, Upload upload, long offset) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > upload.length() - upload.offset() && offset == upload.offset()) {
            throw new KinoraException(ErrorKind.PAYLOAD_TOO_LARGE, "chunk_too_large",
                    "The chunk (" + declared + " bytes) runs past Upload-Length (" + upload.length() + " bytes).");
        }
        Optional<Checksum> checksum = Optional.ofNullable(ctx.header("Upload-Checksum")).map(Checksum::parse);
        Upload after;
        try {
            after = uploads.append(upload.id(), userId, offset, ctx.req().getInputStream(), checksum);
        } catch (IOException dropped) {
            // The client went away mid-chunk; what arrived is kept and HEAD tells where to resume.
            throw KinoraException.badRequest("upload_interrupted",
                    "The request body ended early; send HEAD for the offset to resume from.");
        }
        metrics.uploadBytes(after.offset() - upload.offset());
        if (after.offset() == after.length() && !after.isPartial()) metrics.uploadCompleted();
        return after;
    }

    private void terminate(Context ctx) throws IOException {
        String userId = auth.requireUser(ctx);
        uploads.terminate(ctx.pathParam("id"), userId);
        ctx.status(204);
    }

    private static void requireOctetStream(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || !type.trim().toLowerCase().startsWith(OFFSET_OCTET_STREAM)) {
            throw new KinoraException(ErrorKind.UNSUPPORTED_MEDIA_TYPE, "invalid_content_type",
                    "Upload chunks must be sent with 'Content-Type: " + OFFSET_OCTET_STREAM + "'.");
        }
    }

    private static Optional<Long> headerLong(Context ctx, String name) {
        String v = ctx.header(name);
        if (v == null) return Optional.empty();
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) throw new NumberFormatException();
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw KinoraException.badRequest("invalid_" + name.toLowerCase().replace('-', '_'),
                    name + " must be a non-negative integer, not '" + v + "'.");
        }
    }

    /** {@code key base64(value)} pairs separated by commas; a key may come without a value. */
    static Map<String, String> parseMetadata(String header) {
        Map<String, String> out = new LinkedHashMap<>();
        if (header == null || header.isBlank()) return out;
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", 2);
            String key = kv[0];
            if (key.isEmpty() || out.containsKey(key)) {
                throw KinoraException.badRequest("invalid_metadata", "Upload-Metadata has an empty or repeated key.");
            }
            try {
                out.put(key, kv.length == 2 ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw KinoraException.badRequest("invalid_metadata", "Upload-Metadata value of '" + key + "' is not base64.");
            }
        }
        return out;
    }
}
