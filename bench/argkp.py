"""IBM Debater ArgKP as theme benchmark units: one consultation question per topic.

ArgKP (Bar-Haim et al., "From Arguments to Key Points", ACL 2020; (c) IBM 2020, CDLA-Sharing
1.0) holds crowd-written arguments on 28 topics, each pro or con, expert key points per topic
and stance, and labels saying which arguments match which key point. Here a topic is a
question, its arguments are the answers and its key points are the themes an analyst found:
an argument labelled 1 for a key point is a member of that theme; one matching no key point is
unassigned (scored as in `bench.theme_metrics`).

One unit per topic, not per topic and stance: a consultation question gets answers from both
sides and the analyst reads them together, so the stance goes in as the answer's position on
a two-point scale ("Agree" for pro, "Disagree" for con) of a scale+text question, as seed 004's
questions 2 and 3 have. Key points are stance-specific, so a theme mixing pro and con
arguments matches them worse, which is the "opposite positions in one theme" fault issue 12
asks to fix. It also leaves 7–11 gold themes per topic, inside the 2–10 range that the tool
and the baseline choose their number of themes from, where per-stance units (2–6) would
reward a model that always picks few themes.

Splits: `dev` (4 topics) is for reporting; `train` (24 topics) is for tuning. The data is read
from a local folder (`ARGKP_DIR`, or the `HEARING_ARGKP_DIR` environment variable); nothing is
downloaded.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from pathlib import Path

from bench.theme_gold import EvalUnit, GoldTheme
from synthesis.snapshot import (
    Answer,
    Category,
    ConsultationSnapshot,
    Question,
    QuestionKind,
    Respondent,
    Scale,
    Sector,
)

ARGKP_DIR = Path(os.environ.get("HEARING_ARGKP_DIR", "/work/shared/data/argkp"))
SPLITS = ("dev", "train")
QUESTION_CODE = "1"
STANCE_SCALE = Scale(points=("Agree", "Disagree"))
STANCE_VALUE = {1: 0, -1: 1}  # index into STANCE_SCALE.points
CATEGORY = Category(name="Privatperson", sector=Sector.INDIVIDUAL)


def load_argkp(split: str = "dev", data_dir: Path = ARGKP_DIR) -> list[EvalUnit]:
    """One unit per topic of `split`, in topic order."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    arguments = _rows(data_dir / f"arguments_{split}.csv")
    key_points = _rows(data_dir / f"key_points_{split}.csv")
    members: dict[str, set[str]] = defaultdict(set)
    for label in _rows(data_dir / f"labels_{split}.csv"):
        if label["label"] == "1":
            members[label["key_point_id"]].add(label["arg_id"])
    by_topic: dict[str, list[dict[str, str]]] = defaultdict(list)
    for argument in arguments:
        by_topic[argument["topic"]].append(argument)
    units = []
    for topic in sorted(by_topic):
        gold = tuple(
            GoldTheme(label=point["key_point"], members=frozenset(members[point["key_point_id"]]))
            for point in key_points
            if point["topic"] == topic and members[point["key_point_id"]]
        )
        units.append(
            EvalUnit(
                dataset=f"argkp-{split}",
                name=topic,
                snapshot=topic_snapshot(topic, by_topic[topic]),
                question_code=QUESTION_CODE,
                gold=gold,
            )
        )
    return units


def topic_snapshot(topic: str, arguments: list[dict[str, str]]) -> ConsultationSnapshot:
    """A one-question English consultation whose respondents are the topic's arguments."""
    respondents = tuple(
        Respondent(
            key=argument["arg_id"],
            name=argument["arg_id"],
            category=CATEGORY.label,
            answers={
                QUESTION_CODE: Answer(
                    question_code=QUESTION_CODE,
                    value=STANCE_VALUE[int(argument["stance"])],
                    text=argument["argument"],
                )
            },
        )
        for argument in arguments
    )
    return ConsultationSnapshot(
        slug="argkp-" + re.sub(r"[^a-z0-9]+", "-", topic.casefold()).strip("-"),
        title=topic,
        scale=STANCE_SCALE,
        categories=(CATEGORY,),
        questions=(Question(code=QUESTION_CODE, text=topic, kind=QuestionKind.SCALE_TEXT),),
        respondents=respondents,
        language="en",
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
