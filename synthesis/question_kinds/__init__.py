"""Question kinds: one module, and one class, per kind of question (see `base`)."""

from synthesis.question_kinds.base import (
    FieldSpec,
    Options,
    Problem,
    QuestionKind,
    QuestionLike,
    kind_named,
)

__all__ = ["FieldSpec", "Options", "Problem", "QuestionKind", "QuestionLike", "kind_named"]
