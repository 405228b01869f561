#!/usr/bin/python3
"""Xapian 1.4 side of the peer comparison (protocol: benches/peers/README.md).

    bench.py --corpus enriched.jsonl --queries queries.tsv --stopwords stopwords.txt \
             --work DIR --threads 2 [--shards N] [--rounds 5]

Builds a Xapian (glass) database under DIR (timed), runs the query set (one untimed warm-up
round, then timed rounds) and prints ONE JSON object on stdout; everything else goes to stderr.

Bindings: Debian's python3-xapian, so this runs under the system /usr/bin/python3.

Analysis. Xapian's TermGenerator and QueryParser lowercase (Unicode) but neither fold accents nor
know French elisions, so one pre-pass (fold) runs on documents AND queries: per character NFKD
with the combining marks dropped, œ→oe, æ→ae, typographic apostrophes → '; then the apostrophe
of an elided particle (l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu') in front of
a word becomes a space, and the particle is a stop word. Then TermGenerator with
Stem("french"), STEM_ALL_Z (stems only, with positions: AND and phrases both work on stems,
and MSet::snippet can highlight them) and a SimpleStopper of the folded stop words with
STOP_ALL (stop words are not indexed at all). Snippets are made by Xapian on the folded body
and mapped back onto the original body, so they show accents.
"""

import argparse
import bisect
import html
import json
import math
import multiprocessing
import os
import re
import resource
import shutil
import statistics
import sys
import time
import unicodedata

import xapian

ENGINE = "xapian-1.4"
TOP = 10
FACET_TOP = 10
SNIPPET_BYTES = 240  # Vigie's snippet is at most 240 characters; Xapian counts bytes
K1, K2, K3, B, MIN_NORMLEN = 1.2, 0.0, 1.0, 0.75, 0.5  # BM25Weight's own defaults but k1/b explicit

SLOT_YEAR, SLOT_COUNTRIES, SLOT_ACTORS = 0, 1, 2
SEP = "\n"  # joins the countries / actors of one document in its value slot

QP_FLAGS = (xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN
            | xapian.QueryParser.FLAG_LOVEHATE)


def log(*args):
    print("[xapian]", *args, file=sys.stderr, flush=True)


# --- folding ------------------------------------------------------------------------------------

APOSTROPHES = "'\u2019\u02bc\u2018"  # the apostrophes of Vigie's tokenizer
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
ELIDED = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
ELIDED_LENGTHS = sorted({len(p) for p in ELIDED}, reverse=True)
REPLACE = list(LIGATURES.items()) + [(a, "'") for a in APOSTROPHES[1:]]
SMALL_TABLE = {ord(a): b for a, b in REPLACE}


def char_fold(c):
    """What the pre-pass makes of one character (case is kept: Xapian lowercases itself)."""
    f = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch))
    return f.translate(SMALL_TABLE)


_CHARS = [chr(cp) for cp in range(0x80, 0x30000) if not 0xD800 <= cp < 0xE000]
# Every character the pre-pass changes (ASCII never changes), and those whose folded form is
# not exactly one character long (…→..., œ→oe, a lone combining mark→nothing).
FOLD = {c: f for c, f in ((c, char_fold(c)) for c in _CHARS) if f != c}
LENGTH_CHANGE = {c: f for c, f in FOLD.items() if len(f) != 1}
del _CHARS


def fold_chars(text):
    """Per character: NFKD with the combining marks dropped, ligatures and typographic
    apostrophes replaced. Done as one str.replace per distinct character the text holds that
    changes (a few dozen), which CPython runs far faster than NFKD + a regex or str.translate."""
    if text.isascii():
        return text
    for c in set(text):
        f = FOLD.get(c)
        if f is not None:
            text = text.replace(c, f)
    return text


def _elision_re():
    by_length = {}
    for p in ELIDED:
        by_length.setdefault(len(p), []).append(p)
    behind = "|".join(r"(?<=\b(?:%s)')" % "|".join(sorted(ps)) for _n, ps in sorted(by_length.items()))
    # Starts with the apostrophe so that `re` jumps from one apostrophe to the next.
    return re.compile(r"'(?:%s)(?=\w)" % behind, re.IGNORECASE)


ELISION_RE = _elision_re()


def fold(text):
    """The pre-pass, on documents and queries alike. The apostrophe of an elided particle in
    front of a word becomes a space (l'armee → l armee) and the particle, a stop word, is then
    dropped by the stopper, so "armee" is indexed as Vigie and Lucene do. Keeping the length
    lets snippets map back onto the original text cheaply (see fold_with_map)."""
    text = fold_chars(text)
    if "'" in text:
        text = ELISION_RE.sub(" ", text)
    return text


def fold_with_map(text):
    """fold(text), and a function mapping an offset in it back to an offset in `text`: only
    the characters whose folded form has another length (œ, …) move offsets."""
    folded = fold(text)
    dst, src = [0], [0]
    changing = [] if text.isascii() else [c for c in set(text) if c in LENGTH_CHANGE]
    if changing:
        shift = 0
        for m in re.finditer("[%s]" % "".join(re.escape(c) for c in sorted(changing)), text):
            s = m.start()
            n = len(LENGTH_CHANGE[m.group()])
            dst += [s + shift, s + shift + n]
            src += [s, s + 1]
            shift += n - 1

    def to_source(p):
        i = bisect.bisect_right(dst, p) - 1
        o = src[i] + (p - dst[i])
        return min(o, src[i + 1]) if i + 1 < len(src) else o
    return folded, to_source


# --- snippets -----------------------------------------------------------------------------------

HIGHLIGHT_RE = re.compile(r"(<b>|</b>)")


def snippet_html(mset, body, stemmer, flags=None):
    """Xapian's snippet of the folded body, mapped back onto the original body (accents kept)."""
    folded, to_source = fold_with_map(body)
    if flags is None:  # Xapian's default: SNIPPET_BACKGROUND_MODEL | SNIPPET_EXHAUSTIVE
        raw = mset.snippet(folded, SNIPPET_BYTES, stemmer)
    else:
        raw = mset.snippet(folded, SNIPPET_BYTES, stemmer, flags)
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    # Plain text of the snippet and its highlights, in snippet coordinates.
    plain, marks, open_at = [], [], None
    n = 0
    for part in HIGHLIGHT_RE.split(raw):
        if part == "<b>":
            open_at = n
        elif part == "</b>":
            marks.append((open_at, n))
        elif part:
            text = html.unescape(part)
            plain.append(text)
            n += len(text)
    plain = "".join(plain)
    head = tail = ""
    if plain.startswith("...") and not folded.startswith(plain[:50]):
        plain, head = plain[3:], "…"
        marks = [(a - 3, b - 3) for a, b in marks]
    if plain.endswith("...") and folded.find(plain) < 0:
        plain, tail = plain[:-3], "…"
    at = folded.find(plain)
    if at < 0:  # cannot happen with Xapian 1.4's snippets; keep the folded text rather than fail
        return raw
    pieces, cursor = [head], to_source(at)
    for a, b in marks:
        sa, sb = to_source(at + a), to_source(at + b)
        pieces += [html.escape(body[cursor:sa], False), "<b>", html.escape(body[sa:sb], False), "</b>"]
        cursor = sb
    pieces += [html.escape(body[cursor:to_source(at + len(plain))], False), tail]
    return "".join(pieces)


# --- analysis objects ---------------------------------------------------------------------------

def load_stops(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and not w.startswith("#"):
                words.add(fold(w).lower())
    # The elided particles: fold() leaves them in front of the word they elide ("l armee").
    return words | ELIDED


def make_stopper(stops):
    stopper = xapian.SimpleStopper()
    for w in sorted(stops):
        stopper.add(w)
    return stopper


def make_termgenerator(stemmer, stopper):
    tg = xapian.TermGenerator()
    tg.set_stemmer(stemmer)
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL_Z)
    tg.set_stopper(stopper)
    tg.set_stopper_strategy(xapian.TermGenerator.STOP_ALL)
    return tg


def make_queryparser(stemmer, stopper):
    qp = xapian.QueryParser()
    qp.set_stemmer(stemmer)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_ALL_Z)
    qp.set_stopper(stopper)
    qp.set_default_op(xapian.Query.OP_AND)
    qp.add_prefix("title", "S")
    return qp


# --- index --------------------------------------------------------------------------------------

def make_document(d, tg):
    doc = xapian.Document()
    tg.set_document(doc)
    title = fold(d.get("title") or "")
    body = fold(d.get("body") or "")
    # Unprefixed text = title (wdf 2: title words weigh double, as title^2 does elsewhere) + body.
    tg.index_text(title, 2)
    tg.increase_termpos()
    tg.index_text(title, 1, "S")  # title:word
    tg.increase_termpos()
    tg.index_text(body)
    doc.set_data(json.dumps({"id": d.get("id"), "title": d.get("title") or "",
                             "body": d.get("body") or ""}, ensure_ascii=False))
    doc.add_boolean_term("Q" + str(d.get("id")))
    year = d.get("year")
    if year is not None:
        doc.add_boolean_term("Y%d" % year)
        doc.add_value(SLOT_YEAR, str(year))
    countries, paths = set(), set()
    for path in d.get("locations") or []:
        parts = [p for p in path.split("/") if p]
        if not parts:
            continue
        countries.add(parts[0])
        for i in range(1, len(parts) + 1):
            paths.add("L/" + "/".join(parts[:i]))
    for term in paths:
        doc.add_boolean_term(term)
    if countries:
        doc.add_value(SLOT_COUNTRIES, SEP.join(sorted(countries)))
    actors = sorted(set(d.get("actors") or []))
    for a in actors:
        doc.add_boolean_term("A" + a)
    if actors:
        doc.add_value(SLOT_ACTORS, SEP.join(actors))
    return doc


def index_shard(corpus, path, shard, shards, stops):
    """Indexes every `shards`-th line of the corpus (starting at `shard`) into `path`."""
    stemmer = xapian.Stem("french")
    tg = make_termgenerator(stemmer, make_stopper(stops))
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    n = 0
    with open(corpus, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % shards != shard or not line.strip():
                continue
            db.add_document(make_document(json.loads(line), tg))
            n += 1
    db.commit()
    db.close()
    return n


def _worker(args):
    corpus, path, shard, shards, stops = args
    t0 = time.perf_counter()
    n = index_shard(corpus, path, shard, shards, stops)
    r = resource.getrusage(resource.RUSAGE_SELF)
    return n, r.ru_maxrss, r.ru_utime + r.ru_stime, time.perf_counter() - t0


def current_rss_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def build(corpus, dbdir, shards, stops):
    """Timed build. One writer per shard (Xapian has one writer per database, and its
    TermGenerator is single-threaded): shards > 1 index in parallel processes, then
    Database.compact() merges them into the single database that is queried."""
    for p in [dbdir] + [dbdir + ".shard%d" % k for k in range(shards)]:
        shutil.rmtree(p, ignore_errors=True)
    extra_peak = 0
    t0 = time.perf_counter()
    if shards == 1:
        cpu0 = time.process_time()
        n = index_shard(corpus, dbdir, 0, 1, stops)
        log(f"writer: CPU s {time.process_time() - cpu0:.1f}")
        t_index = time.perf_counter() - t0
        t_merge = 0.0
    else:
        paths = [dbdir + ".shard%d" % k for k in range(shards)]
        base = current_rss_kb()
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(shards) as pool:
            results = pool.map(_worker, [(corpus, p, k, shards, stops) for k, p in enumerate(paths)],
                               chunksize=1)
        n = sum(r[0] for r in results)
        # Concurrent workers: sum of their peaks plus this process (an upper bound).
        extra_peak = base + sum(r[1] for r in results)
        log(f"writers: peak RSS kB {[r[1] for r in results]} (parent before fork {base}), "
            f"CPU s {[round(r[2], 1) for r in results]}, wall s {[round(r[3], 1) for r in results]}")
        t_index = time.perf_counter() - t0
        src = xapian.Database()
        for p in paths:
            src.add_database(xapian.Database(p))
        src.compact(dbdir)
        src.close()
        for p in paths:
            shutil.rmtree(p)
        t_merge = time.perf_counter() - t0 - t_index
    seconds = time.perf_counter() - t0
    log(f"indexed {n} documents with {shards} writer(s) in {seconds:.2f} s "
        f"(indexing {t_index:.2f} s, compaction {t_merge:.2f} s)")
    return n, seconds, extra_peak


def dir_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


# --- queries ------------------------------------------------------------------------------------

def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                out.append({"kind": "query", "q": line.strip(), "year": None, "location": None,
                            "actor": None})
                continue
            cols = line.split("\t") + [""] * 5
            out.append({"kind": cols[0].strip(), "q": cols[1].strip(),
                        "year": cols[2].strip() or None, "location": cols[3].strip() or None,
                        "actor": cols[4].strip() or None})
    return out


PHRASE_RE = re.compile(r'"([^"]*)"')
WORD_RE = re.compile(r"\w+")


class Searcher:
    def __init__(self, dbdir, stops, snippet_flags=None):
        self.db = xapian.Database(dbdir)
        self.doccount = self.db.get_doccount()
        self.stemmer = xapian.Stem("french")
        self.stops = stops
        self.qp = make_queryparser(self.stemmer, make_stopper(stops))
        self.qp.set_database(self.db)
        self.phases = {}
        self.snippet_flags = snippet_flags

    def _strip_phrase_stops(self, m):
        # Stop words are not indexed (STOP_ALL) and Xapian's QueryParser keeps them inside
        # phrases: drop them there too, or "réforme des retraites" could never match.
        words = [w for w in WORD_RE.findall(m.group(1)) if w.lower() not in self.stops]
        return '"%s"' % " ".join(words)

    def run(self, q, kind=None):
        t0 = time.perf_counter()
        text = PHRASE_RE.sub(self._strip_phrase_stops, fold(q["q"]))
        query = self.qp.parse_query(text, QP_FLAGS)
        if query.empty():  # no query words: list the (filtered) documents
            query = xapian.Query.MatchAll
        filters = []
        if q["year"]:
            filters.append(xapian.Query("Y" + q["year"]))
        if q["location"]:
            filters.append(xapian.Query("L/" + q["location"].strip("/")))
        if q["actor"]:
            filters.append(xapian.Query("A" + q["actor"]))
        if filters:
            query = xapian.Query(xapian.Query.OP_FILTER, query,
                                 xapian.Query(xapian.Query.OP_AND, filters))
        t1 = time.perf_counter()
        enquire = xapian.Enquire(self.db)
        enquire.set_query(query)
        enquire.set_weighting_scheme(xapian.BM25Weight(K1, K2, K3, B, MIN_NORMLEN))
        spies = [xapian.ValueCountMatchSpy(s) for s in (SLOT_YEAR, SLOT_COUNTRIES, SLOT_ACTORS)]
        for spy in spies:
            enquire.add_matchspy(spy)
        # checkatleast = every document: exact total, and the spies see the whole result set.
        mset = enquire.get_mset(0, TOP, self.doccount)
        total = mset.get_matches_estimated()
        t2 = time.perf_counter()
        snippets = mset
        if '"' in text:
            # MSet::snippet compares the words of a phrase UNSTEMMED with the phrase's terms, so
            # a stemmed phrase (STEM_ALL_Z) is never highlighted and does not even steer the
            # choice of passage. Take the snippets from the statistics of the same words
            # without quotes: get_mset(0, 0) only gathers statistics (~15 µs).
            loose = xapian.Enquire(self.db)
            loose.set_query(self.qp.parse_query(text.replace('"', " "), QP_FLAGS))
            loose.set_weighting_scheme(xapian.BM25Weight(K1, K2, K3, B, MIN_NORMLEN))
            snippets = loose.get_mset(0, 0)
        hits = []
        for m in mset:
            data = json.loads(m.document.get_data())
            hits.append((data["id"], m.weight, data["title"],
                         snippet_html(snippets, data["body"], self.stemmer, self.snippet_flags)))
        t3 = time.perf_counter()
        years = {v.term.decode(): v.termfreq for v in spies[0].values()}
        countries = split_counts(spies[1])
        actors = split_counts(spies[2])
        t4 = time.perf_counter()
        if kind is not None:
            acc = self.phases.setdefault(kind, [0.0] * 4)
            for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                acc[i] += d
        assert mset.get_matches_lower_bound() == mset.get_matches_upper_bound() == total
        return total, hits, years, countries, actors, query


def split_counts(spy):
    """Counts per country / actor from a spy over a slot holding each document's SET of them.

    ValueCountMatchSpy counts whole slot values: one per distinct combination, each document
    once. Splitting every combination into its members and adding its count to each member
    gives exactly the number of matching documents per country / actor (a set has no repeats)."""
    counts = {}
    for v in spy.values():
        n = v.termfreq
        for name in v.term.decode().split(SEP):
            counts[name] = counts.get(name, 0) + n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:FACET_TOP]


def percentile(sorted_values, p):
    """Nearest-rank percentile (as the Lucene and PostgreSQL runners)."""
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


# --- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--stopwords", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--shards", type=int, default=None,
                    help="parallel writers (default: --threads); 1 = one writer, no compaction")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--snippet-flags", type=int, default=None,
                    help="MSet::snippet flags (diagnostics; default: Xapian's default, "
                         "SNIPPET_BACKGROUND_MODEL|SNIPPET_EXHAUSTIVE = 3)")
    args = ap.parse_args()
    shards = max(1, args.shards if args.shards is not None else args.threads)

    os.makedirs(args.work, exist_ok=True)
    dbdir = os.path.join(os.path.abspath(args.work), "xapian-db")
    log(f"Xapian {xapian.version_string()}, Python {sys.version.split()[0]}")
    stops = load_stops(args.stopwords)
    log(f"{len(stops)} folded stop words")
    for sample in ["L'Armée française a ŒUVRÉ jusqu’à Tombouctou aujourd'hui", "l’état d'urgence à Ségou"]:
        doc = xapian.Document()
        tg = make_termgenerator(xapian.Stem("french"), make_stopper(stops))
        tg.set_document(doc)
        tg.index_text(fold(sample))
        terms = sorted(((next(iter(t.positer)), t.term.decode()) for t in doc.termlist()))
        log(f"analysis of {sample!r}: {[t for _p, t in terms]}")

    documents, index_seconds, workers_peak = build(args.corpus, dbdir, shards, stops)
    index_bytes = dir_bytes(dbdir)
    log(f"index {index_bytes} bytes in {dbdir}")

    searcher = Searcher(dbdir, stops, args.snippet_flags)
    if args.snippet_flags is not None:
        log(f"snippet flags {args.snippet_flags} (not Xapian's default)")
    assert searcher.doccount == documents, (searcher.doccount, documents)
    queries = read_queries(args.queries)
    log(f"{len(queries)} queries; warm-up round:")
    for q in queries:
        total, hits, years, countries, actors, parsed = searcher.run(q)
        log(f"  {q['kind']:<9} {q['q']!r} year={q['year']} location={q['location']} "
            f"actor={q['actor']}: {total} hits  [{parsed}]")
        log(f"     years {sorted(years.items())}; countries {countries[:4]}; actors {actors[:4]}")
        if hits:
            log(f"     #1 id={hits[0][0]} {hits[0][1]:.3f} {hits[0][2]!r}")
            log(f"        {hits[0][3].replace(chr(10), ' ')[:300]!r}")

    latencies, totals = {}, {}
    for _ in range(args.rounds):
        for q in queries:
            t = time.perf_counter()
            total = searcher.run(q, q["kind"])[0]
            ms = (time.perf_counter() - t) * 1000
            latencies.setdefault(q["kind"], []).append(ms)
            totals.setdefault(q["kind"], []).append(total)
    for kind, acc in searcher.phases.items():
        n = len(latencies[kind])
        log(f"{kind:<10} mean ms: parse {acc[0] / n * 1e3:.3f}, match+total+spies "
            f"{acc[1] / n * 1e3:.3f}, snippets {acc[2] / n * 1e3:.3f}, facet counts "
            f"{acc[3] / n * 1e3:.3f}")

    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, workers_peak)
    result = {
        "engine": ENGINE,
        "documents": documents,
        "index_seconds": round(index_seconds, 2),
        "input_bytes": os.path.getsize(args.corpus),
        "index_bytes": index_bytes,
        "peak_rss_kb": peak,
        "queries": {},
    }
    for kind, values in latencies.items():
        values.sort()
        result["queries"][kind] = {
            "n": len(values),
            "p50_ms": round(percentile(values, 50), 3),
            "p99_ms": round(percentile(values, 99), 3),
            "mean_hits": round(statistics.mean(totals[kind]), 1),
        }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
