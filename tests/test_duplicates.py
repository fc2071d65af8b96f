"""Duplicate, campaign and resubmission detection."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from synthesis.duplicates import DuplicateDetector
from synthesis.minhash import band_layout, words, words_of_many
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Sector,
)
from synthesis.tabulation import tabulate

TEMPLATE = (
    "Vi mener at tjenestene for barn og unge må samordnes bedre, og at kommunene trenger "
    "forpliktende samarbeid med spesialisthelsetjenesten for å lykkes med tidlig innsats."
)
ORGANISATION = Category("Organisasjon", Sector.PRIVATE)
PERSON = Category("Privatperson", Sector.INDIVIDUAL)
PUBLIC = Category("Forvaltning", Sector.PUBLIC)


def person(key: str, name: str, category: Category, text: str | None, value: int = 0):
    answers = {"2": Answer("2", value=value, text=text)}
    return Respondent(key=key, name=name, category=category.label, answers=answers)


@pytest.fixture
def snapshot() -> ConsultationSnapshot:
    respondents = (
        person("r1", "Stavanger kommune, Helse og velferd", PUBLIC, "Et helt eget svar om skole."),
        person("r2", "Kari Nordmann", PERSON, TEMPLATE, value=4),
        person("r3", "Ola Nordmann", PERSON, TEMPLATE + " Vi savner også brukermedvirkning.", 4),
        person("r4", "Per Hansen", PERSON, TEMPLATE.replace("bedre", "mye bedre"), value=4),
        person("r5", "Stavanger kommune, Oppvekst", PUBLIC, "Ingen kommentar"),
        person("r6", "Forandringsfabrikken", ORGANISATION, "Barn må bli hørt i alle saker om dem."),
        person("r7", "Anne Olsen", PERSON, "Barn må bli hørt i alle saker om dem!"),
        person("r8", "Nils Berg", PERSON, "Ingen kommentar"),
        person("r9", "Lise Dahl", PERSON, TEMPLATE, value=4),
    )
    return ConsultationSnapshot(
        slug="t",
        title="T",
        categories=(PUBLIC, ORGANISATION, PERSON),
        questions=(Question("2", "Mål", QuestionKind.SCALE_TEXT),),
        respondents=respondents,
    )


def test_campaign_template_and_additions(snapshot):
    detector = DuplicateDetector().fit(snapshot)
    campaigns = [g for g in detector.groups_ if g.kind == "campaign"]
    assert len(campaigns) == 1
    campaign = campaigns[0]
    assert campaign.member_keys == ("r2", "r3", "r4", "r9")
    assert campaign.question_code == "2"
    assert campaign.template == TEMPLATE
    assert campaign.additions == {"r3": "Vi savner også brukermedvirkning", "r4": "mye"}


def test_exact_pair_across_categories_is_flagged_as_resubmission(snapshot):
    detector = DuplicateDetector().fit(snapshot)
    exact = [g for g in detector.groups_ if g.kind == "exact"]
    assert [g.member_keys for g in exact] == [("r6", "r7")]
    flags = {flag.respondent_keys: flag.reason for flag in detector.resubmissions_}
    assert "identical answer to question 2" in flags[("r6", "r7")]
    assert "stavanger kommune" in flags[("r1", "r5")]
    assert set(flags) == {("r1", "r5"), ("r6", "r7")}


def test_short_texts_are_never_grouped(snapshot):
    detector = DuplicateDetector().fit(snapshot)
    grouped = {key for group in detector.groups_ for key in group.member_keys}
    assert not grouped & {"r5", "r8"}


def test_collapse_map_counts_a_campaign_once(snapshot):
    detector = DuplicateDetector().fit(snapshot)
    collapse = detector.collapse_map_()
    assert collapse == {"r2": "r2", "r3": "r2", "r4": "r2", "r9": "r2"}
    table = tabulate(snapshot, collapse=collapse)[0]
    assert table.overall.counts == (5, 0, 0, 0, 1)
    assert tabulate(snapshot)[0].overall.counts == (5, 0, 0, 0, 4)


def test_fit_texts_is_deterministic_and_names_groups():
    items = [
        ("a", TEMPLATE),
        ("b", TEMPLATE),
        ("c", "Noe helt annet som ikke ligner i det hele tatt"),
    ]
    first = DuplicateDetector().fit_texts(items).groups_
    second = DuplicateDetector().fit_texts(items).groups_
    assert first == second
    assert [(g.group_id, g.kind, g.member_keys) for g in first] == [
        ("texts:1", "exact", ("a", "b"))
    ]
    assert first[0].question_code is None


def test_bulk_normalisation_matches_single_text_words():
    texts = ["Ærlig talt – «BARN» må høres!", "e-post, 0–24 ﬁ", "", "a\x00b", "snake_case ¶ x"]
    assert words_of_many(texts) == [words(t.replace("\x00", " ")) for t in texts]


def test_band_layout_uses_all_permutations_sensibly():
    bands, rows = band_layout(0.5, 128)
    assert bands * rows <= 128
    assert 0.3 < (1 / bands) ** (1 / rows) < 0.7


def _injected_campaigns(seed: int) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """Zipf-distributed background texts plus campaigns whose members edit up to 10 % of words."""
    rng = random.Random(seed)
    numbers = np.random.default_rng(seed)
    vocabulary = [f"ord{i}" for i in range(8000)]
    weights = 1 / np.arange(1, len(vocabulary) + 1) ** 1.05
    weights /= weights.sum()

    pool = [vocabulary[i] for i in numbers.choice(len(vocabulary), size=200_000, p=weights)]

    def text(length: int) -> list[str]:
        return rng.choices(pool, k=length)

    items, truth = [], {}
    for campaign in range(8):
        template = text(rng.randint(12, 80))
        for member in range(rng.randint(3, 40)):
            edited = list(template)
            for _ in range(round(rng.uniform(0, 0.1) * len(template))):
                at = rng.randrange(len(edited))
                operation = rng.choice("sid")
                if operation == "s":
                    edited[at] = text(1)[0]
                elif operation == "i":
                    edited.insert(at, text(1)[0])
                else:
                    del edited[at]
            key = f"c{campaign}-{member}"
            truth[key] = campaign
            items.append((key, " ".join(edited)))
    while len(items) < 3000:
        items.append((f"b{len(items)}", " ".join(text(max(1, int(numbers.lognormal(3.3, 0.8)))))))
    rng.shuffle(items)
    return items, truth


@pytest.mark.parametrize("seed", [0, 1])
def test_injected_campaigns_are_found_with_high_recall_and_precision(seed):
    items, truth = _injected_campaigns(seed)
    groups = DuplicateDetector().fit_texts(items).groups_
    found, correct, reported = set(), 0, 0
    for group in groups:
        if group.kind != "campaign":
            continue
        labels = [truth.get(key) for key in group.member_keys]
        majority = Counter(labels).most_common(1)[0][0]
        reported += len(labels)
        for key, label in zip(group.member_keys, labels, strict=True):
            if label is not None and label == majority:
                correct += 1
                found.add(key)
    assert len(found) / len(truth) >= 0.95
    assert correct / reported >= 0.99


SEED = Path(__file__).resolve().parents[1] / "hearing" / "demo_data" / "compiled_responses.txt"


def test_seed_004_resubmissions_are_flagged():
    compiled = pytest.importorskip("hearing.imports.compiled")
    snapshot = compiled.parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    detector = DuplicateDetector().fit(snapshot)
    names = {r.key: r.name for r in snapshot.respondents}
    flagged = [{names[key] for key in flag.respondent_keys} for flag in detector.resubmissions_]
    assert any(all(n.startswith("Stavanger kommune") for n in pair) for pair in flagged)
    assert any("Forandringsfabrikken" in pair for pair in flagged)
    assert {"Bergen kommune", "Bergen Kommune/etat for barn og familie"} in flagged
