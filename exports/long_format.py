"""The long ("tidy") response format of DESIGN.md: one row per respondent × answered question.

It is the format importers read, so the column names are fixed English identifiers in every
locale, defined here once for the writers and the reader (`hearing.imports.long_format`);
`category` is the category label ("Annet (Privat)", unique where names are not), `sector` the
machine value ("public", "private", "individual") and `value` the scale label as printed (or
the "don't know" label). Rows come in the compiled document's order (question,
then category, then respondent), so the sheet reads like the per-question sheets.

Rows are produced lazily as plain tuples: at 100,000 respondents × 6 questions a tuple per row
is what keeps the streaming writers fast and their memory flat.
"""

from __future__ import annotations

from collections.abc import Iterator

from exports.summary import CompiledSummary

REQUIRED_COLUMNS: tuple[str, ...] = (
    "respondent",
    "category",
    "sector",
    "question",
    "value",
    "text",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("on_behalf_of", "email", "submitted_at", "consent")
LONG_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def long_columns(summary: CompiledSummary) -> tuple[str, ...]:
    """The header of the long format; `email` only in the internal edition."""
    optional = tuple(
        column for column in OPTIONAL_COLUMNS if column != "email" or summary.audience == "internal"
    )
    return REQUIRED_COLUMNS + optional


def long_rows(summary: CompiledSummary) -> Iterator[tuple[object, ...]]:
    """The rows under `long_columns(summary)`, values typed (`submitted_at` is a datetime)."""
    with_email = summary.audience == "internal"
    for question in summary.questions:
        for group in question.groups:
            for row in group.rows:
                respondent = row.respondent
                sector = respondent.sector.value if respondent.sector is not None else ""
                base = (
                    respondent.display_name,
                    respondent.category,
                    sector,
                    question.code,
                    row.cell,
                    row.comment,
                    respondent.on_behalf_of,
                )
                tail = (respondent.submitted_at, respondent.consent.value)
                yield (*base, respondent.email, *tail) if with_email else (*base, *tail)
