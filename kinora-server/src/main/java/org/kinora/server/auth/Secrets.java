package org.kinora.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server secret from which signing keys are derived: {@code auth.secret} when configured
 * (every API node of a cluster must share it), otherwise a random one kept in the data directory.
 */
public final class Secrets {
    private final byte[] master;

    private Secrets(byte[] master) {
        this.master = master;
    }

    public static Secrets load(Optional<String> configured, Path secretsDir) throws IOException {
        if (configured.isPresent()) {
            byte[] bytes = configured.get().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) throw new IllegalArgumentException("auth.secret must be at least 32 characters long.");
            return new Secrets(bytes);
        }
        Path file = secretsDir.resolve("signing.key");
        if (!Files.exists(file)) {
            Files.createDirectories(secretsDir);
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
            } catch (FileAlreadyExistsException raced) {
                // another process created it first; use theirs
            }
        }
        return new Secrets(Base64.getDecoder().decode(Files.readString(file).trim()));
    }

    /** A 32-byte key for one purpose, so that a token of one kind never verifies as another. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(master, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
