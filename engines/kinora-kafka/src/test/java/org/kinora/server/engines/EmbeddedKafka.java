package org.kinora.server.engines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka 4.3.1 (KRaft, broker and controller in one) in a CHILD JVM running
 * {@code kafka.Kafka}, listening on 127.0.0.1 only, data in {@code dir}. A child process rather
 * than in-process so that (1) the broker's Scala/Jackson classes never meet the server's on one
 * classpath at run time, and (2) a test can stop, kill and restart it mid-run on the same port
 * and data directory, as a broker outage would. Starts in 3–7 s.
 *
 * <p>API: {@code new EmbeddedKafka(dir)} formats and starts; {@link #bootstrapServers()};
 * {@link #stop()} (SIGTERM, clean shutdown), {@link #kill()} (SIGKILL), {@link #start()},
 * {@link #restart()}; {@link #close()} stops it. The broker's log goes to {@code dir/broker.log}.
 *
 * <p>The child runs on {@code classpath} (by default this JVM's, which must hold {@code kafka_2.13},
 * {@code kafka-server} and {@code kafka-server-common}: the server module's test scope does).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final Path dir;
    private final Path properties;
    private final String classpath;
    private final int port;
    private Process process;

    public EmbeddedKafka(Path dir) throws IOException {
        this(dir, System.getProperty("java.class.path"), Map.of());
    }

    /** @param extra broker settings added to (or replacing) the defaults below */
    public EmbeddedKafka(Path dir, String classpath, Map<String, String> extra) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.classpath = classpath;
        Files.createDirectories(this.dir);
        this.port = Loopback.freePort();
        int controllerPort = Loopback.freePort();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", this.dir.resolve("data").toString());
        p.put("num.partitions", "6");
        // One broker: every internal topic has one replica, and few partitions so the first group starts fast.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Tests use short session timeouts so that a dead consumer's partitions move within seconds.
        p.put("group.min.session.timeout.ms", "1000");
        p.put("auto.create.topics.enable", "false");
        p.put("log.segment.bytes", Integer.toString(16 << 20));
        p.putAll(extra);
        this.properties = this.dir.resolve("server.properties");
        try (var w = Files.newBufferedWriter(properties)) {
            p.store(w, "EmbeddedKafka (test fixture)");
        }
        format();
        start();
    }

    /** {@code 127.0.0.1:port}, the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() { return port; }

    public Path dir() { return dir; }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Starts the broker (after {@link #stop()} or {@link #kill()}) and waits until it answers. */
    public synchronized void start() throws IOException {
        if (isRunning()) return;
        process = java(List.of("kafka.Kafka", properties.toString()), dir.resolve("broker.log"), true);
        awaitReady(Duration.ofSeconds(60));
    }

    /** Clean shutdown (SIGTERM), as an operator's restart would do. */
    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        awaitExit(Duration.ofSeconds(30));
    }

    /** The broker dies without warning (SIGKILL). */
    public synchronized void kill() {
        if (process == null) return;
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    public synchronized void restart() throws IOException {
        stop();
        start();
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    private void format() throws IOException {
        Path log = dir.resolve("format.log");
        Process f = java(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", properties.toString()), log, false);
        try {
            if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                f.destroyForcibly();
                throw new IOException("formatting Kafka storage failed; see " + log + ":\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting Kafka storage", e);
        }
    }

    private Process java(List<String> args, Path log, boolean append) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logbackConfig(),
                "-cp", classpath));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(append ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
        return pb.start();
    }

    /** The broker logs at INFO through whatever SLF4J binding the classpath has; keep it to WARN. */
    private Path logbackConfig() throws IOException {
        Path file = dir.resolve("logback-broker.xml");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                      <logger name="kafka.server.BrokerServer" level="INFO"/>
                      <root level="WARN"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        }
        return file;
    }

    private void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(config)) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("Kafka exited with " + process.exitValue() + "; see " + dir.resolve("broker.log"));
                }
                try {
                    if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) return;
                } catch (Exception notYet) {
                    // still starting
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("Kafka did not answer on " + bootstrapServers() + " within " + timeout
                            + "; see " + dir.resolve("broker.log"));
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for Kafka", e);
        }
    }
}
