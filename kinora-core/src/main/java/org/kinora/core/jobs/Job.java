package org.kinora.core.jobs;

/**
 * A claimed unit of background work. {@code attempts} counts this one. {@code part} tells apart
 * the jobs of one kind for one video that may run at once, such as the chunks of a long video
 * transcoded in parallel (1, 2, ...); 0 for a job that is the only one of its kind.
 */
public record Job(long id, String kind, String videoId, int part, int priority, int attempts, int maxAttempts) {
    public Job(long id, String kind, String videoId, int priority, int attempts, int maxAttempts) {
        this(id, kind, videoId, 0, priority, attempts, maxAttempts);
    }

    public boolean isLastAttempt() { return attempts >= maxAttempts; }
}
