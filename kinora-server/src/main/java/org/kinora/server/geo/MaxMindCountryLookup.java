package org.kinora.server.geo;

import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.kinora.core.geo.CountryLookup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP-to-country from an MMDB file with a {@code country_code} field, read with MaxMind's reader:
 * by default the CC0/CC BY database of the npm package {@code @ip-location-db/geo-whois-asn-country-mmdb}
 * that the build puts on the classpath, or {@code geo.database-file}. Replacing that file refreshes
 * it: its modification time is looked at every 10 s and a changed file is loaded (whole, in memory,
 * so readers of the old one are never cut short).
 */
public final class MaxMindCountryLookup implements CountryLookup {
    private static final Logger log = LoggerFactory.getLogger(MaxMindCountryLookup.class);
    static final String BUNDLED = "/geo/geo-whois-asn-country.mmdb";
    private static final long CHECK_EVERY_NANOS = 10_000_000_000L;

    private final Optional<Path> file;
    private volatile Reader reader;
    private volatile FileTime loadedTime;
    private volatile long checkedAt = System.nanoTime();

    private MaxMindCountryLookup(Optional<Path> file, Reader reader, FileTime loadedTime) {
        this.file = file;
        this.reader = reader;
        this.loadedTime = loadedTime;
    }

    /** The database in {@code file}, or the bundled one when empty. */
    public static MaxMindCountryLookup open(Optional<Path> file) throws IOException {
        if (file.isPresent()) {
            Path f = file.get();
            if (!Files.isRegularFile(f)) throw new IOException("geo.database-file " + f + " does not exist; point it at an MMDB file or leave it empty for the bundled one.");
            return new MaxMindCountryLookup(file, new Reader(f.toFile(), Reader.FileMode.MEMORY), Files.getLastModifiedTime(f));
        }
        try (InputStream in = MaxMindCountryLookup.class.getResourceAsStream(BUNDLED)) {
            if (in == null) throw new IOException("the bundled country database " + BUNDLED + " is missing from the build; set geo.database-file.");
            return new MaxMindCountryLookup(file, new Reader(in), null);
        }
    }

    @Override
    public Optional<String> country(String address) {
        if (address == null || !address.matches("[0-9A-Fa-f:.]{2,45}")) return Optional.empty(); // a literal, never a DNS name
        refreshIfReplaced();
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = reader.get(InetAddress.getByName(address), Map.class);
            if (record == null || !(record.get("country_code") instanceof String code) || code.length() != 2) return Optional.empty();
            return Optional.of(code.toUpperCase(Locale.ROOT));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private void refreshIfReplaced() {
        if (file.isEmpty() || System.nanoTime() - checkedAt < CHECK_EVERY_NANOS) return;
        checkedAt = System.nanoTime();
        try {
            FileTime now = Files.getLastModifiedTime(file.get());
            if (now.equals(loadedTime)) return;
            reader = new Reader(file.get().toFile(), Reader.FileMode.MEMORY);
            loadedTime = now;
            log.info("country database reloaded from {}", file.get());
        } catch (IOException | UncheckedIOException e) {
            log.warn("country database {} could not be reloaded, keeping the previous one: {}", file.get(), e.toString());
        }
    }
}
