package org.kinora.server.privacy;

import static org.kinora.server.http.ApiRole.ADMIN;
import static org.kinora.server.http.ApiRole.IDEMPOTENT;
import static org.kinora.server.http.ApiRole.SIGNED_IN;
import static org.kinora.server.http.ApiRole.WRITE_LIMITED;
import static org.kinora.server.http.Doc.doc;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.kinora.core.account.AccountDeletion;
import org.kinora.core.account.PersonalData;
import org.kinora.core.blob.BlobInfo;
import org.kinora.core.blob.BlobKeys;
import org.kinora.core.blob.BlobStore;
import org.kinora.core.common.RateLimiter;
import org.kinora.server.auth.AuthRoutes;
import org.kinora.server.http.Api;
import org.kinora.server.http.Authenticator;
import org.kinora.server.http.Routes;

/**
 * Account deletion (by its owner with the password, or by an admin with a reason) and the data
 * export: a zip, streamed as it is written, of one JSON file per kind of data and the originals
 * of the account's videos. Exports are limited per account (each reads every original).
 */
final class AccountDataRoutes implements Routes {
    private final AccountDeletion deletion;
    private final PersonalData data;
    private final BlobStore blobs;
    private final Authenticator auth;
    private final RateLimiter exports;

    AccountDataRoutes(AccountDeletion deletion, PersonalData data, BlobStore blobs, Authenticator auth, RateLimiter exports) {
        this.deletion = deletion;
        this.data = data;
        this.blobs = blobs;
        this.auth = auth;
        this.exports = exports;
    }

    record Confirm(String password) {}

    @Override
    public void register(Api app) {
        app.post("/api/v1/me/deletion", doc("Delete your account: videos, comments and personal data (give your password)", SIGNED_IN, WRITE_LIMITED, IDEMPOTENT).body(Confirm.class), ctx -> {
            String user = auth.requireUser(ctx);
            deletion.deleteOwn(user, AuthRoutes.body(ctx, Confirm.class).password());
            ctx.status(204);
        });
        app.delete("/api/v1/admin/users/{id}", doc("Admins: delete an account with everything it holds (?reason=)", SIGNED_IN, ADMIN, WRITE_LIMITED, IDEMPOTENT), ctx -> {
            deletion.deleteByAdmin(auth.requireUser(ctx), ctx.pathParam("id"), ctx.queryParam("reason"));
            ctx.status(204);
        });
        app.get("/api/v1/me/export", doc("Your data as a zip: JSON files and the originals of your videos", SIGNED_IN), ctx -> {
            String user = auth.requireUser(ctx);
            exports.acquire(user);
            ctx.contentType("application/zip");
            ctx.header("Content-Disposition", "attachment; filename=\"kinora-export.zip\"");
            ctx.header("Cache-Control", "no-store");
            try (ZipOutputStream zip = new ZipOutputStream(ctx.res().getOutputStream())) {
                data.export(user, name -> {
                    zip.putNextEntry(new ZipEntry(name));
                    return uncloseable(zip);
                });
                for (String video : data.videoIds(user)) {
                    String key = BlobKeys.original(video);
                    Optional<BlobInfo> info = blobs.stat(key);
                    if (info.isEmpty()) continue;
                    zip.putNextEntry(new ZipEntry("originals/" + video + "/source"));
                    try (InputStream in = blobs.open(key)) {
                        in.transferTo(zip);
                    }
                }
            }
        });
    }

    private static OutputStream uncloseable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

            @Override
            public void close() throws IOException { flush(); }
        };
    }
}
