"""Publishing forms: confirm what becomes public, or take it down with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length


class PublishForm(FlaskForm):
    # The public run the secretariat saw on the confirmation page: if the answers changed
    # since, publishing is refused instead of publishing something nobody looked at.
    input_hash = HiddenField()
    count_refused_positions = BooleanField(
        _l("Tell standpunktene til dem som ikke vil publiseres, i tabellene"),
        description=_l(
            "Bare skalasvarene telles, aldri navn eller tekst. Av som standard: i en liten "
            "kategori kan tallene ellers vise hvordan en som ba om ikke å bli publisert, svarte."
        ),
    )


class WithdrawPublicationForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse"),
        description=_l("Vises på siden der oppsummeringen var publisert."),
        validators=[
            DataRequired(_l("Skriv hvorfor oppsummeringen trekkes tilbake.")),
            Length(max=2000, message=_l("Teksten kan ha høyst %(max)d tegn.")),
        ],
    )
