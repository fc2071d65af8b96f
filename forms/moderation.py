"""The secretariat's moderation form: hiding a response from publication needs a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Begrunnelse"),
        description=_l("F.eks. personopplysninger om andre, trusler eller reklame."),
        validators=[
            DataRequired(_l("Skriv hvorfor svaret skjules.")),
            Length(max=2000, message=_l("Teksten kan ha høyst %(max)d tegn.")),
        ],
    )
