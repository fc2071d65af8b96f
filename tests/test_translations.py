"""The English catalogue: complete for every string the code marks, and actually used by the UI.

Message ids are Norwegian bokmål, so a string without an English entry silently stays Norwegian
on the English pages. These tests extract the ids from the source exactly as `pybabel extract`
does (same babel.cfg, same keywords) and fail with the list of ids that still need a translation.
They read the committed .po only: the .mo files are build artefacts.
"""

from __future__ import annotations

import functools
import gettext
import io
import os
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from hearing.extensions import babel, db

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "hearing" / "translations"
ENGLISH_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
ENGLISH_MO = ENGLISH_PO.with_suffix(".mo")
# The keywords the code uses: Babel's defaults (_, gettext, ngettext, …) plus the lazy forms.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa%])")
NORWEGIAN_UI_PHRASES = ("Hopp til hovedinnhold", "Logg inn", "Høringer", "Logg ut", "Svar på")


@functools.cache
def extracted_messages() -> dict[str, tuple[str | tuple[str, ...], str]]:
    """Every marked string in the code: msgid (singular for plurals) → (id, first location)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, tuple[str | tuple[str, ...], str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        key = message if isinstance(message, str) else message[0]
        found.setdefault(key, (message, f"{filename}:{lineno}"))
    return found


def english_catalogue() -> Catalog:
    with ENGLISH_PO.open("rb") as po:
        return read_po(po, locale="en")


def forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def placeholders(text: str) -> set[tuple[str | None, str]]:
    return {match for match in PLACEHOLDER.findall(text) if match != (None, "%")}


def translated_entries() -> Iterator[Message]:
    return (message for message in english_catalogue() if message.id and any(forms(message)))


def test_extraction_finds_python_and_template_strings():
    locations = [where for _message, where in extracted_messages().values()]
    assert sum("hearing/templates/" in where for where in locations) > 100
    assert sum(where.startswith("forms/") for where in locations) > 50


def test_every_extracted_string_has_an_english_translation():
    catalogue = english_catalogue()
    missing = []
    for key, (message, where) in extracted_messages().items():
        entry = catalogue.get(key)
        if entry is None or not all(forms(entry)) or entry.fuzzy:
            missing.append(f"{where}: {message!r}")
        elif isinstance(message, tuple) and not isinstance(entry.id, tuple):
            missing.append(f"{where}: {message!r} needs plural forms")
    assert not missing, (
        f"{len(missing)} strings have no English translation. Run the extraction and "
        "`pybabel update` (see babel.cfg), then translate in "
        f"{ENGLISH_PO.relative_to(ROOT)}:\n" + "\n".join(sorted(missing))
    )


def test_placeholders_match_the_norwegian_ids():
    wrong = []
    for message in translated_entries():
        expected = set().union(*(placeholders(text) for text in ids(message)))
        for text in forms(message):
            if placeholders(text) != expected:
                wrong.append(f"{message.id!r} → {text!r}")
            sample = {name: 1 for name, _kind in expected if name}
            if sample:
                text % sample  # raises on a stray % or an unknown name, as it would at runtime
    assert not wrong, "Placeholders differ from the msgid:\n" + "\n".join(wrong)


def test_english_catalogue_compiles_and_is_not_the_norwegian_copied():
    catalogue = english_catalogue()
    problems = [f"{message.id!r}: {errors}" for message, errors in catalogue.check()]
    assert not problems, "\n".join(problems)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    english = gettext.GNUTranslations(compiled)
    assert english.gettext("Logg inn") == "Sign in"
    assert english.ngettext("%(num)d svar", "%(num)d svar", 1) == "%(num)d response"
    assert english.ngettext("%(num)d svar", "%(num)d svar", 2) == "%(num)d responses"
    copied = [m.id for m in translated_entries() if forms(m) == ids(m) and " " in ids(m)[0]]
    assert not copied, f"Left in Norwegian: {copied}"


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and labelling attributes, no scripts."""

    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden_depth += 1
        self.parts.extend(value for name, value in attrs if name in self.LABELS and value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


@pytest.fixture()
def english_mo(app) -> None:
    """The pages read the compiled catalogue; build it from the .po when it is missing or stale.

    `make test` compiles it first; this keeps a bare `pytest` in a fresh checkout honest. The
    file is replaced atomically because other test processes may be reading it.
    """
    if ENGLISH_MO.exists() and ENGLISH_MO.stat().st_mtime >= ENGLISH_PO.stat().st_mtime:
        return
    partial = ENGLISH_MO.with_name(f".messages.{os.getpid()}.mo")
    with partial.open("wb") as target:
        write_mo(target, english_catalogue())
    partial.replace(ENGLISH_MO)
    babel.domain_instance.cache.clear()  # flask-babel caches catalogues per process


@pytest.fixture()
def english_pages(app, admin, english_mo):
    """Fetch pages as an English-speaking secretariat member would, with the demo loaded."""
    from hearing.demo import load_demo
    from tests.conftest import sign_in

    consultation, _count, _created = load_demo()
    db.session.commit()
    public, secretariat = app.test_client(), app.test_client()
    sign_in(secretariat, admin.email)
    for client in (public, secretariat):
        assert client.get("/language/en?next=/").status_code == 302

    def fetch(path: str, *, signed_in: bool = False) -> str:
        client = secretariat if signed_in else public
        response = client.get(path.format(slug=consultation.slug))
        assert response.status_code == 200, path
        return visible_text(response.get_data(as_text=True))

    return fetch


def untranslated_ids_in(text: str) -> list[str]:
    """Catalogue ids shown verbatim: a string translated in the .po but rendered in Norwegian.

    Only ids of three words or more without placeholders, so short words that are also data
    (category and scale labels) do not count.
    """
    return [
        message.id
        for message in translated_entries()
        if isinstance(message.id, str)
        and len(message.id.split()) >= 3
        and not placeholders(message.id)
        and message.id != message.string
        and message.id in text
    ]


PAGES = {
    "/": ("Consultations", "Skip to main content", "Respond to the consultation"),
    "/auth/login": ("Sign in", "Password"),
    "/h/{slug}/svar": ("About you", "Submit the response", "Save draft"),
}
SECRETARIAT_PAGES = {
    "/admin/": ("New consultation", "Sign out"),
    "/admin/consultations/{slug}": ("Edit the consultation", "Respondent categories"),
}


def test_pages_render_in_english(english_pages):
    for path, expected in [*PAGES.items(), *SECRETARIAT_PAGES.items()]:
        text = english_pages(path, signed_in=path in SECRETARIAT_PAGES)
        for phrase in expected:
            assert phrase in text, f"{path}: {phrase!r} missing"
        for phrase in NORWEGIAN_UI_PHRASES:
            assert phrase not in text, f"{path}: Norwegian {phrase!r} on the English page"
        assert not untranslated_ids_in(text), path
