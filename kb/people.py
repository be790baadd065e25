"""Who a person is when nobody says: the owner `kb new` and `kb import` give a new entry."""

from __future__ import annotations

import getpass
import subprocess
from pathlib import Path


def default_owner(root: Path) -> str:
    """The git ``user.name`` as the repository at ``root`` sees it, else the name the user logged
    in with (``getpass.getuser``); '' when there is neither."""
    try:
        out = subprocess.run(
            ["git", "config", "user.name"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        name = out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment nor the password database
        return ""
