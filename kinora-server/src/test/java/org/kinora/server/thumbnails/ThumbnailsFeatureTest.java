package org.kinora.server.thumbnails;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kinora.media.ffmpeg.Ffmpeg;
import org.kinora.media.packaging.ThumbnailFrames;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;

/** The thumbnail routes read originals within the same limits as the transcoder, and briefly. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ThumbnailsFeatureTest {
    /** Only the paths matter here: nothing is run. */
    private static final Ffmpeg FFMPEG = Ffmpeg.system(Path.of("/bin/true"), Path.of("/bin/true"));

    @Test
    void theOriginalIsProbedWithinTheConfiguredLimits() throws Exception {
        KinoraConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of(
                "transcode.max-duration-seconds", "600", "transcode.max-side", "1920"));
        assertThat(ThumbnailsFeature.probe(FFMPEG, config).limits()).isEqualTo(config.mediaLimits());
        assertThat(ThumbnailsFeature.probe(FFMPEG, config).limits().maxDurationSeconds()).isEqualTo(600);
    }

    /** Was the transcoder's 12 hours per run. */
    @Test
    void framesAreTakenWithAShortTimeout() {
        assertThat(FFMPEG.timeout()).isEqualTo(Ffmpeg.DEFAULT_TIMEOUT);
        assertThat(new ThumbnailFrames(FFMPEG).timeout()).isEqualTo(ThumbnailFrames.TIMEOUT).hasMinutes(2);
    }
}
