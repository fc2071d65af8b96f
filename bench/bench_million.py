"""A synthesis run of a million answers through the task queue, on one and on two workers.

A consultation of `--respondents` respondents answering four scale + text questions, with
campaigns injected whose members add sentences of their own (`bench/million_data.py`), is
loaded into a SQLite database once (kept beside `--directory` and reused). Then, for each
number of `--workers`, `hearing worker --processes N` is started (one thread each, on Redis:
what this 2-core host runs; each further host adds a supervisor process of some 130 MB), a
run is requested as the web page does, and the clock runs from queuing the run until it is
done: every step of it (`hearing.services.run_execution`) executed by the workers, answers
streamed from the database and each question's part stored.

Measured per configuration: wall seconds, CPU seconds of the workers, the peak resident memory
of each worker process (`VmHWM`: the largest), the most the workers held at one moment
(sampled every `SAMPLE_SECONDS`), counted as summed resident memory (what the 3 GB target is
checked against: pages the processes share, such as libraries and what the supervisor held when
it forked them, count once per process, so it overstates the machine's share a little) and as
summed proportional memory (`Pss`: shared pages once, what the machine holds), beside the sum of
each one's own peak (an upper bound: their peaks need not coincide); campaign pair recall and
precision against the injected campaigns (pairs of answers to one question); and the load
average before and after (the machine is shared). The
baseline is the whole-in-memory path on the same database: every answer as objects at once
(`snapshot_of`), `SynthesisPipeline.run`, and the result as one JSON text, as runs were stored
before, measured in a process of its own at `--baseline-respondents`.

    nice .venv/bin/python bench/bench_million.py --respondents 25000 250000 --workers 1 2

Needs Redis on 127.0.0.1:6379 (a key namespace of its own in database 3).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH_DIRECTORY = Path(__file__).parent
ROOT = BENCH_DIRECTORY.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH_DIRECTORY))

from bench_synthesis import pairwise_scores  # noqa: E402
from million_data import QUESTIONS, SLUG, truth_path  # noqa: E402

RESULTS_DIRECTORY = BENCH_DIRECTORY / "results"
REDIS_URL = "redis://127.0.0.1:6379/3"
READY = "Worker process is ready for action."
TARGET_SECONDS, TARGET_PEAK_MB = 600, 3072
TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.2


def database_for(directory: Path, respondents: int) -> Path:
    return directory / f"million_{respondents}.db"


def ensure_database(directory: Path, respondents: int) -> dict:
    """The loaded database (made in a process of its own, whose memory is not measured)."""
    database = database_for(directory, respondents)
    if database.exists() and truth_path(database).exists():
        return {"loaded": "reused"}
    command = [sys.executable, str(BENCH_DIRECTORY / "million_data.py")]
    command += ["--respondents", str(respondents), "--database", str(database)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def settings(database: Path, namespace: str) -> dict[str, str]:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SECRET_KEY": "bench",
        "TASK_BROKER": "redis",
        "REDIS_URL": REDIS_URL,
        "TASK_REDIS_NAMESPACE": namespace,
        "SYNTHESIS_MEMORY_LIMIT_MB": "0",  # measured, not capped
        "SYNTHESIS_TIME_LIMIT_SECONDS": "0",
        "SYNTHESIS_MAX_ACTIVE_RUNS": "10",
    }


def tree(pid: int) -> list[int]:
    """`pid` and its descendants."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:  # ended meanwhile
            continue
        parent = next(int(line.split()[1]) for line in lines if line.startswith("PPid:"))
        children.setdefault(parent, []).append(int(status.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _field_kb(path: str, field: str) -> int:
    """One "Field:  N kB" line of a /proc file (0 once the process has ended)."""
    try:
        text = Path(path).read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith(field)), 0)


def resident_mb(pids: list[int]) -> float:
    """The resident memory the processes hold now, each counted whole: pages they share (the
    libraries, and what the supervisor held when it forked the workers) count once per process."""
    return sum(_field_kb(f"/proc/{pid}/status", "VmRSS:") for pid in pids) / 1024


def proportional_mb(pids: list[int]) -> float:
    """The memory the processes hold now with each shared page divided among the processes that
    map it (`Pss`): what they take from the machine together."""
    return sum(_field_kb(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids) / 1024


class TogetherPeak:
    """The most memory the worker processes held at one moment, sampled every
    `SAMPLE_SECONDS`, counted two ways: summed resident memory (`peak_mb`, shared pages counted
    once per process: an upper bound) and summed proportional memory (`proportional_peak_mb`,
    shared pages once: what the machine must hold). The sum of each process's own peak
    (`VmHWM`) overstates both when their peaks fall at different moments."""

    def __init__(self, pids: list[int]) -> None:
        self.pids, self.peak_mb, self.proportional_peak_mb = pids, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TogetherPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak_mb = max(self.peak_mb, resident_mb(self.pids))
            self.proportional_peak_mb = max(self.proportional_peak_mb, proportional_mb(self.pids))
            self._stop.wait(SAMPLE_SECONDS)


def usage(pid: int) -> tuple[float, float]:
    """(CPU seconds, peak resident MB) of one process."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / TICKS
    status = Path(f"/proc/{pid}/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return cpu, peak / 1024


@contextmanager
def workers(count: int, env: dict[str, str], logs: Path) -> Iterator[subprocess.Popen]:
    """`hearing worker --processes count`: what one host runs (a supervisor and its worker
    processes, one thread each)."""
    log_path = logs / "worker.log"
    command = [str(ROOT / ".venv/bin/hearing"), "worker", "--processes", str(count)]
    with log_path.open("wb") as log:
        started = subprocess.Popen(
            [*command, "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300
        while log_path.read_text().count(READY) < count:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not start")
            time.sleep(0.5)
        yield started
    finally:
        os.killpg(started.pid, signal.SIGTERM)
        started.wait(timeout=120)


def queued_run(parameters: dict) -> int:
    from sqlalchemy import select

    from hearing.extensions import db
    from hearing.models import Consultation
    from hearing.services import run_execution, synthesis_runs

    consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
    for left in synthesis_runs.recent_runs(consultation):  # an earlier bench stopped midway
        run_execution.cancel(left)
    run = synthesis_runs.request_run(consultation, parameters, force=True).run
    db.session.commit()
    return run.id


def measure_run(database: Path, count: int) -> dict:
    """A run on `count` fresh worker processes: wall, CPU, memory, campaign scores."""
    from hearing import create_app
    from hearing.extensions import db
    from hearing.models import SynthesisRun
    from hearing.services import synthesis_runs

    namespace = f"bench-{uuid.uuid4().hex}"
    config = settings(database, namespace)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env |= {f"HEARING_{key}": value for key, value in config.items()}
    logs = Path(f"/tmp/{namespace}")
    logs.mkdir()
    app = create_app({**config, "SYNTHESIS_MEMORY_LIMIT_MB": 0, "TESTING": True})
    with app.app_context(), workers(count, env, logs) as started:
        processes = tree(started.pid)
        cpu_before = sum(usage(pid)[0] for pid in processes)
        load_before = os.getloadavg()[0]
        run_id = queued_run(synthesis_runs.run_parameters())
        started_at = time.perf_counter()
        with TogetherPeak(processes) as together:
            synthesis_runs.dispatch(run_id)
            while True:
                db.session.rollback()
                run = db.session.get(SynthesisRun, run_id)
                db.session.refresh(run)
                if run.status in ("done", "failed"):
                    break
                time.sleep(0.5)
        wall = time.perf_counter() - started_at
        processes = tree(started.pid)
        measured = {pid: usage(pid) for pid in processes}
        report = {
            "workers": count,
            "run": run_id,
            "status": run.status,
            "error": run.error,
            "seconds": round(wall, 1),
            "cpu_seconds": round(sum(cpu for cpu, _ in measured.values()) - cpu_before, 1),
            "peak_mb": round(max(peak for _, peak in measured.values())),
            "total_peak_mb": round(sum(peak for _, peak in measured.values())),
            "together_peak_mb": round(together.peak_mb),
            "together_proportional_mb": round(together.proportional_peak_mb),
            "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2),
            "timings": run.timings,
        }
        if run.status == "done":
            report |= campaign_scores(database, run)
    return report


def campaign_scores(database: Path, run) -> dict:
    """Recall and precision over pairs of answers to one question said to share a campaign."""
    from sqlalchemy import select

    from hearing.extensions import db
    from hearing.models import Submission
    from hearing.services import run_results

    names = dict(db.session.execute(select(Submission.reference, Submission.respondent_name)).all())
    truth = json.loads(truth_path(database).read_text())
    campaign_of = {
        (code, name): campaign
        for code, members in truth.items()
        for name, campaign in members.items()
    }
    result = run_results.stored_result(run)
    groups = [
        tuple((group.question_code, names[key]) for key in group.member_keys)
        for group in result.duplicate_groups
    ]
    themes = {found.question_code: len(found.themes) for found in result.themes}
    return {"groups": len(groups), "themes": themes, **pairwise_scores(groups, campaign_of)}


def baseline(database: Path) -> dict:
    """The whole-in-memory path in a process of its own: wall, CPU and peak memory."""
    command = [sys.executable, __file__, "--baseline-child", str(database)]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    output = child.stdout.read() if child.stdout else ""
    _, status, used = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": f"exit code {os.waitstatus_to_exitcode(status)}"}
    return json.loads(output.strip().splitlines()[-1]) | {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(used.ru_utime + used.ru_stime, 1),
        "peak_mb": round(used.ru_maxrss / 1024),
        "load_before": round(load_before, 2),
    }


def baseline_child(database: Path) -> dict:
    from sqlalchemy import select

    from hearing import create_app
    from hearing.extensions import db
    from hearing.models import Consultation
    from hearing.services.snapshots import snapshot_of
    from synthesis.pipeline import SynthesisPipeline

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench"})
    with app.app_context():
        consultation = db.session.scalar(select(Consultation).where(Consultation.slug == SLUG))
        snapshot = snapshot_of(consultation, include_hidden=False)
        result = SynthesisPipeline().run(snapshot)
        stored = json.dumps(result.to_dict())  # the one value runs were stored as
    return {
        "stored_mb": round(len(stored) / 1e6),
        "answers": sum(len(r.answers) for r in snapshot.respondents),
    }


def table(rows: list[dict]) -> str:
    lines = [
        "| run | answers | workers | wall s | CPU s | peak MB (largest process) "
        "| peak MB (all at once) | proportional MB (all at once) | sum of each one's peak MB "
        "| recall | precision | load before/after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        scores = f"{row['recall']:.3f} | {row['precision']:.4f}" if "recall" in row else "– | –"
        lines.append(
            f"| {row['kind']} | {row['answers']:,} | {row.get('workers', '–')} | "
            f"{row.get('seconds', '–')} | {row.get('cpu_seconds', '–')} | "
            f"{row.get('peak_mb', '–')} | "
            f"{row.get('together_peak_mb', row.get('peak_mb', '–'))} | "
            f"{row.get('together_proportional_mb', '–')} | "
            f"{row.get('total_peak_mb', row.get('peak_mb', '–'))} | {scores} | "
            f"{row.get('load_before', '–')}/{row.get('load_after', '–')} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, nargs="+", default=[25_000, 250_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--baseline-respondents", type=int, default=25_000)
    parser.add_argument("--directory", type=Path, default=Path("/tmp"))
    parser.add_argument("--baseline-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.baseline_child:
        print(json.dumps(baseline_child(args.baseline_child)))
        return
    rows = []
    for respondents in sorted(set(args.respondents) | {args.baseline_respondents}):
        loaded = ensure_database(args.directory, respondents)
        database = database_for(args.directory, respondents)
        answers = respondents * QUESTIONS
        print(f"{answers:,} answers: {loaded}", file=sys.stderr)
        if respondents == args.baseline_respondents:
            rows.append(
                {"kind": "baseline: whole in memory", "answers": answers, **baseline(database)}
            )
            print(rows[-1], file=sys.stderr)
        if respondents in args.respondents:
            for count in args.workers:
                rows.append(
                    {"kind": "queue, in steps", "answers": answers, **measure_run(database, count)}
                )
                print(rows[-1], file=sys.stderr)
    print(table(rows))
    for row in rows:
        if row["kind"].startswith("queue") and row["answers"] >= 1_000_000:
            met = (
                row.get("seconds", 1e9) <= TARGET_SECONDS
                and row.get("together_peak_mb", 1e9) <= TARGET_PEAK_MB
            )
            verdict = "met" if met else "not met"
            print(f"target at {row['answers']:,} with {row['workers']} worker(s): {verdict}")
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    payload = {"machine": platform.platform(), "cpus": os.cpu_count(), "results": rows}
    (RESULTS_DIRECTORY / "million.json").write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
