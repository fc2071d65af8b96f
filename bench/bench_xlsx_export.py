"""Benchmark: the Excel export of a large consultation against pandas' `DataFrame.to_excel`.

A synthetic consultation of 100,000 respondents × 6 questions (seed 004's shape: scale,
text and scale+text questions, its eleven categories) is exported three ways, each in its own
child process so that peak memory (`ru_maxrss`) belongs to one measurement only:

- `full_workbook`: `build_summary` + `xlsx_writer.write_xlsx` (overview, one sheet per
  question, positions with charts, themes, duplicates, long sheet), write-only mode;
- `long_sheet`: `build_summary` + only the flat long-format sheet;
- `pandas_to_excel` (baseline): the same long-format table as a DataFrame written with
  `DataFrame.to_excel(engine="openpyxl")`, timed from the same summary rows.

Wall time on a shared machine depends on the neighbours, so CPU time of the export process is
reported too and the ratio is taken on it. Each child imports the modules and builds the
snapshot first; time and memory of that common
step are reported apart ("snapshot"). Every export's time includes `build_summary`, which all
three need. Run:

    .venv/bin/python bench/bench_xlsx_export.py [--respondents 100000] [--repeat 1]

It prints a Markdown table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import random
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS_DIR = Path(__file__).parent / "results"
QUESTION_SPECS = (
    ("1", "Beskrivelse og vurdering av nåsituasjon", "scale"),
    ("1.a", "Har du forslag til styrker, svakheter, utfordringer og muligheter?", "text"),
    ("1.b", "Har du konkrete eksempler?", "text"),
    ("2", "Målsettinger. Har du forslag til konkrete mål?", "scale_text"),
    ("3", "Anbefalinger og forslag til tiltak", "scale_text"),
    ("4", "Har du flere kommentarer?", "text"),
)
WORDS = (
    "samarbeid", "tjenestene", "kunnskap", "ledelse", "barn", "unge", "kommunen",
    "implementering", "praksis", "forskning", "ressurser", "kompetanse", "tverrfaglig",
    "brukerne", "familier", "behov", "tiltak", "mål", "styring", "kvalitet",
)  # fmt: skip
EXPORTED_AT = datetime(2025, 3, 1, tzinfo=UTC)


def synthetic_snapshot(n_respondents: int, seed: int = 0):
    """A consultation like seed 004, scaled up; deterministic for a given seed."""
    from synthesis.presets import NORWEGIAN_CATEGORY_PRESET
    from synthesis.snapshot import (
        Answer,
        Consent,
        ConsultationSnapshot,
        Question,
        QuestionKind,
        Respondent,
        Sector,
    )

    rng = random.Random(seed)
    questions = tuple(
        Question(code, text, QuestionKind(kind)) for code, text, kind in QUESTION_SPECS
    )
    categories = NORWEGIAN_CATEGORY_PRESET
    start = datetime(2025, 1, 1, tzinfo=UTC)
    respondents = []
    for index in range(n_respondents):
        category = rng.choice(categories)
        answers = {}
        for question in questions:
            if rng.random() < 0.2:
                continue  # about a fifth leave each question unanswered
            value = rng.randrange(5) if question.kind.has_scale else None
            text = None
            if question.kind.has_text and rng.random() < 0.8:
                text = " ".join(rng.choices(WORDS, k=rng.randint(8, 40))).capitalize() + "."
            answers[question.code] = Answer(question.code, value=value, text=text)
        individual = category.sector is Sector.INDIVIDUAL
        respondents.append(
            Respondent(
                key=f"ref-{index:06d}",
                name=f"Privatperson {index}" if individual else f"Organisasjon nr. {index}",
                category=category.label,
                on_behalf_of="" if individual else f"Avdeling {index % 97}",
                email=f"svar{index}@example.no",
                consent=Consent.ANONYMOUS if individual and index % 3 == 0 else Consent.NAMED,
                submitted_at=start + timedelta(minutes=index),
                answers=answers,
            )
        )
    return ConsultationSnapshot(
        slug="bench",
        title="Syntetisk høring",
        categories=categories,
        questions=questions,
        respondents=tuple(respondents),
    )


def _summary(snapshot):
    from exports.summary import build_summary

    return build_summary(
        snapshot,
        audience="internal",
        exported_at=EXPORTED_AT,
        software_version="bench",
    )


def _export_full(snapshot, path: Path) -> None:
    from exports.xlsx_writer import write_xlsx

    with path.open("wb") as stream:
        write_xlsx(_summary(snapshot), stream)


def _export_long_sheet(snapshot, path: Path) -> None:
    from openpyxl import Workbook

    from exports.xlsx_writer import write_long_sheet

    workbook = Workbook(write_only=True)
    write_long_sheet(workbook.create_sheet("Svar (langt format)"), _summary(snapshot))
    workbook.save(path)


def _export_pandas(snapshot, path: Path) -> None:
    import pandas as pd

    from exports.long_format import long_columns, long_rows

    summary = _summary(snapshot)
    frame = pd.DataFrame(list(long_rows(summary)), columns=list(long_columns(summary)))
    frame["submitted_at"] = frame["submitted_at"].dt.tz_localize(None)
    frame.to_excel(path, sheet_name="Svar (langt format)", index=False, engine="openpyxl")


EXPORTS = {
    "full_workbook": _export_full,
    "long_sheet": _export_long_sheet,
    "pandas_to_excel": _export_pandas,
}


def _child(name: str, n_respondents: int, out_dir: str, queue) -> None:
    """Run one export in a fresh process; report timings and this process's peak memory.

    Modules are imported before the clock starts: import time (scikit-learn, pandas) is the
    same for every export and not what is measured.
    """
    import pandas  # noqa: F401

    import exports.long_format
    import exports.summary
    import exports.xlsx_writer  # noqa: F401

    started = time.perf_counter()
    snapshot = synthetic_snapshot(n_respondents)
    snapshot_seconds = time.perf_counter() - started
    snapshot_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = Path(out_dir) / f"{name}.xlsx"
    started, cpu_started = time.perf_counter(), time.process_time()
    EXPORTS[name](snapshot, path)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    queue.put(
        {
            "export": name,
            "seconds": seconds,
            "cpu_seconds": cpu_seconds,
            "snapshot_seconds": snapshot_seconds,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "snapshot_rss_mb": snapshot_rss / 1024,
            "file_mb": path.stat().st_size / 1e6,
        }
    )
    path.unlink()


def measure(name: str, n_respondents: int, out_dir: Path) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(name, n_respondents, str(out_dir), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    for _ in range(args.repeat):
        for name in EXPORTS:
            results.append(measure(name, args.respondents, RESULTS_DIR))
            print(f"  {name}: {results[-1]['seconds']:.1f} s", flush=True)
    best = {name: min((r for r in results if r["export"] == name), key=lambda r: r["seconds"])
            for name in EXPORTS}  # fmt: skip
    baseline = best["pandas_to_excel"]
    print(f"\n{args.respondents:,} respondents × {len(QUESTION_SPECS)} questions\n")
    print(
        "| export | wall s | CPU s | pandas / this (CPU) | peak RSS (MB) "
        "| snapshot RSS (MB) | file (MB) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result in best.items():
        print(
            f"| {name} | {result['seconds']:.1f} | {result['cpu_seconds']:.1f} | "
            f"{baseline['cpu_seconds'] / result['cpu_seconds']:.2f}× | "
            f"{result['peak_rss_mb']:.0f} | {result['snapshot_rss_mb']:.0f} | "
            f"{result['file_mb']:.1f} |"
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS_DIR / f"xlsx_export_{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "benchmark": "xlsx_export",
                "respondents": args.respondents,
                "questions": len(QUESTION_SPECS),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "runs": results,
                "best": best,
                "speedup_vs_pandas_cpu": {
                    n: baseline["cpu_seconds"] / r["cpu_seconds"] for n, r in best.items()
                },
                "speedup_vs_pandas_wall": {
                    n: baseline["seconds"] / r["seconds"] for n, r in best.items()
                },
            },
            indent=2,
        )
    )
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
