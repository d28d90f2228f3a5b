package org.kinora.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.kinora.adapters.postgres.PgUserRepository;
import org.kinora.adapters.postgres.PgVideoRepository;
import org.kinora.adapters.postgres.PostgresDatabase;
import org.kinora.core.common.Ids;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchQueries;
import org.kinora.core.video.Privacy;
import org.kinora.core.video.Video;
import org.kinora.core.video.VideoStatus;

/**
 * The search behaviour every engine must show, run once per adapter by its subclasses against a
 * whole Kinora (embedded PostgreSQL) over HTTP: relevance on a fixed test set (precision at 5),
 * filters, sorts, cursors, bad parameters, channels, suggestions, discovery, tags, and visibility
 * (private, unlisted, unfinished, failed and deleted videos never appear; a video made private
 * disappears within the engine's stated bound).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchContract {
    Path dir;
    TestServer server;
    PostgresDatabase db;
    SearchEngine engine;
    final Map<String, String> tokens = new HashMap<>();   // username -> access token
    final Map<String, String> userIds = new HashMap<>();  // username -> user id
    final Map<String, String> ids = new HashMap<>();      // relevance key -> video id
    final Map<String, String> keys = new HashMap<>();     // video id -> relevance key
    JsonNode relevance;

    /** Config the engine needs (search.engine etc.); may start the engine. */
    abstract Map<String, String> engineConfig(Path dir) throws Exception;

    /** The engine object the server uses, built independently, for index-level assertions. */
    abstract SearchEngine engine(PostgresDatabase db);

    /** Makes directly inserted rows searchable (a rebuild, for engines with their own index). */
    abstract void afterSeeding() throws Exception;

    /** Longest time a visibility change may take to reach the engine's own answers. */
    abstract Duration visibilityBound();

    abstract void stopEngine() throws Exception;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Map<String, String> config = new HashMap<>(engineConfig(dir));
        config.put("worker.concurrency", "0");
        server = new TestServer(dir.resolve("data"), config);
        db = PostgresDatabase.connect(server.kinora.databaseUrl(), "", "", 4);
        engine = engine(db);
        try (InputStream in = SearchContract.class.getResourceAsStream("/search/relevance.json")) {
            relevance = TestServer.JSON.readTree(in);
        }
        var users = new PgUserRepository(db);
        var videos = new PgVideoRepository(db);
        for (JsonNode v : relevance.get("videos")) {
            String channel = v.get("channel").asText();
            if (!tokens.containsKey(channel)) {
                tokens.put(channel, server.register(channel));
                userIds.put(channel, users.findByUsername(channel).orElseThrow().id());
            }
            List<String> tags = new ArrayList<>();
            v.get("tags").forEach(t -> tags.add(t.asText()));
            String id = insert(videos, userIds.get(channel), v.get("title").asText(), v.get("description").asText(), tags,
                    Privacy.PUBLIC, VideoStatus.READY, v.get("duration_seconds").asDouble(), v.get("age_days").asDouble());
            backdate(id, v.get("age_days").asDouble());
            ids.put(v.get("key").asText(), id);
            keys.put(id, v.get("key").asText());
            long views = v.get("views").asLong();
            // Lifetime totals from before the last week: they rank sort=views but add no trending heat.
            db.useHandle(h -> h.createUpdate("""
                            INSERT INTO video_stats (video_id, view_count) VALUES (:v, :n)
                            ON CONFLICT (video_id) DO UPDATE SET view_count = excluded.view_count""")
                    .bind("v", id).bind("n", views).execute());
        }
        // The never-listed: same distinctive word, every state that must stay out of search.
        String owner = userIds.get("diyhank");
        ids.put("zebra-public", insert(videos, owner, "Zebra Stripes Public", "", List.of("zebra"), Privacy.PUBLIC, VideoStatus.READY, 60, 1));
        ids.put("zebra-private", insert(videos, owner, "Zebra Stripes Private", "", List.of("zebra"), Privacy.PRIVATE, VideoStatus.READY, 60, 1));
        ids.put("zebra-unlisted", insert(videos, owner, "Zebra Stripes Unlisted", "", List.of("zebra"), Privacy.UNLISTED, VideoStatus.READY, 60, 1));
        ids.put("zebra-processing", insert(videos, owner, "Zebra Stripes Processing", "", List.of("zebra"), Privacy.PUBLIC, VideoStatus.PROCESSING, 60, 1));
        ids.put("zebra-failed", insert(videos, owner, "Zebra Stripes Failed", "", List.of("zebra"), Privacy.PUBLIC, VideoStatus.FAILED, 60, 1));
        String deleted = insert(videos, owner, "Zebra Stripes Deleted", "", List.of("zebra"), Privacy.PUBLIC, VideoStatus.READY, 60, 1);
        videos.markDeleted(deleted, Instant.now());
        ids.put("zebra-deleted", deleted);
        for (String z : List.of("zebra-public", "zebra-private", "zebra-unlisted", "zebra-deleted")) backdate(ids.get(z), 0.5);
        // Trending: an old video with a burst of views today outranks every fresh one. The views come
        // in as play events from 30 viewers, through the view recorder, as a viewer's player sends them.
        long marsBefore = viewCount(ids.get("astro-mars"));
        play(ids.get("astro-mars"), 30, "mars");
        await(() -> viewCount(ids.get("astro-mars")) == marsBefore + 30, Duration.ofSeconds(10));
        afterSeeding();
    }

    private static String insert(PgVideoRepository videos, String owner, String title, String description, List<String> tags,
                                 Privacy privacy, VideoStatus status, double durationSeconds, double ageDays) {
        String id = Ids.newVideoId();
        Instant now = Instant.now();
        videos.insert(new Video(id, owner, title, description, privacy, VideoStatus.PROCESSING, 0, null, null, null, null,
                now, now, null, null, tags));
        videos.updateSourceInfo(id, durationSeconds, 640, 360);
        if (status == VideoStatus.READY) videos.markReady(id);
        else if (status != VideoStatus.PROCESSING) videos.updateStatus(id, status, 0, "seeded");
        return id;
    }

    /** published_at = now - age, so that filters and sorts by time have something to work on. */
    private void backdate(String id, double ageDays) {
        db.useHandle(h -> h.createUpdate("UPDATE videos SET published_at = now() - make_interval(secs => :s) WHERE id = :id")
                .bind("s", ageDays * 86400).bind("id", id).execute());
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) db.close();
        if (server != null) server.close();
        stopEngine();
    }

    // ---- helpers -------------------------------------------------------------------------

    JsonNode getJson(String path, int expectedStatus) throws Exception {
        return getJson(path, expectedStatus, null);
    }

    JsonNode getJson(String path, int expectedStatus, String token) throws Exception {
        HttpResponse<String> r = server.get(path, token);
        assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(expectedStatus);
        return TestServer.JSON.readTree(r.body());
    }

    List<String> searchKeys(String params) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode item : getJson("/api/v1/search?" + params, 200).get("items")) out.add(keyOf(item.get("id").asText()));
        return out;
    }

    String keyOf(String id) {
        return keys.getOrDefault(id, ids.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey)
                .findFirst().orElse(id));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Ids the engine itself returns for a query, without the service's live visibility check. */
    List<String> engineIds(String q) {
        return engine.videos(SearchQueries.parse(q, null, null, null, null, null, "50", Instant.now())).items();
    }

    Duration await(Supplier<Boolean> condition, Duration timeout) throws InterruptedException {
        Instant start = Instant.now();
        while (!condition.get()) {
            if (Duration.between(start, Instant.now()).compareTo(timeout) > 0) {
                throw new AssertionError("condition not reached within " + timeout);
            }
            Thread.sleep(50);
        }
        return Duration.between(start, Instant.now());
    }

    HttpResponse<String> patch(String videoId, String json, String token) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token));
    }

    // ---- relevance -----------------------------------------------------------------------

    /** Precision at 5 over the relevance set: expected videos among the top min(5, |expected|). */
    @Test
    void relevanceSetPrecisionAtFive() throws Exception {
        double sum = 0;
        int n = 0;
        StringBuilder report = new StringBuilder();
        for (JsonNode query : relevance.get("queries")) {
            String q = query.get("q").asText();
            Set<String> expected = new LinkedHashSet<>();
            query.get("expected").forEach(e -> expected.add(e.asText()));
            int k = Math.min(5, expected.size());
            List<String> top = searchKeys("q=" + enc(q) + "&limit=5");
            long hits = top.stream().limit(k).filter(expected::contains).count();
            double p = (double) hits / k;
            sum += p;
            n++;
            report.append(String.format(Locale.ROOT, "  %-20s P@5=%.2f  got %s%n", q, p, top));
        }
        double mean = sum / n;
        System.out.printf(Locale.ROOT, "[%s] relevance: %d videos, %d queries, mean precision@5 = %.3f%n%s",
                engine.name(), relevance.get("videos").size(), n, mean, report);
        assertThat(relevance.get("videos").size()).isGreaterThanOrEqualTo(50);
        assertThat(n).isGreaterThanOrEqualTo(20);
        assertThat(mean).as("mean precision@5 on " + engine.name()).isGreaterThanOrEqualTo(precisionFloor());
    }

    /** The floor each engine reached when this test was written (see bench/README.md). */
    abstract double precisionFloor();

    @Test
    void stemmingPrefixAndTyposFindTheVideo() throws Exception {
        assertThat(searchKeys("q=growing+tomatoes")).first().isEqualTo("garden-tomato");
        assertThat(searchKeys("q=sourdoguh")).contains("bread-basic");
        assertThat(searchKeys("q=guit")).contains("gtr-chords", "gtr-blues");
        assertThat(searchKeys("q=astrodan")).contains("astro-mars", "astro-moon");
    }

    /**
     * Issue 19's gaps: a one-word misspelling finds the word wherever it is (here only in a
     * description), a channel's display name typed as the query finds that channel's videos
     * first, caption text and Studio chapter titles are searchable, and category and language
     * filter. Everything goes in through the real paths (channel PATCH, caption and details rows
     * whose triggers re-index) and, for an engine with its own index, a rebuild.
     */
    @Test
    void misspellingsChannelNamesCaptionsChaptersAndDetailFilters() throws Exception {
        String teacher = server.register("riffteacher");
        String teacherId = new PgUserRepository(db).findByUsername("riffteacher").orElseThrow().id();
        HttpResponse<String> renamed = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/channels/" + teacherId))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"display_name\":\"Riff Academy\"}"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + teacher));
        assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
        var videos = new PgVideoRepository(db);
        String scales = insert(videos, teacherId, "Pentatonic Scales for Beginners", "Five notes, endless solos.", List.of("lessons"),
                Privacy.PUBLIC, VideoStatus.READY, 600, 2);
        String muting = insert(videos, teacherId, "Palm Muting Explained", "Tighter rhythm parts.", List.of("lessons"),
                Privacy.PUBLIC, VideoStatus.READY, 420, 3);
        String charts = insert(videos, userIds.get("diyhank"), "Reading Star Charts", "A short astronomy primer for clear nights.",
                List.of("night sky"), Privacy.PUBLIC, VideoStatus.READY, 300, 2);
        String captioned = insert(videos, userIds.get("diyhank"), "Workshop Tour", "Where everything lives.", List.of("workshop"),
                Privacy.PUBLIC, VideoStatus.READY, 300, 2);
        db.useHandle(h -> {
            h.createUpdate("""
                    INSERT INTO video_captions (video_id, language, label, cue_count, search_text, updated_at)
                    VALUES (:v, 'en', 'English', 1, 'the quasarlight lamp hangs above the bench', now())""")
                    .bind("v", captioned).execute();
            h.createUpdate("""
                    INSERT INTO video_details (video_id, category, language, chapters)
                    VALUES (:v, 'science', 'fr', E'0:00 Intro\\n1:00 Nebulawhisper\\n2:00 Outro')""").bind("v", charts).execute();
            h.createUpdate("INSERT INTO video_details (video_id, category, language) VALUES (:v, 'education', 'en')")
                    .bind("v", scales).execute();
        });
        // Old, so that they take no place in the freshness-ordered answers other tests check.
        for (String id : List.of(scales, muting, charts, captioned)) backdate(id, 500);
        afterSeeding();
        ids.put("riff-scales", scales);
        ids.put("riff-muting", muting);
        ids.put("star-charts", charts);
        ids.put("workshop-captions", captioned);

        assertThat(searchKeys("q=astronmy")).as("misspelling").contains("star-charts");
        assertThat(searchKeys("q=" + enc("riff academy")).subList(0, 2)).as("channel name")
                .containsExactlyInAnyOrder("riff-scales", "riff-muting");
        assertThat(searchKeys("q=quasarlight")).as("caption text").containsExactly("workshop-captions");
        assertThat(searchKeys("q=nebulawhisper")).as("Studio chapter title").containsExactly("star-charts");
        assertThat(searchKeys("category=science")).containsExactly("star-charts");
        assertThat(searchKeys("q=astronomy&language=fr")).containsExactly("star-charts");
        assertThat(searchKeys("q=astronomy&language=en")).doesNotContain("star-charts");
        assertThat(searchKeys("category=education&q=scales")).containsExactly("riff-scales");
        assertThat(getJson("/api/v1/search?category=bogus", 400).get("code").asText()).isEqualTo("invalid_category");
        assertThat(getJson("/api/v1/search?language=" + enc("<x>"), 400).get("code").asText()).isEqualTo("invalid_language");
    }

    // ---- visibility ----------------------------------------------------------------------

    @Test
    void onlyPublicReadyUndeletedVideosEverAppear() throws Exception {
        String[] never = {"zebra-private", "zebra-unlisted", "zebra-processing", "zebra-failed", "zebra-deleted"};
        assertThat(searchKeys("q=zebra")).contains("zebra-public").doesNotContain(never);
        assertThat(searchKeys("q=zebra+stripes&sort=newest")).first().isEqualTo("zebra-public");
        assertThat(searchKeys("q=zebra+stripes&sort=newest&limit=50")).doesNotContain(never);
        assertThat(engineIds("zebra")).contains(ids.get("zebra-public"))
                .doesNotContain(java.util.Arrays.stream(never).map(ids::get).toArray(String[]::new));
        for (JsonNode item : getJson("/api/v1/trending?limit=50", 200).get("items")) {
            assertThat(keyOf(item.get("id").asText())).isNotIn("zebra-private", "zebra-unlisted", "zebra-processing", "zebra-failed", "zebra-deleted");
        }
    }

    @Test
    void aVideoMadePrivateDisappearsAtOnceFromResultsAndWithinTheBoundFromTheIndex() throws Exception {
        String id = ids.get("garden-prune");
        String token = tokens.get("gardenjoy");
        assertThat(searchKeys("q=prune+roses")).contains("garden-prune");

        assertThat(patch(id, "{\"privacy\":\"private\"}", token).statusCode()).isEqualTo(200);
        assertThat(searchKeys("q=prune+roses")).doesNotContain("garden-prune"); // live check: immediately
        Duration gone = await(() -> !engineIds("prune roses").contains(id), visibilityBound());
        System.out.printf("[%s] private video left the engine's own answers after %d ms (bound %d ms)%n",
                engine.name(), gone.toMillis(), visibilityBound().toMillis());

        assertThat(patch(id, "{\"privacy\":\"public\"}", token).statusCode()).isEqualTo(200);
        Duration back = await(() -> engineIds("prune roses").contains(id), visibilityBound());
        System.out.printf("[%s] public again in the engine after %d ms%n", engine.name(), back.toMillis());
        assertThat(searchKeys("q=prune+roses")).contains("garden-prune");
    }

    @Test
    void aTakenDownVideoLeavesTheEngineWithinTheBoundAndAnAcceptedAppealBringsItBack() throws Exception {
        String id = ids.get("garden-compost");
        String admin = tokens.get("chefmaria"); // the first account: the instance's admin
        assertThat(searchKeys("q=composting")).contains("garden-compost");
        HttpResponse<String> removed = postJson("/api/v1/admin/moderation/actions", "{\"kind\":\"video\",\"item_id\":\"" + id
                + "\",\"action\":\"remove\",\"reason\":\"Search takedown test.\"}", admin);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(201);
        assertThat(searchKeys("q=composting")).doesNotContain("garden-compost"); // live check: immediately
        Duration gone = await(() -> !engineIds("composting").contains(id), visibilityBound());
        System.out.printf("[%s] taken-down video left the engine's own answers after %d ms%n", engine.name(), gone.toMillis());

        String action = TestServer.JSON.readTree(removed.body()).get("id").asText();
        assertThat(postJson("/api/v1/me/moderation/actions/" + action + "/appeal", "{\"message\":\"Compost is fine.\"}",
                tokens.get("gardenjoy")).statusCode()).isEqualTo(201);
        assertThat(postJson("/api/v1/admin/moderation/appeals/" + action, "{\"decision\":\"accept\",\"reason\":\"Test.\"}", admin)
                .statusCode()).isEqualTo(200);
        await(() -> engineIds("composting").contains(id), visibilityBound());
        assertThat(searchKeys("q=composting")).contains("garden-compost");
    }

    HttpResponse<String> postJson(String path, String json, String token) throws Exception {
        return server.send(HttpRequest.newBuilder(URI.create(server.base + path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token));
    }

    @Test
    void aDeletedVideoDisappears() throws Exception {
        String id = ids.get("diy-paint");
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + id)).DELETE()
                .header("Authorization", "Bearer " + tokens.get("diyhank")));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(searchKeys("q=painting+room")).doesNotContain("diy-paint");
        await(() -> !engineIds("painting room").contains(id), visibilityBound());
    }

    // ---- filters, sorts, cursors ---------------------------------------------------------

    @Test
    void filtersNarrowResults() throws Exception {
        JsonNode shortOnes = getJson("/api/v1/search?q=guitar&duration=short", 200).get("items");
        assertThat(shortOnes).isNotEmpty();
        shortOnes.forEach(v -> assertThat(v.get("duration_seconds").asDouble()).isLessThan(240));
        JsonNode longOnes = getJson("/api/v1/search?q=guitar&duration=long", 200).get("items");
        assertThat(longOnes).extracting(v -> keyOf(v.get("id").asText())).containsExactly("gtr-blues");
        JsonNode medium = getJson("/api/v1/search?q=guitar&duration=medium", 200).get("items");
        medium.forEach(v -> assertThat(v.get("duration_seconds").asDouble()).isBetween(240.0, 1199.0));

        assertThat(searchKeys("q=guitar&uploaded=week")).containsExactly("gtr-chords");
        assertThat(searchKeys("q=travel&uploaded=month")).containsExactlyInAnyOrder("japan-kyoto", "japan-tokyo", "packing-tips");
        assertThat(searchKeys("q=&uploaded=today&limit=50")).contains("zebra-public");

        assertThat(searchKeys("q=bread&channel=" + userIds.get("diyhank"))).containsExactly("diy-bread-box");
    }

    @Test
    void sortsByNewestAndByViews() throws Exception {
        assertThat(searchKeys("q=gardening&sort=newest"))
                .containsExactly("garden-herbs", "garden-tomato", "garden-compost", "garden-raised", "garden-prune");
        assertThat(searchKeys("q=yoga+stretching&sort=views").subList(0, 2)).containsExactly("yoga-morning", "yoga-back");
        assertThat(searchKeys("q=astronomy+space&sort=views")).first().isEqualTo("astro-mars");
    }

    @Test
    void cursorsPageThroughEveryResultOnce() throws Exception {
        for (String sort : List.of("relevance", "newest", "views")) {
            List<String> all = searchKeys("q=gardening+guitar+yoga&sort=" + sort + "&limit=50");
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = getJson("/api/v1/search?q=gardening+guitar+yoga&sort=" + sort + "&limit=3"
                        + (cursor == null ? "" : "&cursor=" + cursor), 200);
                page.get("items").forEach(v -> paged.add(keyOf(v.get("id").asText())));
                cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
                pages++;
            } while (cursor != null && pages < 20);
            assertThat(paged).as(sort).containsExactlyElementsOf(all);
            assertThat(all).as(sort).hasSizeGreaterThan(6);
        }
    }

    @Test
    void badParametersAre400sThatNameTheProblem() throws Exception {
        assertThat(getJson("/api/v1/search?q=x&sort=best", 400).get("code").asText()).isEqualTo("invalid_sort");
        assertThat(getJson("/api/v1/search?q=x&duration=tiny", 400).get("code").asText()).isEqualTo("invalid_duration");
        assertThat(getJson("/api/v1/search?q=x&uploaded=decade", 400).get("code").asText()).isEqualTo("invalid_uploaded");
        assertThat(getJson("/api/v1/search?q=x&limit=0", 400).get("code").asText()).isEqualTo("invalid_limit");
        assertThat(getJson("/api/v1/search?q=x&limit=500", 400).get("code").asText()).isEqualTo("invalid_limit");
        assertThat(getJson("/api/v1/search?q=x&cursor=garbage", 400).get("code").asText()).isEqualTo("invalid_cursor");
        assertThat(getJson("/api/v1/search?q=x&channel=../etc", 400).get("code").asText()).isEqualTo("invalid_channel");
        String newestCursor = getJson("/api/v1/search?q=guitar&sort=newest&limit=1", 200).get("next_cursor").asText();
        JsonNode wrongSort = getJson("/api/v1/search?q=guitar&sort=views&cursor=" + newestCursor, 400);
        assertThat(wrongSort.get("code").asText()).isEqualTo("invalid_cursor");
        assertThat(wrongSort.get("message").asText()).contains("sort=newest");
        assertThat(getJson("/api/v1/search?q=" + "a".repeat(201), 400).get("code").asText()).isEqualTo("invalid_query");
        assertThat(getJson("/api/v1/trending?limit=abc", 400).get("details").get("parameter").asText()).isEqualTo("limit");
    }

    // ---- channels, suggestions -----------------------------------------------------------

    @Test
    void channelSearchFindsByPrefixAndTypo() throws Exception {
        JsonNode astro = getJson("/api/v1/search/channels?q=astro", 200).get("items");
        assertThat(astro.get(0).get("name").asText()).isEqualTo("astrodan");
        assertThat(astro.get(0).get("id").asText()).isEqualTo(userIds.get("astrodan"));
        assertThat(astro.get(0).get("video_count").asLong()).isEqualTo(5);
        assertThat(getJson("/api/v1/search/channels?q=gardnjoy", 200).get("items").get(0).get("name").asText()).isEqualTo("gardenjoy");
        assertThat(getJson("/api/v1/search/channels?q=", 200).get("items")).isEmpty();
    }

    @Test
    void suggestionsCompleteWhatIsTyped() throws Exception {
        List<String> sourd = new ArrayList<>();
        getJson("/api/v1/search/suggest?q=sourd", 200).get("items").forEach(t -> sourd.add(t.asText()));
        assertThat(sourd).contains("How to Bake Sourdough Bread at Home", "Making a Sourdough Starter from Scratch");
        List<String> howTo = new ArrayList<>();
        getJson("/api/v1/search/suggest?q=how+to+pr", 200).get("items").forEach(t -> howTo.add(t.asText()));
        assertThat(howTo).first().isEqualTo("How to Prune Roses");
        assertThat(getJson("/api/v1/search/suggest?q=zebra", 200).get("items")).extracting(JsonNode::asText)
                .containsExactly("Zebra Stripes Public");
        assertThat(getJson("/api/v1/search/suggest?q=", 200).get("items")).isEmpty();
    }

    // ---- discovery -----------------------------------------------------------------------

    @Test
    void trendingIsRecentViewsWithDecayThenFreshness() throws Exception {
        List<String> trending = trendingKeys();
        assertThat(trending).hasSize(5);
        assertThat(trending.get(0)).isEqualTo("astro-mars"); // 300 days old, 30 views today
        assertThat(trending.get(1)).isEqualTo("zebra-public"); // then the freshest uploads

        // Views counted from now on move a video up: 40 viewers of an old guitar lesson put it first.
        // Bound: one flush of the view recorder (1 s) plus the engine's own visibility bound.
        assertThat(trending).doesNotContain("gtr-chords");
        play(ids.get("gtr-chords"), 40, "chords");
        await(() -> trendingKeys().get(0).equals("gtr-chords"), visibilityBound().plusSeconds(2));
        assertThat(trendingKeys().subList(0, 3)).containsExactly("gtr-chords", "astro-mars", "zebra-public");
    }

    private List<String> trendingKeys() {
        List<String> keys = new ArrayList<>();
        try {
            getJson("/api/v1/trending?limit=5", 200).get("items").forEach(v -> keys.add(keyOf(v.get("id").asText())));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return keys;
    }

    /** {@code viewers} anonymous viewers each start the video, as the watch page's player reports it. */
    void play(String videoId, int viewers, String sessionPrefix) throws Exception {
        for (int i = 0; i < viewers; i++) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/videos/" + videoId + "/events"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"start\",\"session_id\":\"" + "viewer-" + sessionPrefix + "-" + i + "\"}"))
                    .header("Content-Type", "application/json"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
    }

    long viewCount(String videoId) {
        return db.withHandle(h -> h.createQuery("SELECT coalesce((SELECT view_count FROM video_stats WHERE video_id = :v), 0)")
                .bind("v", videoId).mapTo(Long.class).one());
    }

    @Test
    void relatedSharesTagsTitleWordsAndChannelAndNeverTheVideoItself() throws Exception {
        List<String> related = new ArrayList<>();
        getJson("/api/v1/videos/" + ids.get("bread-basic") + "/related?limit=5", 200).get("items")
                .forEach(v -> related.add(keyOf(v.get("id").asText())));
        assertThat(related).doesNotContain("bread-basic");
        assertThat(related.subList(0, 2)).containsExactlyInAnyOrder("bread-starter", "bread-quick");
        List<String> guitar = new ArrayList<>();
        getJson("/api/v1/videos/" + ids.get("gtr-chords") + "/related?limit=4", 200).get("items")
                .forEach(v -> guitar.add(keyOf(v.get("id").asText())));
        assertThat(guitar).hasSize(4).allMatch(k -> k.startsWith("gtr-"));
        getJson("/api/v1/videos/" + ids.get("zebra-private") + "/related", 404);
    }

    @Test
    void homeFeedNeedsSignInAndMixesTrendingAndFreshWithoutOwnVideos() throws Exception {
        getJson("/api/v1/feed/home", 401);
        List<String> feed = new ArrayList<>();
        JsonNode home = getJson("/api/v1/feed/home?limit=10", 200, tokens.get("chefmaria"));
        assertThat(home.get("next_cursor").isNull()).isTrue();
        home.get("items").forEach(v -> feed.add(keyOf(v.get("id").asText())));
        assertThat(home.get("items").get(0).get("channel").get("name").asText()).isNotBlank();
        assertThat(feed).hasSize(10).doesNotHaveDuplicates().contains("astro-mars", "zebra-public");
        assertThat(feed).noneMatch(k -> k.startsWith("bread-") || k.startsWith("pasta-") || k.startsWith("curry") || k.startsWith("knife"));
    }

    @Test
    void aViewersBlockedChannelsAreLeftOutOfSearchTrendingRelatedAndHomeByTheServer() throws Exception {
        String blocker = server.register("blocker");
        for (String channel : List.of("chefmaria", "astrodan")) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/me/blocked-channels/" + userIds.get(channel)))
                    .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + blocker));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
        }
        // The engine's own query leaves them out (a full page, an exact cursor), not a filter afterwards.
        var bread = SearchQueries.parse("bread", null, null, null, null, null, "50", null, null, Instant.now());
        List<String> withBlocks = engine.videos(bread.excluding(Set.of(userIds.get("chefmaria")))).items().stream().map(this::keyOf).toList();
        assertThat(engine.videos(bread).items().stream().map(this::keyOf).toList()).contains("bread-basic", "bread-quick", "diy-bread-box");
        assertThat(withBlocks).contains("diy-bread-box").noneMatch(k -> k.startsWith("bread-"));

        assertThat(keys(getJson("/api/v1/search?q=bread", 200, null))).contains("bread-basic");
        assertThat(keys(getJson("/api/v1/search?q=bread", 200, blocker))).contains("diy-bread-box").noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/trending?limit=50", 200, null))).contains("astro-mars");
        assertThat(keys(getJson("/api/v1/trending?limit=50", 200, blocker))).isNotEmpty().doesNotContain("astro-mars")
                .noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/videos/" + ids.get("bread-basic") + "/related?limit=10", 200, null))).contains("bread-starter");
        assertThat(keys(getJson("/api/v1/videos/" + ids.get("bread-basic") + "/related?limit=10", 200, blocker)))
                .noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/feed/home?limit=50", 200, blocker))).isNotEmpty().doesNotContain("astro-mars")
                .noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/videos?limit=100", 200, blocker))).isNotEmpty().noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/channels/" + userIds.get("chefmaria") + "/videos", 200, blocker))).isEmpty();
        // Subscribed as well as blocked (the subscription stays, to undo the block): the feed leaves it out too.
        assertThat(server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/channels/" + userIds.get("chefmaria") + "/subscription"))
                .PUT(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + blocker)).statusCode()).isBetween(200, 204);
        assertThat(keys(getJson("/api/v1/me/feed", 200, blocker))).noneMatch(k -> k.startsWith("bread-"));
        assertThat(keys(getJson("/api/v1/channels/" + userIds.get("chefmaria") + "/videos", 200, null))).contains("bread-basic");
        assertThat(getJson("/api/v1/search/channels?q=astro", 200, null).get("items").findValuesAsText("id")).contains(userIds.get("astrodan"));
        assertThat(getJson("/api/v1/search/channels?q=astro", 200, blocker).get("items").findValuesAsText("id"))
                .doesNotContain(userIds.get("astrodan"));
    }

    List<String> keys(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(v -> out.add(keyOf(v.get("id").asText())));
        return out;
    }

    // ---- tags ----------------------------------------------------------------------------

    @Test
    void tagsAreEditableValidatedAndSearchable() throws Exception {
        String id = ids.get("pushups");
        String token = tokens.get("fitlife");
        HttpResponse<String> ok = patch(id, "{\"tags\":[\"Calisthenics\",\" push-ups \",\"calisthenics\"]}", token);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(TestServer.JSON.readTree(ok.body()).get("tags")).extracting(JsonNode::asText).containsExactly("calisthenics", "push-ups");
        await(() -> engineIds("calisthenics").contains(id), visibilityBound());
        assertThat(searchKeys("q=calisthenics")).containsExactly("pushups");

        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 21; i++) many.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        HttpResponse<String> tooMany = patch(id, "{\"tags\":" + many + "]}", token);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(tooMany.body()).get("code").asText()).isEqualTo("invalid_tags");
        HttpResponse<String> tooLong = patch(id, "{\"tags\":[\"" + "x".repeat(41) + "\"]}", token);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(tooLong.body()).get("message").asText()).contains("at most 40");
    }

    @Test
    void tagsCanBeSetAtUpload() throws Exception {
        String meta = "filename " + b64("clip.mp4") + ",tags " + b64("Cats, kittens ,cats");
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000")
                .header("Upload-Metadata", meta).header("Authorization", "Bearer " + tokens.get("fitlife")));
        assertThat(created.statusCode()).isEqualTo(201);
        String videoId = created.headers().firstValue("Kinora-Video-Id").orElseThrow();
        assertThat(server.video(videoId, tokens.get("fitlife")).get("tags")).extracting(JsonNode::asText).containsExactly("cats", "kittens");
        HttpResponse<String> bad = server.send(HttpRequest.newBuilder(URI.create(server.base + "/api/v1/uploads"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Tus-Resumable", "1.0.0").header("Upload-Length", "1000")
                .header("Upload-Metadata", "tags " + b64("y".repeat(60))).header("Authorization", "Bearer " + tokens.get("fitlife")));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(TestServer.JSON.readTree(bad.body()).get("code").asText()).isEqualTo("invalid_tags");
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

}
