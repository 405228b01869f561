#!/usr/bin/env python3
"""Runs the open-source page readers on the public page sets and writes their answers as JSON
Lines ({"source", "body", "date"}), the shape `vigie eval --pages DIR --answers FILE` scores.

  peers.py BENCH OUT_DIR

BENCH is shared/bench. Writes OUT_DIR/trafilatura.jsonl (title, main text and date),
OUT_DIR/readability.jsonl (title, main text), OUT_DIR/htmldate.jsonl (date), and
OUT_DIR/seconds.json (each tool's time over all pages, in this one process). Each tool gets the
page's bytes only (no URL), as `vigie extract` does. htmldate runs as its evaluation does, with
original_date and extensive_search.
"""
import gzip
import json
import sys
import time
from pathlib import Path

import htmldate
import trafilatura
from readability import Document
import lxml.html


def pages(bench: Path):
    for set_name in ("article-extraction", "htmldate-mediacloud"):
        folder = bench / set_name / "html"
        if folder.is_dir():
            for path in sorted(folder.glob("*.gz")):
                yield set_name, path, gzip.decompress(path.read_bytes())


def text_of_html(fragment: str) -> str:
    if not fragment:
        return ""
    tree = lxml.html.fromstring(fragment)
    # One paragraph per block, as a reader would copy it.
    for block in tree.iter("p", "div", "li", "h1", "h2", "h3", "h4", "br"):
        block.tail = "\n" + (block.tail or "")
    return tree.text_content().strip()


def main():
    bench, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    names = ("trafilatura", "readability", "htmldate")
    files = {name: (out / f"{name}.jsonl").open("w") for name in names}
    seconds = dict.fromkeys(names, 0.0)
    for set_name, path, raw in pages(bench):
        source = str(path)
        html = raw.decode("utf-8", errors="replace")
        body, date, title = None, None, None
        start = time.perf_counter()
        try:
            body = trafilatura.extract(raw, favor_precision=False)
            meta = trafilatura.extract_metadata(raw)
            date = meta.date if meta else None
            title = meta.title if meta else None
        except Exception as e:  # a reader's failure is its answer: nothing
            print(f"trafilatura failed on {path.name}: {e}", file=sys.stderr)
        seconds["trafilatura"] += time.perf_counter() - start
        files["trafilatura"].write(json.dumps({"source": source, "title": title, "body": body, "date": date}) + "\n")
        start = time.perf_counter()
        try:
            doc = Document(html)
            rbody = text_of_html(doc.summary(html_partial=True))
            rtitle = doc.short_title()
        except Exception as e:
            print(f"readability failed on {path.name}: {e}", file=sys.stderr)
            rbody, rtitle = None, None
        seconds["readability"] += time.perf_counter() - start
        files["readability"].write(json.dumps({"source": source, "title": rtitle, "body": rbody}) + "\n")
        start = time.perf_counter()
        try:
            hdate = htmldate.find_date(raw, original_date=True, extensive_search=True)
        except Exception as e:
            print(f"htmldate failed on {path.name}: {e}", file=sys.stderr)
            hdate = None
        seconds["htmldate"] += time.perf_counter() - start
        files["htmldate"].write(json.dumps({"source": source, "date": hdate}) + "\n")
    for f in files.values():
        f.close()
    (out / "seconds.json").write_text(json.dumps(seconds))


if __name__ == "__main__":
    main()
