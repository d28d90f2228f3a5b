package org.kinora.core.account;

/** Ends every session and token of an account (suspension, deletion, password reset). */
@FunctionalInterface
public interface SessionRevoker {
    void revokeAll(String userId);
}
