"""The site's search index: Pagefind run over the site's entry pages, one bundle per language.

Pagefind keeps one index per page language and a browser searches the index of its page's
language only; kb's sites mix English and Chinese entries, and both must be found from any
page. So each language gets a bundle of its own, ``pagefind/<lang>/`` in the site: Pagefind
indexes a folder of that language's entry pages (``SearchPages``: each page's indexed part, at the
page's path, so with the page's URL), with that language forced. The site's search script
opens one bundle and merges the others (Pagefind's ``mergeIndex`` with its ``language``
option), so results from every language come back ranked together.

The binary comes from the ``pagefind`` and ``pagefind-bin-extended`` packages (the extended
build segments Chinese into words), run as ``python -m pagefind``, the packages' documented
command line: nothing is downloaded at build time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import KbError

__all__ = [
    "BUNDLE_DIR",
    "EXCLUDE",
    "SearchIndex",
    "SearchIndexError",
    "SearchPages",
    "bundle_dir",
    "index_site",
]

BUNDLE_DIR = "pagefind"
# What Pagefind leaves out of an entry's text: the header card, the links, the action table
# (all marked data-search-exclude) and the headings' permalinks.
EXCLUDE = "[data-search-exclude], .headerlink"
# A wall-clock limit per language: Pagefind indexes thousands of pages in seconds.
TIMEOUT = 900
# Pagefind's ready-made search interfaces, which the site does not use (it has its own, kb's
# search.js on Pagefind's JavaScript API): left out of the site.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


class SearchIndexError(KbError):
    """Pagefind could not index the site."""


@dataclass
class SearchIndex:
    """What indexing did: pages per language and the seconds it took."""

    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        """Pages indexed in all languages."""
        return sum(self.pages.values())

    def to_dict(self) -> dict:
        """Stable JSON shape for ``kb build --json``."""
        return {"pages": dict(self.pages), "total": self.total, "seconds": self.seconds}


def bundle_dir(lang: str) -> str:
    """The folder of a language's bundle, relative to the site (forward slashes)."""
    return f"{BUNDLE_DIR}/{lang}"


class SearchPages:
    """The entry pages to index, written while MkDocs builds the site: for each language a folder
    with one small HTML document per page, at the page's path in the site (so Pagefind gives it
    the page's URL), holding what the page gives Pagefind to index and nothing of the theme.

    Pagefind would otherwise parse every built page whole, Material's navigation and icons
    included: a third of its time at 5,000 entries."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kb-search-"))
        self.count: Counter[str] = Counter()
        self.seconds = 0.0

    def add(self, path: str, lang: str, content: str) -> None:
        """One entry page: its path in the site (``lessons/LL-0001-x/index.html``), its language
        and the HTML of its ``data-pagefind-body``."""
        started = time.perf_counter()
        target = self.root / lang / path
        target.parent.mkdir(parents=True, exist_ok=True)
        document = (
            f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"></head>'
            f"<body>\n{content}\n</body></html>\n"
        )
        try:
            target.write_text(document, encoding="utf-8")
        except OSError as exc:
            self.discard()
            raise SearchIndexError(f"cannot write the page to index: {exc}") from None
        self.count[lang] += 1
        self.seconds += time.perf_counter() - started

    def discard(self) -> None:
        """Remove the documents (after indexing, or when the build fails)."""
        shutil.rmtree(self.root, ignore_errors=True)


def _run(pages: Path, output: Path, lang: str) -> None:
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(pages),
        "--output-path",
        str(output),
        "--force-language",
        lang,
        "--exclude-selectors",
        EXCLUDE,
        "--silent",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"the search index was not built: {exc}") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        reason = lines[-1] if lines else f"exit status {done.returncode}"
        if "No module named pagefind" in reason or "Could not find pagefind binary" in reason:
            reason = "Pagefind is not installed (pip install 'pagefind[extended]')"
        raise SearchIndexError(f"the search index was not built: {reason}")


def index_site(site_dir: Path, pages: SearchPages) -> SearchIndex:
    """Index ``pages`` into the built site: ``pagefind/<lang>/`` for each language with pages
    (the bundle of a language that has none any more is removed). The documents are removed."""
    site_dir = Path(site_dir)
    started = time.perf_counter()
    report = SearchIndex()
    try:
        root = site_dir / BUNDLE_DIR
        if root.is_dir():
            for old in root.iterdir():
                if old.is_dir() and not pages.count.get(old.name):
                    shutil.rmtree(old)
        for lang, count in sorted(pages.count.items()):
            output = site_dir / bundle_dir(lang)
            if output.exists():
                shutil.rmtree(output)
            _run(pages.root / lang, output, lang)
            for name in UNUSED:
                (output / name).unlink(missing_ok=True)
            report.pages[lang] = count
    finally:
        pages.discard()
    report.seconds = round(time.perf_counter() - started + pages.seconds, 2)
    return report
