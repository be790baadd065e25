"""The field kinds of single values: text, numbers, dates, yes/no, choices, references."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from kb.fields.values import (
    DATE_FORM,
    ID_RE,
    FieldError,
    FieldIssue,
    Spec,
    as_text,
    blank,
    closest,
    describe,
    folded,
    parse_date,
    parse_number,
    value_labels,
    yes_no,
)

# ---------------------------------------------------------------------------------------------
# The kinds


@dataclass(frozen=True)
class Question:
    """One question a prompt asks for a field: its label and default answer."""

    label: str
    default: str = ""


class Kind:
    """What one kind of field value means. Subclasses override what differs."""

    key: ClassVar[str] = ""
    index_kind: ClassVar[str | None] = "id"  # id, keyword, numeric, bool, text; None: not indexed
    is_list: ClassVar[bool] = False
    is_reference: ClassVar[bool] = False
    parts: ClassVar[tuple[str, ...]] = ()  # a mapping's parts, set one at a time: budget.planned
    expected: ClassVar[str] = "a value"  # as messages and docs say it

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
        raise FieldError(f"{f.name}.{part}", f"{f.name} has no parts")

    def read_answer(self, f: Spec, text: str) -> Any:
        """A prompt answer: as ``read``, plus what only a person at a prompt types."""
        return self.read(f, text)

    def check(self, f: Spec, value: Any) -> list[FieldIssue]:
        """Problems with a value as stored in front matter; empty when it is valid."""
        if value is None or value == "" or value == []:
            if f.required:
                return [FieldIssue(f.name, f"{f.name}: required field is empty", code="missing")]
            return []
        try:
            read = self.read(f, value)
        except FieldError as exc:
            return [exc.issue()]
        if not self.stored_as(value, read):
            msg = (
                f"{f.name}: expected {self.describe_expected(f)}, found {describe(value)}; "
                f"write {self.shown(read)}"
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

    def cell(self, value: Any) -> str:
        """The value as a spreadsheet cell's text (and as shown on one line)."""
        return "" if value is None else as_text(value) if not isinstance(value, str) else value

    def hint(self, f: Spec) -> str:
        """What a prompt adds to the field's label: the form expected."""
        return ""

    def choices(self, f: Spec) -> tuple[str, ...]:
        """The allowed values a prompt offers (none for most kinds)."""
        return ()

    def questions(self, f: Spec, default: Any) -> list[Question]:
        """What a prompt asks for the field; one question unless the value has parts."""
        return [Question(f.name.replace("_", " "), "" if default is None else self.cell(default))]

    def answer(self, f: Spec, texts: Sequence[str]) -> Any:
        """The value from the answers to ``questions``."""
        return self.read_answer(f, texts[0])


class Text(Kind):
    """A single line of text."""

    key = "text"
    expected = "a single line of text"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(f"expected text, found {describe(value)}")
        text = as_text(value) if not isinstance(value, str) else value.strip()
        if "\n" in text:
            raise ValueError("expected a single line of text")
        return text

    def stored_as(self, value: Any, read: Any) -> bool:
        return True  # a number or a date in a text field is kept as YAML wrote it


class LongText(Text):
    """Text that may span lines."""

    key = "longtext"
    index_kind = "text"
    expected = "text"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(f"expected text, found {describe(value)}")
        return value.replace("\r\n", "\n").strip() if isinstance(value, str) else as_text(value)

    def cell(self, value: Any) -> str:
        return "" if value is None else str(value).rstrip()


class Integer(Kind):
    """A whole number, within the field's bounds (probability and impact: 1 to 5)."""

    key = "int"
    index_kind = "numeric"
    expected = "a whole number"

    def _read(self, f: Spec, value: Any) -> Any:
        try:
            number = parse_number(value)
        except ValueError:
            raise ValueError(f"expected {self.expected}, found {describe(value)}") from None
        number = self._whole(value, number)
        return _in_bounds(f, number)

    def _whole(self, value: Any, number: int | float) -> int | float:
        if isinstance(number, float) and not number.is_integer():
            raise ValueError(f"expected a whole number, found {describe(value)}")
        return int(number)

    def hint(self, f: Spec) -> str:
        return _bounds(f) or self.expected

    def describe_expected(self, f: Spec) -> str:
        return f"{self.expected} {_bounds(f)}".strip()


class Number(Integer):
    """A number, whole or not."""

    key = "number"
    expected = "a number"

    def _whole(self, value: Any, number: int | float) -> int | float:
        return number

    def stored_as(self, value: Any, read: Any) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounds(f: Spec) -> str:
    lo = "" if f.minimum is None else f"{f.minimum:g}"
    hi = "" if f.maximum is None else f"{f.maximum:g}"
    if lo and hi:
        return f"from {lo} to {hi}"
    return f"at least {lo}" if lo else (f"at most {hi}" if hi else "")


def _in_bounds(f: Spec, number: int | float) -> int | float:
    low = f.minimum is not None and number < f.minimum
    if low or (f.maximum is not None and number > f.maximum):
        error = ValueError(f"{number} is out of range; expected {_bounds(f)}")
        error.code = "range"  # type: ignore[attr-defined]
        raise error
    return number


class Date(Kind):
    """A calendar date; stored as YYYY-MM-DD."""

    key = "date"
    expected = DATE_FORM

    def _read(self, f: Spec, value: Any) -> Any:
        return parse_date(value)

    def stored_as(self, value: Any, read: Any) -> bool:
        if isinstance(value, dt.date):
            return True
        try:
            return isinstance(value, str) and dt.date.fromisoformat(value.strip()) == read
        except ValueError:
            return False

    def hint(self, f: Spec) -> str:
        return "YYYY-MM-DD"


class Bool(Kind):
    """Yes or no."""

    key = "bool"
    index_kind = "bool"
    expected = "yes or no"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        answer = None if isinstance(value, (list, dict)) else yes_no(as_text(value))
        if answer is None:
            raise ValueError(f"expected yes or no, found {describe(value)}")
        return answer

    def hint(self, f: Spec) -> str:
        return "yes/no"

    def questions(self, f: Spec, default: Any) -> list[Question]:
        return [Question(f.name.replace("_", " "), self.cell(bool(default)))]


class Choice(Kind):
    """One of the field's allowed values: its key, or its English or Chinese label, any case."""

    key = "choice"
    expected = "one of the allowed values"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, (dict, list)):
            raise ValueError(f"expected one value, found {describe(value)}")
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
        return "one of " + ", ".join(f.choices) if f.choices else self.expected

    def choices(self, f: Spec) -> tuple[str, ...]:
        return f.choices


def _starts(choice: str, text: str) -> Iterator[bool]:
    prefix = folded(text)
    yield folded(choice).startswith(prefix)
    yield from (folded(label).startswith(prefix) for label in value_labels(choice))


def not_allowed(text: str, choices: Sequence[str]) -> str:
    hint = closest(text, choices)
    return f"{text!r} is not an allowed value; allowed: {', '.join(choices)}" + (
        f" (did you mean {hint!r}?)" if hint else ""
    )


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
    expected = "an entry id like RETRO-0001"

    def _read(self, f: Spec, value: Any) -> Any:
        text = "" if isinstance(value, (dict, list)) else as_text(value).upper()
        if not ID_RE.match(text):
            raise ValueError(f"expected {self.expected}, found {describe(value)}")
        return text

    def hint(self, f: Spec) -> str:
        return "an entry id, e.g. RETRO-0001"
