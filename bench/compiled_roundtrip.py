"""How many generated compiled documents the importer reads back exactly, and how fast.

Each document is a random consultation (`bench.synthetic_compiled`, with names that are
prefixes of other names), rendered in seed 004's format, optionally damaged as PDF extraction
damages it, and imported; it counts as exact when respondents, categories, questions and
answers equal the generated ones and the importer reports no problem. A wrong reading is
"reported" when the importer lists a problem, "silent" when it does not.

With `--baseline REV` the importer as it was at that commit is measured in the same run
(`bench.compiled_baseline`), on the same documents. Times are CPU seconds of one import.

    .venv/bin/python -m bench.compiled_roundtrip --documents 200 --baseline 56682ca
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench.compiled_baseline import load_parser
from bench.synthetic_compiled import (
    PREFIX_SHARE,
    generate_consultation,
    perturb,
    readable_part,
)
from exports.compiled_text import render_compiled_text
from hearing.imports.compiled import parse_compiled
from synthesis.snapshot import ConsultationSnapshot

Parser = Callable[[str], object]


@dataclass
class Outcome:
    exact: int = 0
    reported: int = 0
    silent: int = 0
    failed: int = 0  # the importer raised


def document(seed: int, damaged: bool, prefix_share: float) -> tuple[ConsultationSnapshot, str]:
    generated = generate_consultation(seed, prefix_share=prefix_share)
    text = render_compiled_text(generated)
    if damaged:
        text = perturb(text, random.Random(seed), generated.scale.points)
    return generated, text


def round_trip(parse: Parser, seeds: range, damaged: bool, prefix_share: float) -> Outcome:
    outcome = Outcome()
    for seed in seeds:
        generated, text = document(seed, damaged, prefix_share)
        try:
            parsed = parse(text)
        except Exception:  # an old importer may fail; that is a result too
            outcome.failed += 1
            continue
        same = readable_part(parsed.snapshot) == readable_part(generated)
        if same and not parsed.problems:
            outcome.exact += 1
        elif parsed.problems:
            outcome.reported += 1
        else:
            outcome.silent += 1
    return outcome


def cpu_seconds(parse: Parser, text: str) -> float:
    started = time.process_time()
    parse(text)
    return time.process_time() - started


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--documents", type=int, default=200)
    arguments.add_argument("--baseline", help="a commit of the importer to compare with")
    arguments.add_argument("--respondents", type=int, nargs="*", default=[750, 3000])
    options = arguments.parse_args()
    parsers: dict[str, Parser] = {}
    if options.baseline:
        parsers[f"before ({options.baseline})"] = load_parser(options.baseline)
    parsers["now"] = parse_compiled
    seeds = range(options.documents)

    print(f"## Round trip: {options.documents} generated documents each\n")
    header = "| documents | prefix names | importer | exact | wrong, reported | wrong, silent |"
    print(header)
    print("|---|---|---|---|---|---|")
    for damaged in (False, True):
        for share in (PREFIX_SHARE, 0.0):
            for label, parse in parsers.items():
                found = round_trip(parse, seeds, damaged, share)
                kind = "rendered + PDF damage" if damaged else "rendered"
                wrong_silent = found.silent + found.failed
                print(
                    f"| {kind} | {share:.0%} | {label} | {found.exact}/{len(seeds)} | "
                    f"{found.reported} | {wrong_silent} |"
                )

    print("\n## Import time (CPU seconds, 6 questions)\n")
    print("| respondents | lines | " + " | ".join(parsers) + " |")
    print("|---|---|" + "---|" * len(parsers))
    for count in options.respondents:
        generated = generate_consultation(1, respondents=count, questions=6)
        text = render_compiled_text(generated)
        times = [f"{cpu_seconds(parse, text):.2f}" for parse in parsers.values()]
        print(
            f"| {len(generated.respondents)} | {text.count(chr(10))} | " + " | ".join(times) + " |"
        )


if __name__ == "__main__":
    main()
