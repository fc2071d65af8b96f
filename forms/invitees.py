"""Forms of the høringsliste page: upload a list, add a body by hand, settings, matching."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, EmailField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from forms.org_number import ValidOrgNumber

MATCH_ACTIONS = ("confirm", "reject", "unlink", "link")


class InviteeUploadForm(FlaskForm):
    file = FileField(
        _l("Fil med høringslisten"),
        description=_l(
            "CSV eller Excel (.xlsx) med en overskriftsrad: navn (må være med), "
            "organisasjonsnummer, e-post og kategori. Én instans per rad."
        ),
        validators=[
            FileRequired(_l("Velg en fil.")),
            FileAllowed(["csv", "txt", "xlsx"], _l("Last opp en .csv- eller .xlsx-fil.")),
        ],
    )
    skip_invalid = BooleanField(_l("Importer de gyldige radene og hopp over resten"))


class InviteeForm(FlaskForm):
    name = StringField(
        _l("Navn"),
        validators=[DataRequired(_l("Skriv navnet på instansen.")), Length(max=300)],
    )
    org_number = StringField(
        _l("Organisasjonsnummer"), validators=[Optional(), Length(max=30), ValidOrgNumber()]
    )
    email = EmailField(
        _l("E-post"),
        validators=[
            Optional(),
            Email(_l("Skriv en gyldig e-postadresse, f.eks. navn@eksempel.no.")),
            Length(max=254),
        ],
    )
    category = StringField(_l("Kategori"), validators=[Length(max=200)])
    private_person = BooleanField(
        _l("Privatperson"),
        description=_l("En privatperson vises aldri i den offentlige listen over inviterte."),
    )


class InvitationSettingsForm(FlaskForm):
    reminder_days_before = IntegerField(
        _l("Påminnelse antall dager før fristen"),
        description=_l(
            "Inviterte med e-postadresse som ikke har svart, får én påminnelse. Tomt: ingen."
        ),
        validators=[Optional(), NumberRange(min=1, max=90)],
    )
    list_not_answered = BooleanField(
        _l("Vis i den publiserte oppsummeringen hvem som ble invitert, men ikke har svart"),
        description=_l("Bare organisasjoner vises, aldri privatpersoner."),
    )


class InviteeMatchForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    submission_id = HiddenField()
    reference = StringField(_l("Referansenummer"), validators=[Optional(), Length(max=20)])
