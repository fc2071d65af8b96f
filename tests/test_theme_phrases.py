"""Labels an analyst would write: a short noun phrase from the theme's own sentences.

Not a keyword list ("forskning · praksis · kunnskap"), no function word or verb at its edges,
acronyms and names as written, never a lemma the answers do not use, and one topic written in
nynorsk and bokmål is one theme.
"""

import pytest

from synthesis.text import Lemmatizer, passages_of_answer
from synthesis.theme_labels import LABEL_STOP_WORDS
from synthesis.theme_phrases import ADJECTIVE, NOUN, VERB, theme_label, word_kinds
from synthesis.themes import ThemeModel
from tests.theme_corpora import generated_answers

LEMMATIZER = Lemmatizer()


def lemmas_of_words(words, language):
    return [LEMMATIZER.lemma(word, language) for word in words]


def label_of(texts, keywords, language=None, **options):
    passages = [
        passage
        for index, text in enumerate(texts)
        for passage in passages_of_answer(f"r{index}", text, language=language)
    ]
    return theme_label(passages, range(len(passages)), keywords, lemmas_of_words, **options)


def kinds(sentence, language="nb"):
    words = sentence.split()
    return word_kinds(words, lemmas_of_words(words, language), language)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("utsatte barn", ADJECTIVE + NOUN),  # inflected like an adjective before a noun
        ("tverrfaglig samarbeid", ADJECTIVE + NOUN),
        ("tettere samarbeid", ADJECTIVE + NOUN),  # a comparative
        ("vi må beskrive tiltakene", "SS" + VERB + NOUN),  # after a modal verb
        ("samarbeidet beskrives", NOUN + VERB),  # a passive
        ("kommunene trenger veiledning", NOUN + VERB + NOUN),  # a present tense
        ("rapportene og kommentere", NOUN + "O" + VERB),  # a lemma in -ere
        ("samarbeid på tvers av tjenestene", "NLNLN"),
    ],
)
def test_words_get_a_rough_part_of_speech(sentence, expected):
    assert kinds(sentence) == expected


def test_a_label_is_a_noun_phrase_of_the_themes_keywords():
    texts = [
        "Det trengs mer samarbeid på tvers av tjenestene, særlig for de minste barna.",
        "Samarbeid på tvers mellom tjenestene er for svakt i dag.",
        "Vi ønsker bedre samarbeid på tvers av alle tjenestene.",
    ]
    assert label_of(texts, ["samarbeid", "tvers", "tjeneste"]) == "Samarbeid på tvers av tjenestene"


def test_a_label_never_ends_on_a_verb_or_a_function_word():
    texts = [
        "Vi kommenterer rapporten, som er for lang og fragmentert.",
        "Rapporten kommenteres av mange, og rapporten er for lang.",
    ]
    label = label_of(texts, ["rapport", "kommentere", "lang"])
    assert label.split()[-1].casefold() not in {"kommenterer", "kommenteres", "er", "og", "for"}
    assert label.startswith("Rapport")


def test_one_keyword_phrases_are_joined_with_the_next_noun_and_never_listed():
    texts = [
        "Tilskudd gir ikke varig drift, og prosjektmidler er kortsiktige.",
        "Prosjektmidler og tilskudd må følges av finansiering av drift.",
        "Korte prosjektmidler og tilskudd hindrer varig drift.",
    ]
    label = label_of(texts, ["tilskudd", "prosjektmidler", "drift"])
    assert "·" not in label
    assert " og " in label and len(label.split()) <= 6


def test_acronyms_and_names_are_written_as_the_answers_write_them():
    texts = [
        "FUG mener foreldre må involveres mer i skolen.",
        "Vi støtter FUG i at foreldre må høres.",
        "Både FUG og KS har pekt på foreldre som ressurs.",
    ]
    label = label_of(texts, ["FUG", "forelder"])
    assert "FUG" in label and "fuge" not in label.casefold().replace("fug", "")


def test_a_lemmatiser_slip_never_reaches_a_label():
    """A lemma the answers never write ("le" for "ledd") is shown as they write it."""
    texts = ["Ledd i tjenesten skal samarbeide.", "Alle ledd må med.", "Hvert ledd teller."]

    def slipping(words, language):
        return [
            "le" if word.casefold() == "ledd" else lemma
            for word, lemma in zip(words, lemmas_of_words(words, language), strict=True)
        ]

    passages = [p for i, t in enumerate(texts) for p in passages_of_answer(f"r{i}", t)]
    label = theme_label(passages, range(len(passages)), ["le"], slipping)
    assert label == "Ledd"


@pytest.mark.parametrize("n_topics", [3, 6])
def test_fitted_themes_are_labelled_with_phrases_not_keyword_lists(n_topics):
    texts, _ = generated_answers(n_topics, seed=n_topics)
    model = ThemeModel(random_state=0).fit_passages(texts)
    for theme in model.themes_:
        if theme.is_other:
            continue
        words = theme.label.split()
        assert "·" not in theme.label and 1 <= len(words) <= 8, theme.label
        for edge in (words[0], words[-1]):
            assert edge.casefold() not in LABEL_STOP_WORDS | {"og", "av", "på", "i", "for"}
        assert theme.label[0].isupper()


def test_one_topic_in_nynorsk_and_bokmal_is_one_theme():
    bokmal = [
        "Ledelsen i tjenestene må styrkes, og lederne trenger mer kompetanse.",
        "Lederne i tjenestene trenger kompetanse i ledelse av endring.",
        "Ledelse og kompetanse hos lederne i tjenestene er det viktigste.",
        "Kompetansen til lederne og ledelsen av tjenestene må bli bedre.",
    ]
    nynorsk = [
        "Leiinga i tenestene må styrkast, og leiarane treng meir kompetanse.",
        "Leiarane i tenestene treng kompetanse i leiing av endring.",
        "Leiing og kompetanse hjå leiarane i tenestene er det viktigaste.",
        "Kompetansen til leiarane og leiinga av tenestene må bli betre.",
    ]
    funding = [
        "Tilskudd og prosjektmidler gir ikke varig drift av tiltakene.",
        "Prosjektmidler og tilskudd er for kortsiktige for drift.",
        "Tilskot og prosjektmidlar gir ikkje varig drift av tiltaka.",
        "Varig drift krev meir enn tilskot og prosjektmidlar.",
    ]
    texts = bokmal + nynorsk + funding
    model = ThemeModel(random_state=0).fit_passages(texts)
    themes = [theme for theme in model.themes_ if not theme.is_other]
    leading = {str(i) for i in range(8)}
    [leadership] = [theme for theme in themes if set(theme.respondent_keys) & leading]
    assert set(leadership.respondent_keys) == leading  # both standards, one theme
    assert "·" not in leadership.label
