package org.kinora.media.pipeline;

import org.kinora.media.packaging.CmafEncoder;

/**
 * When a video's ladder is split into chunks that several workers encode at once (issue 15).
 *
 * @param thresholdSeconds videos longer than this are chunked; shorter ones get one ladder job
 * @param chunkSeconds length of a chunk, a multiple of the {@value CmafEncoder#SEGMENT_SECONDS} s segment
 * @param sourceCopyMaxMbps sources up to this rate whose stream players take as it is are copied by the first pass (0: never)
 * @param x264Threads threads of each x264 encoder (0: x264 decides); 1 keeps a worker near one core,
 *                    so that N workers on N cores share them evenly
 */
public record ChunkSettings(int thresholdSeconds, int chunkSeconds, int x264Threads, int sourceCopyMaxMbps) {
    /** {@code transcode.source-copy-max-mbps}: the highest source rate the first pass copies rather than encodes ({@link SourceCopy}). */
    public static final int DEFAULT_SOURCE_COPY_MAX_MBPS = 20;
    public static final ChunkSettings DEFAULT = new ChunkSettings(60, 16, 0, DEFAULT_SOURCE_COPY_MAX_MBPS);

    public ChunkSettings(int thresholdSeconds, int chunkSeconds, int x264Threads) {
        this(thresholdSeconds, chunkSeconds, x264Threads, DEFAULT_SOURCE_COPY_MAX_MBPS);
    }

    public ChunkSettings {
        if (sourceCopyMaxMbps < 0) throw new IllegalArgumentException("transcode.source-copy-max-mbps must be 0 (off) or more, not " + sourceCopyMaxMbps);
        if (thresholdSeconds < 0) throw new IllegalArgumentException("transcode.chunk-threshold-seconds must be 0 s or more, not " + thresholdSeconds);
        if (chunkSeconds < CmafEncoder.SEGMENT_SECONDS || chunkSeconds % CmafEncoder.SEGMENT_SECONDS != 0) {
            throw new IllegalArgumentException("transcode.chunk-seconds must be a positive multiple of " + CmafEncoder.SEGMENT_SECONDS
                    + " s (the segment length), not " + chunkSeconds + " s");
        }
        if (x264Threads < 0) throw new IllegalArgumentException("transcode.x264-threads must be 0 (automatic) or more, not " + x264Threads);
    }

    /** Whether a video of this length is chunked: longer than the threshold and at least two chunks long. */
    public boolean applies(double durationSeconds) {
        return durationSeconds > thresholdSeconds && durationSeconds > chunkSeconds + CmafEncoder.SEGMENT_SECONDS;
    }
}
