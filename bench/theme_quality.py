"""Theme quality against human-coded themes: the current `ThemeModel` beside a TF-IDF baseline.

Usage:
    .venv/bin/python bench/theme_quality.py [--data argkp|seed004|all] [--split dev|train]
        [--output PATH] [--random-state N]

Datasets: IBM ArgKP (`bench.argkp`: one unit per topic, key points as themes; report on `dev`,
tune on `train`) and seed 004 coded by hand (`bench/gold/seed004_themes.json`, questions 1.a,
1.b, 2, 3 and 4; seed 004 has no split, and the tool's authors have read it, so it is not
unseen data). For each unit the script fits the current `synthesis.themes.ThemeModel` as the
synthesis pipeline does, and in the same run TF-IDF + k-means with k chosen by silhouette, with
the oracle k (the number of gold themes), and within each side of the scale (given the
answers' positions, as the tool is). Scores are mean best-match F1
(`bench.theme_metrics`), macro-averaged over units.

Prints a Markdown table and writes the figures as JSON (default
bench/results/theme_quality.json).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.argkp import SPLITS, load_argkp  # noqa: E402
from bench.seed004_gold import load_seed004  # noqa: E402
from bench.theme_gold import EvalUnit  # noqa: E402
from bench.theme_harness import UnitResult, evaluate_unit, tool_themes  # noqa: E402
from bench.theme_metrics import macro  # noqa: E402

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "theme_quality.json"
COLUMNS = (
    "dataset",
    "unit",
    "items",
    "gold themes",
    "tool F1",
    "baseline F1",
    "baseline-oracle-k F1",
    "baseline-within-stance F1",
    "tool themes found",
    "seconds",
    "tool F1 sym",
    "baseline F1 sym",
    "baseline k",
)


def load_units(data: str, split: str) -> list[EvalUnit]:
    units: list[EvalUnit] = []
    if data in ("argkp", "all"):
        units += load_argkp(split)
    if data in ("seed004", "all"):
        units += load_seed004()
    return units


def summarise(results: list[UnitResult]) -> dict[str, dict]:
    """Per dataset: macro averages over its units, totals of counts and seconds."""
    summary: dict[str, dict] = {}
    for dataset in dict.fromkeys(result.dataset for result in results):
        mine = [result for result in results if result.dataset == dataset]
        summary[dataset] = {
            "units": len(mine),
            "items": sum(r.items for r in mine),
            "gold_themes": sum(r.gold_themes for r in mine),
            "tool_f1": macro(r.tool.gold_to_predicted for r in mine),
            "tool_f1_symmetric": macro(r.tool.symmetric for r in mine),
            "baseline_f1": macro(r.baseline.gold_to_predicted for r in mine),
            "baseline_f1_symmetric": macro(r.baseline.symmetric for r in mine),
            "baseline_oracle_k_f1": macro(r.baseline_oracle.gold_to_predicted for r in mine),
            "baseline_within_stance_f1": macro(r.baseline_stance.gold_to_predicted for r in mine),
            "baseline_within_stance_f1_symmetric": macro(r.baseline_stance.symmetric for r in mine),
            "reference_singletons_f1": macro(r.singletons.gold_to_predicted for r in mine),
            "reference_one_theme_f1": macro(r.one_theme.gold_to_predicted for r in mine),
            "tool_themes": sum(r.tool_themes for r in mine),
            "baseline_k": sum(r.baseline_k for r in mine),
            "tool_seconds": sum(r.tool_seconds for r in mine),
        }
    return summary


def markdown(results: list[UnitResult], summary: dict[str, dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for result in results:
        lines.append(
            _row(
                result.dataset,
                result.name,
                result.items,
                result.gold_themes,
                result.tool.gold_to_predicted,
                result.baseline.gold_to_predicted,
                result.baseline_oracle.gold_to_predicted,
                result.baseline_stance.gold_to_predicted,
                result.tool_themes,
                result.tool_seconds,
                result.tool.symmetric,
                result.baseline.symmetric,
                result.baseline_k,
            )
        )
    for dataset, total in summary.items():
        lines.append(
            _row(
                f"**{dataset}**",
                f"**macro ({total['units']})**",
                total["items"],
                total["gold_themes"],
                total["tool_f1"],
                total["baseline_f1"],
                total["baseline_oracle_k_f1"],
                total["baseline_within_stance_f1"],
                total["tool_themes"],
                total["tool_seconds"],
                total["tool_f1_symmetric"],
                total["baseline_f1_symmetric"],
                total["baseline_k"],
            )
        )
    lines.append("")
    for dataset, total in summary.items():
        lines.append(
            f"Reference on {dataset}: every answer its own theme F1 "
            f"{total['reference_singletons_f1']:.3f}, all answers one theme F1 "
            f"{total['reference_one_theme_f1']:.3f}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=("argkp", "seed004", "all"), default="all")
    parser.add_argument("--split", choices=SPLITS, default="dev", help="ArgKP split")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args(argv)

    units = load_units(args.data, args.split)
    # One untimed fit first, so the first unit's seconds do not hold loading spaCy and simplemma.
    tool_themes(units[0], args.random_state)
    results = [evaluate_unit(unit, args.random_state) for unit in units]
    summary = summarise(results)
    print(markdown(results, summary))
    report = {
        "command": " ".join(["bench/theme_quality.py", *(argv or sys.argv[1:])]),
        "data": args.data,
        "argkp_split": args.split,
        "random_state": args.random_state,
        "git_commit": _git(["rev-parse", "--short", "HEAD"]),
        # The theme model measured may hold uncommitted work: say so beside the commit.
        "synthesis_uncommitted": bool(_git(["status", "--porcelain", "--", "synthesis"])),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "summary": summary,
        "units": [result.to_dict() for result in results],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwrote {args.output}")
    return 0


def _row(*cells: object) -> str:
    shown = [f"{cell:.3f}" if isinstance(cell, float) else str(cell) for cell in cells]
    return "| " + " | ".join(shown) + " |"


def _git(arguments: list[str]) -> str:
    found = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
