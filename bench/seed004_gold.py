"""Seed 004's hand-coded themes (`bench/gold/seed004_themes.json`) as theme benchmark units.

The gold file names respondents as the compiled document prints them; the snapshot comes from
the project's own compiled importer, so the tool sees exactly what `hearing demo` loads, and
names are turned into the importer's respondent keys here. A name the importer does not know
is an error, not a silent miss: the gold set must not drift away from the importer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.theme_gold import EvalUnit, GoldTheme
from hearing.imports.compiled import parse_compiled
from synthesis.snapshot import ConsultationSnapshot

ROOT = Path(__file__).resolve().parent.parent
GOLD_FILE = ROOT / "bench" / "gold" / "seed004_themes.json"
SEED_FILE = ROOT / "hearing" / "demo_data" / "compiled_responses.txt"
DATASET = "seed004"


def read_gold(path: Path = GOLD_FILE) -> dict[str, Any]:
    """The gold file as data: `questions` maps a code to its themes, annet and henvisninger."""
    return json.loads(path.read_text(encoding="utf-8"))


def seed_snapshot(path: Path = SEED_FILE) -> ConsultationSnapshot:
    return parse_compiled(path.read_text(encoding="utf-8")).snapshot


def load_seed004(
    gold_path: Path = GOLD_FILE, snapshot: ConsultationSnapshot | None = None
) -> list[EvalUnit]:
    """One unit per coded question, in the gold file's order."""
    snapshot = snapshot or seed_snapshot()
    keys = _keys_by_name(snapshot)
    units = []
    for code, coded in read_gold(gold_path)["questions"].items():
        gold = tuple(
            GoldTheme(label=theme["label"], members=_keys(keys, theme["members"]))
            for theme in coded["themes"]
        )
        units.append(
            EvalUnit(
                dataset=DATASET,
                name=code,
                snapshot=snapshot,
                question_code=code,
                gold=gold,
                excluded=_keys(keys, coded["henvisninger"]),
            )
        )
    return units


def _keys_by_name(snapshot: ConsultationSnapshot) -> dict[str, str]:
    keys: dict[str, str] = {}
    for respondent in snapshot.respondents:
        if respondent.name in keys:
            raise ValueError(f"two respondents are named {respondent.name!r}")
        keys[respondent.name] = respondent.key
    return keys


def _keys(keys: dict[str, str], names: list[str]) -> frozenset[str]:
    unknown = [name for name in names if name not in keys]
    if unknown:
        raise ValueError(f"gold names not in the imported seed: {unknown}")
    return frozenset(keys[name] for name in names)
