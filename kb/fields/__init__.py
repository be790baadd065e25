"""Field kinds: what a field's value means, one class per kind.

Every entry point reads a value through its field's kind: a prompt answer, ``--set VALUE``, a
CSV/XLSX cell, a YAML value in front matter. So a value means the same everywhere, and a value
that cannot be read gets the same message everywhere (``FieldError``). A kind also owns the cell
written on export, the search index's field kind, the prompt's hint and choices, and the label
shown for an allowed value. This package imports nothing from kb but the catalogs (``kb.i18n``):
``kb.schema`` builds on it.
"""

from __future__ import annotations

from kb.fields.kinds import (
    Bool,
    Choice,
    Date,
    Integer,
    Kind,
    LongText,
    Number,
    Question,
    Reference,
    Text,
    match_choice,
    not_allowed,
)
from kb.fields.lists import Actions, Budget, Choices, References, TextList, action_line
from kb.fields.values import (
    ACTION_STATUSES,
    DATE_FORM,
    FieldError,
    FieldIssue,
    about,
    blank,
    closest,
    describe,
    parse_date,
    parse_number,
    say,
    shown_choice,
    shown_choices,
    speaking,
    spoken,
    value_label,
    yes_no,
)

__all__ = [
    "ACTION_STATUSES",
    "DATE_FORM",
    "KINDS",
    "FieldError",
    "FieldIssue",
    "Kind",
    "Question",
    "about",
    "action_line",
    "blank",
    "closest",
    "describe",
    "kind_of",
    "match_choice",
    "not_allowed",
    "parse_date",
    "parse_number",
    "say",
    "shown_choice",
    "shown_choices",
    "speaking",
    "spoken",
    "value_label",
    "yes_no",
]

KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Text(),
        LongText(),
        Integer(),
        Number(),
        Date(),
        Bool(),
        Choice(),
        Choices(),
        Reference(),
        References(),
        TextList(),
        Budget(),
        Actions(),
    )
}


def kind_of(key: str) -> Kind:
    """The kind called ``key`` (``text``, ``int``, ``choice``, ...); text for an unknown one."""
    return KINDS.get(key, KINDS["text"])
