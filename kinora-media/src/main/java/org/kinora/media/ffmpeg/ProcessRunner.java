package org.kinora.media.ffmpeg;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs one process to completion: stdout lines go to a consumer, stderr is drained into a bounded
 * tail, and the process is killed if it outlives the timeout or the calling thread is interrupted.
 */
final class ProcessRunner {
    private static final int MESSAGE_STDERR_CHARS = 2000;

    private ProcessRunner() {}

    static void run(ProcessBuilder builder, Duration timeout, Consumer<String> stdoutLines) {
        String tool = fileName(builder.command().getFirst());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new FfmpegException("Could not start " + builder.command().getFirst() + ": " + e.getMessage()
                    + ". Check that the executable exists and is executable.", e);
        }
        StderrTail stderr = new StderrTail(StderrTail.DEFAULT_CAPACITY);
        Thread errReader = Thread.ofVirtual().name(tool + "-stderr").start(() -> {
            try {
                stderr.drain(process.getErrorStream());
            } catch (IOException ignored) {
                // the process died; what we have is all there is
            }
        });
        RuntimeException[] listenerFailure = new RuntimeException[1];
        Thread outReader = Thread.ofVirtual().name(tool + "-stdout").start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (listenerFailure[0] == null) {
                        try {
                            stdoutLines.accept(line);
                        } catch (RuntimeException e) {
                            listenerFailure[0] = e; // keep draining so the process is not blocked
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process died
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new FfmpegTimeoutException(tool + " did not finish within " + timeout + " and was killed. "
                        + "Stderr: " + StderrTail.lastLines(stderr.text(), MESSAGE_STDERR_CHARS), stderr.text());
            }
            errReader.join();
            outReader.join();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new FfmpegException(tool + " was cancelled (the calling thread was interrupted); the process was killed.", e);
        }
        if (listenerFailure[0] != null) {
            throw listenerFailure[0];
        }
        int exit = process.exitValue();
        if (exit != 0) {
            String tail = stderr.text();
            throw new FfmpegException(tool + " failed with exit code " + exit + ": "
                    + StderrTail.lastLines(tail, MESSAGE_STDERR_CHARS) + "\nCommand: " + String.join(" ", builder.command()), tail);
        }
    }

    private static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String fileName(String command) {
        int slash = command.lastIndexOf('/');
        return slash < 0 ? command : command.substring(slash + 1);
    }

    static List<String> withPrefix(List<String> prefix, List<String> args) {
        return Stream.concat(prefix.stream(), args.stream()).toList();
    }
}
