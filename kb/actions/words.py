"""The messages of ``kb actions``, in the language spoken now (the workspace's)."""

from __future__ import annotations

from typing import Any

from kb import i18n
from kb.fields.values import spoken, value_label


def say(key: str, **values: Any) -> str:
    """The message ``actions.<key>`` of the catalogs, ``values`` filled in."""
    return i18n.text(f"actions.{key}", spoken(), **values)


def status_label(status: str) -> str:
    """How people read a status (``verified`` -> ``Verified``, ``已验证``)."""
    return value_label(status, spoken())
