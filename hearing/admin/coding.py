"""Coding the answers: the codebook, a work page per question, and the counts by category.

Analysts and admins code alike. The work page lists a question's answers with their tags,
notes and reviewed state, filtered to what is left to do; an answer is tagged whole with a
plain form, or a passage of it by selecting the text (/static/coding.js fills the form) or, with
no JavaScript, by pasting the passage. Suggestions learnt from the coded answers appear only
when they have been measured to be right often enough (`hearing.services.code_suggestions`).

Coding is internal: the counts and downloads here hold respondents' names whatever their consent
and never reach the public edition. Downloads are audit-logged like the other exports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from exports.coding_export import CodingData, code_counts, coding_csv_bytes, coding_xlsx_bytes
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.auth import roles_required
from hearing.export_formats import FORMATS
from hearing.extensions import db
from hearing.models import (
    AnswerNote,
    Code,
    CodeAssignment,
    Consultation,
    Question,
    Role,
)
from hearing.models.coding import AssignmentSource
from hearing.models.submission import Answer
from hearing.security import local_redirect_target
from hearing.services import coding as coding_service
from hearing.services.code_suggestions import suggestions_for
from hearing.services.coding import CodingRefused, Filter
from hearing.services.coding_export import coding_data
from synthesis.code_suggestions import MIN_CODED_ANSWERS

CODERS = (Role.ADMIN, Role.ANALYST)
PAGE_SIZE = 25
FILTER_LABELS = {
    Filter.ALL: _l("Alle svar"),
    Filter.UNTAGGED: _l("Uten koder"),
    Filter.UNREVIEWED: _l("Ikke gjennomgått"),
}
COLOUR_LABELS = {
    "blue": _l("Blå"),
    "orange": _l("Oransje"),
    "green": _l("Grønn"),
    "vermillion": _l("Rød"),
    "sky": _l("Lyseblå"),
    "purple": _l("Lilla"),
    "yellow": _l("Gul"),
    "grey": _l("Grå"),
}


# Lookups ---------------------------------------------------------------------------------------


def _code_or_404(consultation: Consultation, code_id: int) -> Code:
    code = db.session.get(Code, code_id)
    if code is None or code.consultation_id != consultation.id:
        abort(404)
    return code


def _answer_or_404(consultation: Consultation, answer_id: int) -> Answer:
    answer = coding_service.codable_answer(consultation, answer_id)
    if answer is None:
        abort(404)
    return answer


def _question_or_404(consultation: Consultation, code: str) -> Question:
    question = next((q for q in consultation.questions if q.code == code), None)
    if question is None:
        abort(404)
    return question


def _back_to_answer(consultation: Consultation, answer: Answer) -> Response:
    """To the page the form was on (its filters kept), at the answer."""
    fallback = url_for("admin.coding_question", slug=consultation.slug, code=answer.question.code)
    target = local_redirect_target(request.form.get("next"), fallback)
    if not target.startswith(url_for("admin.coding", slug=consultation.slug)):
        target = fallback
    return redirect(f"{target.split('#')[0]}#answer-{answer.id}")


# The codebook ----------------------------------------------------------------------------------


def percent(share: float | None) -> str:
    """A share as the pages print it: "78 %" (a dash when there is nothing to divide by)."""
    return "–" if share is None else format_decimal(share * 100, format="#,##0") + " %"


@bp.route("/consultations/<slug>/coding")
@roles_required(*CODERS)
def coding(slug: str) -> str:
    consultation = consultation_or_404(slug)
    codes = coding_service.codebook(consultation)
    usage = dict(
        db.session.execute(
            select(CodeAssignment.code_id, func.count())
            .where(CodeAssignment.code_id.in_([code.id for code in codes]))
            .group_by(CodeAssignment.code_id)
        ).all()
    )
    return render_template(
        "admin/coding.html",
        consultation=consultation,
        codes=codes,
        usage=usage,
        progress=coding_service.progress(consultation),
        colours=COLOUR_LABELS,
    )


def _back_to_codebook(consultation: Consultation) -> Response:
    return redirect(url_for("admin.coding", slug=consultation.slug) + "#codebook")


@bp.route("/consultations/<slug>/coding/codes", methods=["POST"])
@roles_required(*CODERS)
def coding_add_code(slug: str) -> Response:
    consultation = consultation_or_404(slug)
    try:
        code = coding_service.add_code(
            consultation,
            request.form.get("name", ""),
            request.form.get("description", ""),
            request.form.get("colour") or None,
        )
    except CodingRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("Koden «%(name)s» er lagt til.", name=code.name), "success")
    return _back_to_codebook(consultation)


@bp.route("/consultations/<slug>/coding/codes/<int:code_id>", methods=["POST"])
@roles_required(*CODERS)
def coding_update_code(slug: str, code_id: int) -> Response:
    consultation = consultation_or_404(slug)
    code = _code_or_404(consultation, code_id)
    try:
        coding_service.update_code(
            code,
            request.form.get("name", ""),
            request.form.get("description", ""),
            request.form.get("colour") or None,
        )
    except CodingRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("Koden er lagret."), "success")
    return _back_to_codebook(consultation)


@bp.route("/consultations/<slug>/coding/codes/<int:code_id>/move", methods=["POST"])
@roles_required(*CODERS)
def coding_move_code(slug: str, code_id: int) -> Response:
    consultation = consultation_or_404(slug)
    code = _code_or_404(consultation, code_id)
    coding_service.move_code(code, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return _back_to_codebook(consultation)


@bp.route("/consultations/<slug>/coding/codes/<int:code_id>/delete", methods=["POST"])
@roles_required(*CODERS)
def coding_delete_code(slug: str, code_id: int) -> str | Response:
    """An unused code goes at once; a used one after a confirmation that says what goes with it."""
    consultation = consultation_or_404(slug)
    code = _code_or_404(consultation, code_id)
    used = coding_service.code_usage(code)
    if used and request.form.get("confirm") != "1":
        return render_template(
            "admin/coding_delete.html", consultation=consultation, code=code, used=used
        )
    name = code.name
    coding_service.delete_code(code)
    db.session.commit()
    flash(_("Koden «%(name)s» er slettet.", name=name), "success")
    return _back_to_codebook(consultation)


# The work page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of an answer's text and the codes on passages covering it (maybe none)."""

    text: str
    codes: tuple[Code, ...]


def segments(text: str, assignments: list[CodeAssignment]) -> list[Segment]:
    """The text cut where coded passages begin and end, for highlighting them."""
    spans = [
        (span, assignment.code)
        for assignment in assignments
        if (span := assignment.current_span()) is not None
    ]
    cuts = sorted({0, len(text), *(edge for span, _code in spans for edge in span)})
    pieces = []
    for start, end in pairwise(cuts):
        covering = tuple(dict.fromkeys(code for (s, e), code in spans if s <= start and end <= e))
        pieces.append(Segment(text[start:end], covering))
    return pieces


@bp.route("/consultations/<slug>/coding/questions/<code>")
@roles_required(*CODERS)
def coding_question(slug: str, code: str) -> str:
    consultation = consultation_or_404(slug)
    question = _question_or_404(consultation, code)
    codes = coding_service.codebook(consultation)
    show = request.args.get("show", Filter.ALL)
    show = show if show in FILTER_LABELS else Filter.ALL
    chosen = next((c for c in codes if str(c.id) == request.args.get("tag")), None)
    query = coding_service.question_answers(consultation, question, show=Filter(show), code=chosen)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    answers = db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    shown = coding_service.with_coding(list(answers))
    suggestions = suggestions_for(consultation, question, shown, codes)
    return render_template(
        "admin/coding_question.html",
        consultation=consultation,
        question=question,
        codes=codes,
        shown=shown,
        segments=segments,
        total=total,
        page=page,
        pages=pages,
        show=show,
        chosen=chosen,
        filters=FILTER_LABELS,
        suggestions=suggestions,
        progress=next(
            (p for p in coding_service.progress(consultation) if p.question is question), None
        ),
        scale=consultation.scale_points,
        minimum=MIN_CODED_ANSWERS,
        percent=percent,
    )


def _coded_answer_post(slug: str, answer_id: int) -> tuple[Consultation, Answer]:
    consultation = consultation_or_404(slug)
    return consultation, _answer_or_404(consultation, answer_id)


def _passage_from_form(answer: Answer) -> coding_service.Span | None:
    start, end = request.form.get("start", type=int), request.form.get("end", type=int)
    return coding_service.resolve_passage(
        answer.text or "", start=start, end=end, quote=request.form.get("quote", "")
    )


@bp.route("/consultations/<slug>/coding/answers/<int:answer_id>/tags", methods=["POST"])
@roles_required(*CODERS)
def coding_tag(slug: str, answer_id: int) -> Response:
    consultation, answer = _coded_answer_post(slug, answer_id)
    code = _code_or_404(consultation, request.form.get("code", 0, type=int))
    source = (
        AssignmentSource.SUGGESTION
        if request.form.get("source") == AssignmentSource.SUGGESTION
        else AssignmentSource.MANUAL
    )
    try:
        coding_service.tag_answer(
            answer, code, user_id=current_user.id, passage=_passage_from_form(answer), source=source
        )
    except CodingRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
    return _back_to_answer(consultation, answer)


@bp.route("/consultations/<slug>/coding/tags/<int:assignment_id>/delete", methods=["POST"])
@roles_required(*CODERS)
def coding_untag(slug: str, assignment_id: int) -> Response:
    consultation = consultation_or_404(slug)
    assignment = db.session.get(CodeAssignment, assignment_id)
    if assignment is None or assignment.code.consultation_id != consultation.id:
        abort(404)
    answer = assignment.answer
    coding_service.untag(assignment)
    db.session.commit()
    return _back_to_answer(consultation, answer)


@bp.route("/consultations/<slug>/coding/answers/<int:answer_id>/notes", methods=["POST"])
@roles_required(*CODERS)
def coding_add_note(slug: str, answer_id: int) -> Response:
    consultation, answer = _coded_answer_post(slug, answer_id)
    try:
        coding_service.add_note(answer, request.form.get("text", ""), user_id=current_user.id)
    except CodingRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
    return _back_to_answer(consultation, answer)


@bp.route("/consultations/<slug>/coding/notes/<int:note_id>/delete", methods=["POST"])
@roles_required(*CODERS)
def coding_delete_note(slug: str, note_id: int) -> Response:
    """A note is its author's: others may not delete it, except an admin."""
    consultation = consultation_or_404(slug)
    note = db.session.get(AnswerNote, note_id)
    if note is None or note.answer.submission.consultation_id != consultation.id:
        abort(404)
    if note.author_id != current_user.id and not current_user.is_admin:
        abort(403)
    answer = note.answer
    coding_service.delete_note(note)
    db.session.commit()
    return _back_to_answer(consultation, answer)


@bp.route("/consultations/<slug>/coding/answers/<int:answer_id>/review", methods=["POST"])
@roles_required(*CODERS)
def coding_review(slug: str, answer_id: int) -> Response:
    consultation, answer = _coded_answer_post(slug, answer_id)
    reviewed = request.form.get("reviewed") == "1"
    coding_service.set_reviewed(answer, reviewed, user_id=current_user.id)
    db.session.commit()
    return _back_to_answer(consultation, answer)


# Counts by category and downloads ----------------------------------------------------------------


def export_labels() -> dict[str, str]:
    """The headings of the downloads, in the user's language."""
    return {
        "title": _("Koder etter respondentkategori"),
        "codebook": _("Kodebok"),
        "code": _("Kode"),
        "description": _("Beskrivelse"),
        "respondents": _("Respondenter"),
        "all": _("Alle"),
        "all_questions": _("Alle spørsmål"),
        "question": _("Spørsmål"),
        "coded": _("Kodede respondenter"),
        "no_category": _("Uten kategori"),
        "sheet_codes": _("Koder"),
        "sheet_long": _("Kodinger"),
    }


@bp.route("/consultations/<slug>/coding/summary")
@roles_required(*CODERS)
def coding_summary(slug: str) -> str:
    consultation = consultation_or_404(slug)
    data = coding_data(consultation)
    question = request.args.get("question") or None
    if question not in data.questions:
        question = None
    return render_template(
        "admin/coding_summary.html",
        consultation=consultation,
        table=code_counts(data, question),
        question=question,
        questions=[q for q in consultation.questions],
        codes={code.name: code for code in coding_service.codebook(consultation)},
        section="coding",
        percent=percent,
    )


# The codes' downloads: a format of `hearing.export_formats` (its name and media type) and how
# the codes are written in it.
CODING_WRITERS: dict[str, Callable[[CodingData], bytes]] = {
    "xlsx": lambda data: coding_xlsx_bytes(data, export_labels()),
    "csv": coding_csv_bytes,
}


@bp.route(f"/consultations/<slug>/coding/koder.<any({', '.join(CODING_WRITERS)}):format_name>")
@roles_required(*CODERS)
def coding_download(slug: str, format_name: str) -> Response:
    consultation = consultation_or_404(slug)
    data = coding_data(consultation)
    content = CODING_WRITERS[format_name](data)
    audit.record(
        "coding.download",
        target=consultation,
        consultation_id=consultation.id,
        format=format_name,
        rows=len(data.entries),
    )
    db.session.commit()
    response = Response(content, mimetype=FORMATS[format_name].mimetype)
    filename = f"{consultation.slug}-koder.{format_name}"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store, private"
    return response
