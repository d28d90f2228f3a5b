package org.kinora.core.account;

import java.time.Instant;

public record User(String id, String username, String email, String passwordHash, Instant createdAt) {}
