#!/usr/bin/env python3
"""Sanity checks for data/gazetteer.tsv (standard library only).

    python3 data/gazetteer/check.py [--table data/gazetteer.tsv] [NAME ...]

Resolves names the way the engine is expected to (normalised: lowercase,
accents folded, hyphens/apostrophes -> spaces; highest rank first), checks the
expected paths below, prints counts, 30 random villages (fixed seed) and the
most frequent ambiguous names among town-or-higher rows. Exit code 1 if an
expected resolution fails.
"""

import argparse
import os
import random
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
APOSTROPHES = "'’ʼ‘`´"

# name -> path that must be the best-ranked candidate
EXPECTED = {
    "Gao": "/Mali/Gao",
    "Kidal": "/Mali/Kidal",
    "Tombouctou": "/Mali/Tombouctou",
    "Timbuktu": "/Mali/Tombouctou",
    "Tombouctu": "/Mali/Tombouctou",
    "Ségou": "/Mali/Ségou",
    "Segou": "/Mali/Ségou",
    "Mopti": "/Mali/Mopti",
    "Bandiagara": "/Mali/Mopti/Bandiagara",
    "Bankass": "/Mali/Mopti/Bankass",
    "Gossi": "/Mali/Tombouctou/Gourma-Rharous/Gossi",
    "Tin Zaouatine": "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
    "Ti-n-Zaouâtene": "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
    "Tinzaouaten": "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
    "Tin-Zaouatene": "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
    "Tinzawaten": "/Mali/Kidal/Abeïbara/Ti-n-Zaouâtene",
    "Menaka": "/Mali/Ménaka",
    "Ménaka": "/Mali/Ménaka",
    "Taoudénit": "/Mali/Taoudénit",
    "Ouagadougou": "/Burkina Faso/Centre/Kadiogo/Ouagadougou",
    "Niamey": "/Niger/Niamey",
    "Bamako": "/Mali/Bamako",
    "Gourma": "/Mali/Gourma",
    "Liptako": "/Mali/Liptako",
    "Liptako malien": "/Mali/Liptako",
    "Azawad": "/Mali/Azawad",
    "Adrar des Ifoghas": "/Mali/Kidal/Adrar des Ifoghas",
    "Mali": "/Mali",
    "Burkina Faso": "/Burkina Faso",
    "Burkina-Faso": "/Burkina Faso",
    "Burkina": "/Burkina Faso",
    "Niger": "/Niger",
    "Côte d'Ivoire": "/Côte d'Ivoire",
    "Côte d’Ivoire": "/Côte d'Ivoire",
    "Algérie": "/Algérie",
}

# names from the brief that must resolve somewhere sensible (printed, and the
# expected country/region checked where given)
NAMES = [
    "Boulkessi", "Boulikessi", "Tombouctou", "Timbuktu", "Tombouctu", "Tin Zaouatine",
    "Tinzaouaten", "Tin-Zaouatene", "Tinzawaten", "Ménaka", "Menaka", "Tessalit", "Aguelhok",
    "Aguelhoc", "Aguel'hoc", "Inates", "Inatès", "Indelimane", "Ogossagou", "Sobane Da",
    "Sobane-Kou", "Djibo", "Arbinda", "Solhan", "Seytenga", "Tongo Tongo", "Koutougou",
    "Nassoumbou", "Diapaga", "Fada N'Gourma", "Fada Ngourma", "Ouahigouya", "Dori", "Kaya",
    "Tillabéri", "Tillaberi", "Ouallam", "Téra", "Ayorou", "Abala", "Banibangou", "Chinagodrar",
    "Diffa", "Bosso", "Agadez", "Arlit", "Tahoua", "Tassara", "Tiloa", "Mondoro", "Boni",
    "Hombori", "Douentza", "Nampala", "Dioura", "Farabougou", "Niono", "Léré", "Ber", "Anéfis",
    "Anefis", "Kidal", "Tessit", "Talataye", "Intahaka", "Labbezanga", "Ansongo",
    "Andéramboukane", "Bourem", "Tarkint", "Moura", "Diallassagou", "Bankass", "Kayes", "Kati",
    "Sévaré", "Sevare", "Mopti", "Konna", "Dioungani", "Gao", "Ségou", "Segou", "Bandiagara",
    "Gossi", "Ti-n-Zaouâtene", "Taoudénit", "Ouagadougou", "Niamey", "Bamako", "Gourma",
    "Liptako",
]
# expected prefix of the best path for the list above
PREFIX = {
    "Boulkessi": "/Mali/Mopti/Douentza", "Boulikessi": "/Mali/Mopti/Douentza",
    "Tessalit": "/Mali/Kidal/Tessalit", "Aguelhok": "/Mali/Kidal/Tessalit",
    "Aguelhoc": "/Mali/Kidal/Tessalit", "Aguel'hoc": "/Mali/Kidal/Tessalit",
    "Inates": "/Niger/Tillabéri", "Inatès": "/Niger/Tillabéri",
    "Indelimane": "/Mali/Ménaka", "Ogossagou": "/Mali/Mopti/Bankass",
    "Sobane Da": "/Mali/Mopti/Bandiagara", "Sobane-Kou": "/Mali/Mopti/Bandiagara",
    "Djibo": "/Burkina Faso/Sahel/Soum", "Arbinda": "/Burkina Faso/Sahel/Soum",
    "Solhan": "/Burkina Faso/Sahel/Yagha", "Seytenga": "/Burkina Faso/Sahel/Séno",
    "Tongo Tongo": "/Niger/Tillabéri", "Koutougou": "/Burkina Faso/Sahel/Soum",
    "Nassoumbou": "/Burkina Faso/Sahel/Soum", "Diapaga": "/Burkina Faso/Est/Tapoa",
    "Fada N'Gourma": "/Burkina Faso/Est/Gourma", "Fada Ngourma": "/Burkina Faso/Est/Gourma",
    "Ouahigouya": "/Burkina Faso/Nord/Yatenga", "Dori": "/Burkina Faso/Sahel/Séno",
    "Kaya": "/Burkina Faso/Centre-Nord/Sanmatenga", "Tillabéri": "/Niger/Tillabéri",
    "Tillaberi": "/Niger/Tillabéri", "Ouallam": "/Niger/Tillabéri/Ouallam",
    "Téra": "/Niger/Tillabéri/Téra", "Ayorou": "/Niger/Tillabéri",
    "Abala": "/Niger/Tillabéri", "Banibangou": "/Niger/Tillabéri",
    "Chinagodrar": "/Niger/Tillabéri", "Diffa": "/Niger/Diffa", "Bosso": "/Niger/Diffa",
    "Agadez": "/Niger/Agadez", "Arlit": "/Niger/Agadez/Arlit", "Tahoua": "/Niger/Tahoua",
    "Tassara": "/Niger/Tahoua", "Tiloa": "/Niger/Tillabéri", "Mondoro": "/Mali/Mopti/Douentza",
    "Boni": "/Mali/Mopti/Douentza", "Hombori": "/Mali/Mopti/Douentza",
    "Douentza": "/Mali/Mopti/Douentza", "Nampala": "/Mali/Ségou/Niono",
    "Dioura": "/Mali/Mopti/Ténenkou", "Farabougou": "/Mali/Ségou/Niono",
    "Niono": "/Mali/Ségou/Niono", "Léré": "/Mali/Tombouctou/Niafunké",
    "Ber": "/Mali/Tombouctou", "Anéfis": "/Mali/Kidal", "Anefis": "/Mali/Kidal",
    "Tessit": "/Mali/Gao/Ansongo", "Talataye": "/Mali/Gao/Ansongo",
    "Intahaka": "/Mali/Gao", "Labbezanga": "/Mali/Gao/Ansongo", "Ansongo": "/Mali/Gao/Ansongo",
    "Andéramboukane": "/Mali/Ménaka", "Bourem": "/Mali/Gao/Bourem", "Tarkint": "/Mali/Gao/Bourem",
    "Moura": "/Mali/Mopti/Djenné", "Diallassagou": "/Mali/Mopti/Bankass",
    "Kayes": "/Mali/Kayes", "Kati": "/Mali/Koulikoro/Kati", "Sévaré": "/Mali/Mopti/Sévaré",
    "Sevare": "/Mali/Mopti/Sévaré", "Konna": "/Mali/Mopti", "Dioungani": "/Mali/Mopti/Koro",
}


def fold(s):
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    for ch in APOSTROPHES + "-–—.":
        s = s.replace(ch, " ")
    return " ".join(s.split())


def load(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            p, kind, rank, pop, gid, names = line.rstrip("\n").split("\t")
            rows.append((p, kind, int(rank), int(pop), int(gid), names.split("|")))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", default=os.path.join(REPO, "data", "gazetteer.tsv"))
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    rows = load(args.table)
    index = defaultdict(list)
    for r in rows:
        for k in {fold(n) for n in r[5]}:
            index[k].append(r)
    for k in index:
        index[k].sort(key=lambda r: (-r[2], -r[3], r[0]))

    def show(name, n=4):
        cands = index.get(fold(name), [])
        desc = "; ".join(f"{r[0]} [{r[1]} {r[2]}]" for r in cands[:n])
        more = f" (+{len(cands) - n} more)" if len(cands) > n else ""
        return cands, f"{name!r:24} -> {desc or 'NOT FOUND'}{more}"

    if args.names:
        for name in args.names:
            print(show(name, 20)[1])
        return 0

    failures = 0
    print("== expected resolutions")
    for name, want in EXPECTED.items():
        cands, line = show(name, 2)
        ok = bool(cands) and cands[0][0] == want
        failures += not ok
        print(("ok   " if ok else "FAIL ") + line + ("" if ok else f"   (want {want})"))

    print("\n== names from the brief")
    seen = set()
    for name in NAMES:
        if name in seen:
            continue
        seen.add(name)
        cands, line = show(name, 3)
        want = PREFIX.get(name) or EXPECTED.get(name)
        ok = bool(cands) and (want is None or cands[0][0] == want or
                              cands[0][0].startswith(want + "/"))
        failures += not ok
        print(("ok   " if ok else "FAIL ") + line + ("" if ok else f"   (want {want})"))

    print("\n== rows per country and kind")
    counts = Counter()
    for r in rows:
        counts[(r[0].split("/")[1], r[1])] += 1
    kinds = ["country", "region", "cercle", "city", "town", "village", "area"]
    for c in ("Mali", "Burkina Faso", "Niger"):
        print(f"  {c:14}" + " ".join(f"{k}={counts[(c, k)]}" for k in kinds))
    others = sum(v for (c, k), v in counts.items() if c not in ("Mali", "Burkina Faso", "Niger"))
    print(f"  other countries: {others}; total rows {len(rows)}; "
          f"file {os.path.getsize(args.table)} bytes")

    print("\n== 30 random villages (seed 7)")
    villages = sorted(r for r in rows if r[1] == "village")
    for r in random.Random(7).sample(villages, 30):
        print(f"  {r[0]}  pop={r[3]} id={r[4]}  {'|'.join(r[5][:4])}")

    major = [r for r in rows if r[1] in ("region", "cercle", "city", "town")]
    amb = defaultdict(set)
    for r in major:
        for k in {fold(n) for n in r[5]}:
            amb[k].add(r[0])
    print("\n== names shared by several town-or-higher rows (region, cercle, city, town)")
    shared = sorted(((len(p), k, sorted(p)) for k, p in amb.items() if len(p) > 1),
                    key=lambda t: (-t[0], t[1]))
    print(f"  {len(shared)} such names")
    for n, k, paths in shared[:20]:
        print(f"  {k!r} ({n}): {', '.join(paths)}")
    print("\n== 20 town-or-higher names with the most homonyms (rows of any kind)")
    scored = sorted(((len({r[0] for r in index[k]}), k, sorted(p)) for k, p in amb.items()
                     if len({r[0] for r in index[k]}) > 1), key=lambda t: (-t[0], t[1]))
    for n, k, paths in scored[:20]:
        print(f"  {k!r}: {n} rows; town-or-higher: {', '.join(paths)}")
    print(f"\n{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
