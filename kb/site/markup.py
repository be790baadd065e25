"""Escaping and linking helpers for the generated markdown and HTML.

Everything taken from front matter goes through one of these before it reaches a page: ``md``
for markdown text (HTML special characters and markdown punctuation become character references,
so a title like ``<script>`` or ``*bold*`` shows as typed), ``h`` for raw HTML.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
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


# Protected from id linking: fenced code, inline code, existing links and images, raw HTML tags,
# and link reference definitions.
_PROTECTED = re.compile(
    r"(^(?P<fence>```|~~~).*?^(?P=fence)[^\n]*$"  # fenced code
    r"|(?:(?<=\n\n)|\A)(?:(?: {4}|\t)(?![-*+] |\d+\. )[^\n]*(?:\n|\Z))+"  # indented code
    r"|^<[A-Za-z][^\n]*(?:\n(?![ \t]*\n)[^\n]*)*"  # an HTML block, up to a blank line
    r"|`[^`\n]+`"
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"
    r"|<[^>\n]+>"
    r"|^\s*\[[^\]\n]+\]:.*$)",
    re.S | re.M,
)
_ID = re.compile(r"(?<![\w/\[-])([A-Z][A-Z0-9]*-\d{4,})(?![\w-])")


def link_ids(markdown: str, from_page: str, target: Callable[[str], str | None]) -> str:
    """Entry ids mentioned in prose (``see LL-0002``) become links to those entries.

    ``target(id)`` gives the docs path of an existing entry or None; code, existing links and
    HTML are left alone, so an id is never linked twice or inside a code sample.
    """

    def replace(m: re.Match[str]) -> str:
        path = target(m.group(1))
        return f"[{m.group(1)}]({rel(from_page, path)})" if path else m.group(1)

    out, last = [], 0
    for m in _PROTECTED.finditer(markdown):
        out.append(_ID.sub(replace, markdown[last : m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_ID.sub(replace, markdown[last:]))
    return "".join(out)
