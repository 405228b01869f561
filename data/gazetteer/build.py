#!/usr/bin/env python3
"""Build data/gazetteer.tsv from the GeoNames dumps for Mali, Burkina Faso and
Niger plus the hand-curated data/gazetteer/extra.tsv.

Usage (from the repository root):

    python3 data/gazetteer/build.py --geonames /work/shared/gazetteer/geonames \
        --out data/gazetteer.tsv

Standard library only. The output is deterministic (rows sorted by path) and a
summary goes to stderr. See data/gazetteer/README.md for the rules.
"""

import argparse
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

COUNTRIES = {"ML": "Mali", "BF": "Burkina Faso", "NE": "Niger"}
KIND_ORDER = ["country", "region", "cercle", "city", "town", "village", "area"]
KIND_LEVEL = {k: i for i, k in enumerate(KIND_ORDER)}
RANK = {"country": 100, "region": 90, "cercle": 80, "city": 75, "town": 60,
        "village_pop": 40, "village": 20, "area": 50, "abandoned": 10}

# Feature-code preference when several GeoNames rows describe one place.
FEATURE_RANK = {"PPLC": 6, "PPLA": 5, "PPLA2": 4, "PPLA3": 3, "PPLA4": 2,
                "PPL": 1, "PPLL": 0, "PPLX": 0, "PPLS": 0, "PPLF": 0,
                "PPLR": 0, "PPLQ": -1, "PPLH": -1, "PPLW": -1}
ABANDONED = {"PPLQ", "PPLH", "PPLW"}
TOWN_POPULATION = 5000
DEDUP_KM = 10.0

# --- corrections to the dumps (each one checked by hand) ---------------------

# In NE.txt the ADM2 rows of the Tillabéri departments still carry the old
# admin1 code 08, which in the same dump is Niamey (ADM1 2595294); Tillabéri is
# 09 (ADM1 2595293), and every populated place of those departments is coded 09.
ADM2_ADMIN1_FIX = {
    ("NE", 2438677): "09",  # Département de Tillabéri
    ("NE", 8334576): "09",  # Tillaberi Department (duplicate of the above)
    ("NE", 2438854): "09",  # Département de Téra
    ("NE", 8334577): "09",  # Tera Department (duplicate of the above)
    ("NE", 2439811): "09",  # Département de Say
    ("NE", 2440370): "09",  # Département de Ouallam
    ("NE", 2444994): "09",  # Département de Filingué
    ("NE", 8334578): "09",  # Kollo Department
}

# Regions split off in 2016: the Mali dump gives them ADM1 rows (admin1 code =
# geonameid) but most of their places still carry the parent region's code, so
# a place coded with one of these may be placed in the other.
ADMIN1_COMPAT = {
    ("ML", "09"): {"09", "12070577"},        # Gao / Ménaka
    ("ML", "12070577"): {"09", "12070577"},
    ("ML", "08"): {"08", "12070575"},        # Tombouctou / Taoudénit
    ("ML", "12070575"): {"08", "12070575"},
}

# Capital districts are small, but the dumps code places far outside them with
# their admin1 (NE: "08" was the old, much larger, Niamey department). A place
# coded with one of these regions but farther than this from the capital is
# placed by the nearest unit of the other regions.
CAPITAL_DISTRICT_KM = {("ML", "01"): 30.0, ("NE", "08"): 30.0}

# Display names the automatic rules cannot derive (English-only, misspelt or
# odd names in the dump), keyed by geonameid. Matching names stay in the row.
DISPLAY_OVERRIDE = {
    6930710: "Hauts-Bassins",    # ADM1 "High-Basins Region"
    6930714: "Sud-Ouest",        # ADM1 "Southwest Region"
    2597259: "Komondjari",       # ADM2 "Province de la Komandjoari" (official: Komondjari)
    8299475: "Guidan-Roumdji",   # ADM2 "Guidan Roumdji Department"
    2446752: "Birni N'Konni",    # ADM2 "Département de Birni Nkonni"
    2438973: "Tchintabaraden",   # ADM2 "Département de Tchin-Tabaraden" (official spelling)
    8299590: "Djenné",           # ADM2 "Djenne Cercle" (seat is spelt "Djénné" in the dump)
    2458589: "Djenné",           # PPL "Djénné"
    2454857: "Konna",            # PPL "Kona" (Mopti cercle; "Konna" in all reporting)
    2356040: "Solhan",           # PPL "Solna" (Yagha; "Solhan" in reporting)
    2355472: "Seytenga",         # PPL "Sitenga" (Séno; "Seytenga" in reporting)
    2461034: "Andéramboukane",   # PPL "Andéranboukan"
    2461022: "Anéfis",           # PPL "Anefis i-n-Darane"
    2362735: "Barsalogho",       # PPL "Barsalogo"
    2355404: "Solenzo",          # PPLA2 "Salanso" (seat of Banwa, officially Solenzo)
    2360886: "Fada N'Gourma",    # PPLA "Fada N'gourma"
}

# Alternate names dropped from the row holding this geonameid because they collide with frequent
# words or better-known places in French news; keyed by geonameid.
NAME_DROP = {
    2458636: {"Jura"},   # Dioura (Ténenkou): "Jura" is the French département / mountains
    2458637: {"Jura"},   # Dioura (Kayes)
    2362973: {"Bama"},   # province du Bam: "Bama" is the Borno (Nigeria) town of Boko Haram reports
    2358382: {"Lev"},    # Léo: "Lev" (first name, currency)
}

# Seat (chef-lieu) of an ADM2 whose name differs from the unit's and that the
# name rules do not find: ADM2 geonameid -> populated place geonameid.
SEAT_OVERRIDE = {
    2446715: 2437731,  # Département du Boboye -> Birnin Gaouré
    2440920: 2440921,  # Département de Mirria -> Mirriah
}

# Admin names that are also ordinary French words or describe the whole Sahel:
# the row is kept but its rank is lowered, because a bare match on "centre",
# "nord", "Sahel"... is far more often not the Burkinabè region.
GENERIC_ADMIN_NAMES = {"centre", "centre est", "centre nord", "centre ouest",
                       "centre sud", "est", "nord", "sud ouest", "sahel",
                       "cascades", "plateau central"}
GENERIC_RANK = 30

# Latin-script alternate names in other languages' admin vocabulary; useless
# for matching French text.
FOREIGN_ADMIN_WORDS = {"circondario", "eparchia", "piiri", "prowincja",
                       "regione", "regiunea", "region", "departement",
                       "department", "province", "prefecture", "district",
                       "cercle", "arrondissement", "departamento", "provincia",
                       "regiao", "bolge", "oblast", "wilaya", "subdivision",
                       "enclave", "the", "of"}
FRENCH_ADMIN_RE = re.compile(
    r"^(cercle|province|département|région|district|arrondissement)"
    r"( de la | de l['’] ?| des | du | de | d['’] ?)", re.IGNORECASE)

STRIP_PREFIX_RE = re.compile(
    r"^(cercle|province|d[ée]partement|r[ée]gion|district|arrondissement)"
    r"(\s+de\s+la\s+|\s+de\s+l['’]\s*|\s+des\s+|\s+du\s+|\s+de\s+|\s+d['’]\s*|\s+)",
    re.IGNORECASE)
STRIP_SUFFIX_RE = re.compile(
    r"\s+(region|r[ée]gion|cercle|province|department|d[ée]partement)$",
    re.IGNORECASE)

FRENCH_ACCENTS = set("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ")
APOSTROPHES = "'’ʼ‘`´"
UPPER_CODE_RE = re.compile(r"^[A-Z]{2,4}$")
# what is left of "Region I", "Seventh Region" once the admin word is stripped
ORDINAL_RE = re.compile(r"^([IVX]+|First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)$")
MAX_NAME_LEN = 40


# --- text helpers -------------------------------------------------------------

def fold(s):
    """Matching key: lowercase, accents folded, hyphens/apostrophes -> spaces."""
    s = s.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower()
    for ch in APOSTROPHES + "-–—.":
        s = s.replace(ch, " ")
    return " ".join(s.split())


def is_latin_name(s):
    """True for a usable Latin-script name (letters, spaces, - ' ’ .)."""
    if not s or len(s) > MAX_NAME_LEN:
        return False
    if UPPER_CODE_RE.match(s):
        return False
    first_alpha = next((c for c in s if c.isalpha()), None)
    if first_alpha is None or not first_alpha.isupper():
        return False  # lowercase romanisations ("ni ya mei", "tmbktw")
    for c in unicodedata.normalize("NFC", s):
        if c.isalpha():
            try:
                if "LATIN" not in unicodedata.name(c):
                    return False
            except ValueError:
                return False
        elif c in " -." or c in APOSTROPHES:
            continue
        elif unicodedata.combining(c):
            continue
        else:
            return False  # digits, brackets, commas, slashes ...
    return True


def is_french_form(s):
    """Only ASCII plus French accented letters (no ɛ, ɔ, á, ì ...)."""
    return all(ord(c) < 128 or c in FRENCH_ACCENTS or c in "’" for c in s)


def n_accents(s):
    return sum(1 for c in s if c in FRENCH_ACCENTS)


def best_french(base, pool):
    """The accented French spelling of `base` if the pool has one."""
    if n_accents(base) and is_french_form(base):
        return base
    key = fold(base)
    cands = sorted({p for p in pool if fold(p) == key and is_french_form(p)
                    and n_accents(p) and is_latin_name(p)},
                   key=lambda p: (-n_accents(p), p))
    return cands[0] if cands else base


def strip_admin(name):
    s = STRIP_PREFIX_RE.sub("", name.strip())
    s = STRIP_SUFFIX_RE.sub("", s)
    return s.strip()


def dedup(seq):
    seen, out = set(), []
    for x in seq:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def km(lat1, lon1, lat2, lon2):
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


# --- reading ------------------------------------------------------------------

class Geo:
    __slots__ = ("gid", "name", "ascii", "alts", "lat", "lon", "fclass", "fcode",
                 "cc", "admin1", "admin2", "pop", "moddate",
                 # derived
                 "display", "names", "region", "unit", "seat_of", "members")

    def __init__(self, cols):
        self.gid = int(cols[0])
        self.name = cols[1].strip()
        self.ascii = cols[2].strip()
        self.alts = [a.strip() for a in cols[3].split(",") if a.strip()]
        self.lat = float(cols[4])
        self.lon = float(cols[5])
        self.fclass = cols[6]
        self.fcode = cols[7]
        self.cc = cols[8]
        self.admin1 = cols[10].strip()
        self.admin2 = cols[11].strip()
        self.pop = int(cols[14] or 0)
        self.moddate = cols[18].strip()
        self.display = None
        self.names = None
        self.region = None
        self.unit = None
        self.seat_of = None
        self.members = None


def read_dump(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                raise SystemExit(f"build.py: {path}:{lineno}: expected 19 columns, found {len(cols)}")
            rows.append(Geo(cols))
    return rows


def raw_names(g):
    return [g.name, g.ascii] + g.alts


def place_names(g, display):
    names = [display] + [n for n in raw_names(g) if is_latin_name(n)]
    return dedup(n.strip() for n in names if n.strip())


def admin_names(g, display):
    """Names of an ADM1/ADM2 row: display, Latin names and their stripped forms.
    Names in another language's admin vocabulary ("Kayes Region", "Circondario
    di Niono", "Prowincja Kadiogo") are dropped; French ones ("Cercle de Niono",
    "Région de Kayes") are kept."""
    out = [display]
    for n in raw_names(g):
        if not is_latin_name(n):
            continue
        if not (set(fold(n).split()) & FOREIGN_ADMIN_WORDS) or FRENCH_ADMIN_RE.match(n):
            out.append(n)
        s = strip_admin(n)
        if (s != n and is_latin_name(s) and not ORDINAL_RE.match(s)
                and not (set(fold(s).split()) & FOREIGN_ADMIN_WORDS)):
            out.append(s)
    return dedup(out)


# --- admin units ----------------------------------------------------------------

class Unit:
    """An ADM1 or ADM2 unit after cleaning."""

    def __init__(self, g, level, admin1):
        self.g = g
        self.level = level
        self.cc = g.cc
        self.admin1 = admin1
        self.gids = [g.gid]
        self.codes = {g.admin2} if level == 2 else set()
        self.display = None
        self.names = None
        self.seat = None


def build_units(rows, cc, log):
    adm1 = {}
    for g in rows:
        if g.fcode == "ADM1":
            u = Unit(g, 1, g.admin1)
            adm1[g.admin1] = u
    # display names for regions: stripped name, accented if the pool has it
    for u in adm1.values():
        base = DISPLAY_OVERRIDE.get(u.g.gid) or strip_admin(u.g.name)
        pool = [strip_admin(n) for n in raw_names(u.g)] + raw_names(u.g)
        u.display = best_french(base, pool)
        u.names = admin_names(u.g, u.display)

    adm2_list = []
    for g in rows:
        if g.fcode != "ADM2":
            continue
        a1 = ADM2_ADMIN1_FIX.get((cc, g.gid), g.admin1)
        if a1 != g.admin1:
            log.append(f"{cc}: ADM2 {g.gid} {g.name}: admin1 {g.admin1} -> {a1}")
        u = Unit(g, 2, a1)
        base = DISPLAY_OVERRIDE.get(g.gid) or strip_admin(g.name)
        pool = [strip_admin(n) for n in raw_names(g)] + raw_names(g)
        u.display = best_french(base, pool)
        u.names = admin_names(g, u.display)
        adm2_list.append(u)

    # merge duplicate ADM2 rows (same region, same folded display name)
    by_key = {}
    adm2 = []
    for u in sorted(adm2_list, key=lambda u: (-(u.g.pop > 0), -n_accents(u.display),
                                               -len(u.names), u.g.gid)):
        k = (u.admin1, fold(u.display))
        if k in by_key:
            keep = by_key[k]
            keep.gids.append(u.g.gid)
            keep.codes |= u.codes
            keep.names = dedup(keep.names + u.names)
            log.append(f"{cc}: ADM2 {u.g.gid} {u.g.name} merged into {keep.g.gid} {keep.g.name}")
        else:
            by_key[k] = u
            adm2.append(u)
    adm2.sort(key=lambda u: u.g.gid)
    return adm1, adm2


def improve_display_from_seat(unit, seat):
    """Cercle "Tenenkou" + seat "Ténenkou" -> "Ténenkou"."""
    if n_accents(unit.display):
        return
    better = best_french(unit.display, raw_names(seat) + [seat.display or ""])
    if better != unit.display:
        unit.display = better
        unit.names = dedup([better] + unit.names)


# --- the build ------------------------------------------------------------------

def build_country(cc, rows, log):
    country = COUNTRIES[cc]
    adm1, adm2 = build_units(rows, cc, log)
    places = [g for g in rows if g.fclass == "P"]

    for g in places:
        g.display = DISPLAY_OVERRIDE.get(g.gid) or best_french(g.name, raw_names(g))

    def compat(a1):
        if a1 in adm1:
            return ADMIN1_COMPAT.get((cc, a1), {a1})
        return None  # unknown / 00 / obsolete code: anywhere in the country

    # ADM2 lookup by code: ML and NE use the ADM2 geonameid, BF a 2-digit code
    # that only makes sense together with admin1.
    code_map = {}
    for u in adm2:
        for c in u.codes:
            code_map[(u.admin1, c)] = u
            if cc != "BF":
                code_map[(None, c)] = u
    for u in adm2:
        for gid in u.gids:
            code_map[(None, str(gid))] = u

    def unit_from_code(g):
        if not g.admin2:
            return None
        return code_map.get((g.admin1, g.admin2)) or (
            code_map.get((None, g.admin2)) if cc != "BF" else None)

    # seats: the populated place that is the unit's chef-lieu
    by_gid = {g.gid: g for g in places}
    for u in adm2:
        seat = None
        if u.g.gid in SEAT_OVERRIDE:
            seat = by_gid[SEAT_OVERRIDE[u.g.gid]]
        else:
            key = fold(u.display)
            allowed = compat(u.admin1) or {u.admin1}
            cands = []
            for g in places:
                if g.fcode in ABANDONED:
                    continue
                coded = unit_from_code(g)
                if coded is not None and coded is not u:
                    continue
                if coded is None and g.admin1 not in allowed:
                    continue
                fr = FEATURE_RANK.get(g.fcode, 0)
                keys = {fold(n) for n in raw_names(g) if is_latin_name(n)}
                name_ok = key in keys or any(
                    k.endswith(" " + key) or k.startswith(key + " ") for k in keys)
                if fr >= 2 and (name_ok or (cc == "BF" and coded is u)):
                    cands.append((0, -fr, -g.pop, g.gid, g))
                elif name_ok and km(g.lat, g.lon, u.g.lat, u.g.lon) <= 100:
                    cands.append((1, -fr, -g.pop, g.gid, g))
            if cands:
                cands.sort(key=lambda c: c[:4])
                seat = cands[0][4]
        if seat is not None:
            u.seat = seat
            seat.seat_of = u
            seat.unit = u
            improve_display_from_seat(u, seat)

    # an ADM2 alternate name that is its region's name (Mirria: "Zinder", the old
    # department name) would only compete with the region row
    for u in adm2:
        rkey = fold(adm1[u.admin1].display)
        if fold(u.display) != rkey:
            u.names = [n for n in u.names if fold(n) != rkey]

    # anchors: points known to lie in a unit
    anchors = []  # (lat, lon, region_code, unit_or_None)
    for u in adm2:
        anchors.append((u.g.lat, u.g.lon, u.admin1, u))
        if u.seat is not None:
            anchors.append((u.seat.lat, u.seat.lon, u.admin1, u))
    regions_with_units = {u.admin1 for u in adm2}
    for code, r in adm1.items():
        if code not in regions_with_units:  # e.g. Taoudénit: no ADM2 in the dump
            anchors.append((r.g.lat, r.g.lon, code, None))
            for g in places:
                if g.admin1 == code and g.fcode in ("PPLA", "PPLC"):
                    anchors.append((g.lat, g.lon, code, None))
    for g in places:
        u = unit_from_code(g)
        if u is not None and g.unit is None:
            g.unit = u
            anchors.append((g.lat, g.lon, u.admin1, u))

    # assign region and unit to every place
    capitals = {g.admin1: g for g in places if g.fcode == "PPLC"}
    stats = Counter()
    for g in places:
        if g.unit is not None:
            g.region = g.unit.admin1
            stats["admin2 column"] += 1
            continue
        allowed = compat(g.admin1)
        how = "nearest (same region)" if allowed is not None else "nearest (country)"
        radius = CAPITAL_DISTRICT_KM.get((cc, g.admin1))
        if radius and g.admin1 in capitals and km(g.lat, g.lon, capitals[g.admin1].lat,
                                                  capitals[g.admin1].lon) > radius:
            allowed = set(adm1) - {g.admin1}
            how = "nearest (outside capital district)"
        best = None
        for (alat, alon, acode, au) in anchors:
            if allowed is not None and acode not in allowed:
                continue
            d = km(g.lat, g.lon, alat, alon)
            if best is None or d < best[0]:
                best = (d, acode, au)
        if best is None and allowed is not None:
            for (alat, alon, acode, au) in anchors:
                d = km(g.lat, g.lon, alat, alon)
                if best is None or d < best[0]:
                    best = (d, acode, au)
        if best is None:
            stats["unplaced"] += 1
            continue
        g.region, g.unit = best[1], best[2]
        stats[how] += 1
    log.append(f"{cc}: places placed by {dict(sorted(stats.items()))}")

    # a regional capital / seat called like its unit takes the unit's spelling
    # so that it shares the unit's path ("Timbuktu" -> "Tombouctou"); a
    # regional capital named like its region sits directly under the region
    # (Zinder city lies in the Mirria department but is "/Niger/Zinder")
    for g in places:
        keys = {fold(n) for n in raw_names(g) if is_latin_name(n)}
        if g.fcode in ("PPLA", "PPLC") and g.region in adm1:
            r = adm1[g.region]
            if fold(r.display) in keys:
                g.display = r.display
                g.unit = None
                continue
        if g.seat_of is not None and fold(g.seat_of.display) in keys | {fold(g.display)}:
            g.display = g.seat_of.display

    # de-duplicate places: same folded name and (same unit or <= 10 km)
    groups = defaultdict(list)
    for g in places:
        if g.region is None:
            continue
        groups[fold(g.display)].append(g)
    kept = []
    merged_away = 0
    for key in sorted(groups):
        grp = sorted(groups[key], key=lambda g: (-FEATURE_RANK.get(g.fcode, 0), -g.pop, g.gid))
        clusters = []  # [best, members]
        for g in grp:
            for cl in clusters:
                if any((m.unit is g.unit and m.region == g.region) or
                       km(m.lat, m.lon, g.lat, g.lon) <= DEDUP_KM for m in cl[1]):
                    cl[1].append(g)
                    break
            else:
                clusters.append([g, [g]])
        for best, members in clusters:
            names = place_names(best, best.display)
            for m in members[1:]:
                names += place_names(m, m.display)
                merged_away += 1
            best.names = dedup(names)
            best.members = {m.gid for m in members}
            kept.append(best)
    log.append(f"{cc}: {len(places)} class-P rows -> {len(kept)} after de-duplication "
               f"({merged_away} merged)")

    out = []

    def path_of(segments):
        segs = []
        for s in segments:
            if s is None:
                continue
            s = s.replace("/", "-").strip()
            if segs and fold(segs[-1]) == fold(s):
                continue  # a level that only repeats the level above
            segs.append(s)
        return "/" + "/".join(segs)

    for code, r in sorted(adm1.items()):
        rank = GENERIC_RANK if fold(r.display) in GENERIC_ADMIN_NAMES else RANK["region"]
        out.append([path_of([country, r.display]), "region", rank, r.g.pop, r.g.gid, r.names,
                    {r.g.gid}])
    for u in adm2:
        r = adm1[u.admin1]
        rank = GENERIC_RANK if fold(u.display) in GENERIC_ADMIN_NAMES else RANK["cercle"]
        out.append([path_of([country, r.display, u.display]), "cercle", rank, u.g.pop,
                    u.g.gid, u.names, set(u.gids)])
    for g in kept:
        r = adm1[g.region]
        if g.fcode in ("PPLC", "PPLA"):
            kind, rank = "city", RANK["city"]
        elif g.fcode in ("PPLA2", "PPLA3", "PPLA4") or g.pop >= TOWN_POPULATION:
            kind, rank = "town", RANK["town"]
        else:
            kind = "village"
            rank = RANK["village_pop"] if g.pop > 0 else RANK["village"]
            if g.fcode in ABANDONED:
                rank = RANK["abandoned"]
        path = path_of([country, r.display, g.unit.display if g.unit else None, g.display])
        out.append([path, kind, rank, g.pop, g.gid, g.names, g.members])
    return out


def read_extra(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 6:
                raise SystemExit(f"build.py: {path}:{lineno}: expected 6 tab-separated columns, "
                                 f"found {len(cols)}")
            p, kind, rank, pop, gid, names = cols
            if kind not in KIND_LEVEL and kind != "alias":
                raise SystemExit(f"build.py: {path}:{lineno}: unknown kind {kind!r}")
            if not p.startswith("/"):
                raise SystemExit(f"build.py: {path}:{lineno}: path must start with '/'")
            nl = [n.strip() for n in names.split("|") if n.strip()]
            rows.append([p, kind, int(rank), int(pop), int(gid), nl, lineno])
    return rows


def merge_rows(rows):
    """One row per path: the most general kind wins, names are united."""
    by_path = defaultdict(list)
    for r in rows:
        by_path[r[0]].append(r)
    out = []
    for p in sorted(by_path):
        grp = sorted(by_path[p], key=lambda r: (KIND_LEVEL[r[1]], -r[2], -r[3], r[4]))
        head = grp[0]
        names = []
        for r in grp:
            names += r[5]
        out.append([p, head[1], max(r[2] for r in grp), max(r[3] for r in grp),
                    head[4] or next((r[4] for r in grp if r[4]), 0), dedup(names),
                    set().union(*(r[6] for r in grp))])
    return out


def clean_names(names):
    out = []
    for n in names:
        n = " ".join(n.replace("\t", " ").replace("|", " ").split())
        if n:
            out.append(n)
    return dedup(out)


def main(argv=None):
    default_shared = os.environ.get("VIGIE_SHARED") or os.path.join(REPO, "..", "shared")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--geonames", default=os.path.join(default_shared, "gazetteer", "geonames"),
                    help="folder with ML.txt, BF.txt, NE.txt (default: $VIGIE_SHARED/gazetteer/"
                         "geonames or ../shared/gazetteer/geonames beside the repository)")
    ap.add_argument("--extra", default=os.path.join(HERE, "extra.tsv"),
                    help="hand-curated rows (default: data/gazetteer/extra.tsv)")
    ap.add_argument("--out", default=os.path.join(REPO, "data", "gazetteer.tsv"),
                    help="output file (default: data/gazetteer.tsv)")
    ap.add_argument("-v", "--verbose", action="store_true", help="log every correction")
    args = ap.parse_args(argv)

    log = []
    rows = []
    dumps = {}
    all_geo = {}
    for cc in COUNTRIES:
        path = os.path.join(args.geonames, f"{cc}.txt")
        if not os.path.exists(path):
            raise SystemExit(f"build.py: {path} not found; pass --geonames or set VIGIE_SHARED")
        geo = read_dump(path)
        dumps[cc] = (len(geo), max(g.moddate for g in geo))
        for g in geo:
            all_geo[g.gid] = g
        rows += build_country(cc, geo, log)

    # extra.tsv. A row whose geonameid the derived table already has corrects
    # that row: it moves it to the extra row's path when they differ (a place
    # the nearest-unit rule put in the wrong cercle) and, once merged, can raise
    # its kind and rank (a place GeoNames under-classes). Other rows are new.
    # Alias rows only add names to the row at their path.
    extra = read_extra(args.extra)
    rows = merge_rows(rows)
    by_member = {}
    for r in rows:
        for gid in r[6]:
            by_member[gid] = r
    for p, kind, rank, pop, gid, names, lineno in extra:
        if kind == "alias":
            continue
        where = f"{args.extra}:{lineno}"
        target = by_member.get(gid) if gid else None
        if target is not None and target[0] != p:
            if target[4] != gid:
                raise SystemExit(f"build.py: {where}: geonameid {gid} was merged into "
                                 f"{target[4]} at {target[0]!r}; use that path")
            if target[1] in ("country", "region", "cercle"):
                raise SystemExit(f"build.py: {where}: geonameid {gid} is the {target[1]} "
                                 f"{target[0]!r} and cannot be moved")
            log.append(f"extra.tsv:{lineno}: geonameid {gid} moved {target[0]} -> {p}")
            target[0] = p
        elif target is None and gid and gid in all_geo and all_geo[gid].fclass == "P":
            log.append(f"extra.tsv:{lineno}: geonameid {gid} ({all_geo[gid].name}) is not "
                       f"in the derived table")
        if gid and pop == 0 and gid in all_geo:
            pop = all_geo[gid].pop
        if gid and gid not in all_geo and p.split("/")[1] in COUNTRIES.values():
            log.append(f"extra.tsv:{lineno}: geonameid {gid} not in the dumps")
        rows.append([p, kind, rank, pop, gid, names, {gid} if gid else set()])
    rows = merge_rows(rows)
    index = {r[0]: r for r in rows}
    for p, kind, rank, pop, gid, names, lineno in extra:
        if kind != "alias":
            continue
        if p not in index:
            raise SystemExit(f"build.py: {args.extra}:{lineno}: alias for unknown path {p!r}; "
                             f"fix the path or add the place as a row")
        index[p][5] = dedup(index[p][5] + names)

    for r in rows:
        drop = set().union(*(NAME_DROP.get(gid, set()) for gid in r[6]))
        r[5] = clean_names([n for n in r[5] if n not in drop or n == r[5][0]])
        for seg in r[0].split("/")[1:]:
            if not seg or "\t" in seg:
                raise SystemExit(f"build.py: bad path {r[0]!r}")
        if r[5][0] != r[0].rsplit("/", 1)[1]:
            raise SystemExit(f"build.py: row {r[0]!r}: first name {r[5][0]!r} is not the "
                             f"display name (last path segment); fix extra.tsv")

    # ---- write -------------------------------------------------------------------
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    dates = ", ".join(f"{cc} {COUNTRIES[cc]}: {n} rows, last modified {d}"
                      for cc, (n, d) in dumps.items())
    header = [
        "# Vigie gazetteer: Mali, Burkina Faso, Niger places and related countries/areas.",
        "# Source: GeoNames (https://www.geonames.org), licence CC BY 4.0 - attribution required.",
        f"# GeoNames country dumps used: {dates}.",
        "# Plus hand-curated rows from data/gazetteer/extra.tsv (see data/gazetteer/README.md).",
        "# Rebuild: python3 data/gazetteer/build.py --geonames ../shared/gazetteer/geonames "
        "--out data/gazetteer.tsv",
        "# Columns (tab-separated): path, kind, rank, population, geonameid, names ('|'-separated,"
        " first = display name)",
        "# kind: country|region|cercle|city|town|village|area; rank 0-100, higher = safer/likelier.",
    ]
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write(h + "\n")
        for p, kind, rank, pop, gid, names, _ in rows:
            f.write(f"{p}\t{kind}\t{rank}\t{pop}\t{gid}\t{'|'.join(names)}\n")
    os.replace(tmp, args.out)

    # ---- summary -----------------------------------------------------------------
    if args.verbose:
        for line in log:
            print(line, file=sys.stderr)
    else:
        for line in log:
            if "placed by" in line or "after de-duplication" in line or "extra.tsv" in line:
                print(line, file=sys.stderr)
    counts = Counter()
    for r in rows:
        top = r[0].split("/")[1]
        counts[(top if top in COUNTRIES.values() else "other countries", r[1])] += 1
    print(f"wrote {args.out}: {len(rows)} rows, {os.path.getsize(args.out)} bytes", file=sys.stderr)
    tops = sorted({c for c, _ in counts}, key=lambda c: (c == "other countries", c))
    print("rows per country and kind:", file=sys.stderr)
    print("  " + "country".ljust(16) + "".join(k.rjust(9) for k in KIND_ORDER) + "    total",
          file=sys.stderr)
    for c in tops:
        line = "  " + c.ljust(16) + "".join(str(counts[(c, k)]).rjust(9) for k in KIND_ORDER)
        print(line + str(sum(counts[(c, k)] for k in KIND_ORDER)).rjust(9), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
