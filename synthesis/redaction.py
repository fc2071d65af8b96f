"""Redaction: spans of a response's text the secretariat hides from every public output.

A respondent may write a name, a child's diagnosis or another person's circumstances into an
answer that is otherwise fit to publish. The secretariat marks such a span (or the respondent's
name as a whole), and every public output shows a marker ("[sladdet]") in its place: the
public synthesis run's input, so no quote, keyword, label or campaign template can hold the
words, as well as the summary, its downloads and the per-response pages. The rule is applied
where the public snapshot is made (`synthesis.publishable`), never inside the analysis.

A redaction keeps the string it hid beside its character offsets. Answers can change after a
span was marked (a respondent edits before the deadline, the secretariat corrects a letter);
a redaction whose offsets no longer hold its string is *stale*. A stale redaction is never
dropped: it hides every place its string still occurs, and when the string is nowhere to be
found it hides the whole text, until the secretariat marks the span again or removes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# In the consultation's language, like the text around it (answers are not translated).
MARKERS = {"en": "[redacted]"}
DEFAULT_MARKER = "[sladdet]"
# Words of the markers, which the text analysis treats as stop words: a redacted span must not
# become a theme's keyword, nor make redacted answers look alike.
MARKER_WORDS = frozenset({"sladdet", "redacted"})


def marker(language: str) -> str:
    """What a redacted span reads as in a consultation of `language`."""
    return MARKERS.get(language, DEFAULT_MARKER)


@dataclass(frozen=True, slots=True)
class Redaction:
    """A span [start, end) of the answer to `question_code` (None: the respondent's name),
    and the string it held when it was marked."""

    question_code: str | None
    start: int
    end: int
    text: str

    @property
    def is_name(self) -> bool:
        return self.question_code is None

    def holds(self, current: str) -> bool:
        """Whether the span still holds the string it was marked on."""
        return bool(self.text) and current[self.start : self.end] == self.text

    def spans_in(self, current: str) -> list[tuple[int, int]]:
        """Where this redaction hides text in `current`: its own span while that holds; once
        stale, every occurrence of its string, or the whole text when there is none."""
        if self.holds(current):
            return [(self.start, self.end)]
        found = occurrences(current, self.text)
        return found if found else [(0, len(current))]


def occurrences(text: str, words: str) -> list[tuple[int, int]]:
    """Every non-overlapping span of `text` that holds `words`."""
    spans: list[tuple[int, int]] = []
    if not words:
        return spans
    start = text.find(words)
    while start >= 0:
        spans.append((start, start + len(words)))
        start = text.find(words, start + len(words))
    return spans


def redact_text(text: str, redactions: Iterable[Redaction], language: str) -> str:
    """`text` with the spans of `redactions` replaced by the marker."""
    return hide_spans(
        text, [span for redaction in redactions for span in redaction.spans_in(text)], language
    )


def hide_spans(text: str, spans: Iterable[tuple[int, int]], language: str) -> str:
    """`text` with each span replaced by the marker (overlapping and touching spans become one
    marker)."""
    spans = sorted(spans)
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, position = [], 0
    for start, end in merged:
        pieces.append(text[position:start])
        pieces.append(marker(language))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
