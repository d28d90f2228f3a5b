package org.kinora.adapters.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.kinora.core.common.Clock;
import org.kinora.core.common.ErrorKind;
import org.kinora.core.common.KinoraException;
import org.kinora.core.common.Page;
import org.kinora.core.search.ChannelHit;
import org.kinora.core.search.RelatedQuery;
import org.kinora.core.common.Cursors;
import org.kinora.core.search.SearchCursor;
import org.kinora.core.search.SearchDocument;
import org.kinora.core.search.SearchDocumentSource;
import org.kinora.core.search.SearchEngine;
import org.kinora.core.search.SearchQuery;
import org.kinora.core.search.SearchSort;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5Transport;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Search on OpenSearch, for when one PostgreSQL should not carry it. Documents are kept in step
 * by {@link org.kinora.core.search.SearchIndexer} from the domain events, so the index trails the
 * database by the event dispatcher's delay plus OpenSearch's refresh interval (1 s).
 *
 * <p>The configured index name is an alias: {@link #rebuild} fills a fresh physical index and
 * swaps the alias atomically, so searches never see a half-built index and mapping changes need
 * no downtime. Queries are written as JSON in the documented query DSL (sent through the client's
 * generic API), which keeps them readable next to the OpenSearch documentation; the same scoring
 * ideas as the PostgreSQL adapter: title strongest, then tags, description, channel; every word
 * matching earns a bonus; the last word matches as a prefix; short queries tolerate typos.
 */
public final class OpenSearchEngine implements SearchEngine, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OpenSearchEngine.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FUZZY_MAX_TERMS = 3;
    private static final int BULK_BATCH = 500;

    private final String alias;
    private final ApacheHttpClient5Transport transport;
    private final OpenSearchGenericClient http;
    private final Clock clock;

    public OpenSearchEngine(String url, String alias, Clock clock) {
        this.alias = alias;
        this.clock = clock;
        try {
            transport = ApacheHttpClient5TransportBuilder.builder(HttpHost.create(url))
                    .setMapper(new JacksonJsonpMapper())
                    // The default pool (10 per route) would queue requests of a busy API node.
                    .setHttpClientConfigCallback(b -> b.setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setMaxConnPerRoute(64).setMaxConnTotal(64).build()))
                    .build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("search.opensearch.url is not a URL: " + url, e);
        }
        this.http = new OpenSearchClient(transport).generic();
    }

    /**
     * Whether the index alias exists. A plain index of that name is refused, since Kinora swaps
     * the alias on rebuild. When it does not exist, {@link #rebuild} creates it.
     */
    public boolean indexExists() {
        if (call("HEAD", "/_alias/" + alias, null, Set.of(404)).status() != 404) return true;
        if (call("HEAD", "/" + alias, null, Set.of(404)).status() != 404) {
            throw new IllegalStateException("OpenSearch has an index named '" + alias
                    + "', but Kinora uses that name as an alias; set search.opensearch.index to another name.");
        }
        return false;
    }

    @Override public String name() { return "opensearch"; }

    @Override public boolean keepsOwnIndex() { return true; }

    @Override
    public void index(SearchDocument d) {
        // require_alias: never let a write auto-create a plain index (with guessed mappings) under our name.
        call("PUT", "/" + alias + "/_doc/" + enc(d.videoId()) + "?require_alias=true", source(d).toString(), Set.of());
    }

    @Override
    public void remove(String videoId) {
        call("DELETE", "/" + alias + "/_doc/" + enc(videoId), null, Set.of(404));
    }

    /** Makes everything indexed so far visible to searches now (tests and the rebuild use it). */
    public void refresh() {
        call("POST", "/" + alias + "/_refresh", null, Set.of());
    }

    @Override
    public long rebuild(SearchDocumentSource source) {
        String physical = createPhysicalIndex();
        long[] count = {0};
        StringBuilder bulk = new StringBuilder();
        int[] inBatch = {0};
        source.forEachListed(d -> {
            bulk.append("{\"index\":{\"_index\":").append(json(physical)).append(",\"_id\":")
                    .append(json(d.videoId())).append("}}\n").append(source(d)).append('\n');
            count[0]++;
            if (++inBatch[0] == BULK_BATCH) {
                sendBulk(bulk);
                inBatch[0] = 0;
            }
        });
        if (inBatch[0] > 0) sendBulk(bulk);
        call("POST", "/" + physical + "/_refresh", null, Set.of());
        List<String> old = new ArrayList<>();
        JsonNode current = call("GET", "/_alias/" + alias, null, Set.of(404)).body();
        if (current != null && current.isObject() && !current.has("error")) current.fieldNames().forEachRemaining(old::add);
        ArrayNode actions = JSON.createArrayNode();
        for (String o : old) actions.addObject().putObject("remove").put("index", o).put("alias", alias);
        actions.addObject().putObject("add").put("index", physical).put("alias", alias);
        call("POST", "/_aliases", JSON.createObjectNode().set("actions", actions).toString(), Set.of());
        for (String o : old) call("DELETE", "/" + o, null, Set.of(404));
        return count[0];
    }

    private void sendBulk(StringBuilder bulk) {
        JsonNode r = call("POST", "/_bulk", bulk.toString(), Set.of()).body();
        bulk.setLength(0);
        if (r.path("errors").asBoolean()) {
            throw new IllegalStateException("OpenSearch refused part of a bulk index: " + abbreviate(r.toString()));
        }
    }

    /** A search hit: the video and the sort key OpenSearch gave it, which a cursor carries on. */
    private record Hit(String id, String key) {}

    @Override
    public Page<String> videos(SearchQuery q) {
        SearchSort sort = q.effectiveSort();
        ObjectNode body = JSON.createObjectNode();
        body.put("size", Page.fetchSize(q.limit())).put("_source", false).put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        if (q.hasText()) bool.putArray("must").add(textQuery(q.text()));
        ArrayNode filter = bool.putArray("filter");
        q.duration().ifPresent(d -> {
            ObjectNode range = filter.addObject().putObject("range").putObject("duration_seconds").put("gte", d.minSeconds);
            if (Double.isFinite(d.maxSeconds)) range.put("lt", d.maxSeconds);
        });
        q.uploadedSince().ifPresent(s -> filter.addObject().putObject("range").putObject("published_at").put("gte", s.toEpochMilli()));
        q.channelId().ifPresent(c -> filter.addObject().putObject("term").put("owner_id", c));
        if (!q.excludedChannels().isEmpty()) { // the channels the viewer blocked
            ArrayNode owners = bool.putArray("must_not").addObject().putObject("terms").putArray("owner_id");
            q.excludedChannels().forEach(owners::add);
        }
        q.category().ifPresent(c -> filter.addObject().putObject("term").put("category", c));
        q.language().ifPresent(l -> filter.addObject().putObject("term").put("language", l));
        ArrayNode sortSpec = body.putArray("sort");
        sortSpec.addObject().put(switch (sort) {
            case RELEVANCE -> "_score";
            case NEWEST -> "published_at";
            case VIEWS -> "views";
        }, "desc");
        sortSpec.addObject().put("video_id", "desc");
        q.after().ifPresent(c -> {
            ArrayNode after = body.putArray("search_after");
            if (sort == SearchSort.RELEVANCE) after.add(Cursors.<Double>parse(c.value(), Double::valueOf));
            else after.add(Cursors.<Long>parse(c.value(), Long::valueOf));
            after.add(c.videoId());
        });
        JsonNode hits = search(body).path("hits").path("hits");
        List<Hit> found = new ArrayList<>();
        for (JsonNode hit : hits) found.add(new Hit(hit.path("_id").asText(), hit.path("sort").get(0).asText()));
        return Page.of(found, q.limit(), last -> new SearchCursor(sort, last.key(), last.id()).encode())
                .map(page -> page.stream().map(Hit::id).toList());
    }

    private static ObjectNode textQuery(String text) {
        ObjectNode bool = JSON.createObjectNode();
        ObjectNode b = bool.putObject("bool");
        ArrayNode should = b.putArray("should");
        ObjectNode mm = should.addObject().putObject("multi_match");
        mm.put("query", text).put("type", "best_fields").put("tie_breaker", 0.3);
        mm.putArray("fields").add("title^4").add("tags^2").add("description").add("channel_name^0.5")
                .add("channel_display^0.5").add("captions^0.5").add("chapters");
        // The channel's name typed as the query ("riff academy") brings its videos up.
        should.addObject().putObject("match").putObject("channel_display").put("query", text).put("operator", "and").put("boost", 3.0);
        should.addObject().putObject("match").putObject("title").put("query", text).put("operator", "and").put("boost", 2.0);
        ObjectNode prefix = should.addObject().putObject("multi_match");
        prefix.put("query", text).put("type", "bool_prefix").put("operator", "and").put("boost", 0.5);
        prefix.putArray("fields").add("title.sayt").add("title.sayt._2gram").add("title.sayt._3gram");
        if (text.split("\\s+").length <= FUZZY_MAX_TERMS) {
            should.addObject().putObject("match").putObject("title").put("query", text).put("fuzziness", "AUTO:5,8")
                    .put("prefix_length", 1).put("boost", 0.3);
            // A misspelt word ("astronmy") wherever the word is: tags, description, captions, chapters.
            ObjectNode typo = should.addObject().putObject("multi_match");
            typo.put("query", text).put("fuzziness", "AUTO:5,8").put("prefix_length", 1).put("boost", 0.3);
            typo.putArray("fields").add("tags").add("description").add("captions").add("chapters");
        }
        b.put("minimum_should_match", 1);
        return bool;
    }

    @Override
    public List<ChannelHit> channels(String text, int limit) {
        String t = text.toLowerCase(Locale.ROOT).strip();
        ObjectNode body = JSON.createObjectNode();
        body.put("size", limit).put("track_total_hits", false);
        body.putArray("_source").add("owner_id").add("channel_name");
        ArrayNode should = body.putObject("query").putObject("bool").put("minimum_should_match", 1).putArray("should");
        should.addObject().putObject("term").putObject("channel_name.raw").put("value", t).put("boost", 10.0);
        ObjectNode prefix = should.addObject().putObject("multi_match");
        prefix.put("query", t).put("type", "bool_prefix").put("operator", "and").put("boost", 2.0);
        prefix.putArray("fields").add("channel_name.sayt").add("channel_name.sayt._2gram").add("channel_name.sayt._3gram");
        should.addObject().putObject("match").putObject("channel_name").put("query", t).put("fuzziness", "AUTO:5,8");
        body.putObject("collapse").put("field", "owner_id");
        body.putArray("sort").add("_score").addObject().put("owner_id", "asc");
        List<String[]> owners = new ArrayList<>();
        for (JsonNode hit : search(body).path("hits").path("hits")) {
            owners.add(new String[] {hit.path("_source").path("owner_id").asText(), hit.path("_source").path("channel_name").asText()});
        }
        if (owners.isEmpty()) return List.of();
        ObjectNode counts = JSON.createObjectNode();
        counts.put("size", 0);
        ArrayNode ownerIds = counts.putObject("query").putObject("terms").putArray("owner_id");
        owners.forEach(o -> ownerIds.add(o[0]));
        counts.putObject("aggs").putObject("owners").putObject("terms").put("field", "owner_id").put("size", owners.size());
        Map<String, Long> n = new java.util.HashMap<>();
        for (JsonNode bucket : search(counts).path("aggregations").path("owners").path("buckets")) {
            n.put(bucket.path("key").asText(), bucket.path("doc_count").asLong());
        }
        return owners.stream().map(o -> new ChannelHit(o[0], o[1], n.getOrDefault(o[0], 0L))).toList();
    }

    @Override
    public List<String> suggest(String prefix, int limit) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", limit * 3).put("track_total_hits", false);
        body.putArray("_source").add("title");
        ObjectNode mm = body.putObject("query").putObject("multi_match");
        mm.put("query", prefix).put("type", "bool_prefix").put("operator", "and");
        mm.putArray("fields").add("title.sayt").add("title.sayt._2gram").add("title.sayt._3gram");
        body.putArray("sort").add("_score").addObject().put("views", "desc");
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (JsonNode hit : search(body).path("hits").path("hits")) {
            String title = hit.path("_source").path("title").asText();
            if (seen.add(title.toLowerCase(Locale.ROOT))) out.add(title);
            if (out.size() == limit) break;
        }
        return out;
    }

    /**
     * The PostgreSQL adapter's formula, evaluated now: heat × 0.5^(days since the heat was
     * computed) — exactly today's heat when no view came since — plus 0.5 × e^(−age / 3 days)
     * for freshness. The two function_score clauses of a bool add up.
     */
    @Override
    public List<String> trending(int limit) {
        long now = clock.now().toEpochMilli();
        ObjectNode body = JSON.createObjectNode();
        body.put("size", limit).put("_source", false).put("track_total_hits", false);
        ArrayNode should = body.putObject("query").putObject("bool").putArray("should");
        ObjectNode heat = should.addObject().putObject("function_score");
        heat.putObject("query").putObject("range").putObject("heat").put("gt", 0);
        ArrayNode hf = heat.putArray("functions");
        hf.addObject().putObject("field_value_factor").put("field", "heat").put("missing", 0);
        hf.addObject().putObject("exp").putObject("heat_at").put("origin", now).put("scale", "1d").put("decay", 0.5);
        heat.put("score_mode", "multiply").put("boost_mode", "replace");
        ObjectNode fresh = should.addObject().putObject("function_score");
        fresh.putObject("query").putObject("match_all");
        fresh.putArray("functions").addObject().put("weight", 0.5).putObject("exp").putObject("published_at")
                .put("origin", now).put("scale", "3d").put("decay", Math.exp(-1));
        fresh.put("boost_mode", "replace");
        ArrayNode sort = body.putArray("sort");
        sort.add("_score");
        sort.addObject().put("published_at", "desc");
        sort.addObject().put("video_id", "desc");
        return ids(search(body));
    }

    @Override
    public List<String> related(RelatedQuery r, int limit) {
        String words = (r.title() + " " + String.join(" ", r.tags())).strip();
        ObjectNode body = JSON.createObjectNode();
        body.put("size", limit).put("_source", false).put("track_total_hits", false);
        ObjectNode bool = body.putObject("query").putObject("bool");
        bool.putArray("must_not").addObject().putObject("ids").putArray("values").add(r.videoId());
        bool.put("minimum_should_match", 1);
        ArrayNode should = bool.putArray("should");
        ObjectNode mm = should.addObject().putObject("multi_match");
        mm.put("query", words).put("type", "most_fields");
        mm.putArray("fields").add("title^2").add("tags").add("description^0.5");
        for (String tag : r.tags()) should.addObject().putObject("term").putObject("tags.raw").put("value", tag).put("boost", 3.0);
        should.addObject().putObject("term").putObject("owner_id").put("value", r.ownerId()).put("boost", 1.0);
        ArrayNode sort = body.putArray("sort");
        sort.add("_score");
        sort.addObject().put("published_at", "desc");
        return ids(search(body));
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        for (JsonNode hit : response.path("hits").path("hits")) out.add(hit.path("_id").asText());
        return out;
    }

    private JsonNode search(ObjectNode body) {
        return call("POST", "/" + alias + "/_search", body.toString(), Set.of()).body();
    }

    private String createPhysicalIndex() {
        String physical = alias + "-" + clock.now().toEpochMilli();
        try (InputStream in = OpenSearchEngine.class.getResourceAsStream("/opensearch/videos-index.json")) {
            call("PUT", "/" + physical, new String(in.readAllBytes(), StandardCharsets.UTF_8), Set.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return physical;
    }

    private static ObjectNode source(SearchDocument d) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("video_id", d.videoId()).put("owner_id", d.ownerId()).put("channel_name", d.channelName())
                .put("title", d.title()).put("description", d.description());
        ArrayNode tags = doc.putArray("tags");
        d.tags().forEach(tags::add);
        if (d.durationSeconds() != null) doc.put("duration_seconds", d.durationSeconds());
        if (d.publishedAt() != null) doc.put("published_at", d.publishedAt().toEpochMilli());
        doc.put("views", d.views()).put("heat", d.heat());
        if (d.channelDisplayName() != null) doc.put("channel_display", d.channelDisplayName());
        if (d.captions() != null) doc.put("captions", d.captions());
        if (d.chapters() != null) doc.put("chapters", d.chapters());
        if (d.category() != null) doc.put("category", d.category());
        if (d.language() != null) doc.put("language", d.language());
        if (d.heatAt() != null) doc.put("heat_at", d.heatAt().toEpochMilli());
        return doc;
    }

    private record Result(int status, JsonNode body) {}

    /** One HTTP call; statuses in {@code tolerated} are answers, any other non-2xx is an error. */
    private Result call(String method, String endpoint, String json, Set<Integer> tolerated) {
        var b = Requests.builder().method(method).endpoint(endpoint);
        if (json != null) {
            b.body(Body.from(json.getBytes(StandardCharsets.UTF_8),
                    endpoint.endsWith("/_bulk") ? "application/x-ndjson" : "application/json"));
        }
        try (Response r = http.execute(b.build())) {
            String text = r.getBody().map(Body::bodyAsString).orElse("");
            JsonNode node = text.isBlank() ? null : JSON.readTree(text);
            if ((r.getStatus() < 200 || r.getStatus() > 299) && !tolerated.contains(r.getStatus())) {
                throw new KinoraException(ErrorKind.UNAVAILABLE, "search_unavailable",
                        "The search engine refused " + method + " " + endpoint + " (" + r.getStatus() + "): " + abbreviate(text));
            }
            return new Result(r.getStatus(), node);
        } catch (IOException e) {
            throw new KinoraException(ErrorKind.UNAVAILABLE, "search_unavailable",
                    "The search engine could not be reached: " + e.getMessage() + ". Try again shortly.");
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String id) {
        return java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500) + "...";
    }

    /** Whether the cluster answers (readiness check). */
    public boolean isReachable() {
        try {
            return call("GET", "/_cluster/health", null, Set.of()).status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            log.debug("closing the OpenSearch client: {}", e.toString());
        }
    }
}
