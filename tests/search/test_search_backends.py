"""Both search backends on real databases: matching, ranking, filters, facets, index maintenance."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

import api.search as search
from api.search import Filters, Page, SearchDocument, backend_for, parse
from tests.search.conftest import CORPUS, SYNONYMS


def ids(engine: Engine, query: str, **filters: Any) -> list[str]:
    return [hit.id for hit in run(engine, query, **filters).hits]


def run(engine: Engine, query: str, *, limit: int = 20, offset: int = 0, **filters: Any) -> search.SearchResult:
    with engine.connect() as connection:
        return search.search_text(connection, query, Filters(**filters), Page(limit, offset), synonyms=SYNONYMS)


def test_backend_for_dialects() -> None:
    assert backend_for("sqlite").dialect == "sqlite"
    assert backend_for("postgresql").dialect == "postgresql"
    with pytest.raises(ValueError, match="mysql"):
        backend_for("mysql")


def test_prefix_finds_longer_words(engine: Engine) -> None:
    found = ids(engine, "radicali")
    assert {"signal-training", "jihadism", "ror", "family-support"} <= set(found)


def test_stemming_matches_other_word_forms(engine: Engine) -> None:
    assert "signal-training" in ids(engine, "radicaliseren")
    assert "family-support" in ids(engine, "gezin")


def test_case_and_diacritics_do_not_matter(engine: Engine) -> None:
    assert ids(engine, "IDEOLOGIEEN") == ids(engine, "ideologieën") == ["right-wing-extremism"]


def test_synonym_finds_the_canonical_term(engine: Engine) -> None:
    assert ids(engine, "extreemrechts")[0] == "right-wing-extremism"


def test_multiword_alias_and_synonym(engine: Engine) -> None:
    assert ids(engine, "Den Bosch")[0] == "GM0796"
    without_alias = [d for d in CORPUS if d.id != "GM0796"]
    without_alias.append(SearchDocument("municipality", "GM0796", "'s-Hertogenbosch"))
    with engine.begin() as connection:
        search.delete(connection, "municipality", "GM0796")
        search.upsert(connection, without_alias[-1])
    assert ids(engine, "den bosch")[0] == "GM0796"
    assert ids(engine, "'s-Hertogenbosch")[0] == "GM0796"


def test_typo_is_corrected_with_did_you_mean(engine: Engine) -> None:
    result = run(engine, "Eindhovn")
    assert result.did_you_mean == "eindhoven"
    assert result.hits[0].id == "GM0772"


def test_no_suggestion_from_unpublished_documents(engine: Engine) -> None:
    result = run(engine, "zeldzaamwoordd")
    assert (result.total, result.did_you_mean) == (0, None)
    assert run(engine, "zeldzaamwoordd", statuses=["draft"]).did_you_mean == "zeldzaamwoord"


def test_name_match_ranks_above_body_mentions(engine: Engine) -> None:
    result = run(engine, "eindhoven")
    assert [hit.id for hit in result.hits][:1] == ["GM0772"]
    assert {"team-polarisation", "family-support"} <= {hit.id for hit in result.hits[1:]}
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] >= 1.0 > scores[1] > 0


def test_name_field_outweighs_body(engine: Engine) -> None:
    assert ids(engine, "polarisatie")[0] == "team-polarisation"


def test_snippet_marks_matches(engine: Engine) -> None:
    [hit] = run(engine, "ideologie").hits
    assert hit.snippet == "Rechts-extremistische <mark>ideologieën</mark>, groepen en online subculturen."


def test_empty_query_lists_everything_by_name(engine: Engine) -> None:
    result = run(engine, "  ()  ", limit=100)
    published = [d for d in CORPUS if d.status == "published"]
    assert result.total == len(published)
    names = [hit.name for hit in result.hits]
    assert names[0] == "Bergeijk"
    assert (
        names.index("'s-Gravenhage") < names.index("'s-Hertogenbosch") < names.index("Steun voor families en gezinnen")
    )
    assert all(hit.score == 0 for hit in result.hits)


def test_status_filter_hides_drafts_by_default(engine: Engine) -> None:
    assert "draft-plan" not in ids(engine, "conceptplan")
    assert ids(engine, "conceptplan", statuses=["draft"]) == ["draft-plan"]
    assert set(ids(engine, "radicalisering", statuses=None, limit=100)) >= {"draft-plan", "old-toolkit"}


def test_filters_are_anded_and_values_ored(engine: Engine) -> None:
    assert set(ids(engine, "", types=["approach", "expert"], limit=100)) == {
        "signal-training", "family-support", "team-polarisation",
    }  # fmt: skip
    assert set(ids(engine, "", topics=["jihadism", "polarisation"], limit=100)) == {"ror", "team-polarisation"}
    assert set(ids(engine, "", serves=["national"], limit=100)) == {"signal-training", "ror"}
    assert set(ids(engine, "", size_classes=["small"], types=["municipality"])) == {"GM1724"}
    assert set(ids(engine, "radicalisering", topics=["radicalisation"], serves=["VR22"])) == {"family-support"}
    assert ids(engine, "", topics=[]) == []
    assert ids(engine, "", topics=["two words"]) == []
    assert ids(engine, "", topics=["radical"]) == []


def test_facets_cover_the_whole_result_not_the_page(engine: Engine) -> None:
    result = run(engine, "radicalisering", limit=1)
    assert len(result.hits) == 1
    assert result.total == 4
    assert result.facets["type"] == {"approach": 2, "organisation": 1, "topic": 1}
    assert result.facets["topic"] == {
        "radicalisation": 4, "family-support": 1, "jihadism": 1, "right-wing-extremism": 1,
        "signal-recognition": 1,
    }  # fmt: skip


def test_unusable_filter_values_are_not_stored(engine: Engine) -> None:
    odd = SearchDocument("topic", "odd", "Vreemd", topics=['say "hi"', "back\\slash", "two words", "ok"])
    with engine.begin() as connection:
        search.upsert(connection, odd)
    result = run(engine, "vreemd")
    assert result.facets["topic"] == {"ok": 1}
    assert ids(engine, "", topics=['say "hi"']) == []


def test_paging(engine: Engine) -> None:
    everything = ids(engine, "", limit=100)
    assert ids(engine, "", limit=3, offset=2) == everything[2:5]
    beyond = run(engine, "", offset=100)
    assert (beyond.hits, beyond.total) == ([], len(everything))


def test_exclusion(engine: Engine) -> None:
    assert set(ids(engine, "radicalisering -training")) == {"jihadism", "family-support"}
    assert set(ids(engine, "radicalisering NOT jihadisme")) == {"signal-training", "family-support"}


def test_upsert_replaces_and_delete_removes(engine: Engine) -> None:
    with engine.begin() as connection:
        search.upsert(connection, SearchDocument("municipality", "GM0772", "Eindhoven-Nieuw"))
    assert ids(engine, "nieuw") == ["GM0772"]
    assert run(engine, "", types=["municipality"], limit=100).total == 4
    with engine.begin() as connection:
        search.delete(connection, "municipality", "GM0772")
        search.delete(connection, "municipality", "GM0772")
    assert ids(engine, "nieuw") == []
    assert "GM0772" not in ids(engine, "", types=["municipality"])


def test_index_changes_share_the_callers_transaction(engine: Engine) -> None:
    with Session(engine) as session:
        search.upsert(session, SearchDocument("topic", "temp", "Tijdelijkwoord"))
        assert ids_in(session, "tijdelijkwoord") == ["temp"]
        session.rollback()
    assert ids(engine, "tijdelijkwoord") == []


def ids_in(session: Session, query: str) -> list[str]:
    return [hit.id for hit in search.search(session, parse(query)).hits]


def test_vocabulary_holds_surface_forms_and_stems(engine: Engine) -> None:
    with engine.connect() as connection:
        vocabulary = search.vocabulary(connection)
    assert {"eindhoven", "shertogenbosch", "hertogenbosch", "radicalisering"} <= vocabulary
    assert vocabulary.frequency("gemeente") == 4


def test_vocabulary_counts_stay_exact_through_updates_and_deletes(engine: Engine) -> None:
    with engine.begin() as connection:
        search.upsert(connection, SearchDocument("topic", "extra", "Eindhoven extra", summary="gemeente"))
        search.upsert(connection, SearchDocument("topic", "extra", "Anders", summary="gemeente"))
        search.delete(connection, "municipality", "GM1724")
        incremental = search.vocabulary(connection)
        documents = [d for d in CORPUS if d.id != "GM1724"]
        documents.append(SearchDocument("topic", "extra", "Anders", summary="gemeente"))
        assert search.reindex(connection, documents) == len(documents)
        rebuilt = search.vocabulary(connection)
    assert {t: incremental.frequency(t) for t in incremental} == {t: rebuilt.frequency(t) for t in rebuilt}
    assert "bergeijk" not in rebuilt and "anders" in rebuilt
    assert rebuilt.frequency("eindhoven") == 4


def test_reindex_replaces_everything(engine: Engine) -> None:
    with engine.begin() as connection:
        only = SearchDocument("topic", "only", "Enige onderwerp")
        assert search.reindex(connection, [SearchDocument("topic", "only", "Vorige versie"), only]) == 1
        assert search.vocabulary(connection).frequency("onderwerp") == 1
        assert "vorige" not in search.vocabulary(connection)
    assert ids(engine, "", statuses=None) == ["only"]
    assert ids(engine, "onderwerp") == ["only"]


def test_backends_agree(both_engines: dict[str, Engine]) -> None:
    queries = [
        "eindhoven", "radicalisering", "den bosch", "extreemrechts", "polarisatie", "Eindhovn", "gezin", "",
        "bergeijk polarisatie", "eindhoven polarisatie bergeijk", "eindhovn bergeijk", "training den bosch -x",
    ]  # fmt: skip
    for query in queries:
        results = {dialect: run(engine, query, limit=100) for dialect, engine in both_engines.items()}
        sqlite, postgresql = results["sqlite"], results["postgresql"]
        assert sqlite.total == postgresql.total, query
        assert sqlite.facets == postgresql.facets, query
        assert sqlite.did_you_mean == postgresql.did_you_mean, query
        assert [h.id for h in sqlite.hits[:1]] == [h.id for h in postgresql.hits[:1]], query
        assert {h.id for h in sqlite.hits} == {h.id for h in postgresql.hits}, query
        assert {h.snippet for h in sqlite.hits} == {h.snippet for h in postgresql.hits}, query
    with both_engines["sqlite"].connect() as a, both_engines["postgresql"].connect() as b:
        assert set(search.vocabulary(a)) == set(search.vocabulary(b))


TIERED = [
    SearchDocument("topic", "in-name", "Wegwijzer kompasroos voor gemeenten en hun vele partners in de hele regio"),
    SearchDocument("topic", "in-alias", "Iets anders", aliases=["Kompasroos en wegwijzer"]),
    SearchDocument("topic", "in-summary", "Nog iets", summary="Kompasroos wegwijzer."),
    SearchDocument("topic", "split", "Kompasroos", body="Een wegwijzer."),
    SearchDocument("topic", "in-body", "Weer iets", body="Kompasroos wegwijzer. " * 5),
]


def test_names_outrank_aliases_outrank_summaries_outrank_descriptions(engine: Engine) -> None:
    with engine.begin() as connection:
        for document in TIERED:
            search.upsert(connection, document)
    assert ids(engine, "kompasroos wegwijzer") == ["in-name", "in-alias", "in-summary", "split", "in-body"]
    single = ids(engine, "kompasroos")
    assert set(single[:2]) == {"in-name", "split"} and single[2:] == ["in-alias", "in-summary", "in-body"]
    scores = [hit.score for hit in run(engine, "kompasroos wegwijzer").hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_words_as_typed_outrank_matches_through_a_synonym(engine: Engine) -> None:
    with engine.begin() as connection:
        search.upsert(connection, SearchDocument("approach", "literal", "Aanpak", body="Over extreemrechts online."))
    assert ids(engine, "extreemrechts") == ["literal", "right-wing-extremism", "ror"]


def test_when_no_document_has_every_term_any_term_will_do(engine: Engine) -> None:
    assert ids(engine, "radicalisering training") == ["signal-training", "ror"]
    result = run(engine, "bergeijk polarisatie")
    assert {hit.id for hit in result.hits} == {"GM1724", "team-polarisation"} and result.total == 2
    assert ids(engine, "eindhoven polarisatie bergeijk")[0] == "team-polarisation"
    assert ids(engine, "bergeijk polarisatie -helmond") == ["GM1724"]
    scores = [hit.score for hit in run(engine, "eindhoven polarisatie bergeijk").hits]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0 and scores[0] < 1
    assert ids(engine, "zeldzaamwoord bergeijk", statuses=["draft"]) == ["draft-plan"]  # filters still apply


def test_typo_correction_comes_before_relaxing(engine: Engine) -> None:
    result = run(engine, "eindhovn bergeijk")
    assert result.did_you_mean == "eindhoven bergeijk"
    assert {"GM0772", "GM1724"} <= {hit.id for hit in result.hits}
    hidden = run(engine, "zeldzaamwoordd bergeijk")
    assert ([hit.id for hit in hidden.hits], hidden.did_you_mean) == (["GM1724"], None)
    assert run(engine, "zeldzaamwoordd bergeijk", statuses=["draft", "published"]).did_you_mean == (
        "zeldzaamwoord bergeijk"
    )


def test_related_names_find_a_document_but_never_as_its_exact_name(engine: Engine) -> None:
    with engine.begin() as connection:
        search.upsert(connection, SearchDocument("organisation", "nctv", "Nationaal Coördinator", aliases=["NCTV"]))
        search.upsert(connection, SearchDocument("approach", "gelden", "Versterkingsgelden", related=["NCTV"]))
    [first, second] = run(engine, "nctv").hits
    assert (first.id, second.id) == ("nctv", "gelden")
    assert first.score >= 1 > second.score
