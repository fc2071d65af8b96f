"""Adding, editing, reordering and deleting a consultation's questions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import exists, select
from werkzeug.wrappers import Response

from forms.question import QuestionForm
from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404, question_or_404
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.models import Consultation, Question, Role
from hearing.services.consultations import (
    ChangeRefused,
    change_kind,
    change_options,
    delete_question,
    move,
)
from synthesis.question_kinds import QuestionKind


@bp.app_template_filter("kind_title")
def kind_title(kind: str) -> str:
    """A question kind as the secretariat calls it ("Skala og fritekst"), in their language."""
    return _(QuestionKind(kind).title)


def _change_what_answers_hold(question: Question, form: QuestionForm) -> bool:
    """Kind and options, each refused (with its reason by its field) once there are answers."""
    for change, field in (
        (lambda: change_kind(question, form.kind.data), form.kind),
        (lambda: change_options(question, form.options()), form.option_lines),
    ):
        try:
            change()
        except ChangeRefused as refused:
            db.session.rollback()
            field.errors.append(str(refused))
            return False
    return True


def _code_taken(consultation: Consultation, except_id: int | None = None):
    def check(code: str) -> bool:
        query = exists().where(Question.consultation_id == consultation.id, Question.code == code)
        if except_id is not None:
            query = query.where(Question.id != except_id)
        return bool(db.session.scalar(select(query)))

    return check


def _back(consultation: Consultation) -> Response:
    return redirect(url_for("admin.consultation", slug=consultation.slug) + "#questions")


@bp.route("/consultations/<slug>/questions/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_question(slug: str) -> str | Response:
    consultation = consultation_or_404(slug)
    form = QuestionForm(code_taken=_code_taken(consultation))
    if form.validate_on_submit():
        question = Question(
            code=form.code.data.strip(),
            text=form.text.data.strip(),
            kind=form.kind.data,
            required=form.required.data,
            help_text=form.help_text.data or "",
            position=len(consultation.questions),
            options_json=form.options().as_json(),
        )
        consultation.questions.append(question)
        db.session.flush()
        audit.record(
            "question.create", target=question, consultation_id=consultation.id, code=question.code
        )
        db.session.commit()
        flash(_("Spørsmålet er lagt til."), "success")
        return _back(consultation)
    return render_template(
        "admin/question_form.html", form=form, consultation=consultation, question=None
    )


@bp.route("/consultations/<slug>/questions/<int:question_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_question(slug: str, question_id: int) -> str | Response:
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, question_id)
    form = QuestionForm(obj=question, code_taken=_code_taken(consultation, question.id))
    if request.method == "GET":
        form.load_options(question.options)
    if form.validate_on_submit() and _change_what_answers_hold(question, form):
        question.code = form.code.data.strip()
        question.text = form.text.data.strip()
        question.required = form.required.data
        question.help_text = form.help_text.data or ""
        audit.record(
            "question.edit",
            target=question,
            consultation_id=consultation.id,
            code=question.code,
        )
        db.session.commit()
        flash(_("Spørsmålet er lagret."), "success")
        return _back(consultation)
    return render_template(
        "admin/question_form.html", form=form, consultation=consultation, question=question
    )


@bp.route("/consultations/<slug>/questions/<int:question_id>/delete", methods=["POST"])
@roles_required(Role.ADMIN)
def remove_question(slug: str, question_id: int) -> Response:
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, question_id)
    code = question.code
    try:
        delete_question(question)
    except ChangeRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        audit.record("question.delete", consultation_id=consultation.id, code=code)
        db.session.commit()
        flash(_("Spørsmålet er slettet."), "success")
    return _back(consultation)


@bp.route("/consultations/<slug>/questions/<int:question_id>/move", methods=["POST"])
@roles_required(Role.ADMIN)
def move_question(slug: str, question_id: int) -> Response:
    consultation = consultation_or_404(slug)
    question = question_or_404(consultation, question_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    move(consultation.questions, question, offset)
    audit.record("question.move", target=question, consultation_id=consultation.id, offset=offset)
    db.session.commit()
    return _back(consultation)
