"""Search fixtures: an indexed corpus on SQLite and on PostgreSQL (the latter skipped only off CI)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack

import pytest
from sqlalchemy import Engine, create_engine

import api.search as search
from api.search import SearchDocument
from tests.databases import temporary_database

SYNONYMS = {
    "extreemrechts": ["rechts extremisme"],
    "den bosch": ["s hertogenbosch"],
}

CORPUS = [
    SearchDocument(
        "municipality", "GM0796", "'s-Hertogenbosch", aliases=["Den Bosch"],
        summary="Gemeente in de provincie Noord-Brabant.", size_classes=["large"],
    ),
    SearchDocument(
        "municipality", "GM0772", "Eindhoven", summary="Gemeente in de provincie Noord-Brabant.",
        size_classes=["large"],
    ),
    SearchDocument(
        "municipality", "GM1724", "Bergeijk", summary="Gemeente in de provincie Noord-Brabant.",
        size_classes=["small"],
    ),
    SearchDocument(
        "municipality", "GM0518", "'s-Gravenhage", aliases=["Den Haag"],
        summary="Gemeente in de provincie Zuid-Holland.", size_classes=["large"],
    ),
    SearchDocument(
        "topic", "right-wing-extremism", "Rechts-extremisme",
        summary="Rechts-extremistische ideologieën, groepen en online subculturen.",
    ),
    SearchDocument(
        "topic", "jihadism", "Jihadisme", summary="Jihadistisch extremisme en islamistische radicalisering.",
        topics=["radicalisation"],
    ),
    SearchDocument(
        "approach", "signal-training", "Training signaleren van radicalisering",
        summary="Leer signalen van radicalisering herkennen en bespreken.",
        body="Voor professionals in het sociaal domein, het onderwijs en de wijkteams.",
        topics=["signal-recognition", "radicalisation"], serves=["national"],
        size_classes=["small", "medium"],
    ),
    SearchDocument(
        "approach", "family-support", "Steun voor families en gezinnen",
        summary="Advies aan ouders van radicaliserende jongeren.",
        body="Ook beschikbaar in de regio Eindhoven en Brabant-Zuidoost.",
        topics=["family-support", "radicalisation"], serves=["VR22"], size_classes=["small", "medium", "large"],
    ),
    SearchDocument(
        "expert", "team-polarisation", "Expertteam polarisatie",
        summary="Team dat gemeenten adviseert over polarisatie en spanningen in de wijk.",
        body="Werkt onder meer in Eindhoven, Helmond en 's-Hertogenbosch.",
        topics=["polarisation"], serves=["RE09"],
    ),
    SearchDocument(
        "organisation", "ror", "Rijksopleidingsinstituut tegengaan Radicalisering (ROR)",
        summary="Trainingen over radicalisering, jihadisme en rechts-extremisme voor professionals.",
        topics=["radicalisation", "jihadism", "right-wing-extremism"], serves=["national"],
    ),
    SearchDocument(
        "approach", "draft-plan", "Conceptplan radicalisering Eindhoven", status="draft",
        summary="Nog niet gepubliceerd: zeldzaamwoord.", topics=["radicalisation"],
    ),
    SearchDocument(
        "approach", "old-toolkit", "Oude toolkit radicalisering", status="archived",
        summary="Vervangen door nieuwere aanpak.", topics=["radicalisation"],
    ),
]  # fmt: skip


def load(engine: Engine, documents: list[SearchDocument] = CORPUS) -> None:
    """Recreate the search schema on ``engine`` and index ``documents``."""
    with engine.begin() as connection:
        search.drop_schema(connection)
        search.create_schema(connection)
        for document in documents:
            search.upsert(connection, document)
        search.upsert(connection, documents[0])


@pytest.fixture(scope="session")
def search_engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Engine]]:
    """Engine per dialect, each on a temporary database created the first time it is asked for."""
    engines: dict[str, Engine] = {}
    with ExitStack() as stack:

        def get(dialect: str) -> Engine:
            if dialect not in engines:
                folder = tmp_path_factory.mktemp(f"search-{dialect}")
                engines[dialect] = create_engine(stack.enter_context(temporary_database(dialect, folder)))
                stack.callback(engines[dialect].dispose)
            return engines[dialect]

        yield get


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, search_engines: Callable[[str], Engine]) -> Engine:
    """An engine whose database holds the search schema with ``CORPUS`` indexed."""
    engine = search_engines(request.param)
    load(engine)
    return engine


@pytest.fixture
def both_engines(search_engines: Callable[[str], Engine]) -> dict[str, Engine]:
    """The corpus indexed on both databases, for comparing them."""
    engines = {dialect: search_engines(dialect) for dialect in ("sqlite", "postgresql")}
    for engine in engines.values():
        load(engine)
    return engines
