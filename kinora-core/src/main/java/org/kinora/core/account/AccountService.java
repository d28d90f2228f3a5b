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

/** Registration and sign-in. Issuing tokens is the HTTP layer's job. */
public final class AccountService {
    private static final Pattern USERNAME = Pattern.compile("[a-zA-Z0-9_.-]{3,32}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s]{1,63}");
    private static final int MIN_PASSWORD = 8;
    private static final int MAX_PASSWORD = 256;

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    public AccountService(UserRepository users, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    public User register(String username, String email, String password) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw KinoraException.badRequest("invalid_username",
                    "Username must be 3–32 characters: letters, digits, '.', '_' or '-'.");
        }
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw KinoraException.badRequest("invalid_email", "Email address is not valid.");
        }
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw KinoraException.badRequest("invalid_password",
                    "Password must be between " + MIN_PASSWORD + " and " + MAX_PASSWORD + " characters.");
        }
        User user = new User(Ids.newId(), username, email.toLowerCase(Locale.ROOT), hasher.hash(password), clock.now());
        if (!users.insertIfAbsent(user)) {
            throw KinoraException.conflict("account_exists", "That username or email is already registered.");
        }
        return user;
    }

    /** The user whose credentials these are; the same error whether the name or the password was wrong. */
    public User authenticate(String username, String password) {
        Optional<User> user = username == null ? Optional.empty() : users.findByUsername(username);
        if (user.isEmpty() || password == null || !hasher.verify(password, user.get().passwordHash())) {
            throw KinoraException.unauthorized("invalid_credentials", "Username or password is wrong.");
        }
        return user.get();
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
