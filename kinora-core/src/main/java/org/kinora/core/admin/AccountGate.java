package org.kinora.core.admin;

import org.kinora.core.account.AccountAdminService;
import org.kinora.core.account.Role;
import org.kinora.core.account.User;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;

/**
 * Who may sign up and who may sign in: the instance's sign-up mode, and accounts that are
 * suspended or wait for approval. Sign-in asks only after the password matched, so these answers
 * tell nothing to someone guessing (unknown user and wrong password stay one answer).
 */
public final class AccountGate {
    private final InstanceSettingsService settings;
    private final AdminDirectory directory;
    private final AccountAdminService roles;
    private final java.util.List<java.util.function.Consumer<User>> signUpListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Predicate<User> emailVerified = user -> true;

    public AccountGate(InstanceSettingsService settings, AdminDirectory directory, AccountAdminService roles) {
        this.settings = settings;
        this.directory = directory;
        this.roles = roles;
    }

    public void beforeSignUp() {
        if (settings.current().signUps() == InstanceSettings.SignUps.CLOSED) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "signups_closed", "This instance does not take new accounts at the moment.");
        }
    }

    /** Runs after every sign-up, outside its transaction (the verification email). */
    public void onSignUp(java.util.function.Consumer<User> listener) {
        signUpListeners.add(listener);
    }

    /** From now on, accounts sign in only once {@code verified} holds for them. */
    public void requireVerifiedEmail(java.util.function.Predicate<User> verified) {
        this.emailVerified = verified;
    }

    /** True when the new account has to wait for an admin (the instance's first account, its admin, never does). */
    public boolean afterSignUp(User user) {
        for (var l : signUpListeners) l.accept(user);
        if (settings.current().signUps() != InstanceSettings.SignUps.APPROVAL || roles.role(user.id()) == Role.ADMIN) return false;
        directory.setAwaitingApproval(user.id(), true);
        return true;
    }

    public void beforeSignIn(User user) {
        AdminDirectory.Standing s = directory.standing(user.id());
        if (s.suspended()) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "account_suspended",
                    "This account is suspended: " + s.suspensionReason() + " Contact the instance's admins to appeal.");
        }
        if (!emailVerified.test(user)) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "email_unverified",
                    "Confirm your email address first: open the link we sent to " + user.email()
                            + " (a new one goes out when the last has expired).");
        }
        if (s.awaitingApproval()) {
            throw new KinoraException(ErrorKind.FORBIDDEN, "awaiting_approval",
                    "Your account waits for an admin to approve it; you can sign in once it is approved.");
        }
    }
}
