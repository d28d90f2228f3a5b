package org.kinora.server.feature;

import org.kinora.core.common.Clock;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.engines.Engines;
import org.kinora.server.ops.Metrics;

/**
 * What every feature may use: the configuration, the clock, the meters, the selected engines and
 * ffmpeg. {@code wakeWorker} tells this process's worker (if it runs one) that a job was queued;
 * {@code webPort} is the main listener's port once it listens.
 */
public record Platform(KinoraConfig config, Clock clock, Metrics metrics, Engines engines, Ffmpeg ffmpeg, Runnable wakeWorker,
                       java.util.function.IntSupplier webPort) {}
