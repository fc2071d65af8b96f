"""Seed 004 read as an analyst reads it: the faults issue 12 found must stay fixed.

The consultation of seed 004 with its consulted document (seed 000) as the snapshot's document:
themes are not the document's title words, no theme swallows a question, quotes are whole
informative sentences from different authors, labels hold no function word or lemma slip.
"""

from dataclasses import replace
from pathlib import Path

import pytest

from hearing.imports.compiled import parse_compiled
from synthesis.language import stop_words
from synthesis.text import Lemmatizer
from synthesis.theme_dedup import content_key
from synthesis.theme_labels import LABEL_STOP_WORDS, is_informative
from synthesis.themes import find_themes

DEMO = Path(__file__).resolve().parent.parent / "hearing" / "demo_data" / "compiled_responses.txt"
DOCUMENT = Path("/work/shared/seeds/000_277e22b763c20f0d.txt")
LEMMA_SLIPS = {"le", "fuge", "it", "hvilken", "per", "én", "liten", "vera", "utse"}


@pytest.fixture(scope="module")
def snapshot():
    snapshot = parse_compiled(DEMO.read_text(encoding="utf-8")).snapshot
    document = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    return replace(snapshot, document=document)


@pytest.fixture(scope="module")
def found(snapshot):
    return {result.question_code: result for result in find_themes(snapshot, random_state=0)}


def real_themes(result):
    return [theme for theme in result.themes if not theme.is_other]


def test_no_theme_swallows_a_question_and_the_number_is_not_stuck_at_two(snapshot, found):
    for code, result in found.items():
        answers = {r.key for r, a in snapshot.answers_to(code) if a.text} - set(
            result.cross_references
        )
        for theme in real_themes(result):
            assert theme.size <= 0.8 * len(answers), (code, theme.label)
    assert max(len(real_themes(result)) for result in found.values()) >= 5


def test_labels_are_not_the_documents_title_words(snapshot, found):
    title = set(Lemmatizer().lemmas(snapshot.title, "nb"))
    for result in found.values():
        for theme in real_themes(result):
            assert not set(theme.keywords[:3]) <= title, theme.label


def test_quotes_are_informative_sentences_from_different_authors(snapshot, found):
    names = {r.key: r.name for r in snapshot.respondents}
    for result in found.values():
        seen: set[str] = set()
        for theme in result.themes:
            quoted_names = [names[q.respondent_key].split(",")[0] for q in theme.quotes]
            assert len(quoted_names) == len(set(quoted_names)), theme.label
            for quote in theme.quotes:
                assert content_key(quote.text) not in seen
                seen.add(content_key(quote.text))
                if not theme.is_other:
                    assert is_informative(quote.text), quote.text
                assert "Fafo-notat" not in quote.text and not quote.text.endswith(":")


def test_keywords_and_labels_hold_no_function_word_or_lemma_slip(found):
    stops = stop_words("nb") | LABEL_STOP_WORDS | LEMMA_SLIPS
    for result in found.values():
        for theme in real_themes(result):
            words = {word.casefold() for keyword in theme.keywords for word in keyword.split()}
            assert not words & stops, (theme.label, words & stops)
            assert theme.label.split()[-1].casefold() not in stop_words("nb"), theme.label
