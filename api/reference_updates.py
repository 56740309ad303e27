"""Seed overlays on the reference data: citable policy evidence, and municipal reorganisations by date.

`seed/policy-evidence.json` adds public documents to municipalities (never a policy status). A municipal change in
`seed/municipal-changes.json` (a merger with an effective date) is applied to the seed records when the seed runs on
or after that date: the absorbed municipalities disappear, the one they join gains their population, names as
aliases, evidence and the references of houses and experts. Plain functions on seed records (no database).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from schemas.names import EXPERTS, MUNICIPALITIES, SAFETY_HOUSES

R = TypeVar("R")

EVIDENCE_FILE = "policy-evidence.json"
CHANGES_FILE = "municipal-changes.json"


@dataclass(frozen=True)
class Merger:
    """Municipalities `absorbed` join `into` on `effective`; `aliases` are names the joined area is known by."""

    id: str
    effective: date
    into: str
    absorbed: tuple[str, ...]
    name: str
    aliases: tuple[str, ...]


def _items(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    document = json.loads(path.read_text(encoding="utf-8"))
    return list(document.get("items") or [])


def read_mergers(seed_dir: Path) -> list[Merger]:
    """The mergers listed in the seed folder, earliest first."""
    mergers = [
        Merger(item["id"], date.fromisoformat(item["effective"]), item["into"], tuple(item["absorbed"]),
               item["name"], tuple(item.get("aliases") or []))
        for item in _items(seed_dir / CHANGES_FILE)
    ]
    return sorted(mergers, key=lambda m: (m.effective, m.id))


def due(mergers: list[Merger], today: date) -> list[Merger]:
    """The mergers in force on `today`."""
    return [merger for merger in mergers if merger.effective <= today]


def policy_evidence(seed_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Evidence per municipality code, in file order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for item in _items(seed_dir / EVIDENCE_FILE):
        found.setdefault(item["municipality"], []).extend(item.get("evidence") or [])
    return found


def apply(records: dict[str, list[dict[str, Any]]], evidence: dict[str, list[dict[str, Any]]],
          mergers: list[Merger]) -> None:
    """Add `evidence` to the municipality records, then apply `mergers` (already due), in place.

    `records` maps a collection name to its records (as in the files). Evidence for an unknown code is kept on a
    stub so that validation reports it.
    """
    municipalities = {m.get("id"): m for m in records.get(MUNICIPALITIES, [])}
    for code, items in evidence.items():
        target = municipalities.get(code)
        if target is None:
            records.setdefault(MUNICIPALITIES, []).append({"id": code, "policyEvidence": items})
            continue
        target["policyEvidence"] = [*(target.get("policyEvidence") or []), *items]
    for merger in mergers:
        _merge(records, municipalities, merger)


def _merge(records: dict[str, list[dict[str, Any]]], municipalities: dict[str, dict[str, Any]], merger: Merger) -> None:
    into = municipalities.get(merger.into)
    absorbed = [municipalities[code] for code in merger.absorbed if code in municipalities]
    if into is None or not absorbed:
        return
    everyone = [into, *absorbed]
    people = sum(m["population"] for m in everyone)
    into["location"] = {  # population-weighted centroid of the parts
        axis: round(sum(m["location"][axis] * m["population"] for m in everyone) / people, 5) for axis in ("lat", "lon")
    }
    into["population"] = people
    names = [*(m["name"] for m in absorbed), *merger.aliases]
    known = {text.casefold() for text in [merger.name, *(into.get("aliases") or [])]}
    into["aliases"] = [*(into.get("aliases") or []), *(n for n in dict.fromkeys(names) if n.casefold() not in known)]
    into["name"] = merger.name
    into["policyEvidence"] = [*(into.get("policyEvidence") or []),
                              *(e for m in absorbed for e in m.get("policyEvidence") or [])]
    gone = set(merger.absorbed)
    records[MUNICIPALITIES] = [m for m in records[MUNICIPALITIES] if m.get("id") not in gone]
    for code in gone:
        municipalities.pop(code, None)
    for house in records.get(SAFETY_HOUSES, []):
        house["coverage"] = _rehome_coverage(house.get("coverage") or [], gone, merger.into)
    for expert in records.get(EXPERTS, []):
        serves = expert.get("serves")
        if serves:
            expert["serves"] = list(dict.fromkeys(merger.into if s in gone else s for s in serves))


def _rehome_coverage(coverage: list[dict[str, Any]], gone: set[str], into: str) -> list[dict[str, Any]]:
    """Coverage of absorbed municipalities moves to `into` (surest basis kept: named before region)."""
    kept: dict[str, dict[str, Any]] = {}
    for entry in coverage:
        code = into if entry["municipality"] in gone else entry["municipality"]
        current = kept.get(code)
        if current is None or (entry["basis"] == "named" and current["basis"] != "named"):
            kept[code] = {"municipality": code, "basis": entry["basis"]}
    return [kept[code] for code in sorted(kept)]


def overlay(raws: list[R], seed_dir: Path, today: date, stub: Callable[[int, dict[str, Any]], R]) -> list[R]:
    """The seed's raw records (with `.collection` and `.data`) after the evidence and the due changes were applied.

    `stub(position, data)` wraps evidence for a code that no municipality record has, so validation reports it.
    """
    records: dict[str, list[dict[str, Any]]] = {}
    for raw in raws:
        data = raw.data  # type: ignore[attr-defined]
        if isinstance(data, dict):
            records.setdefault(raw.collection, []).append(data)  # type: ignore[attr-defined]
    apply(records, policy_evidence(seed_dir), due(read_mergers(seed_dir), today))
    kept = {id(data) for items in records.values() for data in items}
    known = {id(raw.data) for raw in raws}  # type: ignore[attr-defined]
    stubs = [stub(i, data) for i, data in enumerate(records.get(MUNICIPALITIES, [])) if id(data) not in known]
    return [raw for raw in raws if id(raw.data) in kept or not isinstance(raw.data, dict)] + stubs  # type: ignore[attr-defined]
