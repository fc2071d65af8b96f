"""What two synthesis results must agree on to be the same result: every attribute a reader
of a result uses, whether it was computed whole, in steps, or read back from stored parts."""

from __future__ import annotations

from typing import Any

RESULT_ATTRIBUTES = (
    "input_hash",
    "respondent_count",
    "tabulations",
    "campaign_tabulations",
    "duplicate_groups",
    "resubmissions",
    "collapse_map",
    "themes",
    "passages",
    "opinion_groups",
    "opinion_projection",
    "opinion_silhouette",
)


def assert_same_result(found: Any, expected: Any) -> None:
    for name in RESULT_ATTRIBUTES:
        assert getattr(found, name) == getattr(expected, name), name
