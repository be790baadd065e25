"""Reading values as people write them: numbers, dates, yes and no, the labels of allowed
values, and the words of the messages. Used by every field kind."""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol

from kb import i18n

ID_RE = re.compile(r"^[A-Z][A-Z0-9]*-\d{4,}$")
DATE_FORM = "a date such as 2024-03-15 (YYYY-MM-DD)"  # as English messages say it

ACTION_STATUSES = ("open", "done", "verified", "dropped")  # see kb.actions.lifecycle

YES = ("yes", "y", "true", "1", "x", "✓", "是", "on")
NO = ("no", "n", "false", "0", "否", "off")


# ---------------------------------------------------------------------------------------------
# The language messages are written in: the workspace's, for the command being run

_SPEAKING: ContextVar[str] = ContextVar("kb_message_language", default=i18n.DEFAULT)


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Write the messages of the field kinds in ``lang`` inside the block (as Django's
    ``translation.override`` does): a command sets its workspace's language once, and every
    entry point that reads a value says what is wrong in it."""
    token = _SPEAKING.set(lang)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def spoken() -> str:
    """The language messages are written in now."""
    return _SPEAKING.get()


def say(key: str, **values: Any) -> str:
    """The message ``cli.invalid.<key>`` in the language spoken now, ``values`` filled in."""
    return i18n.text(f"cli.invalid.{key}", _SPEAKING.get(), **values)


def about(name: str) -> str:
    """The start of a message about the field ``name`` (``actions[0].due`` too): ``name: `` in
    English, the field's label and its name in Chinese."""
    top = name.split("[")[0].split(".")[0]
    if say("show") == "key":
        return say("about_key", name=name)
    return say("about_label", name=name, label=i18n.text(f"field.{top}", spoken(), default=top))


def date_form() -> str:
    """The form of a date, as messages and prompts say it."""
    return say("date_form")


def shown_choices(choices: Sequence[str]) -> str:
    """Allowed values as a message lists them (see ``shown_choice``)."""
    return say("separator").join(shown_choice(c) for c in choices)


def shown_choice(choice: str) -> str:
    """One allowed value as a message names it: its key in English, its label in Chinese (the
    catalog's ``cli.invalid.show`` says which)."""
    return choice if say("show") == "key" else value_label(choice, spoken())


def value_label(value: str, lang: str = "en") -> str:
    """The label of an allowed value in ``lang`` (kb/locale); the value itself when it has none.

    Stored values stay the keys; people see the labels."""
    return i18n.text(f"value.{value}", lang, default=str(value))


def value_labels(value: str) -> list[str]:
    """The labels of an allowed value in every language, for reading what people type."""
    return i18n.labels(f"value.{value}")


def yes_no(text: object) -> bool | None:
    """A yes/no answer as typed in a prompt, on the command line or in a spreadsheet cell."""
    low = str(text).strip().lower()
    if low in YES:
        return True
    if low in NO:
        return False
    return None


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The allowed value nearest to a misspelt one, for 'did you mean'."""
    by_lower = {str(c).lower(): c for c in choices}
    found = difflib.get_close_matches(str(value).lower(), list(by_lower), n=1, cutoff=0.5)
    return by_lower[found[0]] if found else None


def describe(value: object) -> str:
    """A value as a message names it: 'x', the number 3, a list, nothing."""
    if isinstance(value, bool):
        return say("a_yes_no")
    if isinstance(value, (int, float)):
        return say("the_number", value=value)
    if isinstance(value, list):
        return say("a_list")
    if isinstance(value, dict):
        return say("a_mapping")
    if value is None:
        return say("nothing")
    return repr(str(value)[:60])


def blank(value: Any) -> bool:
    """Whether an input is empty: None, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


class Spec(Protocol):
    """What a kind needs to know of a field (``kb.schema.Field``)."""

    name: str
    kind: str
    required: bool
    choices: tuple[str, ...]
    minimum: float | None
    maximum: float | None


@dataclass
class FieldIssue:
    """One problem with one field value: where it is inside the value, and what is wrong."""

    field: str
    message: str
    level: str = "error"
    code: str = "invalid"
    subpath: tuple = field(default_factory=tuple)


class FieldError(ValueError):
    """A value that cannot become a field's value; ``str()`` is ``"field: what is wrong"`` (in
    the language spoken, see ``about``)."""

    def __init__(self, name: str, problem: str, code: str = "type", subpath: tuple = ()):
        super().__init__(about(name) + problem)
        self.problem = problem  # without the field's name, for a prompt that just asked for it
        self.field = name.split("[")[0].split(".")[0]
        self.code = code
        self.subpath = subpath

    def issue(self) -> FieldIssue:
        """The error as a ``kb check`` issue."""
        return FieldIssue(self.field, str(self), code=self.code, subpath=self.subpath)


# ---------------------------------------------------------------------------------------------
# Reading text as numbers and dates (as PMOs type them: 1.200.000,50, 2024/3/15, 15.03.2024)

LIST_SPLIT = re.compile(r"[,;\n、，；]")
_NUMBER_JUNK = re.compile(r"[\s'€$¥£￥]|^(?:EUR|USD|CNY|RMB|GBP)|(?:EUR|USD|CNY|RMB|GBP)$", re.I)
_MONTH_FORMATS = ("%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%d-%b-%Y", "%d-%b-%y")
_SERIAL_RANGE = (20000, 80000)  # 1954 to 2119: numbers in a date column read as Excel dates


def parse_number(value: Any) -> int | float:
    """A number: 1200000, '1,200,000', '1.200.000,50', '€ 12 000', '3.0'; ValueError if none."""
    if isinstance(value, (bool, list, dict)) or value is None:
        raise ValueError(
            say("expected_found", expected=say("expected.number"), found=describe(value))
        )
    if isinstance(value, (int, float)):
        return value
    raw = str(value).strip()
    text = _NUMBER_JUNK.sub("", raw)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", text) or re.fullmatch(r"-?\d+,\d{1,2}", text):
        text = text.replace(".", "").replace(",", ".")  # European: 1.234,56 or 12,5
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    try:
        number = float(text)
    except ValueError:
        raise ValueError(
            say("expected_found", expected=say("expected.number"), found=repr(raw))
        ) from None
    return int(number) if number.is_integer() and not re.search(r"[.eE]", text) else number


def _serial_date(number: float) -> dt.date:
    if not _SERIAL_RANGE[0] <= number < _SERIAL_RANGE[1]:
        found = say("the_number", value=f"{number:g}")
        raise ValueError(say("expected_found", expected=date_form(), found=found))
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))


def parse_date(value: Any) -> dt.date:
    """A date: Excel dates and serial numbers, ISO text, 2024/3/15, 15.03.2024, 15 Mar 2024, ...

    ValueError, naming the expected form, when it is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (bool, list, dict)) or value is None:
        raise ValueError(say("expected_found", expected=date_form(), found=describe(value)))
    if isinstance(value, (int, float)):
        return _serial_date(value)
    raw = str(value).strip()
    text = re.sub(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", raw)  # a time of day: dropped
    try:
        if re.fullmatch(r"\d{5}(\.0+)?", text):
            return _serial_date(float(text))
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)  # 15.03.2024: day first
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
        if m:
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            if a > 12 >= b:
                return dt.date(year, b, a)
            if b > 12 >= a or a == b:
                return dt.date(year, a, b)
            raise _Ambiguous(
                say(
                    "ambiguous_date",
                    raw=repr(raw),
                    first=f"{year}-{b:02d}-{a:02d}",
                    second=f"{year}-{a:02d}-{b:02d}",
                )
            )
    except _Ambiguous:
        raise
    except ValueError:
        raise ValueError(say("invalid_date", raw=repr(raw), expected=date_form())) from None
    for fmt in _MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(say("expected_found", expected=date_form(), found=repr(raw)))


class _Ambiguous(ValueError):
    pass


def as_text(value: Any) -> str:
    """A scalar input as text: a whole float from a spreadsheet (12.0) loses its '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).replace("\r\n", "\n").strip()


def folded(text: str) -> str:
    return re.sub(r"[\W_]+", "", str(text)).casefold()
