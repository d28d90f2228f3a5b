package org.kinora.core.account;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.kinora.core.common.Clock;
import org.kinora.core.common.Ids;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Transactions;

/** Registration and sign-in. Issuing tokens is the HTTP layer's job. */
public final class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_.-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final Transactions tx;
    private final RegistrationListener onRegistered;
    private final String dummyHash;

    /** Runs inside the registration's transaction: what every new account must have (its channel). */
    @FunctionalInterface
    public interface RegistrationListener {
        void registered(User user);
    }

    public AccountService(UserRepository users, PasswordHasher hasher, Clock clock) {
        this(users, hasher, clock, new Transactions() {
            @Override
            public <T> T inTransaction(java.util.function.Supplier<T> work) { return work.get(); }
        }, user -> {});
    }

    public AccountService(UserRepository users, PasswordHasher hasher, Clock clock, Transactions tx,
                          RegistrationListener onRegistered) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
        this.tx = tx;
        this.onRegistered = onRegistered;
        // Checked when the name is unknown, so that "no such user" costs the same hash as "wrong
        // password" and response times do not tell which accounts exist.
        this.dummyHash = hasher.hash("no account has this password " + Ids.newId());
    }

    public User register(String username, String email, String password) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw KinoraException.badRequest("invalid_username",
                    "Username must be 3–32 characters: letters, digits, '.', '_' or '-'.");
        }
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw KinoraException.badRequest("invalid_email", "Email address is not valid.");
        }
        requireValidPassword(password);
        User user = new User(Ids.newId(), username, email.toLowerCase(Locale.ROOT), hasher.hash(password), clock.now());
        boolean created = tx.inTransaction(() -> {
            if (!users.insertIfAbsent(user)) return false;
            onRegistered.registered(user);
            return true;
        });
        if (!created) throw KinoraException.conflict("account_exists", "That username or email is already registered.");
        return user;
    }

    /** The user whose credentials these are; the same error whether the name or the password was wrong. */
    public User authenticate(String username, String password) {
        Optional<User> user = username == null ? Optional.empty() : users.findByUsername(username);
        String hash = user.map(User::passwordHash).orElse(dummyHash);
        boolean matches = hasher.verify(password == null ? "" : password, hash);
        if (user.isEmpty() || password == null || !matches) {
            throw KinoraException.unauthorized("invalid_credentials", "Username or password is wrong.");
        }
        return user.get();
    }

    /**
     * Replaces the password after checking the current one. {@code alsoInTransaction} runs in the
     * same transaction (ending the user's sessions and tokens), so the new password never
     * coexists with sessions signed in under the old one.
     */
    public void changePassword(String userId, String currentPassword, String newPassword, Runnable alsoInTransaction) {
        User user = find(userId).orElseThrow(() -> KinoraException.unauthorized("unknown_user", "This account no longer exists."));
        if (currentPassword == null || !hasher.verify(currentPassword, user.passwordHash())) {
            throw new KinoraException(org.kinora.core.common.ErrorKind.FORBIDDEN, "wrong_password", "The current password is wrong.");
        }
        requireValidPassword(newPassword);
        String hash = hasher.hash(newPassword);
        tx.inTransaction(() -> {
            users.updatePasswordHash(userId, hash);
            alsoInTransaction.run();
            return null;
        });
    }

    static void requireValidPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw KinoraException.badRequest("invalid_password",
                    "Password must be between " + MIN_PASSWORD + " and " + MAX_PASSWORD + " characters.");
        }
    }

    public Optional<User> find(String id) {
        return id == null ? Optional.empty() : users.findById(id);
    }

    /** Usernames by user id, for showing who owns each video of a page in one query. */
    public Map<String, String> usernames(Collection<String> ids) {
        Map<String, String> names = new HashMap<>();
        for (User u : users.findByIds(Set.copyOf(ids))) names.put(u.id(), u.username());
        return names;
    }
}
