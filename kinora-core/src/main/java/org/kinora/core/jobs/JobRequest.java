package org.kinora.core.jobs;

/**
 * Work to queue. Higher {@code priority} runs first. At most one job per (kind, video, part) is
 * pending at a time; {@code part} is 0 unless the video's work of that kind is split (chunks).
 */
public record JobRequest(String kind, String videoId, int part, int priority, int maxAttempts) {
    public static final int DEFAULT_PRIORITY = 0;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public JobRequest {
        if (part < 0) throw new IllegalArgumentException("A job's part is 0 (whole) or a chunk number from 1, not " + part);
    }

    public JobRequest(String kind, String videoId, int priority, int maxAttempts) {
        this(kind, videoId, 0, priority, maxAttempts);
    }

    public static JobRequest of(String kind, String videoId) {
        return new JobRequest(kind, videoId, DEFAULT_PRIORITY, DEFAULT_MAX_ATTEMPTS);
    }
}
