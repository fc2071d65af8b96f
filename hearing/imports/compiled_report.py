"""What an imported compiled document contains, and whether its numbers add up.

A compiled document closes every question with "N andre instanser … har ikke svart". Those who
answered plus those N must be every respondent; where they are not, the parser has lost or
invented someone and the secretariat must look before trusting the tables. The report is built
from a snapshot, so the same numbers are shown before the import (from the parsed file) and
checked after it (from the database).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from synthesis import snapshot as snap


@dataclass(frozen=True)
class QuestionReport:
    code: str
    kind: snap.QuestionKind
    answered: int
    not_answered: int
    stated_not_answered: int | None
    tallies: tuple[tuple[str, int], ...]

    @property
    def consistent(self) -> bool:
        """True when the document's own not-answered count accounts for everyone."""
        return self.stated_not_answered is None or self.stated_not_answered == self.not_answered


@dataclass(frozen=True)
class CompiledReport:
    respondents: int
    questions: tuple[QuestionReport, ...]

    @property
    def consistent(self) -> bool:
        return all(question.consistent for question in self.questions)


def compiled_report(snapshot: snap.ConsultationSnapshot) -> CompiledReport:
    total = len(snapshot.respondents)
    dont_know = snapshot.scale.dont_know or snap.DONT_KNOW_LABEL
    questions = []
    for question in snapshot.questions:
        answers = [answer for _, answer in snapshot.answers_to(question.code)]
        counts = Counter(
            snapshot.scale.points[a.value] if a.value is not None else dont_know
            for a in answers
            if a.value is not None or a.dont_know
        )
        tallies = tuple(
            (label, counts[label]) for label in (*snapshot.scale.points, dont_know) if counts[label]
        )
        questions.append(
            QuestionReport(
                code=question.code,
                kind=question.kind,
                answered=len(answers),
                not_answered=total - len(answers),
                stated_not_answered=snapshot.stated_not_answered.get(question.code),
                tallies=tallies if question.kind.has_scale else (),
            )
        )
    return CompiledReport(total, tuple(questions))


def report_lines(report: CompiledReport) -> list[str]:
    """The report as the CLI prints it."""
    lines = [f"Høringsinstanser: {report.respondents}"]
    for q in report.questions:
        line = f"Spørsmål {q.code}: {q.answered} har svart, {q.not_answered} har ikke svart"
        if q.tallies:
            line += " (" + ", ".join(f"{label}: {count}" for label, count in q.tallies) + ")"
        lines.append(line)
    lines.append("Kontroll (har svart + har ikke svart = antall høringsinstanser):")
    for q in report.questions:
        if q.stated_not_answered is None:
            lines.append(f"  Spørsmål {q.code}: dokumentet oppgir ikke hvor mange som ikke svarte")
        elif q.consistent:
            lines.append(
                f"  Spørsmål {q.code}: OK ({q.answered} + {q.stated_not_answered} = "
                f"{report.respondents})"
            )
        else:
            lines.append(
                f"  Spørsmål {q.code}: AVVIK – {q.answered} har svart + {q.stated_not_answered} "
                f"oppgitt uten svar = {q.answered + q.stated_not_answered}, "
                f"ikke {report.respondents}"
            )
    return lines
