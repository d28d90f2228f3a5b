package org.kinora.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every test class of the repository (a {@code *Test} or {@code *IT} under some {@code src/test/java})
 * carries a class-level {@code @Timeout}, so one hang fails its test instead of eating the CI
 * budget. Read from the sources: this module is built before the others, whose classes it cannot see.
 */
@Timeout(60)
class EveryTestClassHasATimeoutTest {
    private static final Pattern CLASS_TIMEOUT = Pattern.compile("(?m)^@Timeout\\(.*\\)\\s*\\n(@.*\\n)*((public|abstract|final) )*class ");

    @Test
    void everyTestClassDeclaresATimeout() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent(); // this module's folder is a child of the repository's root
        assertThat(root.resolve("kinora-core")).as("the repository root").isDirectory();
        List<Path> testClasses;
        try (Stream<Path> files = Files.walk(root)) {
            testClasses = files.filter(p -> p.toString().contains("/src/test/java/"))
                    .filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> p.getFileName().toString().matches(".*(Test|IT)\\.java"))
                    .toList();
        }
        assertThat(testClasses).as("test classes found").hasSizeGreaterThan(40);
        List<String> without = testClasses.stream()
                .filter(p -> !CLASS_TIMEOUT.matcher(read(p)).find())
                .map(p -> root.relativize(p).toString())
                .toList();
        assertThat(without).as("test classes without a class-level @org.junit.jupiter.api.Timeout (add one sized to the "
                + "class's slowest test, with margin)").isEmpty();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
