#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the results of benches/peers/run (one JSON per engine)."""
import json
import os
import platform
import subprocess
import sys
import time

KINDS = ["one_word", "two_words", "phrase", "filtered"]
ORDER = ["vigie", "tantivy", "lucene", "xapian", "postgres"]


def load(results):
    engines = {}
    for name in ORDER:
        path = os.path.join(results, f"{name}.json")
        if os.path.exists(path):
            with open(path) as f:
                engines[name] = json.load(f)
    return engines


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} {platform.release()}"


def mbps(e):
    return e["input_bytes"] / 1e6 / e["index_seconds"] if e.get("index_seconds") else None


def median_ratio(rounds):
    ratios = sorted(r["bare_seconds"] / r["vigie_seconds"] for r in rounds)
    mid = len(ratios) // 2
    return ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2


def fmt(x, digits=1):
    return "—" if x is None else f"{x:.{digits}f}"


def main():
    results, command = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "benches/peers/run"
    engines = load(results)
    out = []
    w = out.append
    w("# Benchmarks: Vigie and its peers\n")
    w(f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, by one run of:\n")
    w(f"    {command.strip()}\n")
    w("Every engine indexes the same 36,083 OrangeSum articles with the same French analysis (lowercase, "
      "accent folding, the same stop words, Snowball French), BM25 k1 = 1.2, b = 0.75 (PostgreSQL: "
      "`ts_rank_cd`), AND semantics, 2 threads for indexing, and answers the same 28 queries "
      "(`data/bench_queries.tsv`) warm, in a long-lived process: top 10 with a highlighted snippet each and "
      "the facet counts of year, location and actor over the whole result set, all timed. Vigie indexes the "
      "raw JSONL through its whole pipeline (cleaning, language detection, places and actors); the peers "
      "index Vigie's cleaned, tagged output (`enriched.jsonl`), so they get the entities for free. "
      "Vigie's queries also group copies of one story (a collector over every match, timed), and its "
      "index size includes the file of copy signatures it keeps beside the tantivy index "
      "(`vigie-copies.bin`, 356 bytes an article). "
      "Protocol: `benches/peers/README.md`; each engine's choices: its folder's README. The machine has "
      "2 cores shared with other work: compare ratios within this run, not across runs.\n")
    w("## All engines\n")
    header = "| engine | indexing MB/s | index size MB | peak RSS MB | " + " | ".join(
        f"{k} p50 / p99 ms" for k in KINDS) + " |"
    w(header)
    w("|" + "---|" * (4 + len(KINDS)))
    for name, e in engines.items():
        if "error" in e:
            w(f"| {name} | {e['error']} |" + " |" * (3 + len(KINDS)))
            continue
        q = e.get("queries", {})
        cells = [f"{fmt(q[k]['p50_ms'], 2)} / {fmt(q[k]['p99_ms'], 2)}" if k in q else "—" for k in KINDS]
        w(f"| {e['engine']} | {fmt(mbps(e))} | {fmt(e['index_bytes'] / 1e6)} | {fmt(e['peak_rss_kb'] / 1024)} | "
          + " | ".join(cells) + " |")
    w("")
    rounds_path = os.path.join(results, "rounds.json")
    rounds = json.load(open(rounds_path)) if os.path.exists(rounds_path) else []
    vigie = engines.get("vigie")
    if vigie and "error" not in vigie:
        w("## Vigie's ratio to each peer\n")
        w("Indexing: Vigie's MB/s ÷ the peer's (above 1: Vigie faster). Queries: the peer's p50 ÷ Vigie's "
          "(above 1: Vigie faster).\n")
        w("| peer | indexing | " + " | ".join(f"{k} p50" for k in KINDS) + " |")
        w("|" + "---|" * (2 + len(KINDS)))
        for name, e in engines.items():
            if name == "vigie" or "error" in e:
                continue
            idx = mbps(vigie) / mbps(e) if mbps(e) else None
            idx_cell = f"{fmt(idx, 2)}×"
            if name == "tantivy" and rounds:
                idx_cell += f" (median of {len(rounds)} alternating rounds: {median_ratio(rounds):.2f}×)"
            cells = []
            for k in KINDS:
                if k in e.get("queries", {}) and k in vigie["queries"]:
                    cells.append(f"{e['queries'][k]['p50_ms'] / vigie['queries'][k]['p50_ms']:.1f}×")
                else:
                    cells.append("—")
            w(f"| {e['engine']} | {idx_cell} | " + " | ".join(cells) + " |")
        w("")
        w("Mean hits per kind (the engines' totals agree where their analysis does):\n")
        w("| engine | " + " | ".join(KINDS) + " |")
        w("|" + "---|" * (1 + len(KINDS)))
        for name, e in engines.items():
            if "error" in e or not e.get("queries"):
                continue
            w(f"| {e['engine']} | " + " | ".join(fmt(e['queries'][k]['mean_hits']) if k in e['queries'] else "—" for k in KINDS) + " |")
        w("")
    if rounds:
        w("## Indexing against bare tantivy, alternating rounds\n")
        w("One run of each engine, above, is at the mercy of whatever else the 2 cores are doing. Here bare "
          "tantivy and Vigie index the raw corpus one after the other, round after round, in the same run; "
          "ratio = bare tantivy's seconds ÷ Vigie's (1 would be a pipeline that costs nothing).\n")
        w("| round | bare tantivy s | Vigie s | ratio |")
        w("|---|---|---|---|")
        for i, r in enumerate(rounds, 1):
            w(f"| {i} | {r['bare_seconds']:.2f} | {r['vigie_seconds']:.2f} | "
              f"{r['bare_seconds'] / r['vigie_seconds']:.2f}× |")
        w(f"| median | | | {median_ratio(rounds):.2f}× |")
        w("")
    process = os.path.join(results, "process.json")
    if os.path.exists(process):
        w("## `vigie search` as a whole process\n")
        w("Open the index, parse, search, cut snippets, count facets, print; measured with hyperfine "
          "(`-N`, 5 warm-up runs, 40 runs) on the 36k-article index.\n")
        w("| command | mean ms | min ms | max ms |")
        w("|---|---|---|---|")
        for r in json.load(open(process))["results"]:
            cmd = r["command"].split("/index ", 1)[-1]
            w(f"| `vigie search … {cmd}` | {r['mean'] * 1000:.1f} | {r['min'] * 1000:.1f} | {r['max'] * 1000:.1f} |")
        w("")
    scale = os.path.join(results, "scale.json")
    if os.path.exists(scale):
        rows = json.load(open(scale))
        w("## Scaling: the corpus ×1, ×4, ×16 (copies with new ids)\n")
        w("Each size is also indexed by bare tantivy (same schema and analyzer, no pipeline), to tell "
          "the growth of Vigie's own work from tantivy's.\n")
        w("| factor | documents | input MB | indexing s | MB/s | bare tantivy s | ratio to bare | index MB | "
          "query p50 ms | query p99 ms | time × | bare time × | p50 × |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        base = rows[0] if rows else None
        for r in rows:
            bare = r.get("bare_seconds")
            bare_cells = (f"{bare:.1f} | {bare / r['index_seconds']:.2f}×" if bare else "— | —")
            bare_growth = (f"{bare / base['bare_seconds']:.1f}" if bare and base.get("bare_seconds") else "—")
            w(f"| ×{r['factor']} | {r['documents']:,} | {r['input_bytes'] / 1e6:.0f} | {r['index_seconds']:.1f} | "
              f"{r['input_bytes'] / 1e6 / r['index_seconds']:.1f} | {bare_cells} | {r['index_bytes'] / 1e6:.0f} | "
              f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['index_seconds'] / base['index_seconds']:.1f} | "
              f"{bare_growth} | {r['p50_ms'] / base['p50_ms']:.1f} |")
        w("")
    serve = os.path.join(results, "serve.json")
    if os.path.exists(serve):
        r = json.load(open(serve))
        w("## `vigie serve` under load\n")
        w(f"`benches/serve/run`: the whole corpus indexed, then {r['clients']} concurrent clients (wrk, one "
          f"thread, on the same 2 cores as the server) for {r['seconds']} s over the {r['queries']} queries of "
          "`data/bench_queries.tsv` through `/api/search` (top 10 with snippets and every facet); then the "
          "same while `vigie index` adds 10,000 articles, committing every 1,000. A response is valid when "
          "it is a 200 with a search's JSON.\n")
        w("| run | requests | QPS | p50 ms | p90 ms | p99 ms | max ms | invalid | socket errors |")
        w("|---|---|---|---|---|---|---|---|---|")
        for name, key in [("steady", "steady"), ("while indexing", "indexing")]:
            x = r[key]
            w(f"| {name} | {x['requests']:,} | {x['qps']:,.0f} | {x['p50_ms']:.1f} | {x['p90_ms']:.1f} | "
              f"{x['p99_ms']:.1f} | {x['max_ms']:.1f} | {x['invalid'] + x['non_2xx']} | {x['socket_errors']} |")
        v = r["visible"]
        delays = ", ".join(f"{d:.2f}" for d in v["delays"] if d is not None)
        w(f"\nNew articles found through the server after each of the {v['commits']} commits, in seconds: "
          f"{delays} (at most {v['max_seconds']:.2f} s).\n")
    design = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "design.md")
    if os.path.exists(design):
        w(open(design).read().rstrip() + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
