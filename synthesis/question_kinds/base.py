"""What every question kind answers for: the contract between a kind and the rest of the tool.

As in indico's survey fields, one class per kind of question owns everything that depends on
the kind: the fields of the response form (as plain `FieldSpec`s; `forms/` makes WTForms fields
of them, since this layer never imports a web library), how submitted form data becomes an
`Answer` (its stored form) and back, what a required answer lacks, how a long-format cell is
read, the label of a stored value, how it is written to a spreadsheet cell, and which columns
of the tabulation it counts in. The form, the receipt, the imports, the tabulation and the
writers ask the kind instead of knowing the kinds themselves.

A kind is also its stored name: `QuestionKind` subclasses `str`, so a kind is written to the
`questions.kind` column, compared with "scale" and printed as it is, like the enum it replaced.
Each concrete kind has one instance, registered when its class is defined; the registry finds
every module of this package, so a new kind is a new module here and nothing else in Python.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from synthesis.answers import Answer

if TYPE_CHECKING:
    from synthesis.scale_points import Scale

Widget = Literal["radio", "checkboxes", "text"]
# What a submitted answer lacks: (the part whose field shows the message, message id).
Problem = tuple[str, str]


def N_(message: str) -> str:
    """Mark `message` for translation: `forms/` translates it in the reader's language (this
    layer has no translations of its own). Babel's extractor knows the name."""
    return message


def fold(label: str) -> str:
    """A label as people mean it: case and spacing do not matter ("helt  Enig" is "Helt enig")."""
    return " ".join(label.split()).casefold()


@dataclass(frozen=True)
class Options:
    """The options a choice question offers, in order; stored as JSON in `questions.options`.

    With `other`, the last option is "Annet, spesifiser": choosing it asks for a text, which
    is kept as the answer's `text`.
    """

    labels: tuple[str, ...] = ()
    other: bool = False

    @property
    def other_index(self) -> int | None:
        return len(self.labels) - 1 if self.other and self.labels else None

    def as_json(self) -> dict[str, Any] | None:
        return {"labels": list(self.labels), "other": self.other} if self.labels else None

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Options:
        if not data:
            return cls()
        return cls(tuple(str(label) for label in data.get("labels", ())), bool(data.get("other")))


class QuestionLike(Protocol):
    """What a kind needs of a question (snapshot, model and form shape questions all fit)."""

    @property
    def code(self) -> str: ...

    @property
    def required(self) -> bool: ...

    @property
    def options(self) -> Options: ...


@dataclass(frozen=True)
class FieldSpec:
    """One field of a question in the response form, as plain data.

    The form field is named `q<question id>_<part>`, and its submitted data comes back to the
    kind's `read` under `part`. `label` is a message id with a `%(code)s` placeholder.
    """

    part: str
    widget: Widget
    label: str
    choices: tuple[tuple[str, str], ...] = ()  # (submitted value, label shown)


class _Registry(type):
    """The metaclass of `QuestionKind`: kinds are looked up like enum members.

    `QuestionKind("scale_text")` and `QuestionKind.SCALE_TEXT` give the registered kind, and
    `list(QuestionKind)` every kind in the order the secretariat is offered them, so the code
    that named the members of the former enum reads as before while the members come from the
    kinds' own modules.
    """

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is QuestionKind:
            return kind_named(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def __getattr__(cls, attribute: str) -> QuestionKind:
        if attribute.isupper() and attribute.lower() in _kinds():
            return _kinds()[attribute.lower()]
        raise AttributeError(attribute)

    def __iter__(cls) -> Iterator[QuestionKind]:
        return iter(sorted(_kinds().values(), key=lambda kind: kind.order))


class QuestionKind(str, metaclass=_Registry):
    """Base of the kinds; the methods' `question` gives the code and options, `scale` the
    consultation's scale."""

    name: ClassVar[str]
    title: ClassVar[str]  # the secretariat's name for the kind (a message id)
    order: ClassVar[int]  # where the kind comes in the secretariat's list
    has_scale: ClassVar[bool] = False  # positions on the consultation's scale (ordered)
    has_text: ClassVar[bool] = False  # free text that the text analysis reads
    has_options: ClassVar[bool] = False  # the secretariat lists the options
    tabulated: ClassVar[bool] = False  # counted by category in the position tables
    multiple: ClassVar[bool] = False  # one answer may count under several columns

    _registered: ClassVar[dict[str, QuestionKind]] = {}

    def __new__(cls) -> QuestionKind:
        return super().__new__(cls, cls.name)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        """Copies and pickles come back as the registered kind itself."""
        return kind_named, (str(self),)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in vars(cls):
            QuestionKind._registered[cls.name] = cls()

    def __repr__(self) -> str:
        return f"<question kind {str.__repr__(self)}>"

    # The response form -----------------------------------------------------------------------

    def fields(self, question: QuestionLike, scale: Scale) -> tuple[FieldSpec, ...]:
        """The form fields, first the one a respondent meets first."""
        raise NotImplementedError

    def read(self, question: QuestionLike, scale: Scale, data: Mapping[str, Any]) -> Answer:
        """The answer submitted form data stands for (`data` by part). Anything that is not
        one of the offered choices counts as not given: the form field reports it."""
        raise NotImplementedError

    def form_data(self, answer: Answer, question: QuestionLike, scale: Scale) -> dict[str, Any]:
        """The form data that shows `answer` again (a resumed draft), by part."""
        raise NotImplementedError

    def problems(self, answer: Answer, question: QuestionLike) -> tuple[Problem, ...]:
        """What keeps `answer` from being submitted (a required question left empty, …)."""
        return ()

    # Imports -----------------------------------------------------------------------------------

    def takes_text(self, question: QuestionLike) -> bool:
        """Whether an answer may hold text (an import refuses text where it may not)."""
        return self.has_text

    def parse_cell(self, cell: str, question: QuestionLike, scale: Scale) -> Answer | None:
        """The answer a long-format `value` cell writes (without text); None when `cell` is
        not a value of this question. Only tabulated kinds have values."""
        return None

    # Labels, exports and tabulation ---------------------------------------------------------

    def label(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        """The chosen value(s) in words, for pages, receipts and the report; "" for none."""
        return ""

    def cell(self, answer: Answer, question: QuestionLike, scale: Scale) -> str:
        """The chosen value(s) as a spreadsheet cell or the long format's `value` writes it
        (and `parse_cell` reads it back)."""
        return self.label(answer, question, scale)

    def columns(self, question: QuestionLike, scale: Scale) -> tuple[str, ...]:
        """The labels an answer is counted under in the position tables (tabulated kinds)."""
        return ()

    def chosen(self, answer: Answer, question: QuestionLike, scale: Scale) -> tuple[int, ...]:
        """The columns `answer` counts in ("Vet ikke" is counted apart, by `dont_know`)."""
        return ()


def given_text(data: Mapping[str, Any], part: str = "text") -> str | None:
    """Typed text as stored: None when there is nothing but white space."""
    text = data.get(part) or ""
    return text if text.strip() else None


def kind_named(name: str) -> QuestionKind:
    """The registered kind called `name`; ValueError, as an enum would, for an unknown one."""
    found = _kinds().get(str(name))
    if found is None:
        raise ValueError(f"{name!r} is not a question kind")
    return found


def _kinds() -> dict[str, QuestionKind]:
    _import_kind_modules()
    return QuestionKind._registered


@cache
def _import_kind_modules() -> None:
    """Import every module of this package once, which registers the kinds they define."""
    package = importlib.import_module(__package__ or "synthesis.question_kinds")
    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_") and module.name != "base":
            importlib.import_module(f"{package.__name__}.{module.name}")
