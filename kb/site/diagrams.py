"""Diagrams: mermaid blocks drawn by the site's own copy of mermaid, or shown as code.

Material draws every ``<pre class="mermaid">`` of a page with mermaid, and loads mermaid from
unpkg.com for it unless the page has already defined a global ``mermaid`` (Material's
``fetchScripts``). The site loads nothing from other hosts, so a page with a diagram carries a
script tag for the pinned copy that ``scripts/install-mermaid.sh`` installs under the Python
prefix (npm's ``mermaid`` at one exact version), and the plugin copies that file into the site. A
fenced ```` ```mermaid ```` block becomes such a diagram. Without the copy, diagrams stay code
blocks, and ``kb.js`` defines a stand-in ``mermaid`` that shows a diagram's source, so that even
a ``<pre class="mermaid">`` written into a page never makes Material fetch anything.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

MERMAID_HOME = Path(sys.prefix) / "share" / "retro-kb" / "mermaid"

# Python-Markdown's fenced_code writes this for ```mermaid; Material wants what pymdownx's
# fence_code_format writes for a mermaid fence.
_FENCE = '<pre><code class="language-mermaid">'
_DIAGRAM = '<pre class="mermaid"><code>'
# A <pre> start tag, quoted attribute values included whole (they may hold a '>').
_PRE_TAG = re.compile(r"""<pre(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>""", re.I)


@dataclass(frozen=True)
class Mermaid:
    """The installed copy of mermaid: its version and files."""

    version: str
    script: Path
    license: Path

    @property
    def uri(self) -> str:
        """Where it goes in the site (the version in the path, so browsers never mix two)."""
        return f"assets/kb/mermaid-{self.version}/mermaid.min.js"


def find_mermaid(home: Path | None = None) -> Mermaid | None:
    """The copy of mermaid installed under ``home`` (default ``MERMAID_HOME``), or None."""
    home = MERMAID_HOME if home is None else home
    script, version = home / "mermaid.min.js", home / "VERSION"
    if not (script.is_file() and version.is_file()):
        return None
    name = version.read_text("utf-8").strip()
    if not re.fullmatch(r"\d+\.\d+\.\d+", name):
        return None
    return Mermaid(name, script, home / "LICENSE")


def as_diagrams(page_html: str) -> str:
    """Turn the page's ```mermaid code blocks into diagrams for Material."""
    return page_html.replace(_FENCE, _DIAGRAM)


class _Attributes(HTMLParser):
    """The attributes of one start tag, as a browser reads them (character references too)."""

    def __init__(self, tag: str) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str | None]] = []
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.attrs = attrs


def _is_diagram(tag: str) -> list[tuple[str, str | None]] | None:
    """The tag's attributes when it is a ``pre`` Material draws as a diagram, else None."""
    attrs = _Attributes(tag).attrs
    classes = next((v for k, v in attrs if k == "class"), None) or ""
    return attrs if "mermaid" in classes.split() else None


def has_diagram(page_html: str) -> bool:
    """Whether Material would draw a diagram on this page (a ``<pre>`` of class mermaid)."""
    return any(_is_diagram(m.group(0)) for m in _PRE_TAG.finditer(page_html))


def as_code(page_html: str) -> str:
    """The page with its diagrams left as code blocks: ``mermaid`` taken off their classes."""

    def plain(match: re.Match) -> str:
        attrs = _is_diagram(match.group(0))
        if attrs is None:
            return match.group(0)
        out = []
        for name, value in attrs:
            if name == "class":
                value = " ".join(c for c in (value or "").split() if c != "mermaid")
            out.append(f" {name}" if value is None else f' {name}="{html.escape(value)}"')
        return "<pre" + "".join(out) + ">"

    return _PRE_TAG.sub(plain, page_html)


def script_tag(src: str) -> str:
    """The tag that loads mermaid on a page, before Material's own scripts run."""
    return f'<script src="{html.escape(src)}"></script>'
