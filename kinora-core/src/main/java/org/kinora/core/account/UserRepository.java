package org.kinora.core.account;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Port: stored accounts. Usernames and emails are unique, case-insensitively. */
public interface UserRepository {
    /** Inserts the user; returns false when the username or email is already taken. */
    boolean insertIfAbsent(User user);

    Optional<User> findByUsername(String username);

    Optional<User> findById(String id);

    List<User> findByIds(Collection<String> ids);

    void updatePasswordHash(String id, String passwordHash);
}
