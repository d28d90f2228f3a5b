package org.kinora.media.ffmpeg;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the ffmpeg executables and libraries out of the bytedeco natives jar into a tools
 * folder, once. The folder is built under a temporary name and renamed into place, so a folder
 * with the final name is always complete, and concurrent JVMs simply reuse the winner's copy.
 */
final class BundledInstaller {
    private static final Logger log = LoggerFactory.getLogger(BundledInstaller.class);

    static final String RESOURCE_DIR = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
    private static final String POM_PROPERTIES = "META-INF/maven/org.bytedeco/ffmpeg/pom.properties";
    private static final String COMPLETE_MARKER = ".complete";
    static final List<String> EXECUTABLES = List.of("ffmpeg", "ffprobe");

    /**
     * Libraries that libavdevice links for capture/playback devices Kinora never opens (PulseAudio,
     * ALSA, X11 screen grabbing). They are not in the jar, so without this every run would need
     * those system packages installed.
     */
    static final List<String> UNUSED_DEVICE_LIBRARIES =
            List.of("libpulse.so.0", "libasound.so.2", "libxcb.so.1", "libxcb-shm.so.0");

    private BundledInstaller() {}

    static Path install(Path toolsDir) {
        URL ffmpeg = BundledInstaller.class.getClassLoader().getResource(RESOURCE_DIR + "ffmpeg");
        if (ffmpeg == null) {
            throw new FfmpegException("The bundled ffmpeg is not on the classpath (resource " + RESOURCE_DIR
                    + "ffmpeg). Add org.bytedeco:ffmpeg with classifier linux-x86_64-gpl, or configure a system ffmpeg.", "");
        }
        try {
            Files.createDirectories(toolsDir);
            if (ffmpeg.getProtocol().equals("jar")) {
                JarURLConnection connection = (JarURLConnection) ffmpeg.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = new JarFile(Path.of(connection.getJarFileURL().toURI()).toFile())) {
                    Path target = toolsDir.resolve("ffmpeg-" + version(jar));
                    if (!isComplete(target)) {
                        install(target, staging -> extract(jar, staging));
                    }
                    return target;
                }
            }
            // An exploded classpath (IDE): the resource folder is a plain directory.
            Path source = Path.of(ffmpeg.toURI()).getParent();
            Path target = toolsDir.resolve("ffmpeg-exploded");
            if (!isComplete(target)) {
                install(target, staging -> copyDir(source, staging));
            }
            return target;
        } catch (IOException e) {
            throw new FfmpegException("Could not install the bundled ffmpeg into " + toolsDir + ": " + e
                    + ". Check that the folder is writable and the disk is not full.", e);
        } catch (URISyntaxException e) {
            throw new FfmpegException("Unexpected location of the bundled ffmpeg: " + ffmpeg, e);
        }
    }

    private interface Filler {
        void fill(Path staging) throws IOException;
    }

    private static void install(Path target, Filler filler) throws IOException {
        Path staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + "-");
        try {
            filler.fill(staging);
            for (String exe : EXECUTABLES) {
                Files.setPosixFilePermissions(staging.resolve(exe), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            Path avdevice = findLibrary(staging, "libavdevice.so.");
            if (avdevice != null) {
                for (String lib : UNUSED_DEVICE_LIBRARIES) {
                    ElfNeededPatch.removeNeeded(avdevice, lib);
                }
            }
            Files.writeString(staging.resolve(COMPLETE_MARKER), "");
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                log.info("Installed bundled ffmpeg into {}", target);
            } catch (FileSystemException e) {
                // rename(2) onto a non-empty directory fails (ENOTEMPTY/EEXIST): another thread or
                // JVM installed it first, and its copy is as good as ours.
                if (!isComplete(target)) {
                    throw new IOException("cannot rename " + staging + " to " + target
                            + (Files.exists(target) ? "; " + target + " exists but is incomplete, delete it and try again" : ""), e);
                }
            }
        } finally {
            deleteRecursively(staging);
        }
    }

    private static boolean isComplete(Path target) {
        return Files.isRegularFile(target.resolve(COMPLETE_MARKER));
    }

    private static String version(JarFile jar) throws IOException {
        JarEntry entry = jar.getJarEntry(POM_PROPERTIES);
        if (entry == null) {
            return "unknown";
        }
        Properties properties = new Properties();
        try (InputStream in = jar.getInputStream(entry)) {
            properties.load(in);
        }
        return properties.getProperty("version", "unknown");
    }

    static boolean isWanted(String fileName) {
        if (EXECUTABLES.contains(fileName)) {
            return true;
        }
        // The libjni*.so files are the Java bindings; only the command-line tools are used.
        return fileName.startsWith("lib") && fileName.contains(".so") && !fileName.startsWith("libjni");
    }

    private static void extract(JarFile jar, Path staging) throws IOException {
        for (JarEntry entry : jar.stream().toList()) {
            String name = entry.getName();
            if (entry.isDirectory() || !name.startsWith(RESOURCE_DIR)) {
                continue;
            }
            String fileName = name.substring(RESOURCE_DIR.length());
            if (!fileName.contains("/") && isWanted(fileName)) {
                try (InputStream in = jar.getInputStream(entry)) {
                    Files.copy(in, staging.resolve(fileName));
                }
            }
        }
    }

    private static void copyDir(Path source, Path staging) throws IOException {
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                if (Files.isRegularFile(file) && isWanted(file.getFileName().toString())) {
                    Files.copy(file, staging.resolve(file.getFileName()));
                }
            }
        }
    }

    private static Path findLibrary(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete the staging folder {}: {}", dir, e.toString());
        }
    }
}
