package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.media.TestTools;

@Timeout(180)
class BundledFfmpegIT {

    @Test
    void extractsOnceAndReusesTheFolder() throws Exception {
        Ffmpeg first = Ffmpeg.bundled(TestTools.toolsDir());
        long modified = Files.getLastModifiedTime(first.ffmpegExecutable()).toMillis();
        Ffmpeg second = Ffmpeg.bundled(TestTools.toolsDir());

        assertThat(second.libraryDir()).isEqualTo(first.libraryDir());
        assertThat(first.libraryDir().getFileName().toString()).isEqualTo("ffmpeg-8.0.1-1.5.13");
        assertThat(Files.getLastModifiedTime(second.ffmpegExecutable()).toMillis()).isEqualTo(modified);
        assertThat(first.ffmpegExecutable()).isExecutable();
        assertThat(first.ffprobeExecutable()).isExecutable();
        try (var files = Files.list(first.libraryDir())) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("libavcodec.so.62", "libdrm.so.2", "libva.so.2");
            assertThat(names).noneMatch(n -> n.startsWith("libjni"));
            assertThat(names).noneMatch(n -> n.startsWith(".ffmpeg"));
        }
        var avdevice = java.nio.ByteBuffer.wrap(Files.readAllBytes(first.libraryDir().resolve("libavdevice.so.62")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(ElfNeededPatch.neededLibraries(avdevice)).doesNotContainAnyElementsOf(BundledInstaller.UNUSED_DEVICE_LIBRARIES);
        assertThat(ElfNeededPatch.versionNeedFiles(avdevice)).doesNotContainAnyElementsOf(BundledInstaller.UNUSED_DEVICE_LIBRARIES);
    }

    @Test
    void concurrentInstallsIntoAFreshFolderAgree(@TempDir Path tools) throws Exception {
        List<Path> dirs = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threads.add(Thread.ofPlatform().start(() -> dirs.add(Ffmpeg.bundled(tools).libraryDir())));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(dirs).hasSize(3).allMatch(d -> d.equals(dirs.getFirst()));
        try (var entries = Files.list(tools)) {
            assertThat(entries.toList()).containsExactly(dirs.getFirst()); // no staging folders left behind
        }
    }

    @Test
    void versionRunsWithoutLoaderWarnings() throws Exception {
        Ffmpeg ffmpeg = TestTools.ffmpeg();
        for (ProcessBuilder builder : List.of(ffmpeg.processBuilder(List.of("-version")),
                ffmpeg.ffprobeProcessBuilder(List.of("-version")))) {
            Process process = builder.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.getErrorStream().transferTo(err);
            assertThat(process.waitFor()).isZero();
            assertThat(out).contains("version 8.0.1");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void failureMessageCarriesTheEndOfStderr(@TempDir Path dir) {
        Path missing = dir.resolve("missing.mp4");
        assertThatThrownBy(() -> TestTools.ffmpeg().runFfmpeg(List.of("-i", missing.toString(), "-f", "null", "-")))
                .isInstanceOf(FfmpegException.class)
                .hasMessageContaining("exit code")
                .hasMessageContaining("No such file or directory");
    }

    @Test
    void reportsProgressUpToOne() {
        List<Double> reports = new CopyOnWriteArrayList<>();
        TestTools.ffmpeg().runFfmpeg(List.of("-v", "error", "-f", "lavfi", "-i", "testsrc2=s=160x120:r=25:d=2",
                "-c:v", "rawvideo", "-f", "null", "-"), 2.0, reports::add);
        assertThat(reports).isNotEmpty().isSorted();
        assertThat(reports.getLast()).isEqualTo(1.0);
    }

    @Test
    void timeoutKillsTheProcess() {
        Ffmpeg slow = TestTools.ffmpeg().withTimeout(Duration.ofMillis(300));
        long start = System.nanoTime();
        // -re reads the input at real-time speed, so this would take 60 s.
        assertThatThrownBy(() -> slow.runFfmpeg(List.of("-re", "-f", "lavfi", "-i", "testsrc2=s=64x64:d=60",
                "-f", "null", "-")))
                .isInstanceOf(FfmpegException.class)
                .hasMessageContaining("did not finish within");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void interruptKillsTheProcess() throws Exception {
        Throwable[] failure = new Throwable[1];
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                TestTools.ffmpeg().runFfmpeg(List.of("-re", "-f", "lavfi", "-i", "testsrc2=s=64x64:d=60", "-f", "null", "-"));
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        Thread.sleep(300);
        worker.interrupt();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(failure[0]).isInstanceOf(FfmpegException.class).hasMessageContaining("cancelled");
    }
}
