package org.kinora.server.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import org.kinora.core.account.PasswordHasher;

/** Argon2id with OWASP's baseline parameters (19 MiB, 2 passes, 1 lane); hashes are PHC strings. */
public final class Argon2PasswordHasher implements PasswordHasher {
    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    @Override
    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    @Override
    public boolean verify(String password, String hash) {
        // Parameters come from the stored hash, so raising them later keeps old hashes valid.
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }
}
