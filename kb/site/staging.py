"""Build the site into a folder of its own and put it in place only once it is complete.

MkDocs empties the site folder and then writes page after page into it, so a build that fails half
way leaves half a site, or none. ``kb build`` gives MkDocs a new folder next to the site folder
(same file system, so a rename moves it) and swaps it in after MkDocs has succeeded; a failed build
only removes its own folder. The swap is two renames, the old site aside and the new one in, so a
reader may for a moment find no folder at all, never a half-written one. A build killed between the
two leaves the previous site aside; the next build puts it back before it starts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kb.errors import KbError

_BUILDING = ".kb-building-"
_PREVIOUS = ".kb-previous-"


class StagingError(KbError):
    """The site folder cannot be replaced."""


def _leftovers(target: Path, kind: str) -> list[Path]:
    """Folders a killed build left beside ``target``, newest first."""
    prefix = f".{target.name}{kind}"
    try:
        found = [p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.is_dir()]
    except OSError:
        return []
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def recover(target: Path) -> None:
    """Undo what a killed build left: put a previous site set aside back, remove the rest."""
    previous = _leftovers(target, _PREVIOUS)
    if previous and not target.exists():
        previous[0].rename(target)
        previous = previous[1:]
    for path in previous + _leftovers(target, _BUILDING):
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def staged(target: Path) -> Iterator[Path]:
    """Yield a new, empty folder beside ``target`` to build into; if the block succeeds, swap
    it in for ``target``, else remove it. ``target`` itself is only ever replaced whole."""
    target = Path(os.path.realpath(target))  # a symlinked site folder stays a symlink
    if target.exists() and not target.is_dir():
        raise StagingError(f"{target} is a file, not a folder; choose another site folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        recover(target)
        folder = Path(tempfile.mkdtemp(prefix=f".{target.name}{_BUILDING}", dir=target.parent))
    except OSError as exc:
        raise StagingError(
            f"cannot build beside {target}: {exc.strerror or exc} (kb build writes the new site "
            f"into a folder in {target.parent} first)"
        ) from None
    try:
        yield folder
        _swap(folder, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _swap(folder: Path, target: Path) -> None:
    """Put ``folder`` where ``target`` is. Hidden files of the old site (``.git``, ``.nojekyll``)
    move into the new one, as MkDocs keeps them when it cleans a site folder; if the swap fails
    they go back, and the old site stays where it was."""
    if not target.exists():
        _rename(folder, target)
        return
    hidden = [p.name for p in target.iterdir() if p.name.startswith(".")]
    moved: list[str] = []
    aside = None
    try:
        for name in hidden:
            if not (folder / name).exists():
                _rename(target / name, folder / name)
                moved.append(name)
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}{_PREVIOUS}", dir=target.parent))
        _rename(target, aside)
    except (StagingError, OSError) as exc:
        for name in moved:
            _rename(folder / name, target / name)
        if aside is not None:
            with contextlib.suppress(OSError):
                aside.rmdir()
        raise _as_staging_error(exc) from None
    try:
        _rename(folder, target)
    except StagingError:
        _rename(aside, target)
        for name in moved:
            _rename(folder / name, target / name)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _as_staging_error(exc: Exception) -> StagingError:
    if isinstance(exc, StagingError):
        return exc
    return StagingError(f"cannot replace the site folder: {getattr(exc, 'strerror', None) or exc}")


def _rename(source: Path, destination: Path) -> None:
    try:
        os.replace(source, destination)
    except OSError as exc:
        raise StagingError(
            f"cannot move {source} to {destination}: {exc.strerror or exc}"
        ) from None
