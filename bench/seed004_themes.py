"""Seed 004's themes as the synthesis finds them, for a reader to judge: label, size, one quote.

The demo consultation (`hearing/demo_data/compiled_responses.txt`, read by the compiled
importer) with its consulted document (seed 000, the BarnUnge21 report) as the snapshot's
document, run through `SynthesisPipeline` with its defaults, as `hearing synthesize` runs it.

    .venv/bin/python bench/seed004_themes.py [--no-document]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearing.imports.compiled import parse_compiled  # noqa: E402
from synthesis.pipeline import SynthesisPipeline  # noqa: E402

SEED = ROOT / "hearing" / "demo_data" / "compiled_responses.txt"
DOCUMENT = Path("/work/shared/seeds/000_277e22b763c20f0d.txt")
QUOTE_CHARS = 140


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-document", action="store_true", help="leave the document out")
    arguments = parser.parse_args()
    snapshot = parse_compiled(SEED.read_text(encoding="utf-8")).snapshot
    if not arguments.no_document and DOCUMENT.exists():
        snapshot = replace(snapshot, document=DOCUMENT.read_text(encoding="utf-8"))
    result = SynthesisPipeline().run(snapshot)
    names = {respondent.key: respondent.name for respondent in snapshot.respondents}
    for found in result.themes:
        question = snapshot.question(found.question_code)
        print(f"\n**{found.question_code}** {question.text if question else ''}\n")
        print("| theme | answers | positions | quote |\n|---|---:|---|---|")
        for theme in found.themes:
            quote = theme.quotes[0] if theme.quotes else None
            text = quote.text if quote else ""
            if len(text) > QUOTE_CHARS:
                text = text[: QUOTE_CHARS - 2].rsplit(" ", 1)[0] + " …"
            who = names.get(quote.respondent_key, "").split(",")[0] if quote else ""
            stance = " / ".join(map(str, theme.stance)) if sum(theme.stance) else ""
            print(f"| {theme.label} | {theme.size} | {stance} | «{text}» ({who}) |")


if __name__ == "__main__":
    main()
