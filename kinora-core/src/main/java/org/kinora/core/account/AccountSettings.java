package org.kinora.core.account;

/**
 * The parts of an account that are not credentials. {@code uploadQuotaBytes}: null means the
 * instance default, -1 unlimited.
 */
public record AccountSettings(String userId, Role role, Long uploadQuotaBytes, boolean historyPaused) {}
