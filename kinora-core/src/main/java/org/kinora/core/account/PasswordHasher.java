package org.kinora.core.account;

/** Port: a slow, salted password hash (Argon2id in the default wiring). */
public interface PasswordHasher {
    String hash(String password);

    boolean verify(String password, String hash);
}
