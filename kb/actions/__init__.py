"""Action items as things that get done: stable references and the lifecycle.

An action item of a retrospective is named ``<ENTRY-ID>#<n>`` (``RETRO-0003#2``), ``n`` being the
``id`` stored with the item or, until one is stored, the number it takes from its position
(``kb.actions.refs``). Its status moves open -> done -> verified, or to dropped with a reason,
and back to open (``kb.actions.lifecycle``). Both are pure; ``kb.actions.edit`` applies a change
to the entry's file, and ``kb.actions.overdue`` says what is past its date today.
"""

from __future__ import annotations

from kb.actions.lifecycle import (
    LIFECYCLE_KEYS,
    OPERATIONS,
    ActionError,
    Change,
    apply_change,
)
from kb.actions.refs import Ref, format_ref, item_ids, parse_ref, stored_id

__all__ = [
    "LIFECYCLE_KEYS",
    "OPERATIONS",
    "ActionError",
    "Change",
    "Ref",
    "apply_change",
    "format_ref",
    "item_ids",
    "parse_ref",
    "stored_id",
]
