package org.kinora.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rules of docs/ARCHITECTURE.md that a later change can quietly break, checked on the sources
 * (like {@link EveryTestClassHasATimeoutTest}: this module is built first and sees no other
 * module's classes). Each finding names the file, the line and the one place the thing belongs.
 * An exception is allowed only in the short lists below, each with its reason.
 */
@Timeout(60)
class OneShapeRulesTest {
    /** Concrete engine adapters; only the engine selection (kinora-server's engines package) may ask for one by type. */
    private static final Pattern ADAPTER_INSTANCEOF = Pattern.compile("\\binstanceof\\s+(Pg|Kafka|Redis|S3|OpenSearch|Local|Clamd)[A-Z]\\w*");
    private static final String ENGINES_PACKAGE = "kinora-server/src/main/java/org/kinora/server/engines/";

    /** File names of a video's storage layout: only core/blob/BlobKeys spells them. */
    private static final List<String> LAYOUT_NAMES = List.of("init.mp4", "index.m3u8", "master.m3u8", "manifest.mpd", "seg_");
    private static final String BLOB_KEYS = "kinora-core/src/main/java/org/kinora/core/blob/BlobKeys.java";
    /** "file name: literal" -> why that literal is not the blob layout. */
    private static final Map<String, String> LAYOUT_EXCEPTIONS = Map.of(
            "LiveRoutes.java: /live/{id}/master.m3u8", "a route path of the live edge (served from memory), not a blob key",
            "LiveRoutes.java: /live/{id}/{rung}/index.m3u8", "a route path of the live edge (served from memory), not a blob key",
            "LiveRoutes.java: /master.m3u8", "the live edge's playlist URL in the live's JSON (the route above), not a blob key");

    /** A page fetched by hand: {@code Page.fetchSize(limit)} and {@code Page.of} say it once. */
    private static final Pattern LIMIT_PLUS_ONE = Pattern.compile("(?i)\\b\\w*(limit|page)\\s*\\+\\s*1\\b");
    private static final String PAGE = "kinora-core/src/main/java/org/kinora/core/common/Page.java";
    private static final Map<String, String> LIMIT_EXCEPTIONS = Map.of(
            "SearchService.java", "related videos are no page: one more is asked because the video itself may be among them",
            "LiveChatRoutes.java", "the replay chat's cursor is a time offset on the replay (docs/ARCHITECTURE.md, Pagination)");

    /** Cross-cutting filters decide by route role; a path check in one is the old shape. */
    private static final Pattern CTX_PATH = Pattern.compile("\\bctx(\\(\\))?\\.path\\(\\)");
    private static final Map<String, String> PATH_EXCEPTIONS = Map.of(
            "IdempotencyFilter.java", "the path is data there, stored with the key so that the key reused on another request is refused");

    /** [text](target) in Markdown; and docs/….md named anywhere in a Java file. */
    private static final Pattern MD_LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    private static final Pattern DOCS_NAMED = Pattern.compile("\\bdocs/[A-Za-z0-9_./-]+\\.md\\b");

    private static Path root;
    private static List<Path> mainJava;

    @BeforeAll
    static void sources() throws IOException {
        root = Path.of("").toAbsolutePath().getParent(); // this module's folder is a child of the repository's root
        assertThat(root.resolve("kinora-core")).as("the repository root").isDirectory();
        // Main code of the product: not bench/ (measurements) nor kinora-testing (test support, test scope only).
        mainJava = files(".java").stream().filter(p -> rel(p).contains("/src/main/java/"))
                .filter(p -> !rel(p).startsWith("bench/") && !rel(p).startsWith("kinora-testing/")).toList();
        assertThat(mainJava).as("main Java files found").hasSizeGreaterThan(200);
    }

    @Test
    void onlyTheEngineSelectionAsksForAConcreteAdapter() {
        List<String> found = new ArrayList<>();
        for (Path p : mainJava) {
            if (rel(p).startsWith(ENGINES_PACKAGE)) continue;
            find(ADAPTER_INSTANCEOF, Source.of(p).code, p, found);
        }
        assertThat(found).as("instanceof on a concrete engine adapter outside " + ENGINES_PACKAGE
                + " (ask the port, or add what you need to the engine's …Selection)").isEmpty();
    }

    @Test
    void onlyBlobKeysSpellsTheStorageLayout() {
        List<String> found = new ArrayList<>();
        for (Path p : mainJava) {
            if (rel(p).equals(BLOB_KEYS)) continue;
            for (Literal s : Source.of(p).literals) {
                if (LAYOUT_NAMES.stream().noneMatch(s.text::contains)) continue;
                if (LAYOUT_EXCEPTIONS.containsKey(p.getFileName() + ": " + s.text)) continue;
                found.add(rel(p) + ":" + s.line + " \"" + s.text + "\"");
            }
        }
        assertThat(found).as("layout file names outside core/blob/BlobKeys (use its constants and helpers)").isEmpty();
    }

    @Test
    void pagesAreFetchedThroughPage() {
        List<String> found = new ArrayList<>();
        for (Path p : mainJava) {
            if (rel(p).equals(PAGE) || LIMIT_EXCEPTIONS.containsKey(p.getFileName().toString())) continue;
            find(LIMIT_PLUS_ONE, Source.of(p).code, p, found);
        }
        assertThat(found).as("a page fetched by hand (use Page.fetchSize(limit), Page.of and Cursors)").isEmpty();
    }

    @Test
    void filtersAndGatesDecideByRouteRoleNotByPath() {
        List<String> found = new ArrayList<>();
        for (Path p : mainJava) {
            String name = p.getFileName().toString();
            if (!(name.contains("Filter") || name.contains("Gate")) || PATH_EXCEPTIONS.containsKey(name)) continue;
            find(CTX_PATH, Source.of(p).code, p, found);
        }
        assertThat(found).as("ctx.path() in a filter (give the routes an ApiRole and read ctx.routeRoles())").isEmpty();
    }

    @Test
    void everyDocumentLinkAndEveryDocsPageNamedInTheCodeExists() {
        List<String> broken = new ArrayList<>();
        for (Path md : files(".md")) {
            Matcher m = MD_LINK.matcher(read(md));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*") || target.startsWith("#")) continue; // http:, mailto:, an anchor of the same page
                String file = target.replaceAll("[#?].*$", "");
                if (!Files.exists(md.getParent().resolve(file).normalize())) broken.add(rel(md) + " -> " + target);
            }
        }
        for (Path java : files(".java")) {
            Matcher m = DOCS_NAMED.matcher(read(java));
            while (m.find()) {
                if (!Files.exists(root.resolve(m.group()))) broken.add(rel(java) + " names " + m.group());
            }
        }
        assertThat(broken).as("links to files that do not exist (relative links from the .md file; docs/… from the repository root)").isEmpty();
    }

    private static void find(Pattern pattern, String code, Path p, List<String> found) {
        Matcher m = pattern.matcher(code);
        while (m.find()) found.add(rel(p) + ":" + lineOf(code, m.start()) + " " + m.group());
    }

    private static List<Path> files(String suffix) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> !rel(p).matches("(.*/)?(target|node_modules|\\.git|\\.[a-z]+)/.*"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String rel(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) if (text.charAt(i) == '\n') line++;
        return line;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Literal(int line, String text) {}

    /**
     * A Java file split the way the rules need it: the code with comments and the contents of
     * string and char literals blanked (same length and lines, so positions stay true), and the
     * string literals (text blocks too) with their lines. Escapes are kept as written.
     */
    record Source(String code, List<Literal> literals) {
        static Source of(Path p) {
            String s = read(p);
            StringBuilder code = new StringBuilder(s.length());
            List<Literal> literals = new ArrayList<>();
            int i = 0;
            int line = 1; // of s.charAt(i)
            while (i < s.length()) {
                int start = i;
                char c = s.charAt(i);
                if (s.startsWith("//", i)) {
                    int end = s.indexOf('\n', i);
                    end = end < 0 ? s.length() : end;
                    blank(s, i, end, code);
                    i = end;
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    end = end < 0 ? s.length() : end + 2;
                    blank(s, i, end, code);
                    i = end;
                } else if (s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    end = end < 0 ? s.length() : end + 3;
                    literals.add(new Literal(line, s.substring(i + 3, Math.max(i + 3, end - 3))));
                    code.append("\"\"\"");
                    blank(s, i + 3, end - 3, code);
                    code.append("\"\"\"");
                    i = end;
                } else if (c == '"' || c == '\'') {
                    int end = i + 1;
                    while (end < s.length() && s.charAt(end) != c && s.charAt(end) != '\n') end += s.charAt(end) == '\\' ? 2 : 1;
                    end = Math.min(end, s.length() - 1);
                    if (c == '"') literals.add(new Literal(line, s.substring(i + 1, end)));
                    code.append(c);
                    blank(s, i + 1, end, code);
                    code.append(c);
                    i = end + 1;
                } else {
                    code.append(c);
                    i++;
                }
                for (int k = start; k < i; k++) if (s.charAt(k) == '\n') line++;
            }
            return new Source(code.toString(), literals);
        }

        private static void blank(String s, int from, int to, StringBuilder out) {
            for (int i = from; i < to; i++) out.append(s.charAt(i) == '\n' ? '\n' : ' ');
        }
    }
}
