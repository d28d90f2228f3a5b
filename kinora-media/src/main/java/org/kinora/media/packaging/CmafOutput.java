package org.kinora.media.packaging;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@link CmafEncoder} wrote into {@code outDir}: video renditions lowest first, and the audio one if requested. */
public record CmafOutput(Path outDir, List<VideoRendition> video, Optional<AudioRendition> audio) {
    public CmafOutput {
        video = List.copyOf(video);
    }
}
