"""The field kinds of lists and structured values: lists, choices, references, budget, actions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import yaml

from kb import i18n
from kb.fields.action_keys import lifecycle_issues
from kb.fields.kinds import Choice, Date, Kind, Question, Reference, Text, match_choice, not_allowed
from kb.fields.values import (
    ACTION_STATUSES,
    LIST_SPLIT,
    FieldError,
    FieldIssue,
    Spec,
    about,
    as_text,
    blank,
    date_form,
    describe,
    parse_date,
    parse_number,
    say,
    value_label,
)


class TextList(Kind):
    """A list of texts; typed comma-separated (or one per line, or with ; 、 ，)."""

    key = "list"
    index_kind = "keyword"
    is_list = True
    item: ClassVar[Kind] = Text()

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, dict):
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        if isinstance(value, list):
            items = value
        else:
            items = [p.strip() for p in LIST_SPLIT.split(as_text(value)) if p.strip()]
        read = []
        for i, item in enumerate(items):
            name = f"{f.name}[{i}]"
            if isinstance(item, (dict, list)) or item is None:
                problem = say(
                    "expected_found", expected=say("expected.longtext"), found=describe(item)
                )
                raise FieldError(name, problem, subpath=(i,))
            try:
                read.append(self._item(f, item))
            except ValueError as exc:
                raise FieldError(name, str(exc), getattr(exc, "code", "type"), (i,)) from None
        return read

    def _item(self, f: Spec, item: Any) -> Any:
        return as_text(item)

    def check(self, f: Spec, value: Any) -> list[FieldIssue]:
        if not isinstance(value, list) or not value:
            return super().check(f, value)
        return [issue for i, item in enumerate(value) for issue in self._item_issues(f, i, item)]

    def _item_issues(self, f: Spec, i: int, item: Any) -> list[FieldIssue]:
        name = f"{f.name}[{i}]"
        if isinstance(item, (dict, list)) or item is None:
            problem = say("expected_found", expected=say("expected.longtext"), found=describe(item))
            return [FieldIssue(f.name, about(name) + problem, code="type", subpath=(i,))]
        try:
            read = self._item(f, item)
        except ValueError as exc:
            code = getattr(exc, "code", "type")
            return [FieldIssue(f.name, about(name) + str(exc), code=code, subpath=(i,))]
        if not self.item.stored_as(item, read):
            expected = self.item.describe_expected(f)
            msg = about(name) + say("write", expected=expected, found=describe(item), write=read)
            return [FieldIssue(f.name, msg, code="type", subpath=(i,))]
        return []

    def cell(self, value: Any, lang: str | None = None) -> str:
        if not isinstance(value, list):
            return super().cell(value)
        return ", ".join(self.item.cell(v, lang) for v in value)

    def shown(self, value: Any) -> str:
        return f"[{self.cell(value)}]"

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.comma_separated", lang)


class Choices(TextList):
    """A list, each item one of the field's allowed values (read as ``Choice`` reads one)."""

    key = "choices"
    item = Choice()

    def _item(self, f: Spec, item: Any) -> Any:
        return self.item._read(f, item)

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.comma_separated", lang)

    def choices(self, f: Spec) -> tuple[str, ...]:
        return f.choices


class References(TextList):
    """A list of entry ids."""

    key = "refs"
    is_reference = True
    item = Reference()

    def _item(self, f: Spec, item: Any) -> Any:
        return self.item._read(f, item)

    def hint(self, f: Spec, lang: str = i18n.DEFAULT) -> str:
        return i18n.text("hint.entry_ids", lang)


class Budget(Kind):
    """{planned, actual, currency}: typed as a YAML mapping, or one part at a time."""

    key = "budget"
    index_kind = None
    parts = ("planned", "actual", "currency")

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, str):
            value = _yaml_value(value, self.expected)
        if not isinstance(value, dict):
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        return {k: self.read_part(f, str(k), v) for k, v in value.items()}

    def read_part(self, f: Spec, part: str, value: Any) -> Any:
        """One part: planned and actual are numbers, currency a code such as EUR."""
        if part not in self.parts:
            raise FieldError(f"{f.name}.{part}", say("not_a_part"))
        if blank(value):
            return None
        if part == "currency":
            return as_text(value).upper()
        try:
            return parse_number(value)
        except ValueError as exc:
            raise FieldError(f"{f.name}.{part}", str(exc), subpath=(part,)) from None

    def check(self, f: Spec, value: Any) -> list[FieldIssue]:
        if not isinstance(value, dict):
            return super().check(f, value)
        n = f.name
        issues = []
        for key in ("planned", "actual"):
            v = value.get(key)
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                expected = say("expected.number")
                msg = about(f"{n}.{key}") + say(
                    "expected_found", expected=expected, found=describe(v)
                )
                issues.append(FieldIssue(n, msg, code="type", subpath=(key,)))
        if value.get("planned") is not None and not value.get("currency"):
            msg = about(f"{n}.currency") + say("no_currency")
            issues.append(FieldIssue(n, msg, code="missing", subpath=("planned",)))
        return issues

    def cell(self, value: Any, lang: str | None = None) -> str:
        if not isinstance(value, dict):
            return super().cell(value)
        return json.dumps(value, ensure_ascii=False, default=str)

    def questions(self, f: Spec, default: Any, lang: str = i18n.DEFAULT) -> list[Question]:
        return [Question(part) for part in self.parts]

    def answer(self, f: Spec, texts: Sequence[str]) -> Any:
        if blank(texts[0]):
            return None
        parts = dict(zip(self.parts, texts, strict=False))
        parts["currency"] = parts.get("currency") or "EUR"
        return {k: self.read_part(f, k, v) for k, v in parts.items() if not blank(v)}


class Actions(Kind):
    """Action items {action, owner, due, status}: one per line as ``action | owner | due |
    status`` (a cell), or a YAML list of mappings."""

    key = "actions"
    index_kind = None
    is_list = True

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, str) and "|" not in value:
            value = _yaml_value(value, self.expected)
        if isinstance(value, str):
            return [self._line(f, i, line) for i, line in enumerate(_lines(value))]
        if not isinstance(value, list):
            raise ValueError(say("expected_found", expected=self.expected, found=describe(value)))
        return [self._item(f, i, item) for i, item in enumerate(value)]

    def _line(self, f: Spec, i: int, line: str) -> dict[str, Any]:
        parts = [p.strip() for p in line.rsplit("|", 3)]
        if len(parts) < 3:
            raise FieldError(
                f"{f.name}[{i}]",
                say("action_line", line=repr(line)),
            )
        status = parts[3] if len(parts) > 3 and parts[3] else "open"
        return self._item(
            f, i, dict(zip(("action", "owner", "due"), parts, strict=False), status=status)
        )

    def _item(self, f: Spec, i: int, item: Any) -> dict[str, Any]:
        where = f"{f.name}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, say("action_mapping"))
        item = dict(item)
        if not blank(item.get("due")):
            try:
                item["due"] = parse_date(item["due"])
            except ValueError as exc:
                raise FieldError(f"{where}.due", str(exc), subpath=(i, "due")) from None
        else:
            item["due"] = None
        status = item.get("status") or "open"
        item["status"] = match_choice(as_text(status), ACTION_STATUSES)
        if item["status"] is None:
            raise FieldError(
                f"{where}.status",
                not_allowed(as_text(status), ACTION_STATUSES),
                "choice",
                (i, "status"),
            )
        return item

    def check(self, f: Spec, value: Any) -> list[FieldIssue]:
        if not isinstance(value, list) or not value:
            return super().check(f, value)
        n = f.name
        issues = []
        for i, item in enumerate(value):
            where = f"{n}[{i}]"
            if not isinstance(item, dict):
                msg = about(where) + say("action_mapping")
                issues.append(FieldIssue(n, msg, code="type", subpath=(i,)))
                continue
            if not item.get("action"):
                msg = about(f"{where}.action") + say("missing")
                issues.append(FieldIssue(n, msg, "error", "missing", (i,)))
            if not item.get("owner"):
                msg = about(where) + say("action_no_owner")
                issues.append(FieldIssue(n, msg, code="action-owner", subpath=(i,)))
            due = item.get("due")
            if due in (None, ""):
                msg = about(where) + say("action_no_due")
                issues.append(FieldIssue(n, msg, code="action-due", subpath=(i,)))
            elif not Date().stored_as(due, None) and not isinstance(due, dt.date):
                try:
                    parse_date(due)
                    problem = say("expected_found", expected=date_form(), found=describe(due))
                except ValueError as exc:
                    problem = str(exc)
                msg = about(f"{where}.due") + problem
                issues.append(FieldIssue(n, msg, code="type", subpath=(i, "due")))
            status = item.get("status", "open")
            if status not in ACTION_STATUSES:
                msg = about(f"{where}.status") + not_allowed(str(status), ACTION_STATUSES)
                issues.append(FieldIssue(n, msg, code="choice", subpath=(i, "status")))
            issues.extend(lifecycle_issues(n, i, item, value))
        return issues

    def cell(self, value: Any, lang: str | None = None) -> str:
        if not isinstance(value, list):
            return super().cell(value)
        items = [v for v in value if isinstance(v, Mapping)]
        if lang is not None:  # the status as people read it; read back by its label
            items = [{**v, "status": value_label(v.get("status") or "open", lang)} for v in items]
        return "\n".join(action_line(v) for v in items)

    def questions(self, f: Spec, default: Any, lang: str = i18n.DEFAULT) -> list[Question]:
        return [Question("action"), Question("owner"), Question("due")]

    def answer(self, f: Spec, texts: Sequence[str]) -> Any:
        return [
            self._item(
                f, 0, dict(zip(("action", "owner", "due"), texts, strict=False), status="open")
            )
        ]


def _yaml_value(text: str, expected: str) -> Any:
    """A value written in YAML (a cell or ``--set`` holding ``{planned: 1, ...}``), or the
    kind's "expected ..." error."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise ValueError(say("expected_found", expected=expected, found=describe(text))) from None


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def action_line(item: Mapping[str, Any]) -> str:
    """One action item as one line: ``action | owner | due | status``."""
    due = item.get("due")
    due = due.isoformat() if isinstance(due, dt.date) else ("" if due is None else str(due))
    parts = [item.get("action"), item.get("owner"), due, item.get("status") or "open"]
    return " | ".join("" if p is None else str(p) for p in parts)
