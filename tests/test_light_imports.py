"""The web app starts without the analysis libraries: they load only when synthesis runs.

spaCy, scikit-learn, SciPy, pandas and simplemma together cost seconds of start-up and hundreds
of MB in every web process, and most requests never cluster anything. Checked in one fresh
interpreter (the test session itself has long since imported them): first after `create_app`,
then after also importing what reading a stored result and editing its themes needs.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("spacy", "sklearn", "scipy", "pandas", "simplemma")

PROBE = """
import json, sys

def heavy():
    return sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})

from hearing import create_app
create_app()
after_app = heavy()
from synthesis.pipeline import SynthesisResult
empty = SynthesisResult("", {{}}, 0, {{}}, (), (), (), (), {{}}, (), {{}})
assert SynthesisResult.from_dict(empty.to_dict()) == empty
from synthesis.theme_edits import RenameTheme, apply_edits
import hearing.admin.synthesis_themes
print(json.dumps({{"app": after_app, "result_types": heavy()}}))
"""


def test_app_and_result_types_load_no_analysis_library():
    completed = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY))],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(completed.stdout.strip().splitlines()[-1])
    assert loaded == {"app": [], "result_types": []}
