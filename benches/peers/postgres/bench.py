#!/usr/bin/python3
"""PostgreSQL 15 side of the peer comparison (protocol: benches/peers/README.md).

Called by `run` once the throwaway server is up. Installs the stop-word file, creates the
`fr_vigie` text search configuration, builds the table and its indexes (timed), runs the
query set (one untimed warm-up round, then timed rounds) and prints ONE JSON object on
stdout; everything else goes to stderr.

Client: Debian's python3-psycopg2 (libpq), connected through the server's unix socket.
"""

import argparse
import json
import math
import os
import statistics
import sys
import threading
import time
import unicodedata

import psycopg2

ENGINE = "postgresql-15"
CONFIG = "fr_vigie"
# Vigie's elision filter strips these particles in front of a word (src/analysis/elision.rs);
# PostgreSQL's parser splits "l'armée" into "l" + "armée", so as stop words they vanish the same way.
ELIDED = ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"]
HEADLINE = "MaxFragments=1, MaxWords=35, MinWords=15"
ROUNDS = 5


def log(*args):
    print("[postgres]", *args, file=sys.stderr, flush=True)


# --- stop words and text search configuration -------------------------------------------------

def fold(word):
    """Lowercase and strip accents, as unaccent does before the stop list is consulted."""
    word = word.lower().replace("œ", "oe").replace("æ", "ae")
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def install_stop_file(stopwords, sharedir):
    words = []
    with open(stopwords, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and not w.startswith("#"):
                words += [w.lower(), fold(w)]
    words += ELIDED
    unique = sorted(set(words))
    path = os.path.join(sharedir, "tsearch_data", "vigie.stop")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(unique) + "\n")
    os.chmod(path, 0o644)
    log(f"{len(unique)} stop words (original, folded, elided particles) in {path}")


def create_config(cur):
    cur.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cur.execute("DROP TABLE IF EXISTS docs")
    cur.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS fr_vigie")
    cur.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS french_vigie")
    cur.execute("CREATE TEXT SEARCH DICTIONARY french_vigie "
                "(TEMPLATE = snowball, Language = french, StopWords = vigie)")
    cur.execute("CREATE TEXT SEARCH CONFIGURATION fr_vigie (COPY = french)")
    cur.execute("ALTER TEXT SEARCH CONFIGURATION fr_vigie ALTER MAPPING FOR "
                "hword, hword_part, word, asciiword, asciihword, hword_asciipart "
                "WITH unaccent, french_vigie")
    for text in ["L'Armée française a ŒUVRÉ jusqu'à Tombouctou", "l’état d'urgence à Ségou"]:
        cur.execute("SELECT to_tsvector('fr_vigie', %s)::text", (text,))
        log(f"to_tsvector({text!r}) = {cur.fetchone()[0]}")


# --- load -------------------------------------------------------------------------------------

def copy_escape(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_field(v):
    return "\\N" if v is None else copy_escape(v)


def copy_array(values):
    if values is None:
        return "\\N"
    inner = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return copy_escape("{" + inner + "}")


class CopySource:
    """File-like object handing COPY text-format lines for the JSONL lines in [start, end)."""

    def __init__(self, path, start, end):
        self.f = open(path, "rb")
        self.f.seek(start)
        if start > 0:
            self.f.seek(start - 1)
            if self.f.read(1) != b"\n":
                self.f.readline()  # the line straddling the boundary belongs to the previous part
        self.end = end
        self.rows = 0

    def read(self, size=-1):
        out = []
        n = 0
        while n < (1 << 20) and self.f.tell() < self.end:
            line = self.f.readline()
            if not line:
                break
            if not line.strip():
                continue
            d = json.loads(line)
            year = d.get("year")
            row = "\t".join([
                copy_field(str(d["id"])),
                copy_field(d.get("title")),
                copy_field(d.get("body")),
                "\\N" if year is None else str(int(year)),
                copy_array(d.get("locations") or []),
                copy_array(d.get("actors") or []),
            ]) + "\n"
            out.append(row)
            n += len(row)
            self.rows += 1
        return "".join(out)

    def close(self):
        self.f.close()


TABLE = f"""
CREATE TABLE docs (
    id text NOT NULL,
    title text,
    body text,
    year int,
    locations text[],
    actors text[],
    tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(title, '')), 'A') ||
        setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(body, '')), 'B')) STORED
) WITH (autovacuum_enabled = false)
"""

# Index builds, split over the build sessions (PostgreSQL 15 builds a GIN index with one
# process; the big one, on tsv, gets a session of its own).
INDEXES = [
    ["CREATE INDEX docs_tsv ON docs USING gin (tsv)"],
    ["CREATE UNIQUE INDEX docs_pkey ON docs (id)",
     "CREATE INDEX docs_locations ON docs USING gin (locations)",
     "CREATE INDEX docs_actors ON docs USING gin (actors)",
     "CREATE INDEX docs_year ON docs (year)"],
]


def run_parallel(jobs):
    """Runs each job (a callable) in its own thread; re-raises the first error."""
    errors = []

    def wrap(job):
        try:
            job()
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=wrap, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def build(conns, corpus):
    """Creates, loads, indexes and analyzes `docs` using len(conns) sessions. Timed by caller."""
    n = len(conns)
    size = os.path.getsize(corpus)
    bounds = [size * k // n for k in range(n + 1)]
    cur0 = conns[0].cursor()
    cur0.execute("DROP TABLE IF EXISTS docs")
    cur0.execute(TABLE)
    conns[0].commit()

    t = time.perf_counter()
    rows = [0] * n

    def load(k):
        src = CopySource(corpus, bounds[k], bounds[k + 1])
        with conns[k].cursor() as cur:
            cur.copy_expert("COPY docs (id, title, body, year, locations, actors) FROM STDIN",
                            src, size=1 << 20)
        conns[k].commit()
        rows[k] = src.rows
        src.close()

    run_parallel([lambda k=k: load(k) for k in range(n)])
    log(f"COPY of {sum(rows)} rows ({' + '.join(map(str, rows))}) in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    groups = [[] for _ in range(n)]
    for i, stmts in enumerate(INDEXES):
        groups[i % n] += stmts

    def index(k):
        with conns[k].cursor() as cur:
            for s in groups[k]:
                t0 = time.perf_counter()
                cur.execute(s)
                log(f"  {s}: {time.perf_counter() - t0:.1f} s")
        conns[k].commit()

    run_parallel([lambda k=k: index(k) for k in range(n)])
    cur0.execute("ALTER TABLE docs ADD CONSTRAINT docs_pkey PRIMARY KEY USING INDEX docs_pkey")
    cur0.execute("ALTER TABLE docs RESET (autovacuum_enabled)")
    conns[0].commit()
    log(f"indexes in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    conns[0].autocommit = True
    cur0.execute("VACUUM ANALYZE docs")
    conns[0].autocommit = False
    log(f"VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")


# --- queries ----------------------------------------------------------------------------------

def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                out.append({"kind": "query", "q": line.strip(), "year": None, "location": None,
                            "actor": None})
                continue
            cols = (line.split("\t") + [""] * 5)[:5]
            kind, q, year, location, actor = (c.strip() for c in cols)
            out.append({"kind": kind, "q": q, "year": int(year) if year else None,
                        "location": location or None, "actor": actor or None})
    return out


def filters(query):
    sql, params = [], {}
    if query["year"] is not None:
        sql.append("d.year = %(year)s")
        params["year"] = query["year"]
    if query["location"]:
        sql.append("d.locations @> ARRAY[%(location)s]::text[]")
        params["location"] = query["location"]
    if query["actor"]:
        sql.append("d.actors @> ARRAY[%(actor)s]::text[]")
        params["actor"] = query["actor"]
    return "".join(" AND " + s for s in sql), params


# One statement: the matches are found and ranked once (materialized CTE), then counted,
# faceted and cut to the top 10; ts_headline runs on those 10 only. One round trip.
CTE_SQL = """
WITH m AS MATERIALIZED (
    SELECT d.id, d.year, d.locations, d.actors,
           ts_rank_cd(d.tsv, websearch_to_tsquery('fr_vigie', %(q)s)) AS r
    FROM docs d
    WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters}
), top AS (
    SELECT id, r FROM m ORDER BY r DESC, id LIMIT 10
)
SELECT
    (SELECT count(*) FROM m),
    (SELECT json_agg(json_build_array(t.id, d.title, t.r,
                     ts_headline('fr_vigie', d.body, websearch_to_tsquery('fr_vigie', %(q)s),
                                 '{headline}'))
                     ORDER BY t.r DESC, t.id)
       FROM top t JOIN docs d ON d.id = t.id),
    (SELECT json_agg(json_build_array(year, n) ORDER BY year DESC)
       FROM (SELECT year, count(*) AS n FROM m GROUP BY year) y),
    (SELECT json_agg(json_build_array(l, n) ORDER BY n DESC, l)
       FROM (SELECT l, count(*) AS n FROM m, unnest(m.locations) AS l
             WHERE l NOT LIKE '/%%/%%' GROUP BY l ORDER BY n DESC, l LIMIT 10) x),
    (SELECT json_agg(json_build_array(a, n) ORDER BY n DESC, a)
       FROM (SELECT a, count(*) AS n FROM m, unnest(m.actors) AS a
             GROUP BY a ORDER BY n DESC, a LIMIT 10) z)
"""

# The same work as five statements (five scans of the matches, five round trips).
MULTI_SQL = [
    "SELECT count(*) FROM docs d WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters}",
    """SELECT t.id, t.title, t.r,
              ts_headline('fr_vigie', t.body, websearch_to_tsquery('fr_vigie', %(q)s), '{headline}')
       FROM (SELECT d.id, d.title, d.body, ts_rank_cd(d.tsv, websearch_to_tsquery('fr_vigie', %(q)s)) AS r
             FROM docs d WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters}
             ORDER BY r DESC, d.id LIMIT 10) t
       ORDER BY t.r DESC, t.id""",
    """SELECT d.year, count(*) FROM docs d
       WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters}
       GROUP BY d.year ORDER BY d.year DESC""",
    """SELECT l, count(*) AS n FROM docs d, unnest(d.locations) AS l
       WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters} AND l NOT LIKE '/%%/%%'
       GROUP BY l ORDER BY n DESC, l LIMIT 10""",
    """SELECT a, count(*) AS n FROM docs d, unnest(d.actors) AS a
       WHERE d.tsv @@ websearch_to_tsquery('fr_vigie', %(q)s){filters}
       GROUP BY a ORDER BY n DESC, a LIMIT 10""",
]


def make_runner(form, query):
    where, params = filters(query)
    params["q"] = query["q"]
    if form == "cte":
        sql = CTE_SQL.format(filters=where, headline=HEADLINE)

        def run(cur):
            cur.execute(sql, params)
            total, hits, years, locations, actors = cur.fetchone()
            return total, hits or [], years or [], locations or [], actors or []
    else:
        sqls = [s.format(filters=where, headline=HEADLINE) for s in MULTI_SQL]

        def run(cur):
            out = []
            for s in sqls:
                cur.execute(s, params)
                out.append(cur.fetchall())
            return out[0][0][0], out[1], out[2], out[3], out[4]
    return run


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    k = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[k - 1]


# --- memory -----------------------------------------------------------------------------------

def server_pids(pgdata):
    with open(os.path.join(pgdata, "postmaster.pid")) as f:
        postmaster = int(f.readline())
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            except (OSError, ValueError):
                continue
            if ppid == postmaster:
                pids.append(int(entry))
    return pids


def proc_kb(path, field):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory_sample(pgdata, label):
    """Sum over the postmaster and all its children of VmHWM (and, for the log, of Pss now)."""
    pids = server_pids(pgdata)
    hwm = sum(proc_kb(f"/proc/{p}/status", "VmHWM") for p in pids)
    pss = sum(proc_kb(f"/proc/{p}/smaps_rollup", "Pss") for p in pids)
    log(f"memory after {label}: {len(pids)} server processes, sum VmHWM {hwm} kB, "
        f"sum Pss now {pss} kB")
    return hwm


# --- main -------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--stopwords", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pgdata", required=True)
    ap.add_argument("--sharedir", required=True)
    ap.add_argument("--form", choices=["cte", "multi"], default="cte")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    args = ap.parse_args()

    def connect():
        return psycopg2.connect(host=args.host, port=args.port, user="postgres", dbname="postgres")

    install_stop_file(args.stopwords, args.sharedir)
    admin = connect()
    with admin.cursor() as cur:
        cur.execute("SELECT version()")
        log(cur.fetchone()[0])
        create_config(cur)
    admin.commit()
    admin.close()

    # Build: `threads` sessions load halves of the corpus concurrently, then build the indexes
    # concurrently; VACUUM ANALYZE closes it. All of it is timed.
    conns = [connect() for _ in range(max(1, args.threads))]
    t0 = time.perf_counter()
    build(conns, args.corpus)
    index_seconds = time.perf_counter() - t0
    peak = memory_sample(args.pgdata, "indexing")
    for c in conns:
        c.close()
    log(f"index built in {index_seconds:.1f} s")

    conn = connect()
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT count(*), pg_total_relation_size('docs'), pg_relation_size('docs'), "
                "pg_indexes_size('docs'), pg_relation_size('docs_tsv') FROM docs")
    documents, index_bytes, heap, indexes, tsv_idx = cur.fetchone()
    log(f"{documents} documents; total {index_bytes} B = heap {heap} + indexes {indexes} "
        f"(tsv GIN {tsv_idx}) + TOAST/maps {index_bytes - heap - indexes}")

    queries = read_queries(args.queries)
    runners = [make_runner(args.form, q) for q in queries]
    log(f"{len(queries)} queries, form {args.form}; warm-up round:")
    for q, run in zip(queries, runners):
        total, hits, years, locations, actors = run(cur)
        log(f"  {q['kind']:<9} {q['q']!r} year={q['year']} location={q['location']} "
            f"actor={q['actor']}: {total} hits; top {hits[0][0] if hits else '-'}; "
            f"countries {[tuple(x) for x in locations[:3]]}; actors {[tuple(x) for x in actors[:3]]}")
        if hits:
            log(f"     snippet: {hits[0][3][:160]!r}")

    latencies = {}
    totals = {}
    for _ in range(args.rounds):
        for q, run in zip(queries, runners):
            t = time.perf_counter()
            total, *_rest = run(cur)
            ms = (time.perf_counter() - t) * 1000
            latencies.setdefault(q["kind"], []).append(ms)
            totals.setdefault(q["kind"], []).append(total)
    peak = max(peak, memory_sample(args.pgdata, "queries"))
    cur.close()
    conn.close()

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
