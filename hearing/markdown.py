"""Safe Markdown for consultation documents: raw HTML is escaped, unsafe link schemes refused."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.enable("table")


def render_markdown(source: str) -> Markup:
    # markdown-it escapes all text and, with html off, all tags; its validateLink drops
    # javascript:, vbscript: and data: (except images) URLs. The output is therefore safe markup.
    return Markup(_renderer.render(source or ""))
