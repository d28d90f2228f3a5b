package org.kinora.media.ffmpeg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Works on the real libavdevice from the bytedeco jar, so a new ffmpeg build is checked too. */
@Timeout(60)
class ElfNeededPatchTest {

    private static Path copyOfLibavdevice(Path dir) throws Exception {
        Path lib = dir.resolve("libavdevice.so.62");
        try (InputStream in = ElfNeededPatchTest.class.getClassLoader()
                .getResourceAsStream(BundledInstaller.RESOURCE_DIR + "libavdevice.so.62")) {
            assertThat(in).as("libavdevice in the bytedeco jar").isNotNull();
            Files.copy(in, lib);
        }
        return lib;
    }

    private static ByteBuffer read(Path file) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void removesNeededAndVersionNeedOfPulseAudio(@TempDir Path dir) throws Exception {
        Path lib = copyOfLibavdevice(dir);
        ByteBuffer before = read(lib);
        assertThat(ElfNeededPatch.neededLibraries(before)).contains("libpulse.so.0");
        assertThat(ElfNeededPatch.versionNeedFiles(before)).contains("libpulse.so.0");
        long size = Files.size(lib);

        assertThat(ElfNeededPatch.removeNeeded(lib, "libpulse.so.0")).isTrue();

        ByteBuffer after = read(lib);
        assertThat(Files.size(lib)).isEqualTo(size);
        var expectedNeeded = ElfNeededPatch.neededLibraries(before).stream().filter(n -> !n.equals("libpulse.so.0")).toList();
        assertThat(ElfNeededPatch.neededLibraries(after)).isEqualTo(expectedNeeded);
        var expectedVersions = ElfNeededPatch.versionNeedFiles(before).stream().filter(n -> !n.equals("libpulse.so.0")).toList();
        assertThat(ElfNeededPatch.versionNeedFiles(after)).isEqualTo(expectedVersions);
        assertThat(ElfNeededPatch.verneedNum(after)).isEqualTo(expectedVersions.size());
    }

    @Test
    void removingTheFirstVersionNeedEntryKeepsTheChainIntact(@TempDir Path dir) throws Exception {
        Path lib = copyOfLibavdevice(dir);
        String first = ElfNeededPatch.versionNeedFiles(read(lib)).getFirst();
        var rest = ElfNeededPatch.versionNeedFiles(read(lib)).subList(1, ElfNeededPatch.versionNeedFiles(read(lib)).size());
        ElfNeededPatch.removeNeeded(lib, first);
        assertThat(ElfNeededPatch.versionNeedFiles(read(lib))).isEqualTo(rest);
        assertThat(ElfNeededPatch.neededLibraries(read(lib))).doesNotContain(first);
    }

    @Test
    void isANoOpWhenTheLibraryIsNotReferenced(@TempDir Path dir) throws Exception {
        Path lib = copyOfLibavdevice(dir);
        ElfNeededPatch.removeNeeded(lib, "libpulse.so.0");
        byte[] patched = Files.readAllBytes(lib);
        assertThat(ElfNeededPatch.removeNeeded(lib, "libpulse.so.0")).isFalse();
        assertThat(ElfNeededPatch.removeNeeded(lib, "libnothing.so.1")).isFalse();
        assertThat(Files.readAllBytes(lib)).isEqualTo(patched);
    }

    @Test
    void refusesNonElfFiles(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("x.so"), "not an ELF file at all, just some text to be long enough".repeat(3));
        assertThatThrownBy(() -> ElfNeededPatch.removeNeeded(text, "libpulse.so.0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a 64-bit little-endian ELF");
    }
}
