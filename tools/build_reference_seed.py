#!/usr/bin/env python3
"""Derive the reference seed files (seed/*.json) from the reference data in reference/data.

Reads the CSV files described in ``reference/data/README.md`` and
writes, deterministically and with the standard library only:

- ``seed/police-units.json``    11 police units (RE01..RE10 and the Landelijke Eenheid, LE)
- ``seed/safety-regions.json``  25 safety regions (VR01..VR25)
- ``seed/municipalities.json``  342 municipalities (CBS codes GM....), with search aliases
- ``seed/safety-houses.json``   the (Zorg- en) Veiligheidshuizen, one per row of the curated
                                 ``seed/sources/safety-houses.csv`` (which supersedes the shared
                                 ``veiligheidshuizen.csv``; see ``seed/README.md``)

Every output file is ``{"provenance": "...", "items": [...]}``, UTF-8, ``indent=1``, items ordered
by id. The only derived columns are documented below and in ``seed/README.md``: the alias rules
(tables in this file), ``kind`` of a police unit, the coverage ``basis`` of a safety house, and
``policy`` (always ``{"status": "unknown"}``: no fact about a real municipality is invented).
The size class is not stored; the API derives it from ``population``.

Usage (from the repo root)::

    .venv/bin/python tools/build_reference_seed.py              # write seed/*.json
    .venv/bin/python tools/build_reference_seed.py --check      # fail if seed/ is out of date
    .venv/bin/python tools/build_reference_seed.py --data DIR   # read the CSVs from DIR
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = REPO_ROOT / "reference" / "data"
DEFAULT_OUT_DIR = REPO_ROOT / "seed"
HOUSES_CSV = REPO_ROOT / "seed" / "sources" / "safety-houses.csv"

# ---------------------------------------------------------------------------------------------
# Alias rules. Aliases are the names people actually type for a municipality. Every table below
# is keyed by the official CBS name (column gm_name of gemeenten.csv); the build fails if a key
# does not exist, so a renamed municipality cannot silently lose its aliases.
# ---------------------------------------------------------------------------------------------

# Common names that differ from the official CBS name.
COMMON_NAMES: dict[str, list[str]] = {
    "'s-Gravenhage": ["Den Haag"],
    "'s-Hertogenbosch": ["Den Bosch", "Hertogenbosch"],
    "Nuenen, Gerwen en Nederwetten": ["Nuenen"],
}

# Dutch forms of municipalities whose official name is Frisian.
DUTCH_FORMS_OF_FRISIAN_NAMES: dict[str, list[str]] = {
    "Súdwest-Fryslân": ["Zuidwest-Friesland"],
    "Noardeast-Fryslân": ["Noordoost-Friesland"],
    "De Fryske Marren": ["De Friese Meren"],
    "Tytsjerksteradiel": ["Tietjerksteradeel"],
    "Dantumadiel": ["Dantumadeel"],
}

# Frisian forms of Frisian municipalities whose official name is Dutch.
FRISIAN_FORMS_OF_DUTCH_NAMES: dict[str, list[str]] = {
    "Leeuwarden": ["Ljouwert"],
    "Heerenveen": ["It Hearrenfean"],
    "Harlingen": ["Harns"],
    "Smallingerland": ["Smellingerlân"],
    "Opsterland": ["Opsterlân"],
    "Terschelling": ["Skylge"],
    "Vlieland": ["Flylân"],
    "Ameland": ["It Amelân"],
    "Schiermonnikoog": ["Skiermûntseach"],
}

# CBS disambiguates equal names with a parenthesised province suffix, e.g. "Bergen (NH.)".
# suffix -> (province as in gemeenten.csv, short form people type). Each suffix yields
# "<base> <province>" and "<base> <short>", plus the bare "<base>" when no other municipality
# has that base name (so "Hengelo" but not "Bergen", which is both NH. and L.).
PROVINCE_SUFFIXES: dict[str, tuple[str, str]] = {
    "NH.": ("Noord-Holland", "NH"),
    "ZH.": ("Zuid-Holland", "ZH"),
    "L.": ("Limburg", "L"),
    "O.": ("Overijssel", "O"),
    "Z.": ("Zeeland", "Z"),
}
SUFFIX_RE = re.compile(r"^(?P<base>.+?) \((?P<suffix>[A-Za-z]+\.)\)$")

# Mechanical variants, applied repeatedly to the name and to every alias above until nothing new
# appears: without diacritics (Súdwest-Fryslân -> Sudwest-Fryslan), without apostrophes
# ('s-Hertogenbosch -> s-Hertogenbosch), hyphens as spaces (Sittard-Geleen -> Sittard Geleen).


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


MECHANICAL_VARIANTS = (
    strip_diacritics,
    lambda s: s.replace("'", "").strip(),
    lambda s: re.sub(r"\s+", " ", s.replace("-", " ")).strip(),
)

ALIAS_TABLES = (COMMON_NAMES, DUTCH_FORMS_OF_FRISIAN_NAMES, FRISIAN_FORMS_OF_DUTCH_NAMES)


def alias_key(text: str) -> str:
    """Comparison key: aliases that differ only in case are duplicates."""
    return text.casefold()


def build_aliases(name: str, province: str, base_counts: dict[str, int]) -> list[str]:
    seeds: list[str] = []
    for table in ALIAS_TABLES:
        seeds.extend(table.get(name, []))
    match = SUFFIX_RE.match(name)
    if match:
        base, suffix = match["base"], match["suffix"]
        if suffix not in PROVINCE_SUFFIXES:
            raise SystemExit(f"unknown province suffix {suffix!r} in {name!r}: add it to PROVINCE_SUFFIXES")
        full, short = PROVINCE_SUFFIXES[suffix]
        if full != province:
            raise SystemExit(f"{name!r}: suffix {suffix} means {full}, but the province is {province}")
        seeds.extend([f"{base} {full}", f"{base} {short}"])
        if base_counts[base] == 1:
            seeds.append(base)

    aliases: list[str] = []
    seen = {alias_key(name)}
    queue = [name, *seeds]
    while queue:
        candidate = queue.pop(0)
        if alias_key(candidate) not in seen:
            seen.add(alias_key(candidate))
            aliases.append(candidate)
        for variant in MECHANICAL_VARIANTS:
            new = variant(candidate)
            if new and alias_key(new) not in seen and new not in queue:
                queue.append(new)
    return aliases


def base_name(name: str) -> str:
    match = SUFFIX_RE.match(name)
    return match["base"] if match else name


# ---------------------------------------------------------------------------------------------
# Provenance paragraphs (one per output file), condensed from reference/data/README.md.
# ---------------------------------------------------------------------------------------------

PROVENANCE = {
    "police-units": (
        "Derived from politie_eenheden.csv of the shared reference data (see seed/README.md). "
        "The 10 regional units carry their CBS codes RE01-RE10 (names as in the CBS gebiedsindelingen "
        "2024 regionale-eenheid boundaries, GitHub cartomap/nl; RE08 Zeeland-West-Brabant by elimination); "
        "the Landelijke Eenheid has our own code LE and no territory of its own. Working areas "
        "(veiligheidsregio's per unit) from nl.wikipedia 'Regionale eenheden van de Nationale Politie' "
        "and Politiewet 2012 art. 25(2). Derived here: kind ('regionale eenheid' -> regional, "
        "'landelijke eenheid' -> national)."
    ),
    "safety-regions": (
        "Derived from veiligheidsregios.csv of the shared reference data (see seed/README.md). "
        "The 25 veiligheidsregio's VR01-VR25 with their official numbering (matches rijksoverheid.nl, "
        "'Veiligheidsregio's'), CBS-style names, the single province of their gemeenten and the police "
        "unit derived from the unit-to-region table. Member gemeenten as of the CBS 2023 set, unchanged "
        "through 1 January 2025 (no municipal reorganisations on 1-1-2024 or 1-1-2025). The seat is as "
        "listed in the English Wikipedia 'Safety region' table (undated IPFS snapshot); it is null for "
        "VR24 Zuid-Limburg and VR25 Flevoland, which that snapshot did not show, and for VR20 Midden- en "
        "West-Brabant, whose 'Breda' no checked source supports (content review December 2026)."
    ),
    "municipalities": (
        "Derived from gemeenten.csv of the shared reference data (see seed/README.md): the 342 gemeenten "
        "in force on 1 January 2025 (CBS code and official CBS name from the PDOK/CBS list in GitHub "
        "entranos/regioviewer, commit b05b4324, 2025-11-11; province from the same repository); "
        "population on 1 January 2026 (CBS StatLine 03759ned, period 2026JJ00, transcribed from GitHub "
        "rob-vb/bragfast-v2); veiligheidsregio from GitHub minvws/nl-covid19-data-dashboard (2023 set, "
        "checked spatially); police unit derived from the veiligheidsregio; location = area-weighted "
        "centroid of the generalized CBS 2023 gemeente boundaries (WGS84; for GM0377, GM0599, GM0703 "
        "and GM0938 it lies outside the gemeente's own polygon). Derived here: aliases, by the rule "
        "tables in tools/build_reference_seed.py; policy is 'unknown' for every gemeente because no "
        "fact about a real municipality's policy is claimed. The size class is not stored: the API "
        "derives it from population (small < 50,000 <= medium < 100,000 <= large)."
    ),
    "safety-houses": (
        "Derived from seed/sources/safety-houses.csv, the curated table of (Zorg- en) Veiligheidshuizen that "
        "supersedes veiligheidshuizen.csv of the shared reference data (see seed/README.md): one item per house "
        "found in public web pages, each source with its own vintage (2008-2025). Checked on 2026-12-06 against "
        "the December 2026 content review (outdated names fixed, houses added for Kennemerland, regio Arnhem and "
        "Brabant Noordoost, the historical 's-Hertogenbosch name archived); verifiedAt is set on the houses whose "
        "sources were read again that day. Coverage basis: 'named' when the source names the gemeente, 'region' "
        "when the source says the house serves the whole region (codes derived as all gemeenten of that region). "
        "workingArea is the working area in the source's terms; a house with a stated working area but no named "
        "gemeenten serves nobody by assumption. Contact data are the organisation's own website and general phone "
        "number where a source shows them, never a person's. Notes are in Dutch, in our own words. The list is "
        "incomplete: about 30 houses exist; none is known for VR11 Zaanstreek-Waterland."
    ),
}


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def none_if_empty(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def split_list(value: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in (value or "").split(sep) if part.strip()]


def build_police_units(rows: list[dict[str, str]]) -> list[dict]:
    kinds = {"regionale eenheid": "regional", "landelijke eenheid": "national"}
    items = []
    for row in rows:
        if row["type"] not in kinds:
            raise SystemExit(f"police unit {row['code']}: unknown type {row['type']!r}")
        items.append(
            {
                "id": row["code"],
                "name": row["name"],
                "fullName": row["full_name"],
                "kind": kinds[row["type"]],
            }
        )
    return sorted(items, key=lambda item: item["id"])


SEAT_CORRECTIONS: dict[str, str | None] = {
    # The Wikipedia table gives "Breda"; no source we could read names the seat. The region is chaired by the
    # mayor of Tilburg and the royal working visit of 2019-03-26 was to its fire station in Tilburg (rijksoverheid.nl),
    # which does not prove a seat either. Empty until a source states it (content review 2026-12, error 20).
    "VR20": None,
}
"""Seats that the reference table states but no checked source supports."""


def build_safety_regions(rows: list[dict[str, str]]) -> list[dict]:
    items = []
    for row in rows:
        provinces = split_list(row["provinces"])
        if len(provinces) != 1:
            raise SystemExit(f"{row['vr_code']}: expected exactly one province, got {provinces}")
        items.append(
            {
                "id": row["vr_code"],
                "number": int(row["vr_number"]),
                "name": row["vr_name"],
                "seat": SEAT_CORRECTIONS.get(row["vr_code"], none_if_empty(row["seat_per_source"])),
                "province": provinces[0],
                "policeUnit": row["politie_eenheid_code"],
            }
        )
    return sorted(items, key=lambda item: item["id"])


def build_municipalities(rows: list[dict[str, str]]) -> list[dict]:
    names = {row["gm_name"] for row in rows}
    for table in ALIAS_TABLES:
        missing = sorted(set(table) - names)
        if missing:
            raise SystemExit(f"alias table refers to unknown municipality names: {missing}")
    base_counts: dict[str, int] = {}
    for row in rows:
        base = base_name(row["gm_name"])
        base_counts[base] = base_counts.get(base, 0) + 1

    items = []
    for row in rows:
        items.append(
            {
                "id": row["gm_code"],
                "name": row["gm_name"],
                "province": row["province"],
                "population": int(row["population_2026_01_01"]),
                "safetyRegion": row["veiligheidsregio_code"],
                "policeUnit": row["politie_eenheid_code"],
                "location": {"lat": float(row["centroid_lat"]), "lon": float(row["centroid_lon"])},
                "aliases": build_aliases(row["gm_name"], row["province"], base_counts),
                "policy": {"status": "unknown"},
            }
        )

    # An alias must point at one municipality only: it may not equal another one's name or alias.
    owner: dict[str, str] = {}
    for item in items:
        for text in (item["name"], *item["aliases"]):
            key = alias_key(strip_diacritics(text))
            if owner.setdefault(key, item["id"]) != item["id"]:
                raise SystemExit(f"ambiguous alias {text!r}: {owner[key]} and {item['id']}")
    return sorted(items, key=lambda item: item["id"])


COVERAGE_BASIS = {
    "listed_in_source": "named",
    "whole_region_per_source": "region",
    "not_stated_in_source": None,
}


def build_safety_houses(rows: list[dict[str, str]], municipality_ids: set[str]) -> list[dict]:
    items = []
    for row in rows:
        basis_key = row["werkgebied_basis"]
        if basis_key not in COVERAGE_BASIS:
            raise SystemExit(f"{row['id']}: unknown werkgebied_basis {basis_key!r}")
        basis = COVERAGE_BASIS[basis_key]
        codes = sorted(set(split_list(row["werkgebied_gemeente_codes"])))
        if basis is None and codes:
            raise SystemExit(f"{row['id']}: working area not stated but codes given")
        unknown = sorted(set(codes) - municipality_ids)
        if unknown:
            raise SystemExit(f"{row['id']}: unknown gemeente codes {unknown}")
        urls = split_list(row["source_urls"], " ; ")
        vintages = split_list(row["source_vintages"], " ; ")
        if len(urls) != len(vintages):
            raise SystemExit(f"{row['id']}: {len(urls)} source urls but {len(vintages)} vintages")
        verified = none_if_empty(row["verified_at"])
        items.append(
            {
                "id": row["id"],
                "name": row["name"],
                "safetyRegion": row["veiligheidsregio_code"],
                "seat": none_if_empty(row["seat_city"]),
                "address": none_if_empty(row["address_or_locations"]),
                "workingArea": none_if_empty(row["working_area"]),
                "contact": {key: none_if_empty(row[key]) for key in ("website", "phone", "email")},
                "coverage": [{"municipality": code, "basis": basis} for code in codes] if basis else [],
                "notes": none_if_empty(row["notes"]),
                "sources": [{"url": url, "vintage": vintage} for url, vintage in zip(urls, vintages, strict=True)],
                "verifiedAt": f"{verified}T00:00:00Z" if verified else None,
                "status": row["status"],
            }
        )
    return sorted(items, key=lambda item: item["id"])


def render(provenance: str, items: list[dict]) -> str:
    return json.dumps({"provenance": provenance, "items": items}, indent=1, ensure_ascii=False) + "\n"


def build_all(data_dir: Path) -> dict[str, str]:
    gemeenten = read_csv(data_dir / "gemeenten.csv")
    municipalities = build_municipalities(gemeenten)
    municipality_ids = {item["id"] for item in municipalities}
    outputs = {
        "police-units": build_police_units(read_csv(data_dir / "politie_eenheden.csv")),
        "safety-regions": build_safety_regions(read_csv(data_dir / "veiligheidsregios.csv")),
        "municipalities": municipalities,
        "safety-houses": build_safety_houses(read_csv(HOUSES_CSV), municipality_ids),
    }
    return {f"{stem}.json": render(PROVENANCE[stem], items) for stem, items in outputs.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="folder with the reference CSVs (default: reference/data)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR, help="output folder (default: seed/)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file differs")
    args = parser.parse_args(argv)

    files = build_all(args.data)
    stale = []
    for filename, text in files.items():
        target = args.out / filename
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(filename)
        if not args.check:
            args.out.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    if args.check:
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("seed reference files are up to date")
        return 0
    for filename in files:
        print(f"{'wrote' if filename in stale else 'unchanged'} {args.out.name}/{filename}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
