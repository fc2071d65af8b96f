"""Upload forms of the secretariat's import pages (compiled documents, long-format responses)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from forms.consultation import SLUG_PATTERN

SLUG_VALIDATORS = [
    Optional(),
    Length(max=80),
    Regexp(SLUG_PATTERN, message=_l("Bruk bare a–z, 0–9 og bindestrek.")),
]
# The target choice: nothing is preselected, so a file is never imported into a new consultation
# (or the wrong one) because the secretariat did not look at the list.
NO_CONSULTATION_CHOSEN = ""
NEW_CONSULTATION = "__new__"
# The whole-file consent of an import; "" keeps the file's own and the default for the rest.
CONSENT_FILE_CHOICES = [
    ("", _l("Som i filen / standard")),
    ("named", _l("Med navn")),
    ("anonymous", _l("Uten navn (anonymt)")),
    ("none", _l("Ikke publiser")),
]
CONSENT_FILE_LABEL = _l("Samtykke til publisering for hele filen")
CONSENT_FILE_HELP = _l(
    "Gjelder respondenter som ikke har oppgitt samtykke i filen. Standard: privatpersoner "
    "importeres anonymt, organisasjoner med navn. Samtykke som står i filen, beholdes alltid."
)


class CompiledUploadForm(FlaskForm):
    file = FileField(
        _l("Sammenstilt dokument"),
        description=_l(
            "Tekstfil (.txt) eller PDF med høringssvarene slik departementet trykker dem."
        ),
        validators=[
            FileRequired(_l("Velg en fil.")),
            FileAllowed(["txt", "pdf"], _l("Last opp en .txt- eller .pdf-fil.")),
        ],
    )
    slug = StringField(
        _l("Kortnavn i adressen"),
        description=_l("Tomt: lages av tittelen i dokumentet."),
        validators=SLUG_VALIDATORS,
    )


class ResponsesUploadForm(FlaskForm):
    file = FileField(
        _l("Fil med svar"),
        description=_l(
            "CSV eller Excel (.xlsx) i langt format: én rad per respondent og spørsmål med "
            "kolonnene respondent, kategori, sektor, spørsmål, verdi og tekst."
        ),
        validators=[
            FileRequired(_l("Velg en fil.")),
            FileAllowed(["csv", "txt", "xlsx"], _l("Last opp en .csv- eller .xlsx-fil.")),
        ],
    )
    consultation = SelectField(_l("Høring"), choices=[], validate_choice=True)
    new_slug = StringField(
        _l("Kortnavn for ny høring"),
        description=_l("Bare når svarene skal bli en ny høring."),
        validators=SLUG_VALIDATORS,
    )
    new_title = StringField(_l("Tittel på ny høring"), validators=[Optional(), Length(max=300)])
    scale = StringField(
        _l("Skala for ny høring"),
        description=_l("Punktene i rekkefølge, skilt med komma. Tomt: gjenkjennes fra filen."),
        validators=[Optional(), Length(max=1000)],
    )
    consent = SelectField(
        CONSENT_FILE_LABEL, choices=CONSENT_FILE_CHOICES, default="", description=CONSENT_FILE_HELP
    )
    skip_invalid = BooleanField(_l("Importer de gyldige radene selv om noen rader har feil"))

    def validate(self, extra_validators: object = None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.consultation.data == NO_CONSULTATION_CHOSEN:
            self.consultation.errors.append(
                _l("Velg hvilken høring svarene skal inn i, eller lag en ny høring fra filen.")
            )
            return False
        if self.consultation.data == NEW_CONSULTATION and not self.new_slug.data:
            self.new_slug.errors.append(_l("Skriv et kortnavn for den nye høringen."))
            return False
        return True


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    # Set by the preview's "import only the valid rows" button, when the upload did not ask.
    skip_invalid = HiddenField()


class ImportConsentForm(FlaskForm):
    """The preview's own choice of whole-file consent, so it can be changed without uploading
    the file again."""

    token = HiddenField(validators=[DataRequired()])
    consent = SelectField(
        CONSENT_FILE_LABEL, choices=CONSENT_FILE_CHOICES, default="", description=CONSENT_FILE_HELP
    )
