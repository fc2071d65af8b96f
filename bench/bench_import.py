"""Benchmark: importing a 100,000-row long-format CSV, bulk importer against per-row ORM inserts.

A synthetic file in the long format (seed 004's six questions and eleven categories; about
16,700 respondents × 6 questions = 100,000 rows) is imported into a fresh SQLite database two
ways, each in its own child process so that its peak memory (`ru_maxrss`, read by the parent
through `os.wait4`) is its own:

- `bulk`: the real path of `hearing import-responses` — `plan_long_import` (read, validate,
  group) and `apply_long_import` (driver-level executemany of plain tuples in batches), one
  commit;
- `naive` (baseline): `csv.DictReader`, then per row one ORM `Submission` (first row of a
  respondent) and one `Answer` added and committed. It is run on the first `--naive-rows` rows
  and its rate extrapolated to the whole file (stated as such in the table).

Times cover reading the file through the final commit; creating the database and the empty
consultation is outside. Run:

    .venv/bin/python bench/bench_import.py [--rows 100000] [--naive-rows 5000]

It prints a Markdown table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIRECTORY = Path(__file__).parent
RESULTS_DIRECTORY = BENCH_DIRECTORY / "results"
TARGET_ROWS_PER_SECOND = 20_000
QUESTIONS = (("1", "scale"), ("1.a", "text"), ("1.b", "text"), ("2", "both"), ("3", "both"))
QUESTIONS += (("4", "text"),)
WORDS = (
    "samarbeid", "tjenestene", "kunnskap", "ledelse", "barn", "unge", "kommunen", "praksis",
    "forskning", "ressurser", "kompetanse", "tverrfaglig", "brukerne", "familier", "tiltak",
)  # fmt: skip
HEADER = ("respondent", "category", "sector", "question", "value", "text", "email", "consent")


def generate_csv(rows: int, seed: int = 0) -> bytes:
    """A long-format CSV of `rows` rows (UTF-8 with BOM, ";"), deterministic for `seed`."""
    from synthesis.presets import NORWEGIAN_CATEGORY_PRESET
    from synthesis.snapshot import NORWEGIAN_AGREEMENT_SCALE, SECTOR_SUFFIX_NB

    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    written, number = 0, 0
    while written < rows:
        number += 1
        category = rng.choice(NORWEGIAN_CATEGORY_PRESET)
        name = f"Instans {number}"
        for code, kind in QUESTIONS:
            if written == rows:
                break
            value = rng.choice(NORWEGIAN_AGREEMENT_SCALE) if kind != "text" else ""
            text = " ".join(rng.choices(WORDS, k=rng.randint(5, 40))) if kind != "scale" else ""
            writer.writerow(
                (name, category.name, SECTOR_SUFFIX_NB[category.sector], code, value, text,
                 f"post{number}@example.no", "named")
            )  # fmt: skip
            written += 1
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _app(database: Path):
    from flask_migrate import upgrade

    from hearing import create_app
    from hearing.demo import DEMO_QUESTIONS
    from hearing.extensions import db
    from hearing.services.snapshots import create_consultation
    from synthesis.presets import NORWEGIAN_CATEGORY_PRESET
    from synthesis.snapshot import ConsultationSnapshot

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"}
    )
    context = app.app_context()
    context.push()
    upgrade()
    skeleton = ConsultationSnapshot(
        slug="bench",
        title="Benchmark",
        categories=NORWEGIAN_CATEGORY_PRESET,
        questions=DEMO_QUESTIONS,
    )
    consultation = create_consultation(skeleton, slug="bench")
    db.session.commit()
    return consultation


def run_bulk(path: Path, database: Path) -> dict:
    from hearing.extensions import db
    from hearing.services.long_import import apply_long_import, plan_long_import

    _app(database)
    started, cpu_started = time.perf_counter(), time.process_time()
    plan = plan_long_import(path.read_bytes(), path.name, slug="bench")
    planned = time.perf_counter()
    outcome = apply_long_import(plan)
    db.session.commit()
    finished = time.perf_counter()
    assert not plan.validated.errors, plan.validated.errors[:3]
    return {
        "rows": plan.validated.rows_read,
        "seconds": finished - started,
        "cpu_seconds": time.process_time() - cpu_started,
        "read_validate_seconds": planned - started,
        "load_commit_seconds": finished - planned,
        "respondents": outcome.loaded.created,
        "answers": outcome.loaded.answers,
    }


def run_naive(path: Path, database: Path, limit: int) -> dict:
    """Per row: an ORM Answer (and the respondent's Submission on its first row), then commit."""
    from hearing.extensions import db
    from hearing.models import Answer, Source, Submission, SubmissionStatus
    from hearing.models.types import utcnow
    from hearing.services.references import new_reference

    consultation = _app(database)
    categories = {(c.name, c.sector): c.id for c in consultation.categories}
    sectors = {"Offentlig": "public", "Privat": "private", "Enkeltperson": "individual"}
    questions = {q.code: q.id for q in consultation.questions}
    points = {label: index for index, label in enumerate(consultation.scale_points)}
    started, cpu_started = time.perf_counter(), time.process_time()
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
    submissions: dict[str, int] = {}
    count = 0
    for row in reader:
        if count == limit:
            break
        submission_id = submissions.get(row["respondent"])
        if submission_id is None:
            submission = Submission(
                consultation_id=consultation.id,
                reference=new_reference(),
                status=SubmissionStatus.SUBMITTED,
                source=Source.IMPORT,
                respondent_name=row["respondent"],
                category_id=categories[(row["category"], sectors[row["sector"]])],
                email=row["email"],
                submitted_at=utcnow(),
            )
            db.session.add(submission)
            db.session.commit()
            submission_id = submissions[row["respondent"]] = submission.id
        db.session.add(
            Answer(
                submission_id=submission_id,
                question_id=questions[row["question"]],
                value=points.get(row["value"]),
                text=row["text"] or None,
            )
        )
        db.session.commit()
        count += 1
    return {
        "rows": count,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu_started,
    }


def reference_loop_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop, to compare this machine's speed with others."""
    started = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    return time.process_time() - started


def run_child(approach: str, path: Path, limit: int) -> dict:
    """Run one approach in a fresh interpreter; its report plus its own peak memory."""
    with tempfile.TemporaryDirectory() as directory:
        command = [
            sys.executable, __file__, "--child", approach, "--file", str(path),
            "--database", str(Path(directory) / "bench.db"), "--naive-rows", str(limit),
        ]  # fmt: skip
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, text=True, cwd=BENCH_DIRECTORY.parent
        )
        output = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{approach} failed")
    report = json.loads(output.strip().splitlines()[-1])
    report["approach"] = approach
    report["peak_mb"] = round(usage.ru_maxrss / 1024, 1)  # Linux reports kilobytes
    report["rows_per_second"] = report["rows"] / report["seconds"]
    report["rows_per_cpu_second"] = report["rows"] / report["cpu_seconds"]
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive-rows", type=int, default=5_000)
    parser.add_argument("--child", choices=("bulk", "naive"))
    parser.add_argument("--file", type=Path)
    parser.add_argument("--database", type=Path)
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH_DIRECTORY.parent))
    if args.child:
        if args.child == "bulk":
            report = run_bulk(args.file, args.database)
        else:
            report = run_naive(args.file, args.database, args.naive_rows)
        print(json.dumps(report))
        return
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "long.csv"
        path.write_bytes(generate_csv(args.rows))
        bulk = run_child("bulk", path, args.naive_rows)
        naive = run_child("naive", path, min(args.naive_rows, args.rows))
    naive["extrapolated_seconds"] = args.rows / naive["rows_per_second"]
    ratio = bulk["rows_per_second"] / naive["rows_per_second"]
    load = os.getloadavg()[0]
    calibration = reference_loop_seconds()
    print(
        f"Import of a {args.rows:,}-row long-format CSV into SQLite "
        f"({os.cpu_count()} CPUs, load average {load:.1f} when finished)\n"
    )
    print("| approach | rows timed | seconds | rows/s | rows/CPU-s | peak MB | speed-up |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, report, speedup in (
        ("bulk (driver executemany)", bulk, ratio),
        ("naive ORM, commit per row", naive, 1.0),
    ):
        print(
            f"| {name} | {report['rows']:,} | {report['seconds']:.2f} "
            f"| {report['rows_per_second']:,.0f} | {report['rows_per_cpu_second']:,.0f} "
            f"| {report['peak_mb']} | {speedup:.1f}× |"
        )
    print(
        f"\nBulk: read+validate {bulk['read_validate_seconds']:.2f} s, load+commit "
        f"{bulk['load_commit_seconds']:.2f} s. Naive measured on {naive['rows']:,} rows; "
        f"extrapolated to {args.rows:,} rows: {naive['extrapolated_seconds']:.0f} s. "
        f"Target ≥ {TARGET_ROWS_PER_SECOND:,} rows/s: "
        f"{'met' if bulk['rows_per_second'] >= TARGET_ROWS_PER_SECOND else 'NOT met'} "
        f"(wall clock). Reference loop of 10M additions: {calibration:.2f} CPU-s on this machine "
        "(an idle desktop takes about 0.4 s)."
    )
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    result = {
        "benchmark": "import",
        "rows": args.rows,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "bulk": bulk,
        "naive": naive,
        "speedup": ratio,
        "load_average": load,
        "reference_loop_cpu_seconds": calibration,
        "target_rows_per_second": TARGET_ROWS_PER_SECOND,
    }
    target = RESULTS_DIRECTORY / f"import_{stamp}.json"
    target.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"Written to {target}")


if __name__ == "__main__":
    main()
