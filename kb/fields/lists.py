"""The field kinds of lists and structured values: lists, choices, references, budget, actions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import yaml

from kb.fields.kinds import Choice, Date, Kind, Question, Reference, Text, match_choice, not_allowed
from kb.fields.values import (
    ACTION_STATUSES,
    DATE_FORM,
    LIST_SPLIT,
    FieldError,
    FieldIssue,
    Spec,
    as_text,
    blank,
    describe,
    parse_date,
    parse_number,
)


class TextList(Kind):
    """A list of texts; typed comma-separated (or one per line, or with ; 、 ，)."""

    key = "list"
    index_kind = "keyword"
    is_list = True
    expected = "a list"
    item: ClassVar[Kind] = Text()

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, dict):
            raise ValueError(f"expected a list, found {describe(value)}")
        if isinstance(value, list):
            items = value
        else:
            items = [p.strip() for p in LIST_SPLIT.split(as_text(value)) if p.strip()]
        read = []
        for i, item in enumerate(items):
            name = f"{f.name}[{i}]"
            if isinstance(item, (dict, list)) or item is None:
                raise FieldError(name, f"expected text, found {describe(item)}", subpath=(i,))
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
            msg = f"{name}: expected text, found {describe(item)}"
            return [FieldIssue(f.name, msg, code="type", subpath=(i,))]
        try:
            read = self._item(f, item)
        except ValueError as exc:
            code = getattr(exc, "code", "type")
            return [FieldIssue(f.name, f"{name}: {exc}", code=code, subpath=(i,))]
        if not self.item.stored_as(item, read):
            msg = f"{name}: expected {self.item.describe_expected(f)}, found {describe(item)}"
            return [FieldIssue(f.name, f"{msg}; write {read}", code="type", subpath=(i,))]
        return []

    def cell(self, value: Any) -> str:
        if not isinstance(value, list):
            return super().cell(value)
        return ", ".join(self.item.cell(v) for v in value)

    def shown(self, value: Any) -> str:
        return f"[{self.cell(value)}]"

    def hint(self, f: Spec) -> str:
        return "comma-separated"


class Choices(TextList):
    """A list, each item one of the field's allowed values (read as ``Choice`` reads one)."""

    key = "choices"
    item = Choice()

    def _item(self, f: Spec, item: Any) -> Any:
        return self.item._read(f, item)

    def hint(self, f: Spec) -> str:
        return "comma-separated: " + ", ".join(f.choices)

    def choices(self, f: Spec) -> tuple[str, ...]:
        return f.choices


class References(TextList):
    """A list of entry ids."""

    key = "refs"
    is_reference = True
    item = Reference()

    def _item(self, f: Spec, item: Any) -> Any:
        return self.item._read(f, item)

    def hint(self, f: Spec) -> str:
        return "comma-separated entry ids"


class Budget(Kind):
    """{planned, actual, currency}: typed as a YAML mapping, or one part at a time."""

    key = "budget"
    index_kind = None
    expected = "a mapping with planned, actual and currency"
    parts = ("planned", "actual", "currency")

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, str):
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError:
                raise ValueError(f"expected {self.expected}, found {describe(value)}") from None
        if not isinstance(value, dict):
            raise ValueError(f"expected {self.expected}, found {describe(value)}")
        return {k: self.read_part(f, str(k), v) for k, v in value.items()}

    def read_part(self, f: Spec, part: str, value: Any) -> Any:
        """One part: planned and actual are numbers, currency a code such as EUR."""
        if part not in self.parts:
            raise FieldError(f"{f.name}.{part}", "not a part; use planned, actual or currency")
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
                msg = f"{n}.{key}: expected a number, found {describe(v)}"
                issues.append(FieldIssue(n, msg, code="type", subpath=(key,)))
        if value.get("planned") is not None and not value.get("currency"):
            msg = f"{n}.currency: missing (e.g. EUR, USD, CNY)"
            issues.append(FieldIssue(n, msg, code="missing", subpath=("planned",)))
        return issues

    def cell(self, value: Any) -> str:
        if not isinstance(value, dict):
            return super().cell(value)
        return json.dumps(value, ensure_ascii=False, default=str)

    def questions(self, f: Spec, default: Any) -> list[Question]:
        return [Question(f"{f.name} planned"), Question(f"{f.name} actual"), Question("currency")]

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
    expected = "a list of action items"

    def _read(self, f: Spec, value: Any) -> Any:
        if isinstance(value, str) and "|" not in value:
            try:
                value = yaml.safe_load(value)
            except yaml.YAMLError:
                raise ValueError(f"expected {self.expected}, found {describe(value)}") from None
        if isinstance(value, str):
            return [self._line(f, i, line) for i, line in enumerate(_lines(value))]
        if not isinstance(value, list):
            raise ValueError(f"expected {self.expected}, found {describe(value)}")
        return [self._item(f, i, item) for i, item in enumerate(value)]

    def _line(self, f: Spec, i: int, line: str) -> dict[str, Any]:
        parts = [p.strip() for p in line.rsplit("|", 3)]
        if len(parts) < 3:
            raise FieldError(
                f"{f.name}[{i}]",
                f"{line!r}: write one action item per line as action | owner | due | status",
            )
        status = parts[3] if len(parts) > 3 and parts[3] else "open"
        return self._item(
            f, i, dict(zip(("action", "owner", "due"), parts, strict=False), status=status)
        )

    def _item(self, f: Spec, i: int, item: Any) -> dict[str, Any]:
        where = f"{f.name}[{i}]"
        if not isinstance(item, dict):
            raise FieldError(where, "expected a mapping with action, owner, due and status")
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
                msg = f"{where}: expected a mapping with action, owner, due and status"
                issues.append(FieldIssue(n, msg, code="type", subpath=(i,)))
                continue
            if not item.get("action"):
                issues.append(FieldIssue(n, f"{where}.action: missing", "error", "missing", (i,)))
            if not item.get("owner"):
                msg = f"{where}: action item has no owner"
                issues.append(FieldIssue(n, msg, code="action-owner", subpath=(i,)))
            due = item.get("due")
            if due in (None, ""):
                msg = f"{where}: action item has no due date"
                issues.append(FieldIssue(n, msg, code="action-due", subpath=(i,)))
            elif not Date().stored_as(due, None) and not isinstance(due, dt.date):
                try:
                    parse_date(due)
                    problem = f"expected {DATE_FORM}, found {describe(due)}"
                except ValueError as exc:
                    problem = str(exc)
                msg = f"{where}.due: {problem}"
                issues.append(FieldIssue(n, msg, code="type", subpath=(i, "due")))
            status = item.get("status", "open")
            if status not in ACTION_STATUSES:
                msg = f"{where}.status: {not_allowed(str(status), ACTION_STATUSES)}"
                issues.append(FieldIssue(n, msg, code="choice", subpath=(i, "status")))
        return issues

    def cell(self, value: Any) -> str:
        if not isinstance(value, list):
            return super().cell(value)
        return "\n".join(action_line(v) for v in value if isinstance(v, Mapping))

    def questions(self, f: Spec, default: Any) -> list[Question]:
        return [Question("  action"), Question("  owner"), Question("  due (YYYY-MM-DD)")]

    def answer(self, f: Spec, texts: Sequence[str]) -> Any:
        return [
            self._item(
                f, 0, dict(zip(("action", "owner", "due"), texts, strict=False), status="open")
            )
        ]


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def action_line(item: Mapping[str, Any]) -> str:
    """One action item as one line: ``action | owner | due | status``."""
    due = item.get("due")
    due = due.isoformat() if isinstance(due, dt.date) else ("" if due is None else str(due))
    parts = [item.get("action"), item.get("owner"), due, item.get("status") or "open"]
    return " | ".join("" if p is None else str(p) for p in parts)
