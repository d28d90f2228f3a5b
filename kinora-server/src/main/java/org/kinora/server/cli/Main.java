package org.kinora.server.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.kinora.server.Kinora;
import org.kinora.server.config.ConfigLoader;
import org.kinora.server.config.KinoraConfig;
import org.kinora.server.search.SearchReindex;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinora server | api | worker}: one executable, the role chosen on the command line. */
@Command(name = "kinora", mixinStandardHelpOptions = true, version = "Kinora 0.1.0",
        description = "Self-hostable video platform.",
        subcommands = {Main.Server.class, Main.Api.class, Main.WorkerCommand.class, Main.LiveCommand.class, Main.SearchCommand.class,
                Main.BackupCommand.class, Main.RestoreCommand.class, Main.EdgeKeyCommand.class})
public final class Main {

    public static void main(String[] args) {
        int code = new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("kinora: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        if (code != 0) System.exit(code);
    }

    /** Flags every role shares. */
    static class Common {
        @Option(names = "--config", description = "Config file (default: ./kinora.conf when present, or $KINORA_CONFIG).")
        Path configFile;

        @Option(names = "--data-dir", description = "Where Kinora keeps its database, media and secrets (default ./data, or $KINORA_DATA_DIR).")
        Path dataDir;

        KinoraConfig load(Map<String, String> more) throws Exception {
            Map<String, String> overrides = new LinkedHashMap<>(more);
            if (dataDir != null) overrides.put("data.dir", dataDir.toString());
            KinoraConfig config = ConfigLoader.load(Optional.ofNullable(configFile), System.getenv(), overrides);
            LogSetup.apply(config.logFormat());
            return config;
        }
    }

    abstract static class RoleCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        abstract Kinora.Role role();

        Map<String, String> overrides() { return Map.of(); }

        @Override
        public Integer call() throws Exception {
            KinoraConfig config = common.load(overrides());
            Kinora kinora = Kinora.start(config, role());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                kinora.close();
                stopped.countDown();
            }, "kinora-shutdown"));
            stopped.await();
            return 0;
        }
    }

    abstract static class ServingCommand extends RoleCommand {
        @Option(names = "--port", description = "HTTP port (default 8080, or $KINORA_PORT).")
        Integer port;

        @Override
        Map<String, String> overrides() {
            return port == null ? Map.of() : Map.of("server.port", port.toString());
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Run everything in one process: HTTP API, media origin and transcode workers.")
    static final class Server extends ServingCommand {
        @Override
        Kinora.Role role() { return Kinora.Role.SERVER; }
    }

    @Command(name = "api", mixinStandardHelpOptions = true,
            description = "Run only the HTTP API and media origin (stateless; run as many as you like).")
    static final class Api extends ServingCommand {
        @Override
        Kinora.Role role() { return Kinora.Role.API; }
    }

    @Command(name = "live", mixinStandardHelpOptions = true,
            description = {"Run only live ingest: RTMP publishers, the live ladder, and the live edge (LL-HLS playlists and parts) "
                    + "that api nodes forward to (docs/live.md). Needs database.url, the shared blob store and live.ingest-url "
                    + "(how the api nodes reach this process)."})
    static final class LiveCommand extends ServingCommand {
        @Override
        Kinora.Role role() { return Kinora.Role.LIVE; }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true,
            description = "Run only background jobs (transcoding). Needs database.url and the shared blob store.")
    static final class WorkerCommand extends RoleCommand {
        @Override
        Kinora.Role role() { return Kinora.Role.WORKER; }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search index maintenance.",
            subcommands = {SearchReindexCommand.class})
    static final class SearchCommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(spec.commandLine().getErr());
            return 2;
        }
    }

    @Command(name = "reindex", mixinStandardHelpOptions = true,
            description = {"Rebuild the search index from the database (search.engine = opensearch: a fresh index "
                    + "is filled, then swapped in atomically; postgres: recomputes every video's text vector).",
                    "With the embedded database, stop the server first; with database.url it can run beside live servers."})
    static final class SearchReindexCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            SearchReindex.run(common.load(Map.of()), spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Write a consistent archive of the database and the media of this instance, also while it runs.",
                    "Restore it with 'kinora restore'. Needs the local blob store (blob.store = local)."})
    static final class BackupCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Parameters(index = "0", description = "The archive to write (a zip).")
        Path archive;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            org.kinora.server.ops.Backup.backup(common.load(Map.of()), archive, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Bring back an archive of 'kinora backup' into a fresh data directory (--data-dir), then start the server on it."})
    static final class RestoreCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Parameters(index = "0", description = "The archive 'kinora backup' wrote.")
        Path archive;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            org.kinora.server.ops.Backup.restore(common.load(Map.of()), archive, spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(name = "edge-key", mixinStandardHelpOptions = true,
            description = {"Print the playback verification key (base64) for CDN edges and shields (deploy/nginx/cdn, docs/edge.md).",
                    "It is derived from auth.secret for playback links alone: whoever holds it can check and mint playback links, nothing else."})
    static final class EdgeKeyCommand implements Callable<Integer> {
        @CommandLine.Mixin
        Common common = new Common();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            KinoraConfig config = common.load(Map.of());
            byte[] key = org.kinora.server.auth.Secrets.load(config.authSecret(), config.secretsDir())
                    .derive(org.kinora.server.playback.PlaybackTokens.KEY_PURPOSE);
            spec.commandLine().getOut().println(java.util.Base64.getEncoder().encodeToString(key));
            return 0;
        }
    }
}
