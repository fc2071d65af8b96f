"""Duplicates counted once: one text sent twice is one author, quoted once, no theme of its own."""

from synthesis.corpus import AnswerText, build_corpus
from synthesis.theme_dedup import distinct_passages, near_identical_answers
from synthesis.themes import ThemeModel
from tests.test_themes import COMPETENCE, COOPERATION, FUNDING

SENT_TWICE = (
    "Ledelsen må sikre at tjenesten har rutiner for å inkludere barn i samarbeidet. "
    "Ledelsen må ha kvalitetsindikatorer som måler kvaliteten for barna. "
    "Tilbakemeldinger fra barn må brukes når metoder og programmer velges."
)


def answers() -> dict[str, str]:
    texts = {f"r{i}": text for i, text in enumerate(COMPETENCE + COOPERATION + FUNDING)}
    texts["twin-a"] = SENT_TWICE
    texts["twin-b"] = SENT_TWICE
    return texts


def test_identical_and_near_identical_answers_are_one_author_and_passages_count_once():
    texts = answers()
    texts["twin-c"] = SENT_TWICE.replace("velges.", "velges i kommunen.")
    corpus = build_corpus([AnswerText(key, text) for key, text in texts.items()])
    distinct = distinct_passages(
        corpus.passages, corpus.docs, list(texts), same_author=near_identical_answers(texts)
    )
    authors = distinct.author_of
    assert authors["twin-a"] == authors["twin-b"] == authors["twin-c"]
    assert len({authors[f"r{i}"] for i in range(15)}) == 15
    twin_rows = [i for i, p in enumerate(corpus.passages) if p.respondent_key == "twin-a"]
    other_rows = [i for i, p in enumerate(corpus.passages) if p.respondent_key == "twin-b"]
    assert [distinct.distinct_of[i] for i in twin_rows] == [
        distinct.distinct_of[i] for i in other_rows
    ]
    assert all(distinct.senders[distinct.distinct_of[i]] >= 2 for i in twin_rows)


def test_one_text_sent_twice_makes_no_theme_of_its_own_sentences():
    texts = answers()
    model = ThemeModel(random_state=0).fit_passages(list(texts.values()), list(texts))
    for theme in model.themes_:
        if theme.is_other:
            continue
        members = set(theme.respondent_keys)
        assert members - {"twin-a", "twin-b"}, theme.label  # never the twins alone
        quoted = [quote.respondent_key for quote in theme.quotes]
        assert not {"twin-a", "twin-b"} <= set(quoted)
    assigned = {key for theme in model.themes_ for key in theme.respondent_keys}
    assert {"twin-a", "twin-b"} <= assigned  # both still counted, in a theme or in "Annet"


def test_the_same_topic_in_bokmal_and_nynorsk_is_one_theme():
    bokmal = [
        "Ledelsen i tjenestene må få mer tid til oppfølging av de ansatte.",
        "Lederne i tjenestene trenger tid til å følge opp de ansatte.",
        "Tjenestene må ha ledelse som følger opp de ansatte tett.",
    ]
    nynorsk = [
        "Leiinga i tenestene må få meir tid til oppfølging av dei tilsette.",
        "Leiarane i tenestene treng tid til å følgje opp dei tilsette.",
        "Tenestene må ha leiing som følgjer opp dei tilsette tett.",
    ]
    texts = bokmal + nynorsk + FUNDING
    model = ThemeModel(random_state=0).fit_passages(texts)
    holding = [
        theme for theme in model.themes_ if not theme.is_other and "0" in theme.respondent_keys
    ]
    assert len(holding) == 1
    assert {str(i) for i in range(6)} <= set(holding[0].respondent_keys)
    # described in one standard: the nynorsk words were mapped onto bokmål ones
    assert {"tjeneste", "ansatt"} <= set(holding[0].keywords)
    assert not {"teneste", "tilsett", "leiing", "leiar", "følgje"} & set(holding[0].keywords)
