"""Build, serve, or write out the site of a workspace: what `kb build` and `kb serve` call.

MkDocs' own errors (a bad mkdocs.yml, warnings in strict mode, a plugin error) become KbError
here, so the CLI reports them like any other problem.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from kb.config import CONFIG_FILE, Workspace
from kb.errors import KbError


class SiteError(KbError):
    """The site could not be built."""


@dataclass
class BuildResult:
    """Where the site went, how many pages it has, and how long it took."""

    site_dir: Path
    pages: int
    seconds: float

    def to_dict(self) -> dict:
        """Stable JSON shape for ``kb build --json``."""
        return {"site_dir": str(self.site_dir), "pages": self.pages, "seconds": self.seconds}


def _load_config(ws: Workspace, **overrides):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        return load_config(str(ws.root / CONFIG_FILE), **overrides)
    except ConfigurationError as exc:
        raise SiteError(f"{ws.root / CONFIG_FILE}: {exc}") from None


def build_site(ws: Workspace, site_dir: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the site with MkDocs (the kb plugin adds the generated pages)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    overrides = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(Path(site_dir).resolve())
    started = time.perf_counter()
    config = _load_config(ws, **overrides)
    try:
        build(config)
    except Abort as exc:
        raise SiteError(f"the site was not built: {exc}") from None
    except MkDocsException as exc:
        raise SiteError(str(exc)) from None
    finally:
        config.plugins.on_shutdown()
    out = Path(config.site_dir)
    pages = sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0
    return BuildResult(out, pages, round(time.perf_counter() - started, 2))


def serve_site(ws: Workspace, dev_addr: str = "127.0.0.1:8000", strict: bool = False) -> None:
    """Serve the site with live reload until interrupted; edits to entries rebuild it."""
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, MkDocsException

    try:
        serve(str(ws.root / CONFIG_FILE), dev_addr=dev_addr, strict=strict, livereload=True)
    except Abort as exc:
        raise SiteError(str(exc)) from None
    except MkDocsException as exc:
        raise SiteError(str(exc)) from None
    except OSError as exc:
        raise SiteError(f"cannot serve on {dev_addr}: {exc.strerror or exc}") from None


def write_pages(ws: Workspace, out_dir: Path, today: dt.date | None = None) -> list[Path]:
    """Write the generated pages as markdown files under ``out_dir`` (for any site generator)."""
    from kb.site.pages import generate_pages
    from kb.store import load_entries, write_atomic

    out_dir = Path(out_dir)
    if out_dir.resolve() == ws.docs_dir.resolve():
        raise SiteError(f"{out_dir}: write the pages outside docs/, they would replace entries")
    pages = generate_pages(ws, load_entries(ws).entries, today)
    written = []
    for rel, text in sorted(pages.items()):
        path = out_dir / rel
        write_atomic(path, text, overwrite=True)
        written.append(path)
    return written
