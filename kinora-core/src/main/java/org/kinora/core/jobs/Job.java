package org.kinora.core.jobs;

/** A claimed unit of background work. {@code attempts} counts this one. */
public record Job(long id, String kind, String videoId, int priority, int attempts, int maxAttempts) {
    public boolean isLastAttempt() { return attempts >= maxAttempts; }
}
