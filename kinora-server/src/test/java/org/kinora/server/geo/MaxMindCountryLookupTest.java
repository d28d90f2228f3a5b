package org.kinora.server.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The bundled IP-to-country database (from the npm package the build fetches), read with MaxMind's reader. */
@Timeout(60)
class MaxMindCountryLookupTest {
    @TempDir
    Path dir;

    @Test
    void bundledDatabaseKnowsPublicAddressesAndNotPrivateOnesNorNames() throws IOException {
        MaxMindCountryLookup lookup = MaxMindCountryLookup.open(Optional.empty());
        assertThat(lookup.country("8.8.8.8")).contains("US");
        assertThat(lookup.country("2001:4860:4860::8888")).contains("US");
        assertThat(lookup.country("127.0.0.1")).isEmpty();
        assertThat(lookup.country("10.1.2.3")).isEmpty();
        assertThat(lookup.country("example.org")).isEmpty(); // never a DNS lookup
        assertThat(lookup.country(null)).isEmpty();
    }

    @Test
    void readsAConfiguredFileAndSaysWhatIsWrongWhenItIsMissing() throws IOException {
        Path file = dir.resolve("country.mmdb");
        try (InputStream in = MaxMindCountryLookup.class.getResourceAsStream(MaxMindCountryLookup.BUNDLED)) {
            Files.copy(in, file);
        }
        assertThat(MaxMindCountryLookup.open(Optional.of(file)).country("1.1.1.1")).isPresent();
        assertThatThrownBy(() -> MaxMindCountryLookup.open(Optional.of(dir.resolve("missing.mmdb"))))
                .hasMessageContaining("geo.database-file");
    }
}
