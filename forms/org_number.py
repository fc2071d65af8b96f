"""The form validator for Norwegian organisation numbers; the check itself is
`synthesis.org_number`, shared with the høringsliste and letter readers."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from synthesis.org_number import is_valid, normalise


class ValidOrgNumber:
    """A WTForms validator: empty, or a valid organisation number however it is written."""

    message = _l("Organisasjonsnummeret er ikke gyldig. Det har ni sifre, f.eks. 974 760 673.")

    def __call__(self, form: Any, field: Any) -> None:
        number = normalise(field.data or "")
        if number and not is_valid(number):
            raise ValidationError(str(self.message))
