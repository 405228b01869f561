#!/usr/bin/env python3
"""Writes BENCHMARKS.md from the results of benches/peers/run (one JSON per engine)."""
import json
import os
import platform
import subprocess
import sys
import time

KINDS = ["one_word", "two_words", "phrase", "filtered"]
ORDER = ["vigie", "tantivy", "lucene9", "lucene", "seekstorm", "xapian", "postgres"]


def load(results):
    engines = {}
    for name in ORDER:
        path = os.path.join(results, f"{name}.json")
        if os.path.exists(path):
            with open(path) as f:
                engines[name] = json.load(f)
    # Bare tantivy's queries run on Vigie's index (its own has no places or actors to filter).
    bare = os.path.join(results, "bare-queries.json")
    if "tantivy" in engines and os.path.exists(bare):
        engines["tantivy"]["queries"] = json.load(open(bare))["queries"]
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
    # One command, or one per line when the tables come from several runs (targets.md says which).
    commands = [c.strip() for c in command.strip().splitlines() if c.strip()]
    runs = "one run" if len(commands) == 1 else "these runs"
    w(f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, by {runs} of:\n")
    w("\n".join(f"    {c}" for c in commands) + "\n")
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
                    ratio = e['queries'][k]['p50_ms'] / vigie['queries'][k]['p50_ms']
                    cells.append(f"{ratio:.2f}×" if ratio < 1 else f"{ratio:.1f}×")
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
    breakdown_path = os.path.join(results, "breakdown.json")
    bare = engines.get("tantivy", {}).get("queries")
    if vigie and bare and os.path.exists(breakdown_path):
        report = json.load(open(breakdown_path))
        w("## Vigie's queries against bare tantivy's, and where Vigie's time goes\n")
        w("Bare tantivy (`examples/bare_tantivy.rs query`) runs the same 28 queries on Vigie's own index "
          "the way a program using tantivy alone would: tantivy's query parser over the stemmed title and "
          "body, every word required, the filters as facet terms, the total and the 10 best by BM25 — no "
          "snippets, no facet counts, no story grouping, no entity scoring or nearness. It is the floor of "
          "Vigie's query time. `vigie bench --breakdown` then times the stages of Vigie's searches in rounds "
          "of their own (mean ms per stage, so that the parts add up): building the query; the one pass over the matches, split by "
          "timing simpler passes of the same query into scoring (top 10 and total of Vigie's query, with its "
          "exact-word and entity clauses), grouping the stories, and counting facets and fatality totals; "
          "re-ranking the best stories by nearness; reading the page's documents and cutting passages; "
          "filling a short page; decoding facet values.\n")
        w("| kind | bare tantivy p50 ms | Vigie p50 ms | Vigie ÷ bare | query | scoring | stories | facets "
          "| nearness | passages | fill | facet values |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for k in KINDS:
            if k not in bare or k not in report["queries"]:
                continue
            v = report["queries"][k]["p50_ms"]
            t = report.get("breakdown", {}).get(k, {})
            stages = " | ".join(f"{t.get(x, 0):.3f}" for x in
                                ["query", "scoring", "stories", "facets", "near", "hits", "fill", "facet_values"])
            w(f"| {k} | {bare[k]['p50_ms']:.3f} | {v:.3f} | {v / bare[k]['p50_ms']:.1f}× | {stages} |")
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
        factors = ", ".join(f"×{r['factor']}" for r in rows)
        w(f"## Scaling: the corpus {factors} (copies with new ids)\n")
        w("Each size is generated into a temporary folder, indexed by Vigie (then queried: `vigie bench`, "
          "bare tantivy's queries on the same index, `vigie search` as a whole process with hyperfine), "
          "then indexed by bare tantivy (same schema and analyzer, no pipeline), and deleted. Peak RSS is "
          "the indexing process's (`/usr/bin/time`). Linearity: seconds per MB of input ÷ those of ×1 "
          "(1.00 = linear; below, better than linear).\n")
        w("| factor | documents | input MB | Vigie s | MB/s | per-MB × ×1 | peak RSS MB | bare tantivy s "
          "| bare peak RSS MB | Vigie ÷ bare speed | index MB |")
        w("|---|---|---|---|---|---|---|---|---|---|---|")
        base = rows[0] if rows else None
        per_mb = lambda r: r["index_seconds"] / r["input_bytes"]
        for r in rows:
            bare = r.get("bare_seconds")
            w(f"| ×{r['factor']} | {r['documents']:,} | {r['input_bytes'] / 1e6:,.0f} | {r['index_seconds']:.1f} | "
              f"{r['input_bytes'] / 1e6 / r['index_seconds']:.1f} | {per_mb(r) / per_mb(base):.2f} | "
              f"{fmt(r['peak_rss_kb'] / 1024 if r.get('peak_rss_kb') else None, 0)} | {fmt(bare)} | "
              f"{fmt(r['bare_peak_rss_kb'] / 1024 if r.get('bare_peak_rss_kb') else None, 0)} | "
              f"{(bare / r['index_seconds']) if bare else 0:.2f}× | {r['index_bytes'] / 1e6:,.0f} |")
        w("")
        w("Query latency per kind at each size, p50 / p99 ms (`vigie bench --rounds 3`). From 250,000 "
          "documents in several segments, Vigie runs a search's segments on both cores; the one-thread rows "
          "(`VIGIE_SEARCH_THREADS=1`) are the same index on one core, as bare tantivy's queries on the same "
          "index are:\n")
        w("| factor | run | " + " | ".join(KINDS) + " |")
        w("|---|---|" + "---|" * len(KINDS))
        cell = lambda d, k: f"{d[k]['p50_ms']:.2f} / {d[k]['p99_ms']:.2f}" if k in d else "—"
        for r in rows:
            for label, key in [("Vigie", "by_kind"), ("Vigie, one thread", "one_thread_by_kind"),
                               ("bare tantivy", "bare_by_kind")]:
                if r.get(key):
                    w(f"| ×{r['factor']} | {label} | " + " | ".join(cell(r[key], k) for k in KINDS) + " |")
        w("")
        if any(r.get("process_ms") for r in rows):
            w("`vigie search` as a whole process at each size (hyperfine `-N`, 3 warm-up runs, 20 runs; mean "
              "/ max ms):\n")
            commands = [p["command"] for p in rows[0].get("process_ms", [])]
            w("| factor | " + " | ".join(f"`… {c}`" for c in commands) + " |")
            w("|---|" + "---|" * len(commands))
            for r in rows:
                w(f"| ×{r['factor']} | " + " | ".join(f"{p['mean_ms']:.1f} / {p['max_ms']:.1f}"
                                                    for p in r.get("process_ms", [])) + " |")
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
    # Sections measured by other scripts (benches/pages/run writes results.md), then the design notes.
    here = os.path.dirname(os.path.abspath(__file__))
    for part in [os.path.join(here, "targets.md"), os.path.join(here, "..", "pages", "results.md"),
                 os.path.join(here, "..", "design.md")]:
        if os.path.exists(part):
            w(open(part).read().rstrip() + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
