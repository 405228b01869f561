// Lucene 9.9.1 peer runner for Vigie's peer benchmark (see ../README.md for the protocol).
//
// Usage: java -Xmx2g -cp <lucene 9.9.1 jar>:<jackson-core>:<classes> LuceneBench \
//          --corpus enriched.jsonl --queries queries.tsv --stopwords stopwords.txt --work DIR --threads 2
//
// Prints ONE JSON object on stdout; everything else goes to stderr.
//
// A copy of ../lucene/LuceneBench.java (Lucene 8.8) with as few changes as possible, so that the
// two rows compare the same work: same analysis, schema, BM25, queries, filters, warm-up and timing.
// What changed, and why:
//  - The Lucene classes come from the Anserini 1.7.1 fat jar in PyPI's pyserini 1.6.0 (Maven
//    Central is not reachable here); `run` keeps only org.apache.lucene.* and org.tartarus.* from it,
//    so nothing of Anserini's own code is on the classpath. ENGINE is "lucene-" + Version.LATEST and
//    main() fails unless that is 9.9.x.
//  - Analysis, core, query parser: no source change. Lucene 9 renamed the module (analyzers-common
//    became lucene-analysis-common) but kept the packages this file imports (analysis.util.
//    ElisionFilter, analysis.miscellaneous.ASCIIFoldingFilter, analysis.snowball, and LowerCaseFilter,
//    StopFilter, CharArraySet, StandardTokenizer in core); TopDocs.totalHits.value is still a field in
//    9.x; FSDirectory.open still gives an MMapDirectory (on JDK 17 Lucene 9.9 maps with
//    MappedByteBuffer; its MemorySegment code needs JDK 19+). The FrenchStemmer is Lucene 9's
//    (Snowball 2.x, regenerated in Lucene 9.0), which can stem a few words differently from 8.8's.
//  - The fat jar has NO lucene-facet, lucene-highlighter or lucene-memory (Anserini does not depend
//    on them), and nothing else reachable here ships those 9.9.1 jars. The section "stand-ins" below
//    therefore defines FacetsConfig, SortedSetDocValuesFacetField, FacetsCollector,
//    (Default)SortedSetDocValuesReaderState, SortedSetDocValuesFacetCounts, FacetResult,
//    LabelAndValue and UnifiedHighlighter under the same names, with the subset of the API used here,
//    written over Lucene 9.9.1 core APIs only and following Lucene 9.9's own algorithms and defaults
//    (see the section's comment). The bench code itself is unchanged; the index has the same fields
//    as the 8.8 runner's ($facets doc values and drill-down terms included). Timings of the
//    "highlight" and "facet counts" phases are of these ports, not of the Lucene modules: compare
//    the per-phase means in the log with care. One behavioural difference from 8.8 is Lucene 9's:
//    its UnifiedHighlighter uses Weight.matches() by default (WEIGHT_MATCHES, off in 8.8), which the
//    port follows.

import java.io.BufferedReader;
import java.io.IOException;
import java.text.BreakIterator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiDocValues;
import org.apache.lucene.index.OrdinalMap;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConjunctionUtils;
import org.apache.lucene.search.DocIdSet;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Matches;
import org.apache.lucene.search.MatchesIterator;
import org.apache.lucene.search.MultiCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SimpleCollector;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.BytesRefHash;
import org.apache.lucene.util.DocIdSetBuilder;
import org.apache.lucene.util.LongValues;
import org.apache.lucene.util.Version;
import org.tartarus.snowball.ext.FrenchStemmer;

public final class LuceneBench {

    static final String ENGINE = "lucene-" + Version.LATEST; // "lucene-9.9.1"
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

    // ---------------------------------------------------------------- stand-ins for lucene-facet and lucene-highlighter
    //
    // The jar has neither module (see the top of the file). These classes carry the names and the
    // subset of the API used above, are written over Lucene 9.9.1 core APIs only, and follow Lucene
    // 9.9's own code paths and defaults:
    //  - FacetsConfig.build: each SortedSetDocValuesFacetField becomes a SortedSetDocValuesField
    //    "$facets" = "dim\u001Flabel" plus the drill-down terms "dim\u001Flabel" and "dim" in the
    //    indexed field "$facets" (DimConfig defaults: index field "$facets", DrillDownTermsIndexing.ALL);
    //    facet fields first, then the document's other fields. Flat dims only.
    //  - FacetsCollector(false): a DocIdSetBuilder per segment and its hit count (MatchingDocs).
    //  - DefaultSortedSetDocValuesReaderState: the OrdinalMap over the segments (that of
    //    MultiDocValues.getSortedSetValues) and each dim's ord range, built once per reader.
    //  - SortedSetDocValuesFacetCounts: per query, a MultiSortedSetDocValues over the cached map;
    //    per segment, the hits intersected with the doc values, counted in segment ords then
    //    remapped to global ords (or remapped per hit when hits < segment ords / 10), singleton
    //    (single-valued) doc values unwrapped; getTopChildren: top N by count, ties by lower ord,
    //    labels by lookupOrd.
    //  - UnifiedHighlighter(searcher, analyzer).highlight(field, query, topDocs, maxPassages): 9.9's
    //    defaults. Doc ids sorted; the stored values loaded first (cut at DEFAULT_MAX_LENGTH 10,000
    //    chars); one BreakIterator.getSentenceInstance(Locale.ROOT) per call; per document,
    //    WEIGHT_MATCHES: the rewritten query's Weight (COMPLETE_NO_SCORES) on a searcher over that
    //    segment alone, without query cache, gives Matches; the field's MatchesIterator, expanded to
    //    its leaf sub-matches, gives the offsets (from the postings), each with freq 1; then
    //    FieldHighlighter's passage building, PassageScorer (k1 1.2, b 0.75, pivot 87), the first
    //    maxPassages sentences when nothing matched, and DefaultPassageFormatter (<b>, </b>, "... ").

    static final class SortedSetDocValuesFacetField extends Field {
        static final FieldType TYPE = new FieldType();
        static {
            TYPE.freeze();
        }
        final String dim, label;

        SortedSetDocValuesFacetField(String dim, String label) {
            super("dummy", TYPE);
            this.dim = dim;
            this.label = label;
        }
    }

    static final class FacetsConfig {
        static final String DEFAULT_INDEX_FIELD_NAME = "$facets";
        static final char DELIM_CHAR = '\u001F';
        static final char ESCAPE_CHAR = '\u001E';
        final Map<String, Boolean> multiValued = new HashMap<>();

        void setMultiValued(String dim, boolean v) {
            multiValued.put(dim, v);
        }

        Document build(Document doc) {
            Document result = new Document();
            Set<String> seenDims = new HashSet<>();
            for (IndexableField field : doc) {
                if (!(field instanceof SortedSetDocValuesFacetField)) continue;
                SortedSetDocValuesFacetField f = (SortedSetDocValuesFacetField) field;
                if (!multiValued.getOrDefault(f.dim, false) && !seenDims.add(f.dim)) {
                    throw new IllegalArgumentException("dimension \"" + f.dim + "\" is not multiValued, but it appears more than once in this document");
                }
                String fullPath = pathToString(f.dim, f.label);
                result.add(new SortedSetDocValuesField(DEFAULT_INDEX_FIELD_NAME, new BytesRef(fullPath)));
                result.add(new StringField(DEFAULT_INDEX_FIELD_NAME, fullPath, Field.Store.NO));
                result.add(new StringField(DEFAULT_INDEX_FIELD_NAME, pathToString(f.dim), Field.Store.NO));
            }
            for (IndexableField field : doc) {
                if (!(field instanceof SortedSetDocValuesFacetField)) result.add(field);
            }
            return result;
        }

        static String pathToString(String... path) {
            StringBuilder sb = new StringBuilder();
            for (String s : path) {
                if (s.isEmpty()) throw new IllegalArgumentException("each path component must have length > 0 (got: \"\")");
                for (int j = 0; j < s.length(); j++) {
                    char ch = s.charAt(j);
                    if (ch == DELIM_CHAR || ch == ESCAPE_CHAR) sb.append(ESCAPE_CHAR);
                    sb.append(ch);
                }
                sb.append(DELIM_CHAR);
            }
            sb.setLength(sb.length() - 1);
            return sb.toString();
        }

        static String[] stringToPath(String s) {
            List<String> parts = new ArrayList<>();
            char[] buffer = new char[s.length()];
            int upto = 0;
            boolean lastEscape = false;
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (lastEscape) {
                    buffer[upto++] = ch;
                    lastEscape = false;
                } else if (ch == ESCAPE_CHAR) {
                    lastEscape = true;
                } else if (ch == DELIM_CHAR) {
                    parts.add(new String(buffer, 0, upto));
                    upto = 0;
                } else {
                    buffer[upto++] = ch;
                }
            }
            parts.add(new String(buffer, 0, upto));
            return parts.toArray(new String[0]);
        }
    }

    static final class FacetsCollector extends SimpleCollector {
        static final class MatchingDocs {
            final LeafReaderContext context;
            final DocIdSet bits;
            final int totalHits;

            MatchingDocs(LeafReaderContext context, DocIdSet bits, int totalHits) {
                this.context = context;
                this.bits = bits;
                this.totalHits = totalHits;
            }
        }

        final List<MatchingDocs> matchingDocs = new ArrayList<>();
        LeafReaderContext context;
        DocIdSetBuilder docsBuilder;
        int totalHits;

        FacetsCollector(boolean keepScores) {
            if (keepScores) throw new UnsupportedOperationException("scores are not kept in this stand-in");
        }

        @Override
        protected void doSetNextReader(LeafReaderContext context) {
            if (docsBuilder != null) matchingDocs.add(new MatchingDocs(this.context, docsBuilder.build(), totalHits));
            docsBuilder = new DocIdSetBuilder(context.reader().maxDoc());
            totalHits = 0;
            this.context = context;
        }

        @Override
        public void collect(int doc) {
            docsBuilder.grow(1).add(doc);
            totalHits++;
        }

        @Override
        public ScoreMode scoreMode() {
            return ScoreMode.COMPLETE_NO_SCORES;
        }

        List<MatchingDocs> getMatchingDocs() {
            if (docsBuilder != null) {
                matchingDocs.add(new MatchingDocs(this.context, docsBuilder.build(), totalHits));
                docsBuilder = null;
                context = null;
            }
            return matchingDocs;
        }
    }

    static class SortedSetDocValuesReaderState {
        final IndexReader reader;
        final String field = FacetsConfig.DEFAULT_INDEX_FIELD_NAME;
        OrdinalMap ordinalMap; // null with a single segment
        int size;
        final Map<String, int[]> prefixToOrdRange = new HashMap<>(); // dim -> {start, end}, inclusive

        SortedSetDocValuesReaderState(IndexReader reader) {
            this.reader = reader;
        }

        /** As DefaultSortedSetDocValuesReaderState.getDocValues(): a fresh view over the cached map. */
        SortedSetDocValues getDocValues() throws IOException {
            if (ordinalMap == null) return MultiDocValues.getSortedSetValues(reader, field);
            List<LeafReaderContext> leaves = reader.leaves();
            SortedSetDocValues[] values = new SortedSetDocValues[leaves.size()];
            int[] starts = new int[leaves.size() + 1];
            long cost = 0;
            for (int i = 0; i < leaves.size(); i++) {
                SortedSetDocValues v = leaves.get(i).reader().getSortedSetDocValues(field);
                if (v == null) v = DocValues.emptySortedSet();
                values[i] = v;
                starts[i] = leaves.get(i).docBase;
                cost += v.cost();
            }
            starts[leaves.size()] = reader.maxDoc();
            return new MultiDocValues.MultiSortedSetDocValues(values, starts, ordinalMap, cost);
        }
    }

    static final class DefaultSortedSetDocValuesReaderState extends SortedSetDocValuesReaderState {
        DefaultSortedSetDocValuesReaderState(IndexReader reader) throws IOException {
            super(reader);
            SortedSetDocValues dv = MultiDocValues.getSortedSetValues(reader, field);
            if (dv == null) throw new IllegalArgumentException("field \"" + field + "\" was not indexed with SortedSetDocValues");
            if (dv instanceof MultiDocValues.MultiSortedSetDocValues) ordinalMap = ((MultiDocValues.MultiSortedSetDocValues) dv).mapping;
            if (dv.getValueCount() > Integer.MAX_VALUE) throw new IllegalArgumentException("too many facet values");
            size = (int) dv.getValueCount();
            String lastDim = null;
            int startOrd = -1;
            for (int ord = 0; ord < size; ord++) {
                String dim = FacetsConfig.stringToPath(dv.lookupOrd(ord).utf8ToString())[0];
                if (!dim.equals(lastDim)) {
                    if (lastDim != null) prefixToOrdRange.put(lastDim, new int[] {startOrd, ord - 1});
                    startOrd = ord;
                    lastDim = dim;
                }
            }
            if (lastDim != null) prefixToOrdRange.put(lastDim, new int[] {startOrd, size - 1});
        }
    }

    static final class LabelAndValue {
        final String label;
        final Number value;

        LabelAndValue(String label, Number value) {
            this.label = label;
            this.value = value;
        }
    }

    static final class FacetResult {
        final String dim;
        final Number value;
        final LabelAndValue[] labelValues;
        final int childCount;

        FacetResult(String dim, Number value, LabelAndValue[] labelValues, int childCount) {
            this.dim = dim;
            this.value = value;
            this.labelValues = labelValues;
            this.childCount = childCount;
        }
    }

    static final class SortedSetDocValuesFacetCounts {
        static final class OrdAndValue {
            int ord, value;
        }

        static final class TopOrdAndIntQueue extends org.apache.lucene.util.PriorityQueue<OrdAndValue> {
            TopOrdAndIntQueue(int topN) {
                super(topN);
            }

            @Override
            protected boolean lessThan(OrdAndValue a, OrdAndValue b) {
                return a.value < b.value || (a.value == b.value && a.ord > b.ord);
            }
        }

        final SortedSetDocValuesReaderState state;
        final SortedSetDocValues dv;
        final int[] counts;

        SortedSetDocValuesFacetCounts(SortedSetDocValuesReaderState state, FacetsCollector hits) throws IOException {
            this.state = state;
            this.dv = state.getDocValues();
            this.counts = new int[state.size];
            count(hits.getMatchingDocs());
        }

        private void count(List<FacetsCollector.MatchingDocs> matchingDocs) throws IOException {
            OrdinalMap ordinalMap = dv instanceof MultiDocValues.MultiSortedSetDocValues && matchingDocs.size() > 1
                ? ((MultiDocValues.MultiSortedSetDocValues) dv).mapping : null;
            for (FacetsCollector.MatchingDocs hits : matchingDocs) {
                if (ReaderUtil.getTopLevelContext(hits.context).reader() != state.reader) {
                    throw new IllegalStateException("the facet state does not match the reader being searched");
                }
                countOneSegment(ordinalMap, hits.context.reader(), hits.context.ord, hits);
            }
        }

        private void countOneSegment(OrdinalMap ordinalMap, LeafReader reader, int segOrd, FacetsCollector.MatchingDocs hits)
                throws IOException {
            if (hits.totalHits == 0) return;
            SortedSetDocValues multiValues = DocValues.getSortedSet(reader, state.field);
            SortedDocValues singleValues = DocValues.unwrapSingleton(multiValues);
            DocIdSetIterator valuesIt = singleValues != null ? singleValues : multiValues;
            DocIdSetIterator it = ConjunctionUtils.intersectIterators(Arrays.asList(hits.bits.iterator(), valuesIt));
            if (ordinalMap != null) {
                final LongValues ordMap = ordinalMap.getGlobalOrds(segOrd);
                int numSegOrds = (int) multiValues.getValueCount();
                if (hits.totalHits < numSegOrds / 10) {
                    // remap every ord to its global ord as we go
                    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                        if (singleValues != null) {
                            counts[(int) ordMap.get(singleValues.ordValue())]++;
                        } else {
                            for (int i = 0; i < multiValues.docValueCount(); i++) counts[(int) ordMap.get(multiValues.nextOrd())]++;
                        }
                    }
                } else {
                    // count in segment ords, then migrate to global ords
                    final int[] segCounts = new int[numSegOrds];
                    for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                        if (singleValues != null) {
                            segCounts[singleValues.ordValue()]++;
                        } else {
                            for (int i = 0; i < multiValues.docValueCount(); i++) segCounts[(int) multiValues.nextOrd()]++;
                        }
                    }
                    for (int ord = 0; ord < numSegOrds; ord++) {
                        if (segCounts[ord] != 0) counts[(int) ordMap.get(ord)] += segCounts[ord];
                    }
                }
            } else {
                for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                    if (singleValues != null) {
                        counts[singleValues.ordValue()]++;
                    } else {
                        for (int i = 0; i < multiValues.docValueCount(); i++) counts[(int) multiValues.nextOrd()]++;
                    }
                }
            }
        }

        FacetResult getTopChildren(int topN, String dim) throws IOException {
            int[] range = state.prefixToOrdRange.get(dim);
            if (range == null) return null; // dimension never indexed
            TopOrdAndIntQueue q = null;
            int bottomCount = 0, dimCount = 0, childCount = 0;
            OrdAndValue reuse = null;
            for (int ord = range[0]; ord <= range[1]; ord++) {
                if (counts[ord] > 0) {
                    dimCount += counts[ord];
                    childCount++;
                    if (counts[ord] > bottomCount) {
                        if (reuse == null) reuse = new OrdAndValue();
                        reuse.ord = ord;
                        reuse.value = counts[ord];
                        if (q == null) q = new TopOrdAndIntQueue(topN); // lazy, for the sparse case
                        reuse = q.insertWithOverflow(reuse);
                        if (q.size() == topN) bottomCount = q.top().value;
                    }
                }
            }
            if (q == null) return null;
            LabelAndValue[] labelValues = new LabelAndValue[q.size()];
            for (int i = labelValues.length - 1; i >= 0; i--) {
                OrdAndValue ov = q.pop();
                String[] parts = FacetsConfig.stringToPath(dv.lookupOrd(ov.ord).utf8ToString());
                labelValues[i] = new LabelAndValue(parts[parts.length - 1], ov.value);
            }
            return new FacetResult(dim, dimCount, labelValues, childCount);
        }
    }

    static final class UnifiedHighlighter {
        static final int DEFAULT_MAX_LENGTH = 10000;
        // PassageScorer defaults
        static final float K1 = 1.2f, B = 0.75f, PIVOT = 87f;
        final IndexSearcher searcher;

        UnifiedHighlighter(IndexSearcher searcher, Analyzer indexAnalyzer) {
            this.searcher = searcher;
        }

        static final class Passage {
            int startOffset = -1, endOffset = -1, numMatches;
            float score;
            int[] matchStarts = new int[8], matchEnds = new int[8], matchTermFreqInDoc = new int[8];
            BytesRef[] matchTerms = new BytesRef[8];

            void addMatch(int start, int end, BytesRef term, int termFreqInDoc) {
                if (numMatches == matchStarts.length) {
                    int n = numMatches * 2;
                    matchStarts = Arrays.copyOf(matchStarts, n);
                    matchEnds = Arrays.copyOf(matchEnds, n);
                    matchTermFreqInDoc = Arrays.copyOf(matchTermFreqInDoc, n);
                    matchTerms = Arrays.copyOf(matchTerms, n);
                }
                matchStarts[numMatches] = start;
                matchEnds[numMatches] = end;
                matchTerms[numMatches] = term;
                matchTermFreqInDoc[numMatches] = termFreqInDoc;
                numMatches++;
            }

            void reset() {
                startOffset = endOffset = -1;
                score = 0;
                numMatches = 0;
            }
        }

        /** One highlightable match: OffsetsEnum's start, end and term (freq is 1 with WEIGHT_MATCHES). */
        static final class Match {
            final int start, end;
            final BytesRef term;

            Match(int start, int end, BytesRef term) {
                this.start = start;
                this.end = end;
                this.term = term;
            }
        }

        String[] highlight(String field, Query query, TopDocs topDocs, int maxPassages) throws IOException {
            ScoreDoc[] sd = topDocs.scoreDocs;
            // doc ids in ascending order for sequential I/O; results in the caller's order
            Integer[] order = new Integer[sd.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            Arrays.sort(order, Comparator.comparingInt(i -> sd[i].doc));
            // one batch: 10 documents of at most 10,000 chars are under the 524,288-char threshold
            StoredFields storedFields = searcher.storedFields();
            String[] contents = new String[sd.length];
            for (int i : order) contents[i] = loadFieldValue(storedFields, sd[i].doc, field);
            BreakIterator breakIterator = BreakIterator.getSentenceInstance(Locale.ROOT);
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            String[] out = new String[sd.length];
            for (int i : order) {
                if (contents[i] == null) continue;
                LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(sd[i].doc, leaves));
                out[i] = highlightFieldForDoc(field, query, ctx.reader(), sd[i].doc - ctx.docBase, contents[i], breakIterator,
                    maxPassages);
            }
            return out;
        }

        static String loadFieldValue(StoredFields storedFields, int doc, String field) throws IOException {
            String[] value = new String[1];
            storedFields.document(doc, new StoredFieldVisitor() {
                @Override
                public Status needsField(FieldInfo fieldInfo) {
                    if (value[0] != null) return Status.STOP;
                    return fieldInfo.name.equals(field) ? Status.YES : Status.NO;
                }

                @Override
                public void stringField(FieldInfo fieldInfo, String v) {
                    value[0] = v.length() > DEFAULT_MAX_LENGTH ? v.substring(0, DEFAULT_MAX_LENGTH) : v;
                }
            });
            return value[0];
        }

        static String highlightFieldForDoc(String field, Query query, LeafReader leafReader, int docId, String content,
                BreakIterator breakIterator, int maxPassages) throws IOException {
            if (content.isEmpty()) return null;
            breakIterator.setText(content);
            Passage[] passages = highlightOffsetsEnums(weightMatches(field, query, leafReader, docId), breakIterator, maxPassages);
            if (passages.length == 0) passages = getSummaryPassagesNoHighlight(breakIterator, maxPassages);
            return passages.length > 0 ? format(passages, content) : null;
        }

        /** FieldOffsetStrategy.createOffsetsEnumsWeightMatcher + OffsetsEnum.OfMatchesIteratorWithSubs, in offset order. */
        static List<Match> weightMatches(String field, Query query, LeafReader leafReader, int docId) throws IOException {
            List<Match> out = new ArrayList<>();
            IndexSearcher s = new IndexSearcher(leafReader);
            s.setQueryCache(null);
            Matches matches = s.rewrite(query).createWeight(s, ScoreMode.COMPLETE_NO_SCORES, 1.0f)
                .matches(leafReader.getContext(), docId);
            if (matches == null) return out;
            MatchesIterator mi = matches.getMatches(field);
            if (mi == null) return out;
            Map<Query, BytesRef> queryToTerm = new HashMap<>();
            while (mi.next()) {
                if (!addLeafMatches(mi.getSubMatches(), out, queryToTerm)) {
                    out.add(new Match(mi.startOffset(), mi.endOffset(), queryToTerm(mi.getQuery(), queryToTerm)));
                }
            }
            out.sort((x, y) -> x.start != y.start ? Integer.compare(x.start, y.start)
                : x.end != y.end ? Integer.compare(x.end, y.end) : x.term.compareTo(y.term));
            return out;
        }

        static boolean addLeafMatches(MatchesIterator mi, List<Match> out, Map<Query, BytesRef> queryToTerm) throws IOException {
            if (mi == null) return false;
            while (mi.next()) {
                if (!addLeafMatches(mi.getSubMatches(), out, queryToTerm)) {
                    out.add(new Match(mi.startOffset(), mi.endOffset(), queryToTerm(mi.getQuery(), queryToTerm)));
                }
            }
            return true;
        }

        static BytesRef queryToTerm(Query query, Map<Query, BytesRef> cache) {
            return cache.computeIfAbsent(query, q -> {
                BytesRefBuilder b = new BytesRefBuilder();
                q.visit(new QueryVisitor() {
                    @Override
                    public void consumeTerms(Query query, Term... terms) {
                        for (Term term : terms) {
                            if (b.length() > 0) b.append((byte) ' ');
                            b.append(term.bytes());
                        }
                    }
                });
                return b.length() > 0 ? b.toBytesRef() : new BytesRef(q.toString());
            });
        }

        /** FieldHighlighter.highlightOffsetsEnums: sentences as mini-documents, scored, the best maxPassages kept. */
        static Passage[] highlightOffsetsEnums(List<Match> off, BreakIterator breakIterator, int maxPassages) {
            final int contentLength = breakIterator.getText().getEndIndex();
            if (off.isEmpty()) return new Passage[0];
            java.util.PriorityQueue<Passage> passageQueue = new java.util.PriorityQueue<>(Math.min(64, maxPassages + 1),
                (left, right) -> left.score < right.score ? -1 : left.score > right.score ? 1 : left.startOffset - right.startOffset);
            Passage passage = new Passage();
            int lastPassageEnd = 0;
            for (Match m : off) {
                int start = m.start, end = m.end;
                if (start == -1) throw new IllegalArgumentException("field was indexed without offsets, cannot highlight");
                if (start < contentLength && end > contentLength) continue;
                if (start >= passage.endOffset) {
                    passage = maybeAddPassage(passageQueue, passage, contentLength, maxPassages);
                    if (start >= contentLength) break;
                    final int center = start + (end - start) / 2;
                    passage.startOffset = Math.min(start, Math.max(breakIterator.preceding(Math.max(start + 1, center)), lastPassageEnd));
                    lastPassageEnd = Math.max(end, Math.min(breakIterator.following(Math.min(end - 1, center)), contentLength));
                    passage.endOffset = lastPassageEnd;
                }
                passage.addMatch(start, end, m.term, 1);
            }
            maybeAddPassage(passageQueue, passage, contentLength, maxPassages);
            Passage[] passages = passageQueue.toArray(new Passage[0]);
            Arrays.sort(passages, Comparator.comparingInt(p -> p.startOffset));
            return passages;
        }

        static Passage maybeAddPassage(java.util.PriorityQueue<Passage> queue, Passage passage, int contentLength, int maxPassages) {
            if (passage.startOffset == -1) return passage; // empty passage
            passage.score = score(passage, contentLength);
            if (queue.size() == maxPassages && passage.score < queue.peek().score) {
                passage.reset(); // can't compete
            } else {
                queue.offer(passage);
                if (queue.size() > maxPassages) {
                    passage = queue.poll();
                    passage.reset();
                } else {
                    passage = new Passage();
                }
            }
            return passage;
        }

        /** PassageScorer.score: norm(start) * sum over distinct terms of tf(freq in passage) * weight(freq in doc). */
        static float score(Passage passage, int contentLength) {
            double score = 0d;
            BytesRefHash termsHash = new BytesRefHash();
            int[] termFreqsInPassage = new int[passage.numMatches];
            int[] termFreqsInDoc = new int[passage.numMatches];
            for (int i = 0; i < passage.numMatches; i++) {
                int termIndex = termsHash.add(passage.matchTerms[i]);
                if (termIndex < 0) {
                    termIndex = -(termIndex + 1);
                } else {
                    termFreqsInDoc[termIndex] = passage.matchTermFreqInDoc[i];
                }
                termFreqsInPassage[termIndex]++;
            }
            int passageLen = passage.endOffset - passage.startOffset;
            for (int i = 0; i < termsHash.size(); i++) {
                float norm = K1 * ((1 - B) + B * (passageLen / PIVOT));
                float tf = termFreqsInPassage[i] / (termFreqsInPassage[i] + norm);
                float numDocs = 1 + contentLength / PIVOT;
                float weight = (K1 + 1) * (float) Math.log(1 + (numDocs + 0.5D) / (termFreqsInDoc[i] + 0.5D));
                score += tf * weight;
            }
            score *= 1 + 1 / (float) Math.log(PIVOT + passage.startOffset);
            return (float) score;
        }

        static Passage[] getSummaryPassagesNoHighlight(BreakIterator breakIterator, int maxPassages) {
            List<Passage> passages = new ArrayList<>(Math.min(maxPassages, 10));
            int pos = breakIterator.current();
            while (passages.size() < maxPassages) {
                int next = breakIterator.next();
                if (next == BreakIterator.DONE) break;
                Passage passage = new Passage();
                passage.startOffset = pos;
                passage.endOffset = next;
                passages.add(passage);
                pos = next;
            }
            return passages.toArray(new Passage[0]);
        }

        /** DefaultPassageFormatter("<b>", "</b>", "... ", escape = false). */
        static String format(Passage[] passages, String content) {
            StringBuilder sb = new StringBuilder();
            int pos = 0;
            for (Passage passage : passages) {
                if (passage.startOffset > pos && pos > 0) sb.append("... ");
                pos = passage.startOffset;
                for (int i = 0; i < passage.numMatches; i++) {
                    int start = passage.matchStarts[i];
                    sb.append(content, pos, start);
                    int end = passage.matchEnds[i];
                    while (i + 1 < passage.numMatches && passage.matchStarts[i + 1] < end) end = Math.max(end, passage.matchEnds[++i]);
                    end = Math.min(end, passage.endOffset);
                    sb.append("<b>").append(content, start, end).append("</b>");
                    pos = end;
                }
                sb.append(content, pos, Math.max(pos, passage.endOffset));
                pos = passage.endOffset;
            }
            return sb.toString();
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
        System.err.println("[lucene9] " + String.format(Locale.ROOT, fmt, args));
    }

    // ---------------------------------------------------------------- main

    public static void main(String[] args) throws Exception {
        if (Version.LATEST.major != 9 || Version.LATEST.minor != 9) {
            throw new IllegalStateException("expected Lucene 9.9.x on the classpath, found " + Version.LATEST);
        }
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
