"""References of action items: ``RETRO-0003#2``, the entry's id and the item's number.

The number is the ``id`` stored with the item. An item without one takes its 1-based position
when no other item of the entry claims that number, else the next number after the highest
taken; so the references of a list nobody has acted on yet read 1, 2, 3 in order. Every
lifecycle edit writes the missing ids of the entry's items (``kb.actions.edit``), so a reference
stays the same once anyone has acted on it, whatever is added, removed or reordered later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kb.actions.words import say
from kb.entry import Entry
from kb.errors import KbError
from kb.fields import closest

_REF = re.compile(r"^\s*([A-Za-z][A-Za-z0-9]*-\d+)\s*#\s*(\d+)\s*$")
_ID_NUMBER = re.compile(r"^([A-Za-z][A-Za-z0-9]*)-(\d+)$")


@dataclass(frozen=True)
class Ref:
    """A parsed reference: the entry's id and the item's number."""

    entry_id: str
    number: int

    def __str__(self) -> str:
        return format_ref(self.entry_id, self.number)


def format_ref(entry_id: str, number: int) -> str:
    """``RETRO-0003#2``."""
    return f"{entry_id}#{number}"


def stored_id(item: Any) -> int | None:
    """The id stored with an item: a positive whole number, else None."""
    if not isinstance(item, Mapping):
        return None
    value = item.get("id")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def item_ids(items: Sequence[Any]) -> list[int | None]:
    """The number of each item of an entry's ``actions`` list (None for what is no mapping)."""
    claimed = {n for item in items if (n := stored_id(item)) is not None}
    numbers: list[int | None] = []
    for position, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            numbers.append(None)
            continue
        number = stored_id(item)
        if number is None:
            number = position if position not in claimed else max(claimed) + 1
            claimed.add(number)
        numbers.append(number)
    return numbers


def next_id(items: Sequence[Any]) -> int:
    """The number a new item appended to ``items`` gets: one more than the highest."""
    return max((n for n in item_ids(items) if n is not None), default=0) + 1


def parse_ref(text: str) -> Ref:
    """A reference as typed (``retro-0003 # 2`` too); KbError naming the form otherwise."""
    m = _REF.match(str(text))
    if not m:
        raise KbError(say("not_a_ref", text=repr(str(text))))
    return Ref(m.group(1).upper(), int(m.group(2)))


def _padded(entry_id: str, ids: Iterable[str]) -> str | None:
    """``RETRO-0003`` for ``RETRO-3`` when the workspace has it."""
    m = _ID_NUMBER.match(entry_id)
    if not m:
        return None
    number = int(m.group(2))
    for other in ids:
        n = _ID_NUMBER.match(other)
        if n and n.group(1) == m.group(1) and int(n.group(2)) == number:
            return other
    return None


def resolve(entries: Iterable[Entry], text: str) -> tuple[Entry, int, Ref]:
    """The entry and the list index of the item ``text`` names; KbError with the nearest
    references when there is no such item."""
    ref = parse_ref(text)
    with_actions = {e.id: e for e in entries if e.id and isinstance(e.meta.get("actions"), list)}
    entry = with_actions.get(ref.entry_id)
    if entry is None:
        hint = _padded(ref.entry_id, with_actions) or closest(ref.entry_id, list(with_actions))
        raise KbError(
            say("no_entry", ref=ref, entry=ref.entry_id)
            + (say("did_you_mean", hint=format_ref(hint, ref.number)) if hint else "")
        )
    numbers = item_ids(entry.meta["actions"])
    if ref.number in numbers:
        return entry, numbers.index(ref.number), ref
    known = [format_ref(entry.id, n) for n in numbers if n is not None]
    listed = ", ".join(known) if known else say("none")
    raise KbError(say("no_item", ref=ref, entry=entry.id, number=ref.number, known=listed))
