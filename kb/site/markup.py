"""Escaping and linking helpers for the generated markdown and HTML.

Everything taken from front matter goes through one of these before it reaches a page: ``md``
for markdown text (HTML special characters and markdown punctuation become character references,
so a title like ``<script>`` or ``*bold*`` shows as typed), ``h`` for raw HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import quote

# Markdown punctuation that could start emphasis, links, code, table cells, attributes or HTML
# (headings and lists only start a line, and md() text never does).
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()|~^<>]")


def h(value: object) -> str:
    """Text for raw HTML (quotes escaped too, so it is safe inside attributes)."""
    return html.escape("" if value is None else str(value), quote=True)


def md(value: object) -> str:
    """Text for markdown: shown literally, never interpreted as markdown or HTML."""
    text = " ".join(("" if value is None else str(value)).split())
    text = html.escape(text, quote=False)
    # html.escape already turned < > & into references; the rest become numeric references.
    return _MD_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", text)


def template_text(value: object) -> str:
    """Text for a page title or other meta that Material's templates print without escaping.

    Escaped for the navigation; ``</`` is broken up because the <title> element un-escapes it.
    """
    text = "" if value is None else str(value)
    return html.escape(text.replace("</", "<\u200b/"), quote=True)


def url_path(path: str) -> str:
    """A relative path as it goes into a markdown link (spaces, brackets, CJK percent-encoded)."""
    return quote(path, safe="/#.-_~")


def rel(from_page: str, to_page: str) -> str:
    """The relative link from one docs path to another (both relative to docs/)."""
    base = posixpath.dirname(from_page)
    return url_path(posixpath.relpath(to_page, base or "."))


def link(text: object, from_page: str, to_page: str) -> str:
    """A markdown link with escaped text; MkDocs checks and rewrites it like any other."""
    return f"[{md(text)}]({rel(from_page, to_page)})"
