"""The field kinds of single values: text, numbers, dates, yes/no, choices, references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from kb import i18n
from kb.fields.values import (
    ID_RE,
    FieldError,
    FieldIssue,
    Spec,
    about,
    as_text,
    blank,
    closest,
    date_form,
    describe,
    folded,
    parse_date,
    parse_number,
    say,
    shown_choice,
    shown_choices,
    spoken,
    value_label,
    value_labels,
    yes_no,
)

# ---------------------------------------------------------------------------------------------
# The kinds


@dataclass(frozen=True)
class Question:
    """One question a prompt asks for a field: which part of the value (none: the whole value)
    and the default answer. The prompt names the field, or the part, in its language."""

    part: str = ""
    default: str = ""


class Kind:
    """What one kind of field value means. Subclasses override what differs."""

    key: ClassVar[str] = ""
    index_kind: ClassVar[str | None] = "id"  # id, keyword, numeric, bool, text; None: not indexed
    is_list: ClassVar[bool] = False
    is_reference: ClassVar[bool] = False
    parts: ClassVar[tuple[str, ...]] = ()  # a mapping's parts, set one at a time: budget.planned

    @property
    def expected(self) -> str:
        """What a value of the kind is, as messages say it (``cli.invalid.expected.<key>``)."""
        return say(f"expected.{self.key or 'value'}")

    def read(self, f: Spec, value: Any) -> Any:
        """The field's value from any input (text, a cell, a YAML value); None when blank.

        Raises FieldError saying what was expected."""
        if blank(value) or value == []:
            return None
        try:
            return self._read(f, value)
        except FieldError:
            raise
        except ValueError as exc:
            raise FieldError(f.name, str(exc), getattr(exc, "code", "type")) from None

    def _read(self, f: Spec, value: Any) -> Any:
        return value

    def read_part(self, f: Spec, part: str, value: Any) -> Any:
        """One part of a mapping value (``--set budget.planned=100``, a Budget Planned cell)."""
        raise FieldError(f"{f.name}.{part}", say("no_parts", field=f.name))

    def read_answer(self, f: Spec, text: str) -> Any:
        """A prompt answer: as ``read``, plus what only a person at a prompt types."""
        return self.read(f, text)

    def check(self, f: Spec, value: Any) -> list[FieldIssue]:
        """Problems with a value as stored in front matter; empty when it is valid."""
        if value is None or value == "" or value == []:
            if f.required:
                msg = about(f.name) + say("empty")
                return [FieldIssue(f.name, msg, code="missing")]
            return []
        try:
            read = self.read(f, value)
        except FieldError as exc:
            return [exc.issue()]
        if not self.stored_as(value, read):
            found = describe(value)
            expected = self.describe_expected(f)
            msg = about(f.name) + say(
                "write", expected=expected, found=found, write=self.shown(read)
            )
            return [FieldIssue(f.name, msg, code="type")]
        return []

    def stored_as(self, value: Any, read: Any) -> bool:
        """Whether a front-matter value is already in its stored form."""
        return type(value) is type(read) and value == read

    def shown(self, value: Any) -> str:
        """The value as a message tells the user to write it in front matter."""
        return self.cell(value)

    def describe_expected(self, f: Spec) -> str:
        """What a valid value is, for messages and prompts."""
        return self.expected

    def cell(self, value: Any, lang: str | None = None) -> str:
        """The value as a spreadsheet cell's text (and as shown on one line). With ``lang``, as
        a person reads it in that language (an allowed value's label, yes or no in words);
        without, in its stored form. Either reads back to the same value."""
        return "" if value is None else as_text(value) if not isinstance(value, str) else value

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        """What a prompt adds to the field's label in ``lang``: the form expected."""
        return ""

    def choices(self, f: Spec) -> tuple[str, ...]:
        """The allowed values a prompt offers (none for most kinds)."""
        return ()

    def questions(self, f: Spec, default: Any, lang: str = i18n.DEFAULT) -> list[Question]:
        """What a prompt asks for the field; one question unless the value has parts. The
        default answer is written as a person in ``lang`` reads it."""
        return [Question("", "" if default is None else self.cell(default, lang))]

    def answer(self, f: Spec, texts: Sequence[str]) -> Any:
        """The value from the answers to ``questions``."""
        return self.read_answer(f, texts[0])


class Text(Kind):
    """A single line of text."""

    key = "text"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(
                say("expected_found", expected=say("expected.longtext"), found=describe(value))
            )
        text = as_text(value) if not isinstance(value, str) else value.strip()
        if "\n" in text:
            raise ValueError(say("expected_only", expected=self.expected))
        return text

    def stored_as(self, value: Any, read: Any) -> bool:
        return True  # a number or a date in a text field is kept as YAML wrote it


class LongText(Text):
    """Text that may span lines."""

    key = "longtext"
    index_kind = "text"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else as_text(value)

    def cell(self, value: Any, lang: str | None = None) -> str:
        return "" if value is None else str(value).rstrip()


class Integer(Kind):
    """A whole number, within the field's bounds (probability and impact: 1 to 5)."""

    key = "int"
    index_kind = "numeric"

    def _read(self, f: Spec, value: Any) -> Any:
        try:
            number = parse_number(value)
        except ValueError:
            found = describe(value)
            raise ValueError(say("expected_found", expected=self.expected, found=found)) from None
        number = self._whole(value, number)
        return _in_bounds(f, number)

    def _whole(self, value: Any, number: int | float) -> int | float:
        if isinstance(number, float) and not number.is_integer():
            expected = say("expected.int")
            raise ValueError(say("expected_found", expected=expected, found=describe(value)))
        return int(number)

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return _bounds(f, lang) or i18n.text(f"cli.invalid.expected.{self.key}", lang)

    def describe_expected(self, f: Spec) -> str:
        return f"{self.expected} {_bounds(f)}".strip()


class Number(Integer):
    """A number, whole or not."""

    key = "number"

    def _whole(self, value: Any, number: int | float) -> int | float:
        return number

    def stored_as(self, value: Any, read: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounds(f: Spec, lang: str | None = None) -> str:
    lo = "" if f.minimum is None else f"{f.minimum:g}"
    hi = "" if f.maximum is None else f"{f.maximum:g}"
    lang = lang or spoken()
    if lo and hi:
        return i18n.text("cli.invalid.from_to", lang, low=lo, high=hi)
    if lo:
        return i18n.text("cli.invalid.at_least", lang, low=lo)
    return i18n.text("cli.invalid.at_most", lang, high=hi) if hi else ""


def _in_bounds(f: Spec, number: int | float) -> int | float:
    low = f.minimum is not None and number < f.minimum
    if low or (f.maximum is not None and number > f.maximum):
        error = ValueError(say("out_of_range", number=number, expected=_bounds(f)))
        error.code = "range"  # type: ignore[attr-defined]
        raise error
    return number


class Date(Kind):
    """A calendar date; stored as YYYY-MM-DD."""

    key = "date"

    @property
    def expected(self) -> str:
        return date_form()

    def _read(self, f: Spec, value: Any) -> Any:
        return parse_date(value)

    def stored_as(self, value: Any, read: Any) -> bool:
        if isinstance(value, dt.date):
            return True
        try:
            return isinstance(value, str) and dt.date.fromisoformat(value.strip()) == read
        except ValueError:
            return False

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.date_form", lang)


class Bool(Kind):
    """Yes or no."""

    key = "bool"
    index_kind = "bool"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        answer = None if isinstance(value, (list, dict)) else yes_no(as_text(value))
        if answer is None:
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        return answer

    def cell(self, value: Any, lang: str | None = None) -> str:
        if lang is None or not isinstance(value, bool):
            return super().cell(value)
        return i18n.text("column.yes" if value else "column.no", lang)

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.yes_no", lang)

    def questions(self, f: Spec, default: Any, lang: str = i18n.DEFAULT) -> list[Question]:
        return [Question("", i18n.text("hint.yes" if default else "hint.no", lang))]


class Choice(Kind):
    """One of the field's allowed values: its key, or its English or Chinese label, any case."""

    key = "choice"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(
                say("expected_found", expected=say("one_value"), found=describe(value))
            )
        text = as_text(value)
        found = match_choice(text, f.choices)
        if found is None:
            if not f.choices:  # an open field (the type field): any value
                return text
            error = ValueError(not_allowed(text, f.choices))
            error.code = "choice"  # type: ignore[attr-defined]
            raise error
        return found

    def read_answer(self, f: Spec, text: str) -> Any:
        """Also the number of a choice (1 for the first) or an unambiguous start of one."""
        raw = text.strip()
        if raw.isdigit() and 1 <= int(raw) <= len(f.choices):
            return f.choices[int(raw) - 1]
        try:
            return self.read(f, raw)
        except FieldError:
            starts = [c for c in f.choices if any(_starts(c, raw))]
            if len(starts) == 1 and raw:
                return starts[0]
            raise

    def describe_expected(self, f: Spec) -> str:
        return say("one_of", choices=shown_choices(f.choices)) if f.choices else self.expected

    def choices(self, f: Spec) -> tuple[str, ...]:
        return f.choices

    def cell(self, value: Any, lang: str | None = None) -> str:
        if lang is None or not isinstance(value, str):
            return super().cell(value)
        return value_label(value, lang)  # read back to the key in any language


def _starts(choice: str, text: str) -> Iterator[bool]:
    prefix = folded(text)
    yield folded(choice).startswith(prefix)
    yield from (folded(label).startswith(prefix) for label in value_labels(choice))


def not_allowed(text: str, choices: Sequence[str]) -> str:
    """The message for a value that is none of ``choices``, with the nearest one (by its key,
    or by its label in the language spoken)."""
    hint = closest(text, choices)
    if hint is None:
        by_label = {value_label(c, spoken()): c for c in choices}
        hint = by_label.get(closest(text, by_label) or "")
    message = say("not_allowed", text=repr(text), allowed=shown_choices(choices))
    return message + (say("did_you_mean", hint=repr(shown_choice(hint))) if hint else "")


def match_choice(text: str, choices: Sequence[str]) -> str | None:
    """The allowed value ``text`` names: its key, its English or Chinese label, any case
    ('In Review', 'R&D', 'IT实施'); None when it names none."""
    if text in choices:
        return text
    for variant in (text, text.replace("&", " and ")):
        key = folded(variant)
        for choice in choices:
            if folded(choice) == key:
                return choice
            if any(folded(label) == key for label in value_labels(choice)):
                return choice
    return None


class Reference(Kind):
    """The id of another entry, e.g. RETRO-0001."""

    key = "ref"
    is_reference = True

    def _read(self, f: Spec, value: Any) -> Any:
        text = "" if isinstance(value, (dict, list)) else as_text(value).upper()
        if not ID_RE.match(text):
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        return text

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.entry_id", lang)
