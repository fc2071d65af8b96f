"""The numbers Word shows before numbered headings and list items, which the text lacks.

Word stores "2. Målsettinger" as the paragraph "Målsettinger" with a list reference (directly
or through its style); the "2." is computed when the document is shown. A letter that numbers
its answers by the consultation's questions so reads "Målsettinger" without this module.
It follows Word's rules as far as letters use them: levels count from their start value, a
deeper level restarts after a shallower one, instances of one list definition continue each
other unless one overrides its start, `%1.%2` joins the levels' numbers, bullets read as "-".
"""

from __future__ import annotations

from typing import Any

from hearing.letters.list_numbers import shown_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VAL = W + "val"
_MAX_STYLE_DEPTH = 16
_MAX_COUNT = 100_000


class Numbering:
    """Counters of a document's lists as its paragraphs are read in order."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self._abstract = {
            element.get(W + "abstractNumId"): element
            for element in _findall(numbering, "abstractNum")
        }
        self._instances = {
            element.get(W + "numId"): element for element in _findall(numbering, "num")
        }
        self._styles = {
            element.get(W + "styleId"): element for element in _findall(styles, "style")
        }
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    @classmethod
    def of(cls, document: Any) -> Numbering:
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        return cls(numbering, document.styles.element)

    def label(self, paragraph: Any) -> str:
        """The number or bullet Word shows before `paragraph` ("2. ", "1.a ", "- "), or ""."""
        reference = self._reference(paragraph)
        if reference is None:
            return ""
        num_id, level = reference
        instance = self._instances.get(num_id)
        if instance is None:
            return ""
        abstract_id = _val(instance.find(W + "abstractNumId"))
        abstract = self._linked(self._abstract.get(abstract_id))
        if abstract is None:
            return ""
        levels = {int(_val(lvl, W + "ilvl") or 0): lvl for lvl in abstract.findall(W + "lvl")}
        definition = levels.get(level)
        if definition is None:
            return ""
        counters = self._counters.setdefault(abstract_id or "", {})
        if num_id not in self._started:
            self._started.add(num_id)
            for override in instance.findall(W + "lvlOverride"):
                start = override.find(W + "startOverride")
                if start is not None:
                    counters.pop(int(override.get(W + "ilvl") or 0), None)
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        counters[level] = min(
            counters.get(level, _start(instance, levels, level) - 1) + 1, _MAX_COUNT
        )
        return _format(definition, levels, counters, instance)

    def _reference(self, paragraph: Any) -> tuple[str, int] | None:
        """(numId, level) from the paragraph's own properties or else its style's."""
        properties = paragraph.find(W + "pPr")
        reference = _num_pr(properties)
        style_id = _val(properties.find(W + "pStyle")) if properties is not None else None
        depth = 0
        while style_id and depth < _MAX_STYLE_DEPTH:
            style = self._styles.get(style_id)
            if style is None:
                break
            inherited = _num_pr(style.find(W + "pPr"))
            if reference is None:
                reference = inherited
            elif reference[0] is None and inherited is not None:
                reference = (inherited[0], reference[1])
            if reference is not None and reference[0] is not None:
                break
            style_id = _val(style.find(W + "basedOn"))
            depth += 1
        if reference is None or reference[0] in (None, "0"):
            return None
        return reference[0], reference[1] or 0

    def _linked(self, abstract: Any) -> Any:
        """A list definition that only points to a numbering style, followed to the real one."""
        for _ in range(_MAX_STYLE_DEPTH):
            if abstract is None:
                return None
            link = abstract.find(W + "numStyleLink")
            if link is None:
                return abstract
            style = self._styles.get(_val(link))
            reference = _num_pr(style.find(W + "pPr")) if style is not None else None
            instance = self._instances.get(reference[0]) if reference else None
            if instance is None:
                return None
            abstract = self._abstract.get(_val(instance.find(W + "abstractNumId")))
        return None


def _findall(root: Any, name: str) -> list[Any]:
    return [] if root is None else root.findall(W + name)


def _val(element: Any, attribute: str = _VAL) -> str | None:
    return None if element is None else element.get(attribute)


def _num_pr(properties: Any) -> tuple[str | None, int | None] | None:
    if properties is None:
        return None
    num_pr = properties.find(W + "numPr")
    if num_pr is None:
        return None
    level = _val(num_pr.find(W + "ilvl"))
    return _val(num_pr.find(W + "numId")), int(level) if level and level.isdigit() else None


def _start(instance: Any, levels: dict[int, Any], level: int) -> int:
    for override in instance.findall(W + "lvlOverride"):
        if int(override.get(W + "ilvl") or 0) == level:
            start = _val(override.find(W + "startOverride"))
            if start and start.isdigit():
                return int(start)
    start = _val(levels[level].find(W + "start")) if level in levels else None
    return int(start) if start and start.isdigit() else 0


def _format(
    definition: Any, levels: dict[int, Any], counters: dict[int, int], instance: Any
) -> str:
    kind = _val(definition.find(W + "numFmt")) or "decimal"
    if kind == "bullet":
        return "- "
    if kind == "none":
        return ""
    text = _val(definition.find(W + "lvlText")) or ""
    legal = definition.find(W + "isLgl") is not None
    for number in range(9, 0, -1):
        placeholder = f"%{number}"
        if placeholder in text:
            level = number - 1
            value = counters.get(level, _start(instance, levels, level))
            level_kind = "decimal" if legal else _val(_level_format(levels, level)) or "decimal"
            text = text.replace(placeholder, _number(value, level_kind))
    return f"{text.strip()} " if text.strip() else ""


def _level_format(levels: dict[int, Any], level: int) -> Any:
    definition = levels.get(level)
    return None if definition is None else definition.find(W + "numFmt")


_KINDS = {
    "lowerLetter": "letter",
    "upperLetter": "LETTER",
    "lowerRoman": "roman",
    "upperRoman": "ROMAN",
}


def _number(value: int, kind: str) -> str:
    if kind == "decimalZero":
        return f"{value:02d}"
    return shown_number(value, _KINDS.get(kind, "decimal"))
