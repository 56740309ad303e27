"""Synthetic experts and approaches for the benchmarks: deterministic, fictional, marked `demo`, fast to load.

Record `i` of a kind is generated from its own seeded random generator, so growing a database from 1,000 to
10,000 records adds exactly the records a fresh 10,000-record database would hold. Text is built from a fixed
list of Dutch words plus the catalogue's own topic vocabulary (labels and synonyms) and the names of the areas a
record serves, so searches hit realistic fractions of the catalogue. Every id starts with `bench-`, every record
has `demo: true`, a name ending in "(bench)" and example.org contact data: nothing here is about a real person
or offer. Area codes and topics are the real ones, read from the seeded database.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from api import models
from api.collections import indexed
from api.models.experts import NATIONAL_AREA, area_kind_of
from api.services import search_index

SEED = "kennisbank-bench-1"
BATCH = 2_000
SOURCE = [{"url": "https://example.org/kennisbank-bench", "vintage": "synthetisch (benchmark)"}]
NOW = datetime(2026, 11, 29, tzinfo=UTC)


def _words(text: str) -> list[str]:
    return text.split()


# Common Dutch words of the domain; the first ones are drawn most often (Zipf-like weights).
WORDS = _words("""
    gemeente aanpak samenwerking jongeren wijk professionals ondersteuning preventie veiligheid kennis advies
    training netwerk zorg school ouders buurt signalen politie ervaring ketenpartners gesprek dialoog
    weerbaarheid methodiek leernetwerk begeleiding casus overleg handreiking onderwijs bewoners vertrouwen
    deskundigheid scholing bijeenkomst werkwijze regio toolkit jeugdwerk wijkteam docenten mentoren welzijn
    maatwerk praktijk bestuurders ambtenaren vragen verhalen voorbeelden opleiding workshop coaching
    intervisie expertise verbinding participatie inclusie democratie identiteit diversiteit burgerschap
    kwetsbare groepen risico beschermende factoren vroegtijdig interventie nazorg opvang huisbezoek
    moskee kerk vereniging sportclub ondernemers bibliotheek jongerenwerk straatcoaches handhaving
    informatie voorlichting campagne lesprogramma klas studenten hogeschool universiteit onderzoek
    evaluatie monitor rapport richtlijn protocol stappenplan checklist escalatie melding doorverwijzing
""")
CONNECTIVES = _words("met voor en in van over bij door naar op om")
TOPIC_WORD_CHANCE = 0.6
PLACE_CHANCE = 0.35

FIRST_NAMES = _words("""Anouk Bram Chayenne Daan Esra Fenna Gijs Hanna Ilias Jasmijn Kees Lotte Mohamed Noor Olaf Priya
    Quinten Roos Sem Tess Umut Vera Wouter Yara Zeynep Bas Iris Joost Meryem Stijn""")
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos",
              "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "Yilmaz", "El Amrani", "Kaya",
              "Wijnands", "Postma", "Hoekstra", "Kuipers", "Veenstra"]
TEAM_WORDS = ["Team", "Expertteam", "Adviesteam", "Kernteam", "Steunpunt"]
LANGUAGES = ["nl"] * 8 + ["en", "en", "ar", "tr", "pl", "fy"]
APPROACH_KIND_LABEL = {
    "training": "Training", "learning-network": "Leernetwerk", "advice": "Advies", "toolkit": "Toolkit",
    "case-consultation": "Casusoverleg", "information-programme": "Voorlichting", "funding": "Regeling",
}
AUDIENCES = ["gemeente-ambtenaren", "bestuurders", "jongerenwerkers", "docenten", "wijkagenten",
             "zorgprofessionals", "sleutelfiguren", "ouders"]
ORGANISATIONS = [  # fictional providers, so no synthetic record claims a real organisation
    ("bench-org-landelijk", "Voorbeeldinstituut Landelijk (bench)", "national", "training-institute"),
    ("bench-org-noord", "Voorbeeldnetwerk Noord (bench)", "safety-region", "network"),
    ("bench-org-midden", "Voorbeeldpartnerschap Midden (bench)", "safety-region", "partnership"),
    ("bench-org-zuid", "Voorbeeldexpertisecentrum Zuid (bench)", "police-unit", "expertise-centre"),
    ("bench-org-lokaal", "Voorbeeldwelzijn Lokaal (bench)", "municipality", "association"),
]


@dataclass(frozen=True)
class Reference:
    """What synthetic records point at: real area codes and topics from the seeded database."""

    municipalities: list[tuple[str, str]]  # (code, name)
    regions: list[tuple[str, str]]
    units: list[tuple[str, str]]
    topics: list[tuple[str, list[str]]]  # (id, [label, *synonyms])
    organisations: list[str]


def reference(session: Session) -> Reference:
    """Read the real area codes and topics (sorted, so generation does not depend on row order)."""
    m, r, u, t = models.Municipality, models.SafetyRegion, models.PoliceUnit, models.Topic
    return Reference(
        municipalities=[tuple(row) for row in session.execute(select(m.id, m.name).order_by(m.id))],  # type: ignore[misc]
        regions=[tuple(row) for row in session.execute(select(r.id, r.name).order_by(r.id))],  # type: ignore[misc]
        units=[tuple(row) for row in session.execute(select(u.id, u.name).order_by(u.id))],  # type: ignore[misc]
        topics=[(topic.id, [topic.label, *topic.synonyms]) for topic in session.scalars(select(t).order_by(t.id))],
        organisations=[o[0] for o in ORGANISATIONS],
    )


class Writer:
    """Builds one record's text from its own random generator."""

    _weights = [1.0 / (rank + 3) for rank in range(len(WORDS))]

    def __init__(self, rng: random.Random, ref: Reference) -> None:
        self.rng = rng
        self.ref = ref

    def words(self, n: int) -> list[str]:
        return self.rng.choices(WORDS, weights=self._weights, k=n)

    def sentence(self, topic_terms: list[str], places: list[str]) -> str:
        words = self.words(self.rng.randint(5, 10))
        for _ in range(self.rng.randint(1, 3)):
            words.insert(self.rng.randrange(1, len(words)), self.rng.choice(CONNECTIVES))
        if topic_terms and self.rng.random() < TOPIC_WORD_CHANCE:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(topic_terms))
        if places and self.rng.random() < PLACE_CHANCE:
            words += ["in", self.rng.choice(places)]
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def text(self, sentences: int, topic_terms: list[str], places: list[str]) -> str:
        return " ".join(self.sentence(topic_terms, places) for _ in range(sentences))

    def topics(self) -> tuple[list[str], list[str]]:
        chosen = self.rng.sample(self.ref.topics, self.rng.choice([1, 1, 2, 2, 3]))
        return sorted(t[0] for t in chosen), [term.lower() for t in chosen for term in t[1]]


def expert(i: int, ref: Reference) -> dict[str, Any]:
    """Synthetic expert number `i`: row values plus `topics`, `languages` and `serves`."""
    rng = random.Random(f"{SEED}:expert:{i}")
    writer = Writer(rng, ref)
    topic_ids, topic_terms = writer.topics()
    serves: dict[str, str] = {}
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        level = rng.random()
        if level < 0.03:
            code, name = NATIONAL_AREA, "Nederland"
        elif level < 0.13:
            code, name = rng.choice(ref.units)
        elif level < 0.28:
            code, name = rng.choice(ref.regions)
        else:
            code, name = rng.choice(ref.municipalities)
        serves[code] = name
    person = rng.random() < 0.7
    if person:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        name = f"{first} {last} (bench)"
        handle = f"{first}.{last}.{i}".lower().replace(" ", "")
        contact = {"contact_email": f"{handle}@example.org", "contact_phone": None,
                   "contact_url": f"https://example.org/bench/experts/{i}"}
    else:
        label = rng.choice(ref.topics)[1][0]
        name = f"{rng.choice(TEAM_WORDS)} {label.lower()} {next(iter(serves.values()))} (bench)"
        contact = {"contact_email": None, "contact_phone": None,
                   "contact_url": f"https://example.org/bench/teams/{i}"}
    return {
        "id": f"bench-expert-{i:06d}",
        "name": name[:200],
        "kind": "person" if person else "team",
        "organisation_id": rng.choice([None, *ref.organisations]),
        "description": writer.text(rng.randint(2, 4), topic_terms, list(serves.values())),
        **contact,
        **_curated(),
        "topics": topic_ids,
        "languages": sorted(set(rng.sample(LANGUAGES, rng.choice([1, 1, 2])))),
        "serves": sorted(serves),
    }


def approach(i: int, ref: Reference) -> dict[str, Any]:
    """Synthetic approach number `i`: row values plus `topics` and `size_classes`."""
    rng = random.Random(f"{SEED}:approach:{i}")
    writer = Writer(rng, ref)
    topic_ids, topic_terms = writer.topics()
    kind = rng.choice(list(APPROACH_KIND_LABEL))
    places = [rng.choice(ref.municipalities)[1] for _ in range(2)]
    subject = rng.choice(topic_terms)
    name = f"{APPROACH_KIND_LABEL[kind]} {subject} {' '.join(writer.words(rng.randint(1, 2)))} (bench)"
    return {
        "id": f"bench-approach-{i:06d}",
        "name": name[:200],
        "kind": kind,
        "summary": writer.sentence(topic_terms, places)[:500],
        "description": writer.text(rng.randint(3, 6), topic_terms, places),
        "provider_id": rng.choice([None, *ref.organisations]),
        "audience": sorted(rng.sample(AUDIENCES, rng.randint(1, 3))),
        "format": rng.choice([None, "online", "in-person", "hybrid"]),
        "duration": rng.choice([None, "een dagdeel", "een dag", "drie bijeenkomsten", "doorlopend"]),
        "cost": rng.choice([None, "gratis", "op aanvraag", "kosteloos voor gemeenten"]),
        "evidence_level": rng.choice(["not-assessed", "not-assessed", "well-described", "theoretically-sound",
                                      "effective-indications", "proven-effective"]),
        "url": f"https://example.org/bench/aanbod/{i}",
        "language": "nl",
        **_curated(),
        "topics": topic_ids,
        "size_classes": sorted(rng.sample(["small", "medium", "large"], rng.randint(1, 3))),
    }


def _curated() -> dict[str, Any]:
    return {"status": "published", "created_at": NOW, "updated_at": NOW, "verified_at": None,
            "sources": SOURCE, "demo": True, "version": 1}


def counts(session: Session) -> tuple[int, int]:
    """(experts, approaches) in the database, real and synthetic."""
    return (session.scalar(select(func.count()).select_from(models.Expert)) or 0,
            session.scalar(select(func.count()).select_from(models.Approach)) or 0)


def synthetic_counts(session: Session) -> tuple[int, int]:
    """(experts, approaches) that are synthetic (`bench-` ids)."""
    e, a = models.Expert, models.Approach
    return (session.scalar(select(func.count()).where(e.id.like("bench-%"))) or 0,
            session.scalar(select(func.count()).where(a.id.like("bench-%"))) or 0)


def _ensure_organisations(session: Session) -> None:
    present = set(session.scalars(select(models.Organisation.id).where(models.Organisation.id.like("bench-%"))))
    rows = [
        {"id": oid, "name": name, "abbreviation": None, "kind": kind, "scope": scope,
         "url": "https://example.org/bench", "description": "Fictieve aanbieder voor de benchmarks; bestaat niet.",
         **_curated()}
        for oid, name, scope, kind in ORGANISATIONS if oid not in present
    ]
    if rows:
        session.execute(insert(models.Organisation.__table__), rows)


def _batches(start: int, stop: int) -> Iterator[range]:
    for first in range(start, stop, BATCH):
        yield range(first, min(stop, first + BATCH))


def grow(session: Session, total: int, progress: Callable[[int], None] | None = None) -> dict[str, list[str]]:
    """Insert synthetic records until experts + approaches (real ones included) number `total`, half each.

    Bulk Core inserts in batches of BATCH rows, in the caller's transaction; returns the ids added per collection
    ("experts", "approaches"). Does not index them: call `reindex` afterwards.
    """
    _ensure_organisations(session)
    ref = reference(session)
    have_e, have_a = counts(session)
    syn_e, syn_a = synthetic_counts(session)
    want_e, want_a = total // 2, total - total // 2
    add_e, add_a = max(0, want_e - have_e), max(0, want_a - have_a)
    tables = {name: getattr(models, name).__table__ for name in (
        "Expert", "ExpertTopic", "ExpertLanguage", "ExpertArea", "Approach", "ApproachTopic", "ApproachSizeClass")}
    added: dict[str, list[str]] = {"experts": [], "approaches": []}
    for numbers in _batches(syn_e, syn_e + add_e):
        records = [expert(i, ref) for i in numbers]
        session.execute(insert(tables["Expert"]), [_row(r, ("topics", "languages", "serves")) for r in records])
        session.execute(insert(tables["ExpertTopic"]),
                        [{"expert_id": r["id"], "topic_id": t} for r in records for t in r["topics"]])
        session.execute(insert(tables["ExpertLanguage"]),
                        [{"expert_id": r["id"], "language": lang} for r in records for lang in r["languages"]])
        session.execute(insert(tables["ExpertArea"]),
                        [{"expert_id": r["id"], "area_id": a, "area_kind": area_kind_of(a).value}
                         for r in records for a in r["serves"]])
        added["experts"] += [r["id"] for r in records]
        if progress:
            progress(len(numbers))
    for numbers in _batches(syn_a, syn_a + add_a):
        records = [approach(i, ref) for i in numbers]
        session.execute(insert(tables["Approach"]), [_row(r, ("topics", "size_classes")) for r in records])
        session.execute(insert(tables["ApproachTopic"]),
                        [{"approach_id": r["id"], "topic_id": t} for r in records for t in r["topics"]])
        session.execute(insert(tables["ApproachSizeClass"]),
                        [{"approach_id": r["id"], "size_class": c} for r in records for c in r["size_classes"]])
        added["approaches"] += [r["id"] for r in records]
        if progress:
            progress(len(numbers))
    return added


def _row(record: dict[str, Any], children: tuple[str, ...]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key not in children}


def reindex(session: Session, progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole search index in the caller's transaction (what `kennisbank reindex` does)."""
    return search_index.reindex_all(session, indexed(), progress)


def to_add(session: Session, total: int) -> int:
    """How many records `grow(session, total)` will insert."""
    have_e, have_a = counts(session)
    return max(0, total // 2 - have_e) + max(0, total - total // 2 - have_a)
