package org.kinora.adapters.postgres;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;
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

/**
 * Search on PostgreSQL full text, the embedded default. It reads the live {@code videos} table
 * (the weighted {@code search_vector} is kept by a trigger), so a video that stops being publicly
 * listed is gone from the very next query and there is no index to keep in sync.
 *
 * <p>Matching: any query word (English stems; the last word also as a prefix, since the viewer may
 * still be typing) or, for a one-word query that matches nothing as typed, a title within trigram
 * distance (typos: "sourdoguh", "pyhton"). Ranking:
 * {@code ts_rank_cd} with weights title 1.0, tags 0.4, description 0.2, channel 0.1, plus a bonus
 * when every word matches and, for one-word queries, the title's trigram word similarity.
 */
public final class PgSearchEngine implements SearchEngine {
    static final String LISTED = "v.privacy = 'public' AND v.status = 'ready' AND v.deleted_at IS NULL AND "
            + PgRestrictionRepository.notWithheld("v");
    /**
     * Trigram word similarity needed for a typo match. Low, because it only applies when the word
     * matched nothing exactly, and swapped letters share few trigrams ("pyhton"/"python": ~0.29).
     */
    static final double TYPO_SIMILARITY = 0.25;
    /**
     * Only one-word queries fall back to trigram similarity: for several words the similarity of
     * the whole query drifts onto unrelated titles, and the other words still match.
     */
    static final int FUZZY_MAX_TERMS = 1;
    /**
     * Trending: the views of the last 7 UTC days (engagement's daily aggregates), each day's worth
     * half the day after it; then a freshness bonus that fades over days, so new uploads with no
     * views yet still surface.
     */
    static final String HEAT = "(SELECT sum(d.views * power(0.5, UTC_TODAY - d.day)) FROM video_daily_stats d"
            + " WHERE d.video_id = v.id AND d.day > UTC_TODAY - 7)";
    /** The day the view recorder files a view under (it uses UTC days). */
    static final String UTC_TODAY = "(now() AT TIME ZONE 'UTC')::date";
    static final String FRESHNESS_SECONDS = "259200.0";

    private final PostgresDatabase db;

    public PgSearchEngine(PostgresDatabase db) {
        this.db = db;
    }

    @Override public String name() { return "postgres"; }

    @Override public boolean keepsOwnIndex() { return false; }

    @Override public void index(SearchDocument document) {}

    @Override public void remove(String videoId) {}

    @Override
    public long rebuild(SearchDocumentSource source) {
        // Nothing to rebuild: the vectors live in the videos table. Recompute them anyway, which
        // repairs rows written while the trigger was missing (e.g. a restored dump).
        return db.withHandle(h -> {
            h.execute("UPDATE videos SET owner_id = owner_id");
            return h.createQuery("SELECT count(*) FROM videos v WHERE " + LISTED).mapTo(Long.class).one();
        });
    }

    @Override
    public Page<String> videos(SearchQuery q) {
        List<String> terms = TsQueries.terms(q.text());
        if (q.hasText() && terms.isEmpty()) return new Page<>(List.of(), Optional.empty());
        SearchSort sort = q.effectiveSort();
        boolean text = !terms.isEmpty();
        boolean fuzzy = text && terms.size() <= FUZZY_MAX_TERMS && !anyExactMatch(terms);
        // A misspelt word ("astronmy") matches no lexeme: the closest words any video uses stand in for it.
        List<String> corrected = fuzzy ? corrections(terms.getFirst()) : List.of();
        String key = switch (sort) {
            case RELEVANCE -> "(ts_rank_cd('{0.1,0.2,0.4,1.0}', v.search_vector, to_tsquery('english', :anyq), 1)"
                    + " + CASE WHEN v.search_vector @@ to_tsquery('english', :allq) THEN 0.5 ELSE 0 END"
                    // The channel's name typed as the query ("riff academy"): its videos first.
                    + " + CASE WHEN to_tsvector('simple', coalesce((SELECT c.display_name FROM channels c WHERE c.id = v.owner_id), ''))"
                    + " @@ to_tsquery('simple', :channelq) THEN 0.8 ELSE 0 END"
                    + (corrected.isEmpty() ? "" : " + 0.8 * ts_rank_cd('{0.1,0.2,0.4,1.0}', v.search_vector, to_tsquery('english', :correctedq), 1)")
                    + (fuzzy ? " + 0.3 * word_similarity(:fuzzy, lower(v.title))" : "") + ")::float8";
            case NEWEST -> "v.published_at";
            case VIEWS -> "coalesce(s.view_count, 0)";
        };
        StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT v.id, ").append(key).append(" AS k FROM videos v");
        if (sort == SearchSort.VIEWS) sql.append(" LEFT JOIN video_stats s ON s.video_id = v.id");
        sql.append(" WHERE ").append(LISTED);
        if (text) {
            sql.append(" AND (v.search_vector @@ to_tsquery('english', :anyq)");
            if (fuzzy) sql.append(" OR lower(v.title) %> :fuzzy");
            if (!corrected.isEmpty()) sql.append(" OR v.search_vector @@ to_tsquery('english', :correctedq)");
            sql.append(")");
        }
        q.category().ifPresent(c -> sql.append(" AND EXISTS (SELECT 1 FROM video_details d WHERE d.video_id = v.id AND d.category = :category)"));
        q.language().ifPresent(l -> sql.append(" AND EXISTS (SELECT 1 FROM video_details d WHERE d.video_id = v.id AND d.language = :language)"));
        q.duration().ifPresent(d -> {
            sql.append(" AND v.duration_seconds >= :dmin");
            if (Double.isFinite(d.maxSeconds)) sql.append(" AND v.duration_seconds < :dmax");
        });
        q.uploadedSince().ifPresent(s -> sql.append(" AND v.published_at >= :since"));
        q.channelId().ifPresent(c -> sql.append(" AND v.owner_id = :channel"));
        if (!q.excludedChannels().isEmpty()) sql.append(" AND NOT (v.owner_id = ANY(:excluded))");
        sql.append(") r");
        q.after().ifPresent(c -> sql.append(" WHERE (r.k, r.id) < (:ck, :cid)"));
        sql.append(" ORDER BY r.k DESC, r.id DESC LIMIT :limit");

        List<Row> rows = inSearchSession(h -> {
            Query query = h.createQuery(sql.toString()).bind("limit", Page.fetchSize(q.limit()));
            if (text) query.bind("anyq", TsQueries.any(terms)).bind("allq", TsQueries.all(terms));
            if (fuzzy) query.bind("fuzzy", String.join(" ", terms));
            if (sort == SearchSort.RELEVANCE && text) query.bind("channelq", TsQueries.all(terms));
            if (!corrected.isEmpty()) query.bind("correctedq", TsQueries.anyWhole(corrected));
            q.category().ifPresent(c -> query.bind("category", c));
            q.language().ifPresent(l -> query.bind("language", l));
            q.duration().ifPresent(d -> {
                query.bind("dmin", d.minSeconds);
                if (Double.isFinite(d.maxSeconds)) query.bind("dmax", d.maxSeconds);
            });
            q.uploadedSince().ifPresent(s -> query.bind("since", s));
            q.channelId().ifPresent(c -> query.bind("channel", c));
            if (!q.excludedChannels().isEmpty()) query.bindArray("excluded", String.class, List.copyOf(q.excludedChannels()));
            q.after().ifPresent(c -> {
                query.bind("cid", c.videoId());
                switch (sort) {
                    case RELEVANCE -> query.bind("ck", Cursors.<Double>parse(c.value(), Double::valueOf));
                    case NEWEST -> query.bind("ck", Cursors.<Instant>parse(c.value(), Instant::parse));
                    case VIEWS -> query.bind("ck", Cursors.<Long>parse(c.value(), Long::valueOf));
                }
            });
            return query.map((rs, ctx) -> new Row(rs.getString("id"), switch (sort) {
                case RELEVANCE -> Double.toString(rs.getDouble("k"));
                case NEWEST -> rs.getTimestamp("k").toInstant().toString();
                case VIEWS -> Long.toString(rs.getLong("k"));
            })).list();
        });
        return Page.of(rows, q.limit(), last -> new SearchCursor(sort, last.key(), last.id()).encode())
                .map(page -> page.stream().map(Row::id).toList());
    }

    private record Row(String id, String key) {}

    /**
     * Up to three words that videos use and that are within trigram similarity of {@code word}
     * (search_words holds every word of every video; a word only in a video that is not listed
     * corrects to a query that finds nothing, and the correction itself is never shown).
     */
    private List<String> corrections(String word) {
        if (word.length() < 4) return List.of();
        return inSearchSession(h -> h.createQuery("""
                        SELECT word FROM search_words WHERE word % :w AND word <> :w
                        ORDER BY similarity(word, :w) DESC, word LIMIT 3""")
                .bind("w", word).mapTo(String.class).list());
    }

    private boolean anyExactMatch(List<String> terms) {
        return db.withHandle(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM videos v WHERE " + LISTED
                        + " AND v.search_vector @@ to_tsquery('english', :q))")
                .bind("q", TsQueries.any(terms)).mapTo(Boolean.class).one());
    }

    @Override
    public List<ChannelHit> channels(String text, int limit) {
        String t = text.toLowerCase(Locale.ROOT).strip();
        return inSearchSession(h -> h.createQuery("""
                        SELECT u.id, u.username, count(*) AS n
                        FROM users u JOIN videos v ON v.owner_id = u.id AND""" + " " + LISTED + """

                        WHERE starts_with(lower(u.username), :t) OR lower(u.username) % :t
                        GROUP BY u.id, u.username
                        ORDER BY lower(u.username) = :t DESC, starts_with(lower(u.username), :t) DESC,
                                 similarity(lower(u.username), :t) DESC, n DESC, u.id
                        LIMIT :limit""")
                .bind("t", t).bind("limit", limit)
                .map((rs, ctx) -> new ChannelHit(rs.getString("id"), rs.getString("username"), rs.getLong("n"))).list());
    }

    @Override
    public List<String> suggest(String prefix, int limit) {
        List<String> terms = TsQueries.terms(prefix);
        if (terms.isEmpty()) return List.of();
        String typed = prefix.toLowerCase(Locale.ROOT).stripLeading();
        List<String> titles = db.withHandle(h -> h.createQuery("""
                        SELECT v.title FROM videos v LEFT JOIN video_stats s ON s.video_id = v.id
                        WHERE""" + " " + LISTED + """
                          AND (v.search_vector @@ to_tsquery('english', :q) OR starts_with(lower(v.title), :typed))
                        ORDER BY starts_with(lower(v.title), :typed) DESC, coalesce(s.view_count, 0) DESC, v.published_at DESC
                        LIMIT :limit""")
                .bind("q", TsQueries.titlePrefix(terms)).bind("typed", typed).bind("limit", limit * 3)
                .mapTo(String.class).list());
        Set<String> seen = new LinkedHashSet<>();
        List<String> out = new ArrayList<>();
        for (String title : titles) {
            if (seen.add(title.toLowerCase(Locale.ROOT))) out.add(title);
            if (out.size() == limit) break;
        }
        return out;
    }

    @Override
    public List<String> trending(int limit) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT v.id FROM videos v
                        LEFT JOIN (SELECT video_id, sum(views * power(0.5, TODAY - day)) AS heat
                                   FROM video_daily_stats WHERE day > TODAY - 7
                                   GROUP BY video_id) h ON h.video_id = v.id
                        WHERE""".replace("TODAY", UTC_TODAY) + " " + LISTED + """

                        ORDER BY coalesce(h.heat, 0) + 0.5 * exp(-extract(epoch FROM now() - v.published_at) / FRESH) DESC,
                                 v.published_at DESC, v.id DESC
                        LIMIT :limit""".replace("FRESH", FRESHNESS_SECONDS))
                .bind("limit", limit).mapTo(String.class).list());
    }

    @Override
    public List<String> related(RelatedQuery r, int limit) {
        List<String> terms = new ArrayList<>(TsQueries.terms(r.title()));
        for (String tag : r.tags()) terms.addAll(TsQueries.terms(tag));
        String anyq = TsQueries.anyWhole(terms.stream().distinct().limit(TsQueries.MAX_TERMS * 2).toList());
        return inSearchSession(h -> h.createQuery("""
                        SELECT v.id FROM videos v
                        WHERE""" + " " + LISTED + """
                          AND v.id <> :id
                          AND (v.search_vector @@ to_tsquery('english', :q) OR v.owner_id = :owner)
                        ORDER BY ts_rank_cd('{0.1,0.2,0.4,1.0}', v.search_vector, to_tsquery('english', :q), 1)
                                 + 0.3 * cardinality(ARRAY(SELECT unnest(v.tags) INTERSECT SELECT unnest(CAST(:tags AS text[]))))
                                 + CASE WHEN v.owner_id = :owner THEN 0.1 ELSE 0 END DESC,
                                 v.published_at DESC, v.id DESC
                        LIMIT :limit""")
                .bind("id", r.videoId()).bind("owner", r.ownerId()).bind("q", anyq)
                .bindArray("tags", String.class, r.tags()).bind("limit", limit)
                .mapTo(String.class).list());
    }

    /** Runs in a transaction whose trigram threshold admits one-letter typos (SET LOCAL ends with it). */
    private <T> T inSearchSession(java.util.function.Function<Handle, T> work) {
        return db.withHandle(h -> h.inTransaction(tx -> {
            tx.execute("SET LOCAL pg_trgm.word_similarity_threshold = " + TYPO_SIMILARITY);
            tx.execute("SET LOCAL pg_trgm.similarity_threshold = 0.3");
            return work.apply(tx);
        }));
    }

}
