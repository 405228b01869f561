// Lucene 8.8 peer runner for Vigie's peer benchmark (see ../README.md for the protocol).
//
// Usage: java -Xmx2g -cp <lucene jars>:<jackson-core>:<classes> LuceneBench \
//          --corpus enriched.jsonl --queries queries.tsv --stopwords stopwords.txt --work DIR --threads 2
//
// Prints ONE JSON object on stdout; everything else goes to stderr.

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MultiCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.uhighlight.UnifiedHighlighter;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.tartarus.snowball.ext.FrenchStemmer;

public final class LuceneBench {

    static final String ENGINE = "lucene-8.8";
    static final int TOP = 10;
    static final int FACET_TOP = 10;
    static final int ROUNDS = 5;
    static final int BATCH = 64; // lines a worker takes from the shared reader at a time

    // ---------------------------------------------------------------- analysis

    /** StandardTokenizer → LowerCase → Elision → ASCIIFolding → Stop (folded list) → Snowball French. */
    static final class FrenchBenchAnalyzer extends Analyzer {
        // French elided particles; ElisionFilter splits on both ' (U+0027) and ’ (U+2019).
        static final CharArraySet ARTICLES = new CharArraySet(Arrays.asList(
            "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"), false);
        final CharArraySet stops;

        FrenchBenchAnalyzer(CharArraySet stops) {
            this.stops = stops;
        }

        @Override
        protected TokenStreamComponents createComponents(String field) {
            StandardTokenizer source = new StandardTokenizer();
            TokenStream ts = new LowerCaseFilter(source);
            ts = new ElisionFilter(ts, ARTICLES);
            ts = new ASCIIFoldingFilter(ts);
            ts = new StopFilter(ts, stops);
            ts = new SnowballFilter(ts, new FrenchStemmer());
            return new TokenStreamComponents(source, ts);
        }
    }

    static String fold(String s) {
        char[] in = s.toLowerCase(Locale.ROOT).toCharArray();
        char[] out = new char[in.length * 4];
        int n = ASCIIFoldingFilter.foldToASCII(in, 0, out, 0, in.length);
        return new String(out, 0, n);
    }

    /** Stop words lowercased and ASCII-folded (both `à` and `a` end up as `a`). */
    static CharArraySet loadStops(Path p) throws IOException {
        Set<String> words = new LinkedHashSet<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String w = line.trim();
            if (w.isEmpty() || w.startsWith("#")) continue;
            words.add(fold(w));
        }
        return CharArraySet.unmodifiableSet(new CharArraySet(words, false));
    }

    // ---------------------------------------------------------------- schema

    static final FieldType BODY_TYPE = new FieldType(TextField.TYPE_STORED);
    static {
        // Offsets in the postings: the UnifiedHighlighter's fastest offset source (no re-analysis).
        BODY_TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS);
        BODY_TYPE.freeze();
    }

    static FacetsConfig facetsConfig() {
        FacetsConfig c = new FacetsConfig();
        c.setMultiValued("country", true);
        c.setMultiValued("actor", true);
        c.setMultiValued("year", false);
        return c;
    }

    static final class Rec {
        String id, title, body;
        Integer year;
        List<String> locations = new ArrayList<>();
        List<String> actors = new ArrayList<>();
    }

    static List<String> stringArray(JsonParser p) throws IOException {
        List<String> out = new ArrayList<>();
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_STRING) out.add(p.getText());
            else p.skipChildren();
        }
        return out;
    }

    static Rec parse(JsonFactory jf, String line) throws IOException {
        Rec r = new Rec();
        try (JsonParser p = jf.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not an object: " + line);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "id": r.id = p.getText(); break;
                    case "title": r.title = t == JsonToken.VALUE_NULL ? null : p.getText(); break;
                    case "body": r.body = t == JsonToken.VALUE_NULL ? null : p.getText(); break;
                    case "year": r.year = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : null; break;
                    case "locations": r.locations = stringArray(p); break;
                    case "actors": r.actors = stringArray(p); break;
                    default: p.skipChildren();
                }
            }
        }
        return r;
    }

    static Document toDocument(Rec r, FacetsConfig fc) throws IOException {
        Document d = new Document();
        d.add(new StringField("id", r.id == null ? "" : r.id, Field.Store.YES));
        d.add(new TextField("title", r.title == null ? "" : r.title, Field.Store.YES));
        d.add(new Field("body", r.body == null ? "" : r.body, BODY_TYPE));
        if (r.year != null) {
            d.add(new IntPoint("year", r.year));
            d.add(new SortedSetDocValuesFacetField("year", Integer.toString(r.year)));
        }
        // Location filter field: every ancestor path of every tagged place (/Mali/Mopti/Bandiagara
        // → /Mali/Mopti/Bandiagara, /Mali/Mopti, /Mali). Facet: the countries (children of the root).
        Set<String> paths = new LinkedHashSet<>();
        Set<String> countries = new LinkedHashSet<>();
        for (String loc : r.locations) {
            String[] parts = loc.split("/");
            StringBuilder sb = new StringBuilder();
            for (String part : parts) {
                if (part.isEmpty()) continue;
                if (sb.length() == 0) countries.add("/" + part); // the top level: a country
                sb.append('/').append(part);
                paths.add(sb.toString());
            }
        }
        for (String p : paths) d.add(new StringField("location", p, Field.Store.NO));
        for (String c : countries) d.add(new SortedSetDocValuesFacetField("country", c));
        Set<String> actors = new LinkedHashSet<>(r.actors);
        for (String a : actors) {
            if (a.isEmpty()) continue;
            d.add(new StringField("actor", a, Field.Store.NO));
            d.add(new SortedSetDocValuesFacetField("actor", a));
        }
        return fc.build(d);
    }

    // ---------------------------------------------------------------- indexing

    static final class LineSource {
        final BufferedReader in;
        final AtomicLong bytes = new AtomicLong();

        LineSource(Path p) throws IOException {
            in = Files.newBufferedReader(p, StandardCharsets.UTF_8);
        }

        synchronized List<String> next(int n) throws IOException {
            List<String> out = new ArrayList<>(n);
            String line;
            while (out.size() < n && (line = in.readLine()) != null) {
                if (!line.isBlank()) out.add(line);
            }
            return out;
        }
    }

    static long dirBytes(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0L;
                }
            }).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---------------------------------------------------------------- queries

    static final class Q {
        String kind, text, location, actor;
        Integer year;
    }

    static List<Q> loadQueries(Path p) throws IOException {
        List<Q> out = new ArrayList<>();
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Q q = new Q();
            if (line.indexOf('\t') < 0) {
                q.kind = "query";
                q.text = line.trim();
            } else {
                String[] c = line.split("\t", -1);
                q.kind = c[0].trim();
                q.text = c.length > 1 ? c[1].trim() : "";
                if (c.length > 2 && !c[2].isBlank()) q.year = Integer.parseInt(c[2].trim());
                if (c.length > 3 && !c[3].isBlank()) q.location = c[3].trim();
                if (c.length > 4 && !c[4].isBlank()) q.actor = c[4].trim();
            }
            out.add(q);
        }
        return out;
    }

    static final class Result {
        long total;
        TopDocs top;
        String[] snippets;
        List<FacetResult> facets = new ArrayList<>();
        long[] phases; // ns: parse, search (top 10 + total + facet collection), highlight, facet counts
    }

    static final class Searcher {
        final IndexSearcher searcher;
        final QueryParser parser;
        final UnifiedHighlighter highlighter;
        final SortedSetDocValuesReaderState facetState;

        Searcher(DirectoryReader reader, Analyzer analyzer) throws IOException {
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity(1.2f, 0.75f));
            Map<String, Float> boosts = new HashMap<>();
            boosts.put("title", 2.0f);
            boosts.put("body", 1.0f);
            MultiFieldQueryParser p = new MultiFieldQueryParser(new String[] {"title", "body"}, analyzer, boosts);
            p.setDefaultOperator(QueryParser.Operator.AND);
            parser = p;
            highlighter = new UnifiedHighlighter(searcher, analyzer);
            // Per-reader ordinal map for SSDV facets: built once when the reader opens.
            facetState = new DefaultSortedSetDocValuesReaderState(reader);
        }

        /** Everything the protocol times: parse, filter, total, top 10, snippets, facets. */
        Result run(Q q) throws Exception {
            long t0 = System.nanoTime();
            Query text = parser.parse(q.text);
            Query query = text;
            if (q.year != null || q.location != null || q.actor != null) {
                BooleanQuery.Builder b = new BooleanQuery.Builder();
                b.add(text, BooleanClause.Occur.MUST);
                if (q.year != null) b.add(IntPoint.newExactQuery("year", q.year), BooleanClause.Occur.FILTER);
                if (q.location != null) b.add(new TermQuery(new Term("location", q.location)), BooleanClause.Occur.FILTER);
                if (q.actor != null) b.add(new TermQuery(new Term("actor", q.actor)), BooleanClause.Occur.FILTER);
                query = b.build();
            }
            // Exact totals (threshold = MAX_VALUE), like Vigie; facets over the whole result set.
            long t1 = System.nanoTime();
            TopScoreDocCollector topCollector = TopScoreDocCollector.create(TOP, Integer.MAX_VALUE);
            FacetsCollector fc = new FacetsCollector(false);
            searcher.search(query, MultiCollector.wrap(topCollector, fc));
            Result r = new Result();
            r.top = topCollector.topDocs();
            r.total = r.top.totalHits.value;
            long t2 = System.nanoTime();
            r.snippets = highlighter.highlight("body", query, r.top, 1);
            long t3 = System.nanoTime();
            if (r.total > 0) {
                SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(facetState, fc);
                for (String dim : new String[] {"year", "country", "actor"}) {
                    FacetResult fr = counts.getTopChildren(FACET_TOP, dim);
                    if (fr != null) r.facets.add(fr);
                }
            }
            long t4 = System.nanoTime();
            r.phases = new long[] {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
            return r;
        }
    }

    // ---------------------------------------------------------------- output helpers

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1; // nearest rank
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String jstr(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            // fall through
        }
        return -1;
    }

    static double processCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
        }
        return -1;
    }

    static void log(String fmt, Object... args) {
        System.err.println("[lucene] " + String.format(Locale.ROOT, fmt, args));
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("bad argument " + args[i]);
            a.put(args[i].substring(2), args[i + 1]);
        }
        for (String k : new String[] {"corpus", "queries", "stopwords", "work"}) {
            if (!a.containsKey(k)) throw new IllegalArgumentException("missing --" + k);
        }
        Path corpus = Paths.get(a.get("corpus"));
        Path queriesPath = Paths.get(a.get("queries"));
        Path stopsPath = Paths.get(a.get("stopwords"));
        Path work = Paths.get(a.get("work"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        boolean verbose = System.getenv("LUCENE_BENCH_VERBOSE") != null;

        Files.createDirectories(work);
        Path indexDir = work.resolve("index");
        deleteTree(indexDir);
        Files.createDirectories(indexDir);

        CharArraySet stops = loadStops(stopsPath);
        Analyzer analyzer = new FrenchBenchAnalyzer(stops);
        FacetsConfig facets = facetsConfig();
        JsonFactory jf = new JsonFactory();

        // ---- index build (timed: from opening the corpus to the final commit, merges finished)
        log("indexing %s with %d threads", corpus, threads);
        long t0 = System.nanoTime();
        AtomicLong docs = new AtomicLong();
        try (Directory dir = FSDirectory.open(indexDir)) {
            IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
            cfg.setSimilarity(new BM25Similarity(1.2f, 0.75f));
            cfg.setRAMBufferSizeMB(256);
            cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            IndexWriter writer = new IndexWriter(dir, cfg);
            LineSource src = new LineSource(corpus);
            List<Thread> workers = new ArrayList<>();
            Throwable[] failure = new Throwable[1];
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    try {
                        List<String> batch;
                        while (!(batch = src.next(BATCH)).isEmpty()) {
                            for (String line : batch) {
                                writer.addDocument(toDocument(parse(jf, line), facets));
                            }
                            docs.addAndGet(batch.size());
                        }
                    } catch (Throwable e) {
                        synchronized (failure) {
                            failure[0] = e;
                        }
                    }
                }, "indexer-" + i);
                t.start();
                workers.add(t);
            }
            for (Thread t : workers) t.join();
            src.in.close();
            if (failure[0] != null) throw new RuntimeException("indexing failed", failure[0]);
            double added = (System.nanoTime() - t0) / 1e9;
            writer.commit();
            writer.close(); // waits for running merges (no forceMerge)
            log("documents added in %.2f s, commit + close in %.2f s", added, (System.nanoTime() - t0) / 1e9 - added);
        }
        double indexSeconds = (System.nanoTime() - t0) / 1e9;
        long indexBytes = dirBytes(indexDir);
        log("indexed %d docs in %.2f s (process CPU so far %.2f s), index %d bytes", docs.get(), indexSeconds,
            processCpuSeconds(), indexBytes);

        // ---- queries
        List<Q> queries = loadQueries(queriesPath);
        Map<String, List<Double>> latencies = new LinkedHashMap<>();
        Map<String, List<Long>> hits = new LinkedHashMap<>();
        Map<String, long[]> phaseSums = new LinkedHashMap<>();
        int documents;
        try (Directory dir = FSDirectory.open(indexDir); DirectoryReader reader = DirectoryReader.open(dir)) {
            documents = reader.numDocs();
            log("reader: %d docs, %d segments", documents, reader.leaves().size());
            Searcher s = new Searcher(reader, analyzer);

            // untimed warm-up: 30 rounds by default so the JIT has compiled the hot paths, as in a
            // long-running Lucene server (LUCENE_BENCH_WARMUP=N to change)
            int extra = Integer.parseInt(System.getenv().getOrDefault("LUCENE_BENCH_WARMUP", "30")) - 1;
            for (int i = 0; i < extra; i++) for (Q q : queries) s.run(q);
            for (Q q : queries) {
                Result r = s.run(q);
                hits.computeIfAbsent(q.kind, k -> new ArrayList<>()).add(r.total);
                StringBuilder sb = new StringBuilder();
                sb.append(String.format(Locale.ROOT, "%-10s %-28s %6d hits", q.kind, q.text, r.total));
                if (q.year != null || q.location != null || q.actor != null) {
                    sb.append(String.format(" [year=%s location=%s actor=%s]", q.year, q.location, q.actor));
                }
                log("%s", sb);
                if (verbose) {
                    for (FacetResult fr : r.facets) {
                        StringBuilder f = new StringBuilder("    " + fr.dim + ":");
                        for (LabelAndValue lv : fr.labelValues) f.append(' ').append(lv.label).append(" (").append(lv.value).append(')');
                        log("%s", f);
                    }
                    for (int i = 0; i < r.top.scoreDocs.length && i < 3; i++) {
                        String id = reader.document(r.top.scoreDocs[i].doc).get("id");
                        log("    #%d id=%s score=%.3f %s", i + 1, id, r.top.scoreDocs[i].score,
                            r.snippets[i] == null ? "" : r.snippets[i].replace('\n', ' '));
                    }
                }
            }

            for (int round = 0; round < ROUNDS; round++) {
                for (Q q : queries) {
                    long q0 = System.nanoTime();
                    Result r = s.run(q);
                    long q1 = System.nanoTime();
                    if (r.snippets.length != r.top.scoreDocs.length) throw new IllegalStateException("snippets");
                    latencies.computeIfAbsent(q.kind, k -> new ArrayList<>()).add((q1 - q0) / 1e6);
                    long[] acc = phaseSums.computeIfAbsent(q.kind, k -> new long[4]);
                    for (int i = 0; i < 4; i++) acc[i] += r.phases[i];
                }
            }
        }

        for (Map.Entry<String, long[]> e : phaseSums.entrySet()) {
            int n = latencies.get(e.getKey()).size();
            long[] v = e.getValue();
            log("%-10s mean ms: parse %.3f, search+collect %.3f, highlight %.3f, facet counts %.3f", e.getKey(),
                v[0] / 1e6 / n, v[1] / 1e6 / n, v[2] / 1e6 / n, v[3] / 1e6 / n);
        }
        long rss = peakRssKb();
        StringBuilder out = new StringBuilder();
        out.append('{');
        out.append("\"engine\": ").append(jstr(ENGINE));
        out.append(", \"documents\": ").append(documents);
        out.append(", \"index_seconds\": ").append(num(indexSeconds, 3));
        out.append(", \"input_bytes\": ").append(Files.size(corpus));
        out.append(", \"index_bytes\": ").append(indexBytes);
        out.append(", \"peak_rss_kb\": ").append(rss);
        out.append(", \"queries\": {");
        boolean first = true;
        for (Map.Entry<String, List<Double>> e : latencies.entrySet()) {
            double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double meanHits = hits.get(e.getKey()).stream().mapToLong(Long::longValue).average().orElse(0);
            if (!first) out.append(", ");
            first = false;
            out.append(jstr(e.getKey())).append(": {");
            out.append("\"n\": ").append(v.length);
            out.append(", \"p50_ms\": ").append(num(percentile(v, 50), 3));
            out.append(", \"p99_ms\": ").append(num(percentile(v, 99), 3));
            out.append(", \"mean_hits\": ").append(num(meanHits, 1));
            out.append('}');
        }
        out.append("}}");
        System.out.println(out);
    }
}
