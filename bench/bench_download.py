"""Benchmark: the HTTP download path against building the whole file as bytes first.

`hearing.exports_web.download_response` writes the file once into a spooled temporary file and
streams it; the baseline is the obvious alternative, `xlsx_bytes(summary)` (or `csv_bytes`,
`json_bytes`) wrapped in a Response, which holds the file as one byte string. For each format
and both paths a child process builds the same synthetic consultation (the shape of seed 004,
from bench_xlsx_export), builds the public summary, makes the response inside a request context
and reads its body to the end, as a WSGI server would. Peak memory (`ru_maxrss`) above the
common snapshot + summary step and the time of the response step are reported, with the
download path as a ratio of the baseline. Run:

    .venv/bin/python bench/bench_download.py [--respondents 20000] [--formats xlsx,csv,json]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _child(path_name: str, format_name: str, n_respondents: int, queue) -> None:
    from datetime import UTC, datetime

    from flask import Response

    from bench.bench_xlsx_export import synthetic_snapshot
    from exports.csv_writer import csv_bytes
    from exports.json_writer import json_bytes
    from exports.summary import build_summary
    from exports.xlsx_writer import xlsx_bytes
    from hearing import create_app
    from hearing.export_formats import FORMATS
    from hearing.exports_web import download_response

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
    summary = build_summary(
        synthetic_snapshot(n_respondents),
        audience="public",
        exported_at=datetime(2025, 3, 1, tzinfo=UTC),
        software_version="bench",
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with app.test_request_context():
        if path_name == "download_response":
            response = download_response(summary, FORMATS[format_name])
        else:
            make_bytes = {"xlsx": xlsx_bytes, "csv": csv_bytes, "json": json_bytes}[format_name]
            response = Response(make_bytes(summary), mimetype=FORMATS[format_name].mimetype)
        response.direct_passthrough = False
        size = sum(len(chunk) for chunk in response.iter_encoded())
        response.close()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": seconds, "extra_peak_mb": (peak - before) / 1024, "bytes": size})


def measure(path_name: str, format_name: str, n_respondents: int) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(path_name, format_name, n_respondents, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--formats", default="xlsx,csv,json")
    args = parser.parse_args()
    print(f"{args.respondents} respondents × 6 questions, public edition")
    print("| format | path | seconds | extra peak MB | MB sent |")
    print("|---|---|---:|---:|---:|")
    for format_name in args.formats.split(","):
        results = {
            path: measure(path, format_name, args.respondents)
            for path in ("bytes_baseline", "download_response")
        }
        for path, result in results.items():
            print(
                f"| {format_name} | {path} | {result['seconds']:.2f} | "
                f"{result['extra_peak_mb']:.1f} | {result['bytes'] / 1e6:.1f} |"
            )
        base, ours = results["bytes_baseline"], results["download_response"]
        time_ratio = ours["seconds"] / base["seconds"]
        memory_ratio = (ours["extra_peak_mb"] + 1) / (base["extra_peak_mb"] + 1)
        print(f"| {format_name} | ratio ours/baseline | {time_ratio:.2f} | {memory_ratio:.2f} | |")


if __name__ == "__main__":
    main()
