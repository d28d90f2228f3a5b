package org.kinora.media;

import java.nio.file.Path;

import org.kinora.media.ffmpeg.Ffmpeg;

/** Shared test fixtures: one bundled ffmpeg per build, under target/. */
public final class TestTools {
    private static Ffmpeg ffmpeg;

    private TestTools() {}

    public static synchronized Ffmpeg ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = Ffmpeg.bundled(toolsDir());
        }
        return ffmpeg;
    }

    public static Path toolsDir() {
        return Path.of("target", "tools").toAbsolutePath();
    }
}
