"""Time and peak memory of the synthesis stages on synthetic answers, against a naive baseline.

Each stage runs in its own subprocess, so its peak resident memory is its own: the parent reads
the child's `ru_maxrss` from `os.wait4` (tracemalloc would slow big runs several-fold and misses
native memory). The child's peak includes the interpreter, the libraries and the generated
answers; the `generate` row shows that floor. Each stage also reports its own CPU seconds
(user + system) and the load average when it started: the machine is shared, and when other
work competes for the two cores the wall time swells while the CPU time barely moves. Stages:

- text: passages, spaCy words, language detection and lemma ids of every answer
  (`synthesis.corpus.build_corpus`);
- themes: `ThemeModel.fit_passages` (text processing included);
- duplicates: `synthesis.duplicates.DuplicateDetector.fit_texts`, with campaign recall and
  precision over member pairs against the injected campaigns;
- pipeline: `SynthesisPipeline.run` on a snapshot of the answers (one text question): its
  question step finds the duplicates, then the themes, which count each group once, in one
  process (a run's questions go in parallel on the task queue's workers instead:
  `bench/bench_million.py`). Its seconds are those of the duplicates and themes stages together
  (from the start of the duplicate search to the end of the run); its peak is the process's.
  This is the row issue 5's target is checked against;
- baseline: the naive pipeline — `nlp(text)` of a blank spaCy pipeline per answer, then
  TfidfVectorizer and KMeans on whole answers. Ratios are baseline seconds / stage seconds.
  Above `--baseline-max` answers the baseline runs on the first `--baseline-max` answers and
  its seconds are scaled linearly (both of its steps are linear in the number of answers);
  such rows say "extrapolated".

    .venv/bin/python bench/bench_synthesis.py --sizes 1000 10000 100000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections import Counter
from math import comb
from pathlib import Path

BENCH_DIRECTORY = Path(__file__).parent
RESULTS_DIRECTORY = BENCH_DIRECTORY / "results"
STAGES = ("generate", "text", "themes", "duplicates", "pipeline", "baseline")
TARGET_SECONDS_100K = 60.0
TARGET_PEAK_MB = 2048.0


def run_stage(stage: str, n: int, seed: int, baseline_max: int) -> dict:
    """Run one stage in a fresh interpreter; its JSON report plus its own peak memory."""
    command = [sys.executable, __file__, "--child", stage, "--n", str(n), "--seed", str(seed)]
    command += ["--baseline-max", str(baseline_max)]
    load = os.getloadavg()[0]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=BENCH_DIRECTORY.parent)
    output = child.stdout.read() if child.stdout else ""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        return {"stage": stage, "n": n, "error": f"exit code {child.returncode}"}
    report = json.loads(output.strip().splitlines()[-1])
    report["peak_mb"] = usage.ru_maxrss / 1024  # Linux reports kilobytes
    report["load"] = load
    return report


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(stage: str, n: int, seed: int, baseline_max: int) -> dict:
    """The body of a stage subprocess: generate the answers, then time only the stage."""
    sys.path.insert(0, str(BENCH_DIRECTORY.parent))
    sys.path.insert(0, str(BENCH_DIRECTORY))
    from synthetic_responses import generate

    data = generate(n, seed=seed)
    started, cpu_started = time.perf_counter(), cpu_seconds()
    report: dict = {"stage": stage, "n": n}
    if stage == "text":
        from synthesis.corpus import AnswerText, build_corpus

        corpus = build_corpus([AnswerText(key, text) for key, text in data.items])
        report |= {"passages": len(corpus.passages), "lemmas": len(corpus.docs.lemma_ids)}
    elif stage == "themes":
        from synthesis.themes import ThemeModel

        model = ThemeModel(random_state=seed).fit_passages(data.texts, data.keys)
        labels = [t.label for t in model.themes_]
        report |= {"themes": len(labels), "labels": labels, "coherence": model.scores_}
    elif stage == "duplicates":
        report |= detect_duplicates(data)
    elif stage == "pipeline":
        report |= run_pipeline(data, seed)
    elif stage == "baseline":
        report |= naive_baseline(data.texts[:baseline_max], seed)
    report["seconds"] = time.perf_counter() - started
    report["cpu_seconds"] = cpu_seconds() - cpu_started
    if stage == "baseline" and n > baseline_max:
        scale = n / baseline_max
        report |= {"extrapolated_from": baseline_max, "measured_seconds": report["seconds"]}
        for key in ("seconds", "cpu_seconds", "spacy_seconds"):
            report[key] *= scale
    return report


def detect_duplicates(data) -> dict:
    if importlib.util.find_spec("synthesis.duplicates") is None:
        return {"skipped": "synthesis/duplicates.py not present"}
    from synthesis.duplicates import DuplicateDetector

    detector = DuplicateDetector().fit_texts(data.items)
    found = [group.member_keys for group in detector.groups_]
    return {"groups": len(found), **pairwise_scores(found, data.campaign_of)}


def run_pipeline(data, seed: int) -> dict:
    """The whole pipeline; seconds and CPU of its themes + duplicates part, both processes' peak."""
    from synthesis.pipeline import SynthesisPipeline
    from synthesis.snapshot import (
        Answer,
        Category,
        ConsultationSnapshot,
        Question,
        QuestionKind,
        Respondent,
        Sector,
    )

    category = Category("Privatperson", Sector.INDIVIDUAL)
    snapshot = ConsultationSnapshot(
        slug="bench",
        title="Bench",
        categories=(category,),
        questions=(Question("1", "Kommentarer", QuestionKind.TEXT),),
        respondents=tuple(
            Respondent(
                key, f"Respondent {key}", category.label, answers={"1": Answer("1", text=text)}
            )
            for key, text in data.items
        ),
    )
    clock: dict[str, float] = {}

    def progress(stage: str, fraction: float) -> None:
        if stage in ("duplicates", "themes"):
            clock.setdefault("started", time.perf_counter())
            clock.setdefault("cpu_started", cpu_seconds())
            clock["ended"], clock["cpu_ended"] = time.perf_counter(), cpu_seconds()

    result = SynthesisPipeline(random_state=seed).run(snapshot, progress)
    found = [group.member_keys for group in result.duplicate_groups]
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "themes": sum(len(found.themes) for found in result.themes),
        "groups": len(found),
        **pairwise_scores(found, data.campaign_of),
        "stage_timings": result.timings,
        "themes_duplicates_seconds": clock["ended"] - clock["started"],
        "themes_duplicates_cpu_seconds": clock["cpu_ended"]
        - clock["cpu_started"]
        + children.ru_utime
        + children.ru_stime,
        "combined_peak_mb": (own + children.ru_maxrss) / 1024,
    }


def pairwise_scores(groups: list[tuple[str, ...]], campaign_of: dict[str, str]) -> dict:
    """Recall and precision over pairs of answers said to share a campaign."""
    true_pairs = sum(comb(size, 2) for size in Counter(campaign_of.values()).values())
    found_pairs = sum(comb(len(group), 2) for group in groups)
    correct = sum(
        comb(count, 2)
        for group in groups
        for campaign, count in Counter(campaign_of.get(k) for k in group).items()
        if campaign is not None
    )
    return {
        "recall": correct / true_pairs if true_pairs else 1.0,
        "precision": correct / found_pairs if found_pairs else 1.0,
    }


def naive_baseline(texts: list[str], seed: int) -> dict:
    """What one would write first: full spaCy per text, TF-IDF on its tokens, KMeans."""
    import spacy
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    nlp = spacy.blank("nb")
    started = time.perf_counter()
    token_lists = [[t.lower_ for t in nlp(text) if t.is_alpha and not t.is_stop] for text in texts]
    spacy_seconds = time.perf_counter() - started
    vectors = TfidfVectorizer(analyzer=lambda tokens: tokens, min_df=2).fit_transform(token_lists)
    KMeans(n_clusters=8, n_init=1, random_state=seed).fit(vectors)
    return {"spacy_seconds": spacy_seconds}


def table(results: list[dict]) -> str:
    """Markdown: stage, n, seconds, CPU seconds, peak MB, baseline seconds, ratio, load."""
    lines = [
        "| stage | n | seconds | CPU s | peak MB | baseline s | ratio | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    baselines = {r["n"]: r for r in results if r["stage"] == "baseline" and "seconds" in r}
    for r in results:
        if r["stage"] == "baseline" or "seconds" not in r:
            continue
        base = baselines.get(r["n"])
        compared = {"text": "spacy_seconds", "themes": "seconds"}.get(r["stage"])
        base_seconds = base[compared] if base and compared else None
        ratio = f"{base_seconds / r['seconds']:.1f}×" if base_seconds else "—"
        extra = (
            f" (recall {r['recall']:.3f}, precision {r['precision']:.3f})" if "recall" in r else ""
        )
        if r["stage"] == "pipeline":  # its themes + duplicates part, both processes
            extra = f": themes + duplicates{extra}"
            r = r | {
                "seconds": r["themes_duplicates_seconds"],
                "cpu_seconds": r["themes_duplicates_cpu_seconds"],
                "peak_mb": r["combined_peak_mb"],
            }
        lines.append(
            f"| {r['stage']}{extra} | {r['n']:,} | {r['seconds']:.2f} | {r['cpu_seconds']:.2f} | "
            f"{r['peak_mb']:.0f} | {f'{base_seconds:.2f}' if base_seconds else '—'} | {ratio} | "
            f"{r['load']:.1f} |"
        )
    for r in baselines.values():
        how = f", extrapolated from {r['extrapolated_from']:,}" if "extrapolated_from" in r else ""
        lines.append(
            f"| baseline (spaCy + TF-IDF + KMeans{how}) | {r['n']:,} | {r['seconds']:.2f} | "
            f"{r['cpu_seconds']:.2f} | {r['peak_mb']:.0f} | — | — | {r['load']:.1f} |"
        )
    return "\n".join(lines)


def target_lines(results: list[dict]) -> str:
    """Issue 5's target: themes and duplicates of 100,000 answers in 60 s within 2 GB.

    Checked on the pipeline row (both stages as the pipeline runs them); without one, on the
    themes and duplicates rows run one after the other."""
    lines = []
    for n in sorted({r["n"] for r in results if r["n"] >= 100_000}):
        at_n = [r for r in results if r["n"] == n and "seconds" in r]
        pipeline = next((r for r in at_n if r["stage"] == "pipeline"), None)
        stages = [r for r in at_n if r["stage"] in ("themes", "duplicates")]
        if pipeline:
            how = "in the pipeline (concurrent)"
            seconds, peak = pipeline["themes_duplicates_seconds"], pipeline["combined_peak_mb"]
            cpu = pipeline["themes_duplicates_cpu_seconds"]
        elif len(stages) == 2:
            how = "one after the other"
            seconds, peak = sum(r["seconds"] for r in stages), max(r["peak_mb"] for r in stages)
            cpu = sum(r["cpu_seconds"] for r in stages)
        else:
            continue
        lines.append(
            f"themes + duplicates at {n:,} {how}: {seconds:.1f} s wall, {cpu:.1f} CPU s "
            f"(target ≤ {TARGET_SECONDS_100K:.0f} s), peak {peak:.0f} MB "
            f"(target ≤ {TARGET_PEAK_MB:.0f} MB), load {max(r['load'] for r in at_n):.1f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline-max", type=int, default=10_000)
    parser.add_argument("--child", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.n, args.seed, args.baseline_max)))
        return
    results = []
    for n in args.sizes:
        for stage in args.stages:
            result = run_stage(stage, n, args.seed, args.baseline_max)
            print(f"{stage} n={n}: {result.get('seconds', 0):.2f} s", file=sys.stderr)
            results.append(result)
    print(table(results))
    print(target_lines(results))
    RESULTS_DIRECTORY.mkdir(exist_ok=True)
    name = f"synthesis_{'_'.join(str(n) for n in args.sizes)}.json"
    payload = {"machine": platform.platform(), "cpus": os.cpu_count(), "results": results}
    (RESULTS_DIRECTORY / name).write_text(json.dumps(payload, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
