package org.kinora.core.jobs;

/** Work to queue. Higher {@code priority} runs first. */
public record JobRequest(String kind, String videoId, int priority, int maxAttempts) {
    public static final int DEFAULT_PRIORITY = 0;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public static JobRequest of(String kind, String videoId) {
        return new JobRequest(kind, videoId, DEFAULT_PRIORITY, DEFAULT_MAX_ATTEMPTS);
    }
}
