"""Labels an analyst would write and quotes that say something."""

import pytest

from synthesis.text import Lemmatizer, passages_of_answer
from synthesis.theme_labels import choose_quotes, is_informative, verbal_lemmas


@pytest.mark.parametrize(
    "sentence",
    [
        "Fafo-notat 2019:19; Glavin, K. og Erdal, B. (2018): Tverrfaglig samarbeid i praksis).",
        "Tiltak som kan legge til rette for at forskning tas i bruk i praksisfeltet:",
        "Med vennlig hilsen Etat for barn og familie, Bergen kommune",
        "oppdrag, for å knytte det til et fagfelt som allerede jobber med tematikken.",
        "3.2 side 8 Godt forslag: Det er behov for en type strukturell",
        "For alle tjenester og nivåer.",
    ],
)
def test_references_headings_greetings_fragments_and_one_liners_are_not_quoted(sentence):
    assert not is_informative(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Rapporten virker fragmentert, og lite helhetlig i sin tilnærming.",
        "Forskning sammen med barn må få større plass i kommunene",  # a bullet, no full stop
    ],
)
def test_whole_statements_are_quoted(sentence):
    assert is_informative(sentence)


def lemmas_of_words(words, language):
    lemmatizer = Lemmatizer()
    return [lemmatizer.lemma(word, language) for word in words]


def test_quotes_come_from_different_authors_and_never_repeat():
    text = "Rapporten er for lang og gjentar seg selv i flere av kapitlene sine."
    passages = [
        *passages_of_answer("a", text),
        *passages_of_answer("b", text),
        *passages_of_answer("c", "Rapporten burde kortes ned slik at den blir mer leservennlig."),
        *passages_of_answer("d", "Rapporten er helt grei, men kapitlene er lange å lese."),
    ]
    chosen = choose_quotes(
        passages,
        range(4),
        lambda sentence, language: 0,
        quotes=3,
        author_of=lambda key: {"d": "c"}.get(key, key),
    )
    assert [key for key, _ in chosen] == ["a", "c"]


def test_words_the_answers_use_as_verbs_are_found():
    passages = [
        *passages_of_answer("a", "Rapporten må beskrive tiltakene for samarbeid bedre."),
        *passages_of_answer("b", "Det er viktig å beskrive samarbeid i kommunene."),
        *passages_of_answer("c", "Samarbeid beskrives for lite i rapporten."),
    ]
    verbs = verbal_lemmas(passages, lemmas_of_words)
    assert "beskrive" in verbs
    assert "samarbeid" not in verbs and "rapport" not in verbs
