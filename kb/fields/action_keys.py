"""The keys an action item's lifecycle stores beside its status, as `kb check` sees them.

``id`` (the item's number in its reference, ``RETRO-0003#2``: a positive whole number, unique
in the entry), ``done`` and ``verified`` (dates), ``note``, ``evidence`` and ``reason`` (text).
``kb actions done|verify|drop|reopen`` writes them (``kb.actions``); a hand edit is checked the
same way. A verified item without its evidence is a warning: the PMO's verification is what
the evidence records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from kb import i18n
from kb.fields.values import FieldIssue, about, describe, parse_date, spoken


def _say(key: str, **values: Any) -> str:
    return i18n.text(f"actions.check.{key}", spoken(), **values)


def lifecycle_issues(
    name: str, i: int, item: Mapping[str, Any], items: Sequence[Any]
) -> list[FieldIssue]:
    """Problems with the lifecycle keys of item ``i`` of the list ``items``."""
    where = f"{name}[{i}]"
    issues = []
    if "id" in item:
        number = item["id"]
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            msg = about(f"{where}.id") + _say("id", found=describe(number))
            issues.append(FieldIssue(name, msg, code="action-id", subpath=(i, "id")))
        else:
            first = next(
                j
                for j, other in enumerate(items)
                if isinstance(other, Mapping)
                and other.get("id") == number
                and not isinstance(other.get("id"), bool)
            )
            if first != i:
                msg = about(f"{where}.id") + _say(
                    "id_twice", number=number, other=f"{name}[{first}]"
                )
                issues.append(FieldIssue(name, msg, code="action-id", subpath=(i, "id")))
    for key in ("done", "verified"):
        value = item.get(key)
        if key in item and not (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            try:
                parse_date(value)
                msg = about(f"{where}.{key}") + _say("date", found=describe(value))
            except ValueError as exc:
                msg = about(f"{where}.{key}") + str(exc)
            issues.append(FieldIssue(name, msg, code="type", subpath=(i, key)))
    for key in ("note", "evidence", "reason"):
        value = item.get(key)
        if key in item and not isinstance(value, (str, int, float)) or isinstance(value, bool):
            msg = about(f"{where}.{key}") + _say("text", found=describe(value))
            issues.append(FieldIssue(name, msg, code="type", subpath=(i, key)))
    if item.get("status") == "verified" and not str(item.get("evidence") or "").strip():
        msg = about(where) + _say("no_evidence")
        issues.append(FieldIssue(name, msg, "warning", "action-evidence", (i, "status")))
    return issues
