package org.kinora.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Ceph cluster with an S3 gateway on 127.0.0.1, from Debian's packages (radosgw, ceph-mon,
 * ceph-osd; Ceph 16 "Pacific" on bookworm): one monitor, one OSD and one radosgw, each a child
 * process in the foreground, everything (config, monitor store, logs, sockets) under one directory.
 * Used instead of s3proxy when the tests run with {@code -Dkinora.s3=ceph}.
 *
 * <p>Choices that make one machine enough and keep it fast to start (about 13 s):
 * <ul>
 *   <li>cephx is off ({@code auth_*_required = none}): nothing but loopback can reach it, and S3
 *       requests are still signed and checked by radosgw against the user's keys;</li>
 *   <li>messenger v1 on IPv4 only: the OSD otherwise opens IPv6 heartbeat sockets, which this
 *       machine's kernel refuses, and never comes up;</li>
 *   <li>pools of one replica and 8 placement groups; the OSD keeps objects in memory
 *       ({@code memstore}), so a test cluster leaves nothing on disk but its logs;</li>
 *   <li>no manager daemon: radosgw needs only the monitor and the OSD.</li>
 * </ul>
 * Kinora talks to it with {@code s3.checksums = when-required}: RGW 16 refuses the AWS SDK's default
 * trailing checksums and answers 400 to an empty aws-chunked PUT body.
 */
final class CephRgw implements S3Engine {
    static final String ACCESS_KEY = "kinora-ceph-access";
    static final String SECRET_KEY = "kinora-ceph-secret-0123456789";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> BINARIES = List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph",
            "ceph-authtool", "monmaptool");

    private final Path dir;
    private final Path conf;
    private final String endpoint;
    private final List<Process> daemons = new ArrayList<>();

    private CephRgw(Path dir, int rgwPort) {
        this.dir = dir;
        this.conf = dir.resolve("ceph.conf");
        this.endpoint = "http://127.0.0.1:" + rgwPort;
    }

    static CephRgw start(Path dir) throws IOException {
        for (String binary : BINARIES) {
            if (!Files.isExecutable(Path.of("/usr/bin", binary))) {
                throw new IOException("-Dkinora.s3=ceph needs Ceph from Debian, and /usr/bin/" + binary + " is missing: "
                        + "run 'scripts/ensure-test-packages --ceph' (or 'apt-get install radosgw ceph-mon ceph-osd')");
            }
        }
        Files.createDirectories(dir);
        CephRgw ceph = new CephRgw(dir, Loopback.freePort());
        try {
            long started = System.nanoTime();
            ceph.bootstrap(Loopback.freePort());
            System.out.printf("Ceph RGW answering at %s, cluster started in %d ms (logs: %s)%n", ceph.endpoint,
                    (System.nanoTime() - started) / 1_000_000, dir.resolve("log"));
            return ceph;
        } catch (IOException | RuntimeException e) {
            ceph.close();
            throw e;
        }
    }

    private void bootstrap(int monPort) throws IOException {
        String fsid = UUID.randomUUID().toString();
        String mon = "[v1:127.0.0.1:" + monPort + "]";
        for (String sub : List.of("mon", "osd", "run", "log")) Files.createDirectories(dir.resolve(sub));
        Files.writeString(conf, String.join("\n",
                "[global]",
                "fsid = " + fsid,
                "mon host = " + mon,
                "public addr = 127.0.0.1",
                "cluster addr = 127.0.0.1",
                "ms bind ipv4 = true",
                "ms bind ipv6 = false",
                "ms bind msgr2 = false",
                "auth cluster required = none",
                "auth service required = none",
                "auth client required = none",
                "osd pool default size = 1",
                "osd pool default min size = 1",
                "mon allow pool size one = true",
                "mon warn on pool no redundancy = false",
                // The monitor shuts itself down below 5 % free disk by default; a test machine's disk is nobody's data.
                "mon data avail warn = 1",
                "mon data avail crit = 0",
                "osd pool default pg num = 8",
                "osd pool default pgp num = 8",
                "osd pool default pg autoscale mode = off",
                "osd crush chooseleaf type = 0",
                "osd objectstore = memstore",
                "memstore device bytes = " + 4L * 1024 * 1024 * 1024,
                "run dir = " + dir.resolve("run"),
                "admin socket = " + dir.resolve("run") + "/$name.asok",
                "log file = " + dir.resolve("log") + "/$name.log",
                "keyring = " + dir.resolve("keyring"),
                "[mon.a]",
                "mon data = " + dir.resolve("mon"),
                "[osd.0]",
                "osd data = " + dir.resolve("osd"),
                "[client.rgw]",
                "rgw frontends = beast endpoint=" + endpoint.substring("http://".length()),
                "rgw data = " + dir.resolve("run"),
                "") + "\n");

        run("ceph-authtool", "--create-keyring", dir.resolve("keyring").toString(), "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
        run("monmaptool", "--create", "--addv", "a", mon, "--fsid", fsid, dir.resolve("monmap").toString());
        run("ceph-mon", "-c", conf.toString(), "--mkfs", "-i", "a", "--monmap", dir.resolve("monmap").toString(),
                "--keyring", dir.resolve("keyring").toString());
        daemon("mon.a", "ceph-mon", "-f", "-c", conf.toString(), "-i", "a");
        awaitListening(monPort, "ceph-mon");
        // An OSD that boots while the new monitor is still forming its quorum can send its first commands
        // with an empty cluster id and abort; the "ceph" CLI waits for the quorum.
        run("ceph", "-c", conf.toString(), "quorum_status");

        String osdUuid = UUID.randomUUID().toString();
        String osdId = run("ceph", "-c", conf.toString(), "osd", "new", osdUuid).strip();
        if (!osdId.equals("0")) throw new IOException("expected the cluster's first OSD to be osd.0, got '" + osdId + "'");
        run("ceph-osd", "-c", conf.toString(), "-i", "0", "--mkfs", "--osd-uuid", osdUuid);
        awaitOsdUp();

        // Creates radosgw's pools, so it waits for the OSD to come up and the placement groups to go active.
        run("radosgw-admin", "-c", conf.toString(), "user", "create", "--uid=kinora", "--display-name=Kinora tests",
                "--access-key=" + ACCESS_KEY, "--secret=" + SECRET_KEY);
        daemon("rgw", "radosgw", "-f", "-c", conf.toString(), "-n", "client.rgw");
        awaitListening(Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1)), "radosgw");
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String accessKey() {
        return ACCESS_KEY;
    }

    @Override
    public String secretKey() {
        return SECRET_KEY;
    }

    @Override
    public boolean checksumsWhenRequired() {
        return true;
    }

    /** Runs one bootstrap command to its end and returns what it printed; fails with its output. */
    private String run(String... command) throws IOException {
        Path out = dir.resolve("log").resolve(command[0] + "-" + System.nanoTime() + ".out");
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, "/usr/bin/" + command[0]);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + STEP_TIMEOUT.toSeconds()
                        + " s; see the logs in " + dir.resolve("log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new IOException(command[0] + " failed (" + p.exitValue() + "): " + output.strip() + "\n(logs in " + dir.resolve("log") + ")");
        }
        return output;
    }

    /** Waits until the monitor reports the OSD up, so that a failed OSD start says so instead of hanging radosgw-admin. */
    /**
     * Starts the OSD and waits until the monitor reports it up. A fresh OSD now and then aborts while
     * it first registers with a monitor that was just formed (seen about one start in ten); it is
     * started again, as its systemd unit would do, up to three times.
     */
    private void awaitOsdUp() throws IOException {
        Path log = dir.resolve("log").resolve("osd.0.log");
        for (int attempt = 1; ; attempt++) {
            daemon("osd.0", "ceph-osd", "-f", "-c", conf.toString(), "-i", "0");
            Process osd = daemons.getLast();
            long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
            while (!run("ceph", "-c", conf.toString(), "osd", "stat", "--format=json").replace(" ", "").contains("\"num_up_osds\":1")) {
                if (!osd.isAlive()) break;
                if (System.nanoTime() > deadline) {
                    throw new IOException("osd.0 was not up within " + STEP_TIMEOUT.toSeconds() + " s; the end of " + log + ":\n" + Loopback.tail(log, 15));
                }
                sleep(Duration.ofMillis(250));
            }
            if (osd.isAlive()) return;
            daemons.remove(osd);
            System.out.printf("ceph-osd exited at start (attempt %d): %s%n", attempt, Loopback.tail(dir.resolve("log").resolve("osd.0.stdout"), 15));
            if (attempt == 3) throw new IOException("ceph-osd exited at start three times; the end of " + log + ":\n" + Loopback.tail(log, 15));
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void daemon(String name, String... command) throws IOException {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.set(0, "/usr/bin/" + command[0]);
        daemons.add(new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".stdout").toFile()).start());
    }

    private void awaitListening(int port, String what) throws IOException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (true) {
            for (Process p : daemons) {
                if (!p.isAlive()) throw new IOException(what + ": a Ceph daemon exited at start; see the logs in " + dir.resolve("log"));
            }
            if (Loopback.accepts(port)) return;
            if (System.nanoTime() > deadline) {
                throw new IOException(what + " did not listen on 127.0.0.1:" + port + " within " + STEP_TIMEOUT.toSeconds()
                        + " s; see the logs in " + dir.resolve("log"));
            }
            sleep(Duration.ofMillis(100));
        }
    }

    /** Stops radosgw, then the OSD, then the monitor; the directory (logs) stays with the test's temp dir. */
    @Override
    public void close() {
        for (Process p : daemons.reversed()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
