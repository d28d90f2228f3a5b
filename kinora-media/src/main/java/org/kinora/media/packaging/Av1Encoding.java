package org.kinora.media.packaging;

import java.util.List;

import org.kinora.media.ladder.Av1Ladder;
import org.kinora.media.ladder.Rung;

/**
 * The ffmpeg output options of one AV1 rung (SVT-AV1, {@code libsvtav1} in the bundled ffmpeg).
 *
 * <p>Rate control is capped CRF: SVT-AV1 refuses a maximum rate in its VBR mode ("Max Bitrate only
 * supported with CRF mode"), and the cap is what the level and the player's buffer depend on; the
 * manifests carry the measured rates anyway. Keyframes are forced at the same instants as the
 * H.264 rungs' (closed GOPs, SVT-AV1's default key frames), so every segment starts with one and
 * the AV1 segments line up with the others. The level is given explicitly so the sequence header
 * (and the av1C box the codecs string describes) says what the manifests say.
 */
final class Av1Encoding {
    /** Quality target under the cap: around x264 veryfast's quality at the rung's H.264 rate. */
    static final int CRF = 35;

    private Av1Encoding() {}

    static List<String> arguments(Rung rung, String gop, int preset) {
        if (!rung.isAv1()) throw new IllegalArgumentException(rung.name() + " is not an AV1 rung");
        return List.of(
                "-c:v", "libsvtav1", "-preset", Integer.toString(preset),
                "-pix_fmt", Av1Ladder.BIT_DEPTH == 8 ? "yuv420p" : "yuv420p10le",
                "-crf", Integer.toString(CRF), "-maxrate", rung.maxBitrateKbps() + "k", "-bufsize", rung.bufferSizeKbits() + "k",
                "-g", gop, "-force_key_frames", "expr:gte(t,n_forced*" + CmafEncoder.SEGMENT_SECONDS + ")",
                "-svtav1-params", "level=" + rung.level());
    }
}
