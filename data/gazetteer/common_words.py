#!/usr/bin/env python3
"""Lists the gazetteer's one-word place names that French text uses as ordinary words.

A name counts as an ordinary word when the OrangeSum corpus (36k French news articles) writes
it in lowercase at least MIN_LOWER times: "dire" (Diré), "bla" (Bla), "route"... The engine
accepts such a name as a place only with a locative cue in a Sahel article.

Usage (from the repository root):
    python3 data/gazetteer/common_words.py --corpus ../shared/corpus/orangesum/articles.jsonl \
        --gazetteer data/gazetteer.tsv --out data/place_words.txt
"""
import argparse
import collections
import json
import re
import sys
import unicodedata

MIN_LOWER = 3


def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--gazetteer", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    names = set()
    for line in open(args.gazetteer, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cols = line.rstrip("\n").split("\t")
        for name in cols[5].split("|"):
            words = re.findall(r"\w+", name)
            if len(words) == 1:
                names.add(fold(words[0]))
    lower = collections.Counter()
    word = re.compile(r"\w+")
    with open(args.corpus, encoding="utf-8") as corpus:
        for line in corpus:
            doc = json.loads(line)
            text = " ".join(str(doc.get(k, "")) for k in ("title", "heading", "article"))
            for w in word.findall(text):
                if w[0].islower():
                    f = fold(w)
                    if f in names:
                        lower[f] += 1
    common = sorted(w for w, n in lower.items() if n >= MIN_LOWER)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("# Place names that French text also uses as ordinary words (folded).\n")
        out.write(f"# Written in lowercase at least {MIN_LOWER} times in the OrangeSum corpus (CC BY-SA 4.0).\n")
        out.write("# Rebuild: python3 data/gazetteer/common_words.py --corpus ../shared/corpus/orangesum/articles.jsonl --gazetteer data/gazetteer.tsv --out data/place_words.txt\n")
        for w in common:
            out.write(w + "\n")
    print(f"{len(common)} common words among {len(names)} one-word names", file=sys.stderr)


if __name__ == "__main__":
    main()
