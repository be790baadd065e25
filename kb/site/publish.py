"""Build or serve the site of a workspace: what `kb build` and `kb serve` call.

MkDocs' own errors (a bad mkdocs.yml, warnings in strict mode, a plugin error) become KbError
here, so the CLI reports them like any other problem. `kb build` has MkDocs write into a folder of
its own and swaps it in only after success (``kb.site.staging``), so a failed build leaves the
previous site in place.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kb.config import CONFIG_FILE, Workspace
from kb.errors import KbError


class SiteError(KbError):
    """The site could not be built."""


@dataclass
class BuildResult:
    """Where the site went, how many pages it has, how long it took, and what was left out."""

    site_dir: Path
    pages: int
    seconds: float
    left_out: list = field(default_factory=list)  # kb.site.sources.LeftOut

    def to_dict(self) -> dict:
        """Stable JSON shape for ``kb build --json``."""
        return {
            "site_dir": str(self.site_dir),
            "pages": self.pages,
            "seconds": self.seconds,
            "left_out": [item.to_dict() for item in self.left_out],
        }


def _load_config(ws: Workspace, **overrides):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        return load_config(str(ws.root / CONFIG_FILE), **overrides)
    except ConfigurationError as exc:
        raise SiteError(f"{ws.root / CONFIG_FILE}: {exc}") from None


def build_site(ws: Workspace, site_dir: Path | None = None, strict: bool = False) -> BuildResult:
    """Build the site with MkDocs (the kb plugin adds the generated pages).

    MkDocs writes into a new folder beside the site folder, which replaces the site folder only
    when the build has succeeded: a failed build leaves the previous site as it was.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    from kb.site.staging import staged
    from kb.store import workspace_lock

    overrides: dict = {"strict": strict}
    if site_dir is not None:
        overrides["site_dir"] = str(Path(site_dir).resolve())
    started = time.perf_counter()
    config = _load_config(ws, **overrides)  # MkDocs checks site_dir against docs_dir here
    target = Path(config.site_dir)
    plugin = config.plugins.get("kb")
    with workspace_lock(ws, "site", timeout=600), staged(target) as folder:
        config.site_dir = str(folder)
        try:
            build(config)
        except Abort as exc:
            raise SiteError(
                f"the site was not built: {_sentence(exc)}; {_kept(ws, target)}"
            ) from None
        except MkDocsException as exc:
            raise SiteError(f"{exc}\n{_kept(ws, target)}") from None
        except (OSError, UnicodeDecodeError) as exc:  # a file changed while MkDocs read it
            raise SiteError(f"the site was not built: {exc}; {_kept(ws, target)}") from None
        finally:
            config.plugins.on_shutdown()
        pages = sum(1 for _ in folder.rglob("*.html"))
    left_out = list(getattr(plugin, "left_out", []))
    return BuildResult(target, pages, round(time.perf_counter() - started, 2), left_out)


def _sentence(exc: Exception) -> str:
    """MkDocs' 'Aborted with 2 warnings in strict mode!' as part of a sentence."""
    return str(exc).strip().rstrip("!.")


def _kept(ws: Workspace, target: Path) -> str:
    """What a failed build did to the site folder: nothing."""
    shown = ws.relpath(target) + "/"
    if target.is_dir():
        return f"the previous site in {shown} is unchanged"
    return f"nothing was written to {shown}"


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
