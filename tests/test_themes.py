"""Themes per question: clustering passages, aggregation to answers, shares, stable ids."""

import importlib.util
from pathlib import Path

import pytest

from synthesis.crossref import canonical_code, find_cross_reference
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.theme_number import best_k
from synthesis.themes import QuestionThemes, ThemeModel, find_themes

SEED_004 = Path("/work/shared/seeds/004_49cc0d095eb0c7e2.txt")

COMPETENCE = [
    "Ledere trenger mer kompetanse i implementering av kunnskapsbasert praksis.",
    "Lederutdanning og kompetanse om implementering bør styrkes for ledere i kommunene.",
    "Det trengs kompetanseheving for ledere om implementering og kunnskapsbasert ledelse.",
    "Ledernes kompetanse i implementering er avgjørende for kunnskapsbasert praksis.",
    "Kompetanse for ledere i implementering må prioriteres i lederutdanningen.",
]
COOPERATION = [
    "Samarbeidet på tvers av sektorene barnevern, skole og helse må bli bedre.",
    "Barnevernstjenesten og skolen samarbeider for dårlig på tvers av sektorer.",
    "Tverrsektorielt samarbeid mellom barnevern og helse er for svakt i dag.",
    "Sektorene samarbeider for lite på tvers, særlig barnevernet og helsetjenesten.",
    "Samarbeid mellom barnevern, helse og skole på tvers av sektorer må styrkes.",
]
FUNDING = [
    "Tilskuddsordningene er kortsiktige og prosjektmidler gir ikke varig drift.",
    "Korte prosjektperioder med tilskudd hindrer varig drift av gode tiltak.",
    "Tilskudd til prosjekter må følges av finansiering av ordinær drift.",
    "Kortsiktige tilskuddsordninger og prosjektmidler gir lite varig effekt i driften.",
    "Prosjektmidler og tilskudd bør gi varig finansiering av drift, ikke korte prosjekter.",
]
CATEGORIES = (
    Category("Forvaltning", Sector.PUBLIC),
    Category("Organisasjon", Sector.PRIVATE),
    Category("Privatperson", Sector.INDIVIDUAL),
)
QUESTIONS = (
    Question("1", "Vurdering", QuestionKind.SCALE),
    Question("1.a", "Styrker og svakheter", QuestionKind.TEXT),
    Question("4", "Andre kommentarer", QuestionKind.TEXT),
)


def make_snapshot(extra: dict[str, str] | None = None) -> ConsultationSnapshot:
    """Fifteen answers to 1.a on three themes; r0 writes on two themes; two cross-references."""
    texts = {f"r{i}": text for i, text in enumerate(COMPETENCE + COOPERATION + FUNDING)}
    texts["r0"] = f"{COMPETENCE[0]}\n\n{FUNDING[0]}"
    texts["x1"] = "Se kommentarer under punkt 4."
    texts["x2"] = "se generelle kommentarer"
    texts.update(extra or {})
    respondents = tuple(
        Respondent(
            key=key,
            name=f"Respondent {key}",
            category=CATEGORIES[index % 3].label,
            answers={
                "1": Answer("1", value=1),
                "1.a": Answer("1.a", text=text),
                "4": Answer("4", text=f"Andre kommentarer fra {key} om barnevern og skole."),
            },
        )
        for index, (key, text) in enumerate(sorted(texts.items()))
    )
    return ConsultationSnapshot(
        slug="test",
        title="Test",
        categories=CATEGORIES,
        questions=QUESTIONS,
        respondents=respondents,
    )


@pytest.fixture(scope="module")
def fitted() -> ThemeModel:
    return ThemeModel(n_themes=3, random_state=0).fit(make_snapshot(), "1.a")


def theme_of(model: ThemeModel, key: str) -> set[str]:
    return set(model.assignments_[key])


def test_three_themes_separate_the_three_topics(fitted):
    assert len(fitted.themes_) == 3
    assert theme_of(fitted, "r1") == theme_of(fitted, "r2") == theme_of(fitted, "r3")
    assert theme_of(fitted, "r6") == theme_of(fitted, "r7") == theme_of(fitted, "r8")
    assert theme_of(fitted, "r11") == theme_of(fitted, "r12") == theme_of(fitted, "r13")
    assert len(theme_of(fitted, "r1") | theme_of(fitted, "r6") | theme_of(fitted, "r11")) == 3


def test_answer_on_two_topics_is_in_two_themes(fitted):
    assert theme_of(fitted, "r0") == theme_of(fitted, "r1") | theme_of(fitted, "r11")


def test_cross_references_are_kept_out_of_themes(fitted):
    assert {key: ref.target for key, ref in fitted.cross_references_.items()} == {
        "x1": "4",
        "x2": "general",
    }
    assert "x1" not in fitted.assignments_
    assert all(p.respondent_key not in {"x1", "x2"} for p in fitted.passages_)


def test_themes_have_readable_labels_keywords_and_real_quotes(fitted):
    passages_of = {}
    for passage in fitted.passages_:
        passages_of.setdefault(passage.respondent_key, []).append(passage.text)
    for theme in fitted.themes_:
        assert theme.label and len(theme.label.split()) <= 7
        assert theme.keywords and len(set(theme.keywords)) == len(theme.keywords)
        assert theme.quotes
        for quote in theme.quotes:  # a sentence of one of the respondent's passages
            assert any(quote.text in text for text in passages_of[quote.respondent_key])
        assert len({q.respondent_key for q in theme.quotes}) == len(theme.quotes)
    labels = " ".join(theme.label.casefold() for theme in fitted.themes_)
    assert "tilskudd" in labels or "prosjektmidler" in labels or "drift" in labels


def test_shares_are_of_each_categorys_answerers(fitted):
    sector_of = {p.respondent_key: p.sector for p in fitted.passages_}
    private = {key for key, sector in sector_of.items() if sector == "private"}
    for theme in fitted.themes_:
        assert theme.size == len(theme.respondent_keys)
        assert set(theme.share_by_sector) == {"public", "private", "individual"}
        assert all(0 <= share <= 1 for share in theme.share_by_category.values())
        expected = len(private.intersection(theme.respondent_keys)) / len(private)
        assert theme.share_by_sector["private"] == pytest.approx(expected)


def test_theme_ids_are_stable_across_runs_and_follow_membership():
    first = ThemeModel(n_themes=3, random_state=0).fit(make_snapshot(), "1.a")
    again = ThemeModel(n_themes=3, random_state=0).fit(make_snapshot(), "1.a")
    assert [t.theme_id for t in first.themes_] == [t.theme_id for t in again.themes_]
    assert first.assignments_ == again.assignments_


def test_number_of_themes_is_chosen_when_not_given():
    model = ThemeModel(max_themes=5, random_state=0).fit(make_snapshot(), "1.a")
    assert 2 <= model.n_themes_ <= 5
    assert set(model.scores_) <= set(range(2, 5 + 1))
    assert model.n_themes_ == best_k(model.scores_)
    assert model.n_themes_ == 3  # the three topics of `make_snapshot`


def test_fit_passages_works_on_bare_texts():
    texts = COMPETENCE + COOPERATION + FUNDING
    model = ThemeModel(n_themes=3, random_state=0).fit_passages(texts)
    assert sorted(model.assignments_, key=int) == [str(i) for i in range(15)]


def test_find_themes_covers_every_question_with_text():
    results = find_themes(make_snapshot(), random_state=0)
    assert [r.question_code for r in results] == ["1.a", "4"]
    assert all(isinstance(r, QuestionThemes) for r in results)
    assert results[0].cross_references == {"x1": "4", "x2": "general"}


def test_tiny_input_gives_one_theme_without_clustering():
    snapshot = make_snapshot()
    few = ConsultationSnapshot(
        slug="few",
        title="Few",
        categories=snapshot.categories,
        questions=snapshot.questions,
        respondents=snapshot.respondents[:3],
    )
    model = ThemeModel(random_state=0).fit(few, "1.a")
    assert len(model.themes_) == 1
    assert model.themes_[0].label


@pytest.mark.skipif(
    importlib.util.find_spec("hearing.imports.compiled") is None, reason="importer not yet there"
)
def test_seed_004_question_4_has_labelled_themes_with_real_quotes():
    from hearing.imports.compiled import parse_compiled

    snapshot = parse_compiled(SEED_004.read_text()).snapshot
    codes = [question.code for question in snapshot.questions]
    question_4 = next(code for code in codes if code.startswith("4"))
    references = {
        find_cross_reference(answer.text, codes).target
        for code in codes
        for _, answer in snapshot.answers_to(code)
        if answer.text and find_cross_reference(answer.text, codes)
    }
    assert {question_4, "general"} <= references
    assert any(canonical_code(code) == "1b" for code in references)

    model = ThemeModel(n_themes=3, random_state=0).fit(snapshot, question_4)
    passages_of: dict[str, list[str]] = {}
    for passage in model.passages_:
        passages_of.setdefault(passage.respondent_key, []).append(passage.text)
    assert model.themes_
    for theme in model.themes_:
        assert theme.label
        assert theme.quotes
        for quote in theme.quotes:
            assert any(quote.text in text for text in passages_of[quote.respondent_key])


def test_best_k_prefers_the_highest_score_and_the_smaller_k_on_a_tie():
    assert best_k({2: 0.1, 3: 0.3, 4: 0.3}) == 3
