"""Lemmas an analyst can read: acronyms kept, dictionary slips undone, nynorsk met with bokmål."""

import pytest

from synthesis.corpus import AnswerText, build_corpus
from synthesis.language import detect_language
from synthesis.nynorsk import bokmal_lemma
from synthesis.text import Lemmatizer


def test_acronyms_keep_their_capitals_and_are_not_lemmatised():
    lemmas = Lemmatizer().lemmas("Foreldreutvalget (FUG) og FUB ber om bedre IT-støtte.", "nb")
    assert {"FUG", "FUB", "IT"} <= set(lemmas)
    assert "fuge" not in lemmas and "it" not in lemmas


def test_short_dictionary_slips_are_undone():
    lemmas = Lemmatizer().lemmas("Samarbeid i alle ledd, tidlig i prosesser og satsinger.", "nb")
    assert "ledd" in lemmas and "le" not in lemmas
    assert "prosess" in lemmas and "prosessere" not in lemmas
    assert "satsing" in lemmas
    assert Lemmatizer().lemmas("De unges og kommunenes behov", "nb") == ["ung", "kommune"]


@pytest.mark.parametrize(
    "text",
    ["Kommunane må vera med.", "Betre samordning av tenestene.", "Leiinga i tenestene"],
)
def test_short_nynorsk_answers_without_function_words_are_nynorsk(text):
    assert detect_language(text) == "nn"


def test_short_bokmal_answer_stays_bokmal():
    assert detect_language("Bedre samordning av tjenestene.") == "nb"


@pytest.mark.parametrize(
    ("nynorsk", "bokmal"),
    [
        ("teneste", "tjeneste"),
        ("leiing", "ledelse"),
        ("leiar", "leder"),
        ("fagleg", "faglig"),
        ("tenestebrukar", "tjenestebruker"),
        ("kommune", "kommune"),
        ("kvalitet", "kvalitet"),
    ],
)
def test_nynorsk_lemmas_map_to_bokmal(nynorsk, bokmal):
    assert bokmal_lemma(nynorsk) == bokmal


def test_the_same_topic_in_both_standards_gives_the_same_lemmas():
    corpus = build_corpus(
        [
            AnswerText("nb", "Ledelsen i tjenestene må styrke samarbeidet med kommunene."),
            AnswerText("nn", "Leiinga i tenestene må styrkje samarbeidet med kommunane."),
        ]
    )
    assert [p.language for p in corpus.passages] == ["nb", "nn"]
    bokmal, nynorsk = corpus.docs.lemmas_of(0), corpus.docs.lemmas_of(1)
    assert {"ledelse", "tjeneste", "samarbeid", "kommune"} <= set(bokmal) & set(nynorsk)
