"""Query parsing, rendering and typo correction, without a database."""

from __future__ import annotations

import re
import time

from api.queries.search import alias_synonyms
from api.search.parser import correct, parse
from api.search.postgresql import to_tsquery, to_tsquery_within, tsquery_term
from api.search.query import MAX_QUERY_LENGTH, MAX_TERMS, SynonymTable, Token, compile_synonyms, synonym_map
from api.search.sqlite import fts5_term, to_fts5, to_fts5_within
from api.search.text import stem
from api.search.vocabulary import Vocabulary

SYNONYMS = {"extreemrechts": ["rechts extremisme"], "den bosch": ["s hertogenbosch"]}
FTS5_TOKEN = re.compile(r'"[a-z0-9]+"\*?')


def alternatives(query: str, synonyms: dict[str, list[str]] | None = None) -> list[list[tuple[Token, ...]]]:
    return [list(term.alternatives) for term in parse(query, synonyms).terms]


def test_prefix_matching_from_three_letters() -> None:
    assert to_fts5(parse("radicali")) == '("radicali"*)'
    assert to_tsquery(parse("radicali")) == "(radicali:*)"
    assert to_fts5(parse("ab")) == '("ab")'


def test_terms_carry_their_stem() -> None:
    [term] = parse("radicaliseren").terms
    assert (Token(stem("radicaliseren")),) in term.alternatives


def test_every_fts5_token_is_quoted() -> None:
    expression = to_fts5(parse('brabant-noord NEAR(a b) col:value "x OR y" ^z +w'))
    assert expression is not None
    bare = FTS5_TOKEN.sub("", expression)
    assert re.fullmatch(r"[()\sANDORNT]*", bare), bare
    assert "brabantnoord" in expression


def test_tsquery_tokens_are_plain() -> None:
    expression = to_tsquery(parse("Café's-Gravenhage & 'drop' | !x <-> y:*"))
    assert expression is not None
    assert re.fullmatch(r"[a-z0-9:*()&|!\s]+", expression), expression


def test_empty_and_punctuation_render_to_none() -> None:
    for query in ["", "   ", "()*:-", '"""', "AND OR NOT", "😀", None]:
        parsed = parse(query)
        assert parsed.is_empty
        assert to_fts5(parsed) is None
        assert to_tsquery(parsed) is None


def test_quotes_turn_prefix_matching_off() -> None:
    assert to_fts5(parse('"jihad"')) == '("jihad")'
    assert to_fts5(parse('"jihad"*')) == '("jihad"*)'


def test_exclusion_with_minus_and_not() -> None:
    for query in ["jihadisme -online", "jihadisme NOT online"]:
        parsed = parse(query)
        assert [t.words for t in parsed.terms] == [("jihadisme",)]
        assert [t.words for t in parsed.excluded] == [("online",)]
        assert to_fts5(parsed).endswith('NOT (("online"*))')  # type: ignore[union-attr]
        assert to_tsquery(parsed).endswith("& !((online:*))")  # type: ignore[union-attr]


def test_only_exclusions_mean_no_text_filter() -> None:
    assert parse("-online").is_empty


def test_or_merges_terms() -> None:
    parsed = parse("jihadisme OR polarisatie training")
    assert [t.words for t in parsed.terms] == [("jihadisme", "polarisatie"), ("training",)]
    assert to_tsquery(parsed).startswith("(jihadisme:* | jihaad | polarisatie:*")  # type: ignore[union-attr]


def test_lowercase_operators_are_words() -> None:
    assert [t.words for t in parse("near or not").terms] == [("near",), ("or",), ("not",)]


def test_stop_words_are_dropped_unless_alone() -> None:
    assert [t.words for t in parse("aanpak van de radicalisering").terms] == [("aanpak",), ("radicalisering",)]
    assert [t.words for t in parse("de het").terms] == [("de",), ("het",)]
    assert parse("aanpak van de radicalisering").key == "aanpak van de radicalisering"


def test_query_is_cut_at_max_length_and_max_terms() -> None:
    long_query = "woord " * (MAX_QUERY_LENGTH // 6) + "staart"
    assert "staart" not in parse(long_query).words
    assert parse("woord " * 10 + "staart").words[-1] == "staart"
    many = " ".join(f"woord{n}" for n in range(40))
    assert len(parse(many).terms) == MAX_TERMS


def test_single_word_synonym() -> None:
    [term] = parse("extreemrechts", SYNONYMS).terms
    assert (Token("rechts", True), Token("extremisme", True)) in term.alternatives
    assert to_fts5(parse("extreemrechts", SYNONYMS)) == (
        '("extreemrechts"* OR ("rechts"* AND "extremisme"*) OR "rechtsextremisme"*)'
    )


def test_multiword_synonym_phrase_is_detected() -> None:
    parsed = parse("training Den Bosch", SYNONYMS)
    assert [t.words for t in parsed.terms] == [("training",), ("den", "bosch")]
    assert (Token("s"), Token("hertogenbosch", True)) in parsed.terms[1].alternatives


def test_hyphenated_query_word_matches_joined_and_parts() -> None:
    [term] = parse("rechts-extremisme").terms
    assert (Token("rechtsextremisme", True),) in term.alternatives
    assert (Token("rechts", True), Token("extremisme", True)) in term.alternatives


def test_synonym_map_points_variants_at_the_canonical_phrase() -> None:
    table = synonym_map({"rechts-extremisme": ["extreemrechts", "rechts extremisme"]})
    assert table == {"extreemrechts": ["rechts-extremisme"], "rechts extremisme": ["rechts-extremisme"]}
    [term] = parse("extreemrechts", table).terms
    assert (Token("rechtsextremisme", True),) in term.alternatives


VOCABULARY = Vocabulary({"eindhoven": 3, "eindhoof": 3, "eindhove": 1, "radicalisering": 5, "jongeren": 2})


def test_correct_replaces_an_unknown_word_within_one_edit() -> None:
    corrected, did_you_mean = correct(parse("Eindhovn jongeren"), VOCABULARY)
    assert did_you_mean == "eindhoven jongeren"
    assert corrected.terms[0].words == ("eindhoven",)
    assert corrected.key == "eindhoven jongeren"


def test_correct_allows_two_edits_from_nine_letters() -> None:
    _, did_you_mean = correct(parse("radikalisring"), VOCABULARY)
    assert did_you_mean == "radicalisering"
    assert correct(parse("eindhvn"), VOCABULARY)[1] is None


def test_correct_leaves_known_words_prefixes_and_short_words() -> None:
    for query in ["eindhoven", "radicali", "eindh", "jongren"[:4], "xyz12"]:
        parsed = parse(query)
        assert correct(parsed, VOCABULARY) == (parsed, None)


def test_correct_keeps_a_synonym_that_matches() -> None:
    parsed = parse("extreemrechts", SYNONYMS)
    vocabulary = Vocabulary(["rechts", "extremisme", "extreemrecht"])
    assert correct(parsed, vocabulary) == (parsed, None)


def test_correct_is_fast_on_a_large_vocabulary() -> None:
    words = Vocabulary(f"{prefix}{n}woord" for prefix in ("aa", "bb", "cc", "dd", "ee") for n in range(10_000))
    parsed = parse("eindhovn radikalisring polarizatie")
    started = time.perf_counter()
    for _ in range(10):
        correct(parsed, words)
    assert (time.perf_counter() - started) / 10 < 0.2


def test_relaxed_query_needs_any_term_and_keeps_exclusions_apart() -> None:
    parsed = parse("jihadisme polarisatie -online").relaxed()
    assert parsed.match_any and [t.words for t in parsed.terms] == [("jihadisme",), ("polarisatie",)]
    assert to_fts5(parsed) == '(("jihadisme"* OR "jihaad") OR ("polarisatie"* OR "polariseer")) NOT (("online"*))'
    assert to_tsquery(parsed) == "((jihadisme:* | jihaad) | (polarisatie:* | polariseer)) & !((online:*))"
    assert to_tsquery(parse("jihadisme polarisatie")) == "(jihadisme:* | jihaad) & (polarisatie:* | polariseer)"


def test_rendering_within_columns() -> None:
    parsed = parse("rechts-extremisme den", SYNONYMS)
    assert to_fts5_within(parsed, ["name"]) == (
        '{name} : (("rechtsextremisme"* OR "rechtsextreem" OR ("rechts"* AND "extremisme"*)) AND ("den"*))'
    )
    assert to_tsquery_within(parsed, ["aliases", "name"]) == (
        "(rechtsextremisme:*AB | rechtsextreem:AB | (rechts:*AB & extremisme:*AB)) & (den:*AB)"
    )
    everywhere = ["name", "aliases", "summary", "body"]
    assert to_fts5_within(parsed, everywhere) == "(" + to_fts5(parsed) + ")"  # type: ignore[operator]
    assert to_tsquery_within(parsed, everywhere) == to_tsquery(parsed)
    [term, _] = parsed.terms
    assert fts5_term(term, ["summary"]).startswith('{summary} : ("rechtsextremisme"*')
    assert tsquery_term(term, "C").startswith("(rechtsextremisme:*C | rechtsextreem:C")
    assert to_fts5_within(parse(""), ["name"]) is None and to_tsquery_within(parse("-x"), ["name"]) is None


def test_literally_drops_synonyms_but_keeps_word_forms() -> None:
    [term] = parse("extreemrechts", SYNONYMS).terms
    assert term.literally().alternatives == ((Token("extreemrechts", True),),)
    phrase = parse("den bosch", SYNONYMS)
    den_bosch = ((Token("den", True), Token("bosch", True)), (Token("denbosch", True),))
    assert phrase.literally().terms[0].alternatives == den_bosch
    merged = parse("extreemrechts OR jihadisme", SYNONYMS).terms[0].literally()
    assert Token("rechts", True) not in {tok for alt in merged.alternatives for tok in alt}
    assert (Token("jihadisme", True),) in merged.alternatives
    plain = parse("radicaliseren")
    assert plain.literally() == plain


def test_compiled_synonym_table_parses_like_the_map() -> None:
    table = compile_synonyms({**SYNONYMS, "plan van aanpak": ["beleid"]})
    assert isinstance(table, SynonymTable) and table.longest == 3
    for query in ["training den bosch", "extreemrechts", "hulp bij plan van aanpak", "x"]:
        assert parse(query, table) == parse(query, {**SYNONYMS, "plan van aanpak": ["beleid"]})
    assert [t.words for t in parse("hulp bij plan van aanpak", table).terms] == [("hulp",), ("plan", "van", "aanpak")]


def test_municipality_aliases_that_share_no_word_become_synonyms() -> None:
    table = alias_synonyms([
        ("'s-Hertogenbosch", ["Den Bosch", "Hertogenbosch", "'s Hertogenbosch"]),
        ("Súdwest-Fryslân", ["Zuidwest-Friesland", "Sudwest Fryslan"]),
        ("Bergen (NH.)", ["Bergen NH"]),
        ("Leeuwarden", ["Ljouwert"]),
        ("Eindhoven", []),
    ])  # fmt: skip
    assert table == {
        "Den Bosch": ["'s-Hertogenbosch"], "Zuidwest-Friesland": ["Súdwest-Fryslân"], "Ljouwert": ["Leeuwarden"],
    }  # fmt: skip
