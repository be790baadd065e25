"""Where an action item stands and how it moves: open -> done -> verified, or dropped.

A project manager marks an item done (with the day and a note), the PMO verifies it with
evidence that the fix worked (NASA's lessons-learned records keep "evidence of recurrence
control effectiveness": an action is effective only when verified), an item that will not be
done is dropped with a reason, and any of them can be reopened. The keys stored beside
``status``: ``done`` (date), ``note``, ``verified`` (date), ``evidence``, ``reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kb.actions.words import say, status_label
from kb.errors import KbError
from kb.schema import as_date

OPERATIONS = ("done", "reopen", "verify", "drop")
# The keys each status may carry, besides action, owner, due, status and id.
LIFECYCLE_KEYS = ("done", "note", "verified", "evidence", "reason")
_KEYS_OF = {
    "open": (),
    "done": ("done", "note"),
    "verified": ("done", "note", "verified", "evidence"),
    "dropped": ("reason",),
}
_TARGET = {"done": "done", "reopen": "open", "verify": "verified", "drop": "dropped"}
# From which statuses each operation may start.
_ALLOWED = {
    "done": ("open",),
    "reopen": ("done", "verified", "dropped"),
    "verify": ("done",),
    "drop": ("open",),
}


# The step that ends at each status, and which keys of the item a step's date and text fill.
STEP_TO = {target: op for op, target in _TARGET.items()}
DATE_OF = {"done": "done", "verify": "verified"}
TEXT_OF = {"done": "note", "verify": "evidence", "drop": "reason"}


def kept_keys(status: str) -> tuple[str, ...]:
    """The lifecycle keys an item of ``status`` carries (``done``: done and note)."""
    return _KEYS_OF.get(status, ())


def keeping(key: str) -> tuple[str, ...]:
    """The statuses whose items carry the lifecycle key ``key``."""
    return tuple(status for status, keys in _KEYS_OF.items() if key in keys)


def can_start(op: str, status: str) -> bool:
    """Whether the step ``op`` may be taken from ``status``."""
    return status in _ALLOWED.get(op, ())


class ActionError(KbError):
    """A lifecycle step that cannot be taken from where the item stands."""


@dataclass(frozen=True)
class Change:
    """One step of the lifecycle: the operation, its day and its text (note, evidence or
    reason, as the operation takes)."""

    op: str
    date: dt.date | None = None
    text: str = ""


def _refusal(ref: str, op: str, status: str, item: Mapping[str, Any]) -> str:
    when = as_date(item.get(status)) if status in ("done", "verified") else None
    where = status_label(status).lower()  # inside a sentence
    if when:
        where = say("since", status=where, date=when.isoformat())
    if op == "reopen":
        return say("open_already", ref=ref)
    if op == "verify" and status == "open":
        return say("verify_open", ref=ref)
    if _TARGET[op] == status:
        return say("already", ref=ref, status=where)
    if op == "verify" and status == "dropped":
        return say("verify_dropped", ref=ref)
    return say("reopen_first", ref=ref, status=where)


def apply_change(
    item: Mapping[str, Any], change: Change, ref: str, today: dt.date
) -> dict[str, Any]:
    """The item after ``change``; ActionError when the step is not allowed from its status,
    lacks its text, or has a day in the future or before the item was done."""
    if change.op not in OPERATIONS:
        raise ActionError(say("unknown_step", step=change.op, steps=", ".join(OPERATIONS)))
    status = str(item.get("status") or "open")
    if status not in _ALLOWED[change.op]:
        raise ActionError(_refusal(ref, change.op, status, item))
    day = change.date or today
    if change.op in ("done", "verify") and day > today:
        raise ActionError(say("future", ref=ref, date=day.isoformat()))
    text = " ".join(change.text.split())
    if change.op == "verify" and not text:
        raise ActionError(say("need_evidence", ref=ref))
    if change.op == "drop" and not text:
        raise ActionError(say("need_reason", ref=ref))
    done = as_date(item.get("done"))
    if change.op == "verify" and done and day < done:
        raise ActionError(say("before_done", ref=ref, date=day.isoformat(), done=done.isoformat()))
    target = _TARGET[change.op]
    new = {k: v for k, v in item.items() if k not in LIFECYCLE_KEYS or k in _KEYS_OF[target]}
    new["status"] = target
    if change.op == "done":
        new["done"] = day
        if text:
            new["note"] = text
    elif change.op == "verify":
        new["verified"] = day
        new["evidence"] = text
    elif change.op == "drop":
        new["reason"] = text
    return new
