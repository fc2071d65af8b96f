"""JSON-safe encoding of synthesis results, driven by the dataclasses' own type hints.

A run's result is stored in a JSON column and read back into the same typed objects, so the
pages, the exports and a re-run's edits all work on `QuestionTabulation`, `Theme`, … rather than
on loose dictionaries. Instead of a hand-written `to_dict` per class (which silently drops a
field someone adds later), `encode` walks any dataclass and `decode` rebuilds it from the field
types: tuples come back as tuples, enums as enums, `X | None` as either. Unions of several
dataclasses cannot be told apart from JSON alone, so they take a registered codec (the theme
edits carry their own "kind" tag).
"""

from __future__ import annotations

import dataclasses
import math
import sys
import types
import typing
from collections import abc
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


class ResultCodec:
    """Encode dataclass trees to JSON values and back.

    `names` resolves type names a module only imports under TYPE_CHECKING; `codecs` maps a type
    hint (usually a union) to an (encode, decode) pair used instead of the generic rules.
    """

    def __init__(
        self, *, names: Mapping[str, Any] | None = None, codecs: Mapping[Any, Codec] = ()
    ) -> None:
        self.names = dict(names or {})
        self.codecs = dict(codecs)

    def encode(self, value: Any) -> Any:
        for hint, (encode, _) in self.codecs.items():
            if isinstance(value, typing.get_args(hint) or hint):
                return encode(value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: self.encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, Mapping):
            return {str(self.encode(key)): self.encode(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.encode(item) for item in value]
        if hasattr(value, "item") and not isinstance(value, str | bytes):  # NumPy scalars
            value = value.item()
        if isinstance(value, float) and not math.isfinite(value):
            return None  # JSON (and PostgreSQL) has no NaN or infinity
        return value

    def decode(self, hint: Any, data: Any) -> Any:
        if hint in self.codecs:
            return self.codecs[hint][1](data)
        origin, args = typing.get_origin(hint), typing.get_args(hint)
        if hint is Any or data is None:
            return data
        if origin in (types.UnionType, typing.Union):
            options = [arg for arg in args if arg is not type(None)]
            if len(options) != 1:
                raise TypeError(f"cannot decode the ambiguous union {hint}; register a codec")
            return self.decode(options[0], data)
        if origin is typing.Literal:
            return data
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(self.decode(args[0], item) for item in data)
            return tuple(self.decode(arg, item) for arg, item in zip(args, data, strict=True))
        if origin in (list, abc.Sequence):
            return [self.decode(args[0] if args else Any, item) for item in data]
        if origin in (dict, abc.Mapping):
            key_hint, value_hint = args or (Any, Any)
            return {
                self.decode(key_hint, key): self.decode(value_hint, item)
                for key, item in data.items()
            }
        if isinstance(hint, type):
            if dataclasses.is_dataclass(hint):
                return self._decode_dataclass(hint, data)
            if issubclass(hint, Enum):
                return hint(data)
            if hint is float:
                return float(data)
        return data

    def _decode_dataclass(self, cls: type, data: Mapping[str, Any]) -> Any:
        hints = _field_hints(cls, tuple(sorted(self.names.items(), key=lambda item: item[0])))
        return cls(
            **{
                f.name: self.decode(hints[f.name], data[f.name])
                for f in dataclasses.fields(cls)
                if f.name in data
            }
        )


@cache
def _field_hints(cls: type, names: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    module = sys.modules[cls.__module__]
    return typing.get_type_hints(cls, globalns={**dict(names), **vars(module)})
