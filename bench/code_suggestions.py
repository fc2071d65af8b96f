"""Are suggested codes right? `synthesis.code_suggestions` on IBM ArgKP, beside a baseline.

Usage:
    .venv/bin/python bench/code_suggestions.py [--split dev|train|all] [--coded 30,60,120]
        [--repeats 3] [--output PATH]

ArgKP (`bench.argkp`) stands in for a coded consultation question: per topic the arguments are
the answers, the expert key points are the codebook and the labels say which answer has which
code (an argument matching no key point is an answer reviewed without a code). For each topic
the arguments are shuffled, the first N are "coded by the analysts" and the rest are the
untagged answers the tool would make suggestions for. Each method is fitted on the coded ones
exactly as the coding page does (it runs its own cross-validation and offers suggestions only
when their measured precision reaches the target), then its suggestions for the untagged
answers are checked against the labels.

Figures per method and N, pooled over topics and repeats:
- offered: share of topics where the method offered suggestions at all;
- CV precision / recall: what the page would say ("stemte i 78 % av tilfellene"), the mean
  over offering topics;
- precision / recall on untagged: the truth on answers the model never saw: correct
  suggestions / all suggestions, and correct suggestions / all codes of those answers (micro,
  over offering topics). Precision should stay at or above the target: that is the promise.

The baseline is `most_frequent` (every answer gets the most used codes). Prints a Markdown
table and writes the figures as JSON (default bench/results/code_suggestions.json).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.argkp import SPLITS, load_argkp  # noqa: E402
from bench.theme_gold import EvalUnit  # noqa: E402
from synthesis.code_suggestions import TARGET_PRECISION, CodedExample, CodeSuggester  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "code_suggestions.json"
METHODS = ("logreg", "knn", "most_frequent")


@dataclass
class Tally:
    """Pooled counts for one method and one number of coded answers."""

    runs: int = 0
    offered: int = 0
    cv_precision: list[float] = field(default_factory=list)
    cv_recall: list[float] = field(default_factory=list)
    expected: list[float] = field(default_factory=list)
    suggested: int = 0
    correct: int = 0
    relevant: int = 0
    top_answers: int = 0
    top_correct: int = 0
    seconds: float = 0.0

    def row(self) -> dict[str, float | int | None]:
        def mean(values: list[float]) -> float | None:
            return sum(values) / len(values) if values else None

        return {
            "runs": self.runs,
            "offered": self.offered / self.runs if self.runs else 0.0,
            "cv_precision": mean(self.cv_precision),
            "cv_recall": mean(self.cv_recall),
            "expected_precision": mean(self.expected),
            "precision": self.correct / self.suggested if self.suggested else None,
            "recall": self.correct / self.relevant if self.relevant else None,
            "suggestions": self.suggested,
            "top1_precision": self.top_correct / self.top_answers if self.top_answers else None,
            "seconds_per_fit": self.seconds / self.runs if self.runs else 0.0,
        }


def examples_of(unit: EvalUnit) -> list[CodedExample]:
    """Every argument of the topic with the key points it matches, as codes."""
    return [
        CodedExample(
            key,
            text,
            frozenset(theme.label for theme in unit.gold if key in theme.members),
        )
        for key, text in unit.scored_answers()
    ]


def evaluate(unit: EvalUnit, method: str, n_coded: int, seed: int, tally: Tally, z: float) -> None:
    examples = examples_of(unit)
    random.Random(seed).shuffle(examples)
    coded, untagged = examples[:n_coded], examples[n_coded:]
    texts = [example.text for example in untagged]
    ungated = CodeSuggester(method=method, target_precision=0.0, confidence_z=0.0).fit(coded)
    for example, ranked in zip(untagged, ungated.suggest(texts), strict=True):
        if ranked:
            tally.top_answers += 1
            tally.top_correct += ranked[0].code in example.codes
    started = time.perf_counter()
    suggester = CodeSuggester(method=method, random_state=seed, confidence_z=z).fit(coded)
    suggestions = suggester.suggest(texts)
    tally.seconds += time.perf_counter() - started
    tally.runs += 1
    quality = suggester.quality_
    if not quality.offered:
        return
    tally.offered += 1
    tally.cv_precision.append(quality.precision or 0.0)
    tally.cv_recall.append(quality.recall or 0.0)
    tally.expected.append(quality.expected_precision or 0.0)
    for example, suggested in zip(untagged, suggestions, strict=True):
        tally.suggested += len(suggested)
        tally.correct += sum(s.code in example.codes for s in suggested)
        tally.relevant += len(example.codes)


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def markdown(results: dict[str, dict[str, dict[str, float | int | None]]]) -> str:
    lines = [
        f"Target precision {percent(TARGET_PRECISION)}. CV = cross-validation on the coded "
        "answers (what the page shows); untagged = the truth on answers the model never saw.",
        "",
        "| coded answers | method | offered | CV precision | CV recall | expected precision "
        "| precision on untagged | recall on untagged | suggestions "
        "| top-1 precision, ungated | s per fit |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n_coded, by_method in results.items():
        for method, row in by_method.items():
            lines.append(
                f"| {n_coded} | {method} | {percent(row['offered'])} "  # type: ignore[arg-type]
                f"| {percent(row['cv_precision'])} | {percent(row['cv_recall'])} "  # type: ignore[arg-type]
                f"| {percent(row['expected_precision'])} "  # type: ignore[arg-type]
                f"| {percent(row['precision'])} | {percent(row['recall'])} "  # type: ignore[arg-type]
                f"| {row['suggestions']} | {percent(row['top1_precision'])} "  # type: ignore[arg-type]
                f"| {row['seconds_per_fit']:.2f} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="dev")
    parser.add_argument("--coded", default="30,60,120", help="numbers of coded answers")
    parser.add_argument("--repeats", type=int, default=3, help="shuffles per topic")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--z", type=float, default=1.0, help="confidence_z of the suggester")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "all" else (args.split,)
    units = [unit for split in splits for unit in load_argkp(split)]
    methods = args.methods.split(",")
    results: dict[str, dict[str, dict[str, float | int | None]]] = {}
    for n_coded in (int(n) for n in args.coded.split(",")):
        tallies = {method: Tally() for method in methods}
        for unit in units:
            for repeat in range(args.repeats):
                for method in methods:
                    evaluate(unit, method, n_coded, repeat, tallies[method], args.z)
        results[str(n_coded)] = {method: tally.row() for method, tally in tallies.items()}
    print(f"ArgKP {args.split}: {len(units)} topics × {args.repeats} shuffles, z = {args.z}\n")
    print(markdown(results))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {"split": args.split, "topics": len(units), "repeats": args.repeats, "z": args.z}
    args.output.write_text(json.dumps({**document, "results": results}, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
