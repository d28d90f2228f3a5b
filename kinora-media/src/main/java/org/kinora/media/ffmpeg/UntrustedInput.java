package org.kinora.media.ffmpeg;

import java.util.ArrayList;
import java.util.List;

/**
 * How every ffmpeg and ffprobe run opens an uploaded file, which is untrusted input.
 *
 * <p>An upload need not be a video: ffmpeg also understands manifests and scripts (MPEG-DASH,
 * HLS, concat, IMF, image sequences...) whose demuxers open the files and URLs they name. An MPD
 * whose {@code BaseURL} is {@code ../../videos/{another video}/} would make the worker read, and
 * publish, another creator's files. Two independent locks keep that out:
 * <ol>
 *   <li>the file is never named by path: the caller redirects the process's stdin from it and
 *       ffmpeg reads it as {@code fd:}, with {@code fd} the only protocol allowed. A reference
 *       inside the file (a relative or absolute path, {@code file:}, {@code http:}...) has no
 *       directory to resolve against and no protocol to be opened with;</li>
 *   <li>only the demuxers of real container formats, which read nothing but their own bytes, may
 *       open it ({@code -format_whitelist}); after probing, the probed one is named with
 *       {@code -f} so that nothing is guessed again.</li>
 * </ol>
 */
public final class UntrustedInput {
    /** The single input URL: the process's stdin, which is the uploaded file. */
    static final String URL = "fd:";
    /** Protocols the input may use: only the file descriptor it was given. */
    static final String PROTOCOLS = "fd";
    /**
     * Container demuxers that never open another file or URL. "mov" is ffmpeg's demuxer for
     * mov, mp4, m4a, 3gp, 3g2 and mj2; "matroska" also reads WebM. Deliberately absent: dash, hls,
     * concat, imf, webm_dash_manifest and every playlist format (they open what they name),
     * image2 and the *_pipe image demuxers (sequences and stills), tty, lavfi and raw elementary
     * streams (no index, no duration).
     */
    public static final List<String> DEMUXERS = List.of(
            "mov", "matroska", "avi", "flv", "mpegts", "mpeg", "ogg", "asf", "mxf", "nut", "dv");

    private UntrustedInput() {}

    /** ffprobe's input options, before the format is known: probing may only pick an allowed demuxer. */
    static List<String> probeArguments() {
        return List.of("-protocol_whitelist", PROTOCOLS, "-format_whitelist", String.join(",", DEMUXERS), "-i", URL);
    }

    /**
     * ffmpeg's input options for a source that {@link MediaProbe} accepted, ending with
     * {@code -i fd:}; the run's stdin must be redirected from the file.
     */
    public static List<String> arguments(MediaInfo info) {
        String demuxer = demuxer(info.formatName());
        List<String> args = new ArrayList<>(List.of("-protocol_whitelist", PROTOCOLS,
                "-format_whitelist", String.join(",", DEMUXERS), "-f", demuxer));
        if (demuxer.equals("mov")) {
            // External data references (tracks whose samples live in another file) stay off; both
            // are ffmpeg's defaults, set here so that a changed default cannot turn them on.
            args.addAll(List.of("-enable_drefs", "0", "-use_absolute_path", "0"));
        }
        args.addAll(List.of("-i", URL));
        return args;
    }

    /** Whether ffprobe's {@code format_name} is one of the allowed demuxers. */
    static boolean isAllowed(String formatName) {
        return List.of(formatName.split(",")).stream().anyMatch(DEMUXERS::contains);
    }

    /**
     * The demuxer for ffprobe's {@code format_name} ("mov,mp4,m4a,3gp,3g2,mj2" gives "mov").
     *
     * @throws IllegalArgumentException if it is not an allowed demuxer (MediaProbe would not have accepted it)
     */
    static String demuxer(String formatName) {
        for (String name : formatName.split(",")) {
            if (DEMUXERS.contains(name)) {
                return name;
            }
        }
        throw new IllegalArgumentException("Format '" + formatName + "' is not an allowed demuxer " + DEMUXERS);
    }
}
