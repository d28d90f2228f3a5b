package org.kinora.adapters.clamav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.core.scan.MalwareScanner.Verdict;
import org.kinora.server.engines.EmbeddedClamd;
import org.kinora.server.engines.Loopback;

/** The INSTREAM client against a real clamd, over TCP and the unix socket. */
@Timeout(90)
class ClamdScannerIT {
    @TempDir
    static Path dir;
    static EmbeddedClamd clamd;

    @BeforeAll
    static void start() throws IOException {
        clamd = EmbeddedClamd.start(dir);
    }

    @AfterAll
    static void stop() {
        if (clamd != null) clamd.close();
    }

    private static InputStream bytes(byte[] b) { return new ByteArrayInputStream(b); }

    @Test
    void findsEicarInsideALargerFileOverTcpAndUnixSocket() throws IOException {
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        byte[] eicar = EmbeddedClamd.EICAR.getBytes(StandardCharsets.US_ASCII);
        byte[] infected = new byte[noise.length + eicar.length];
        System.arraycopy(noise, 0, infected, 0, 200_000);
        System.arraycopy(eicar, 0, infected, 200_000, eicar.length);
        System.arraycopy(noise, 200_000, infected, 200_000 + eicar.length, noise.length - 200_000);
        for (String address : new String[] {clamd.tcpAddress(), clamd.unixAddress()}) {
            ClamdScanner scanner = new ClamdScanner(address, Duration.ofSeconds(30));
            assertThat(scanner.isReachable()).isTrue();
            assertThat(scanner.scan(bytes(noise))).isEqualTo(Verdict.CLEAN);
            Verdict v = scanner.scan(bytes(infected));
            assertThat(v.infected()).as(address).isTrue();
            assertThat(v.signature()).startsWith(EmbeddedClamd.SIGNATURE);
            assertThat(scanner.scan(bytes(eicar)).infected()).isTrue();
            assertThat(scanner.scan(bytes(new byte[0]))).isEqualTo(Verdict.CLEAN);
        }
    }

    @Test
    void anUnreachableClamdIsAnErrorNotAVerdict() throws IOException {
        ClamdScanner nobody = new ClamdScanner("127.0.0.1:" + Loopback.freePort(), Duration.ofSeconds(2));
        assertThat(nobody.isReachable()).isFalse();
        assertThatThrownBy(() -> nobody.scan(bytes(new byte[10]))).isInstanceOf(IOException.class).hasMessageContaining("cannot reach clamd");
    }

    @Test
    void repliesAreParsed() throws IOException {
        assertThat(ClamdScanner.parse("stream: OK")).isEqualTo(Verdict.CLEAN);
        assertThat(ClamdScanner.parse("stream: Win.Test.EICAR_HDB-1 FOUND")).isEqualTo(new Verdict(true, "Win.Test.EICAR_HDB-1"));
        assertThatThrownBy(() -> ClamdScanner.parse("INSTREAM size limit exceeded. ERROR")).hasMessageContaining("StreamMaxLength");
    }
}
