"""Normalisation, tokens, stems and snippets: the shared ground both search backends index."""

from __future__ import annotations

import pytest

from api.search.text import MAX_TOKEN_LENGTH, index_terms, normalise, snippet, stem, tokenize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Café  Noël!", "cafe noel"),
        ("Súdwest-Fryslân", "sudwest-fryslan"),
        ("Ærø, Straße & İstanbul", "aero strasse istanbul"),
        ("e\u0301cole", "ecole"),
        ("'s-Hertogenbosch", "s-hertogenbosch"),
        ("auto's", "autos"),
        ("a\x00b\tc 😀 (d)", "a b c d"),
        ("", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_tokenize_joins_apostrophes_and_hyphens() -> None:
    assert tokenize("'s-Hertogenbosch en Den Bosch") == ["shertogenbosch", "en", "den", "bosch"]
    assert tokenize("rechts-extremisme") == ["rechtsextremisme"]


def test_apostrophe_word_is_indexed_joined_and_split() -> None:
    terms = index_terms("'s-Hertogenbosch")
    assert "shertogenbosch" in terms
    assert "hertogenbosch" in terms


def test_hyphenated_word_is_indexed_joined_and_as_parts() -> None:
    terms = index_terms("Rechts-extremisme")
    assert {"rechts", "extremisme", "rechtsextremisme"} <= set(terms)


def test_index_terms_carry_surface_forms_and_stems() -> None:
    terms = index_terms("Radicalisering van jongeren")
    assert terms[:2] == ["radicalisering", stem("radicalisering")]
    assert "jongeren" in terms
    assert all(term.isalnum() and term.isascii() and term == term.lower() for term in terms)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("radicalisering", "radicaliseren"),
        ("veiligheidshuizen", "veiligheidshuis"),
        ("sleutelfiguren", "sleutelfiguur"),
        ("gemeenten", "gemeente"),
        ("scholen", "school"),
        ("radicaliseert", "radicalisering"),
        ("geradicaliseerd", "radicaliseren"),
        ("geradicaliseerde", "radicalisering"),
        ("gesignaleerd", "signalering"),
        ("polariseerde", "polariseren"),
    ],
)
def test_word_forms_share_a_stem(a: str, b: str) -> None:
    assert stem(a) == stem(b)


@pytest.mark.parametrize(("a", "b"), [("geweld", "wel"), ("begeleiding", "beleid"), ("eenheid", "een")])
def test_stems_do_not_conflate_unrelated_words(a: str, b: str) -> None:
    assert stem(a) != stem(b)


def test_tokens_with_digits_are_not_stemmed() -> None:
    assert stem("gm0363") == "gm0363"


def test_snippet_escapes_html_and_marks_matches() -> None:
    text = "<b>Training</b> over radicalisering & polarisatie in 's-Hertogenbosch"
    result = snippet(text, ["radicali", "hertogenbosch"])
    assert result == (
        "&lt;b&gt;Training&lt;/b&gt; over <mark>radicalisering</mark> &amp; polarisatie in "
        "&#x27;<mark>s-Hertogenbosch</mark>"
    )


def test_snippet_marks_by_stem_and_keeps_diacritics() -> None:
    result = snippet("Ideeën over radicaliseren in Zürich", [stem("radicalisering"), "zurich"])
    assert result == "Ideeën over <mark>radicaliseren</mark> in <mark>Zürich</mark>"


def test_snippet_short_terms_match_whole_words_only() -> None:
    assert snippet("een ene en", ["en"]) == "een ene <mark>en</mark>"


def test_snippet_windows_around_the_first_match() -> None:
    text = "inleiding " * 40 + "over extremisme en meer " + "afsluiting " * 40
    result = snippet(text, ["extremisme"], max_len=80)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>extremisme</mark>" in result
    visible = result.replace("<mark>", "").replace("</mark>", "")
    assert len(visible) <= 80


def test_snippet_without_match_is_the_start_of_the_text() -> None:
    text = "woord " * 100
    result = snippet(text, ["onbekend"], max_len=50)
    assert result.startswith("woord") and result.endswith("…") and len(result) <= 50
    assert "<mark>" not in result


def test_long_tokens_are_cut() -> None:
    [term] = index_terms("x" * 5000)
    assert term == "x" * MAX_TOKEN_LENGTH
    assert tokenize("\u33af" * 100) == ["rads2" * 20]
