package org.kinora.media.pipeline;

import org.kinora.core.video.VideoRepository;

/** Writes a video's 0–100 progress, at most when the whole percent changes and twice a second. */
final class ProgressReporter {
    private static final long MIN_INTERVAL_NANOS = 500_000_000L;
    private final VideoRepository videos;
    private final String videoId;
    private int last = -1;
    private long lastWrite;

    ProgressReporter(VideoRepository videos, String videoId) {
        this.videos = videos;
        this.videoId = videoId;
    }

    synchronized void report(double percent) {
        int p = (int) Math.max(0, Math.min(100, Math.floor(percent)));
        long now = System.nanoTime();
        if (p <= last) return;
        if (now - lastWrite < MIN_INTERVAL_NANOS && p % 5 != 0) return;
        videos.updateProgress(videoId, p);
        last = p;
        lastWrite = now;
    }

    synchronized int last() {
        return Math.max(last, 0);
    }
}
