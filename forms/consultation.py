"""The secretariat's consultation form: metadata, dates in Europe/Oslo time, and the scale."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from synthesis.presets import DEFAULT_DONT_KNOW, SCALE_PRESETS

OSLO = ZoneInfo("Europe/Oslo")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_MAX = 80
# Norwegian letters as Norwegians write them in addresses (as in nrk.no/…/skal-na-…); other
# accents are dropped by decomposition (é → e). hearing/static/admin.js does the same.
SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss"})
SLUG_FALLBACK = "horing"
CUSTOM = "custom"

SCALE_CHOICES = [
    ("agreement", _l("Enighet: Helt enig … Helt uenig")),
    ("usefulness", _l("Nytte: Meget nyttig … Meget unyttig")),
    (CUSTOM, _l("Egendefinert (én verdi per linje)")),
]
LANGUAGE_CHOICES = [("nb", _l("Bokmål")), ("nn", _l("Nynorsk")), ("en", _l("Engelsk"))]


def oslo_to_utc(value: datetime | None) -> datetime | None:
    """Form times are wall-clock times in Norway; store the instant in UTC."""
    return value.replace(tzinfo=OSLO).astimezone(UTC) if value else None


def utc_to_oslo(value: datetime | None) -> datetime | None:
    return value.astimezone(OSLO).replace(tzinfo=None) if value else None


def slugify(title: str, max_length: int = SLUG_MAX) -> str:
    """The address proposed for `title`: "Høring om ny lov (2025)" → "horing-om-ny-lov-2025"."""
    text = unicodedata.normalize("NFKD", title.lower().translate(SLUG_LETTERS))
    unaccented = "".join(char for char in text if not unicodedata.combining(char))
    slug = re.sub(r"[^a-z0-9]+", "-", unaccented).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_length]
    return slug.strip("-") or SLUG_FALLBACK


def unique_slug(title: str, taken: Callable[[str], bool]) -> str:
    """`slugify(title)`, numbered ("-2", "-3" …) when another consultation has it already."""
    base = slugify(title)
    if not taken(base):
        return base
    base = slugify(title, SLUG_MAX - 4)
    number = 2
    while taken(f"{base}-{number}"):
        number += 1
    return f"{base}-{number}"


class ConsultationForm(FlaskForm):
    title = StringField(
        _l("Tittel"), validators=[DataRequired(_l("Skriv en tittel.")), Length(max=300)]
    )
    slug = StringField(
        _l("Kortnavn i adressen"),
        description=_l(
            "Foreslås fra tittelen. Små bokstaver, tall og bindestrek, f.eks. «ledelse-2025»."
        ),
        validators=[
            Optional(),
            Length(max=SLUG_MAX),
            Regexp(SLUG_PATTERN, message=_l("Bruk bare a–z, 0–9 og bindestrek.")),
        ],
    )
    summary = TextAreaField(_l("Sammendrag"), validators=[Length(max=5000)])
    document = TextAreaField(_l("Høringsdokument (Markdown)"), validators=[Length(max=2_000_000)])
    opens_at = DateTimeLocalField(
        _l("Åpner (norsk tid)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    closes_at = DateTimeLocalField(
        _l("Frist (norsk tid)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    language = SelectField(_l("Språk"), choices=LANGUAGE_CHOICES)
    scale_preset = SelectField(_l("Svarskala"), choices=SCALE_CHOICES)
    custom_scale = TextAreaField(
        _l("Egendefinert skala"),
        description=_l("Én verdi per linje, mest positiv først."),
    )
    include_dont_know = BooleanField(_l("Ta med «Vet ikke» utenfor skalaen"))

    def __init__(
        self,
        *args: Any,
        slug_taken: Callable[[str], bool] | None = None,
        fill_slug_while_typing: bool = False,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self._slug_taken = slug_taken or (lambda _slug: False)
        if fill_slug_while_typing:  # admin.js proposes the address as the title is typed
            self.slug.render_kw = {"data-slug-from": self.title.id}

    def validate(self, extra_validators: Any = None) -> bool:
        """An empty address is proposed from the title, as the page's script does."""
        if not (self.slug.data or "").strip() and (self.title.data or "").strip():
            self.slug.data = unique_slug(self.title.data, self._slug_taken)
        return super().validate(extra_validators)

    def validate_slug(self, field: StringField) -> None:
        if not field.data or not self._slug_taken(field.data):
            return
        if field.data == slugify(self.title.data or ""):
            # The proposal, left as it was: another consultation has it, so number this one.
            field.data = unique_slug(self.title.data, self._slug_taken)
            return
        raise ValidationError(_l("Kortnavnet er allerede i bruk."))

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("Fristen må være etter åpningstidspunktet."))

    def validate_custom_scale(self, field: TextAreaField) -> None:
        if self.scale_preset.data == CUSTOM and len(self.custom_scale_labels()) < 2:
            raise ValidationError(_l("En skala trenger minst to verdier."))
        labels = self.custom_scale_labels()
        if len({label.casefold() for label in labels}) != len(labels):
            raise ValidationError(_l("Hver verdi i skalaen må være unik."))

    def custom_scale_labels(self) -> list[str]:
        return [
            line.strip() for line in (self.custom_scale.data or "").splitlines() if line.strip()
        ]

    def scale_points(self) -> list[str]:
        if self.scale_preset.data == CUSTOM:
            return self.custom_scale_labels()
        return list(SCALE_PRESETS[self.scale_preset.data])

    def dont_know_label(self) -> str | None:
        return DEFAULT_DONT_KNOW if self.include_dont_know.data else None

    def load_scale(self, points: list[str], dont_know: str | None) -> None:
        """Show a stored scale: as its preset when it is one, else as custom lines."""
        preset = next(
            (key for key, labels in SCALE_PRESETS.items() if list(labels) == points), None
        )
        self.scale_preset.data = preset or CUSTOM
        self.custom_scale.data = "" if preset else "\n".join(points)
        self.include_dont_know.data = dont_know is not None
