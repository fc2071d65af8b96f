"""Themes of one question, and the analyst's corrections: rename, merge, split, move a passage,
mark reviewed.

An edit is stored as a `ThemeEdit` row naming themes by their passages (`anchor_of`), never by
theme id, so it is re-applied after every re-run; the page always shows the latest run with all
edits applied, and lists the edits that no longer fit the answers.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from hearing import audit
from hearing.admin import admin_blueprint as bp
from hearing.admin.lookup import consultation_or_404
from hearing.admin.synthesis import (
    SYNTHESIS_ROLES,
    latest_or_redirect,
    page_context,
    respondent_refs,
)
from hearing.auth import roles_required
from hearing.extensions import db
from hearing.services import synthesis_runs
from hearing.services.run_results import RunResult
from synthesis.theme_edits import (
    MarkReviewed,
    MergeThemes,
    MovePassage,
    RenameTheme,
    SplitTheme,
    ThemeEdit,
    anchor_of,
)
from synthesis.theme_summary import QuestionThemes, Theme

MAX_LABEL_CHARS = 200
PASSAGES_SHOWN = 100
EDIT_LABELS = {
    RenameTheme: _l("Nytt navn"),
    MergeThemes: _l("Slå sammen"),
    SplitTheme: _l("Del opp"),
    MovePassage: _l("Flytt utdrag"),
    MarkReviewed: _l("Merk som gjennomgått"),
}


class EditRefused(ValueError):
    """The form does not describe an edit that can be made (the message says why)."""


def _question_themes(result: RunResult, code: str) -> QuestionThemes:
    """One question's themes (the only question the stored result decodes), or 404."""
    found = result.question_themes(code)
    if found is None:
        abort(404)
    return found


@bp.route("/consultations/<slug>/synthesis/themes/<code>")
@roles_required(*SYNTHESIS_ROLES)
def synthesis_themes(slug: str, code: str) -> str:
    consultation = consultation_or_404(slug)
    latest = latest_or_redirect(consultation)
    found = _question_themes(latest.result, code)
    by_hash = {p.passage_hash: p for p in latest.result.passages_of(code)}
    keys = [key for theme in found.themes for key in theme.respondent_keys]
    keys += list(found.cross_references)
    return render_template(
        "admin/synthesis_themes.html",
        **page_context(consultation, latest),
        question_themes=found,
        passages_of={
            theme.theme_id: [by_hash[h] for h in theme.passage_hashes if h in by_hash]
            for theme in found.themes
        },
        refs=respondent_refs(consultation, keys),
        passages_shown=PASSAGES_SHOWN,
        edit_labels=EDIT_LABELS,
        max_label_chars=MAX_LABEL_CHARS,
    )


@bp.route("/consultations/<slug>/synthesis/themes/<code>/edits", methods=["POST"])
@roles_required(*SYNTHESIS_ROLES)
def edit_theme(slug: str, code: str) -> Response:
    consultation = consultation_or_404(slug)
    latest = latest_or_redirect(consultation)
    found = _question_themes(latest.result, code)
    kind = request.form.get("kind", "")
    try:
        edit = edit_from_form(kind, {theme.theme_id: theme for theme in found.themes})
    except EditRefused as refused:
        flash(str(refused), "error")
    else:
        row = synthesis_runs.add_theme_edit(consultation, code, edit, created_by_id=current_user.id)
        audit.record(
            "synthesis.theme_edit",
            target=row,
            consultation_id=consultation.id,
            question=code,
            kind=kind,
            theme=request.form.get("theme"),
        )
        db.session.commit()
        flash(_("Endringen er lagret og blir brukt også etter nye kjøringer."), "success")
    return redirect(url_for("admin.synthesis_themes", slug=slug, code=code))


def edit_from_form(kind: str, themes: dict[str, Theme]) -> ThemeEdit:
    """The edit the posted form asks for, checked against the themes shown."""
    theme = themes.get(request.form.get("theme", ""))
    if theme is None:
        raise EditRefused(_("Temaet finnes ikke lenger. Last siden på nytt og prøv igjen."))
    anchor = anchor_of(theme)
    label = request.form.get("label", "").strip()
    if len(label) > MAX_LABEL_CHARS:
        raise EditRefused(_("Navnet kan ha høyst %(max)s tegn.", max=MAX_LABEL_CHARS))
    if kind == "rename":
        if not label:
            raise EditRefused(_("Skriv det nye navnet på temaet."))
        return RenameTheme(anchor, label)
    if kind == "reviewed":
        return MarkReviewed(anchor)
    if kind == "merge":
        other = themes.get(request.form.get("other", ""))
        if other is None or other is theme:
            raise EditRefused(_("Velg et annet tema å slå sammen med."))
        return MergeThemes(anchor, anchor_of(other))
    if kind == "split":
        chosen = [h for h in request.form.getlist("passage") if h in theme.passage_hashes]
        if not chosen or len(set(chosen)) == len(set(theme.passage_hashes)):
            raise EditRefused(_("Velg noen, men ikke alle, utdragene som skal bli et nytt tema."))
        return SplitTheme(anchor, tuple(dict.fromkeys(chosen)), label or None)
    if kind == "move":
        passage = request.form.get("passage", "")
        target = themes.get(request.form.get("target", ""))
        if passage not in theme.passage_hashes:
            raise EditRefused(_("Utdraget finnes ikke lenger i temaet."))
        if target is None or target is theme:
            raise EditRefused(_("Velg et annet tema å flytte utdraget til."))
        return MovePassage(passage, anchor_of(target))
    raise EditRefused(_("Ukjent endring."))
