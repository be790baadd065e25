"""Mapping headers: which field, budget part or body section each column of a sheet fills.

A header matches by field name, by the header `kb export` writes, by a section heading in either
language, or by an alias PMOs use ("Likelihood", "负责人"), ignoring case, spaces and
punctuation; ``--map "Column=field"`` names the rest. A column that matches nothing becomes a
section of the entry's body, under its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb.errors import UsageError
from kb.registers import normalize_header, register_columns
from kb.schema import EntryType, closest
from kb.tabular.table import SheetMessage

# Headers PMOs use that are neither our field names nor our export headers.
ALIASES = {
    "title": ("name", "subject", "标题", "名称", "主题"),
    "date": ("date filed", "filed", "日期", "登记日期"),
    "owner": ("author", "responsible", "负责人", "责任人", "填写人"),
    "status": ("state", "状态"),
    "project": ("project name", "项目", "项目名称"),
    "tags": ("keywords", "标签", "关键词"),
    "category": ("knowledge area", "risk category", "类别", "分类", "知识领域"),
    "phase": ("project phase", "阶段"),
    "impact": ("影响", "影响程度"),
    "probability": ("likelihood", "概率", "可能性"),
    "response": ("risk response", "response strategy", "应对", "应对策略"),
    "trigger": ("triggers", "warning signs", "触发条件", "预警信号"),
    "risk_owner": ("风险负责人",),
    "occurred": ("materialized", "是否发生"),
    "source": ("source retrospective", "来源"),
    "id": ("编号",),
    "budget.planned": ("planned budget", "budget", "预算"),
    "budget.actual": ("actual cost", "actual budget", "实际成本"),
    "budget.currency": ("currency", "币种"),
}


@dataclass(frozen=True)
class Target:
    """Where one column goes: a field, a budget part, a body section, or nowhere."""

    kind: str  # field | budget | section | heading | body | derived | ignore
    name: str = ""  # field name, budget part, section key, or the heading to write
    field: str = ""  # the front-matter field it fills (field, budget), for messages

    def describe(self) -> str:
        """How the mapping reads in kb import's summary."""
        return {
            "field": f"{self.name}",
            "budget": f"budget.{self.name}",
            "section": f"body section {self.field or self.name!r}",
            "heading": f"body section {self.name!r}",
            "body": "the whole body",
            "derived": "ignored (derived)",
            "ignore": "ignored",
        }[self.kind]


def _lookup(etype: EntryType) -> dict[str, Target]:
    """Normalized header -> target, from field names, export headers, section headings, aliases."""
    table: dict[str, Target] = {}

    def add(name: str, target: Target) -> None:
        table.setdefault(normalize_header(name), target)

    for f in etype.fields:
        if f.model.parts:
            continue
        add(f.name, Target("field", f.name, f.name))
    for c in register_columns(etype):
        if c.source == "field":
            target = Target("field", c.name, c.name)
        elif c.source == "budget":
            target = Target("budget", c.name, "budget")
        elif c.source == "derived":
            target = Target("derived", c.key)
        else:
            heading = next(s.heading() for s in etype.sections if s.key == c.name)
            target = Target("section", c.name, heading)
        add(c.header, target)
        add(c.key, target)
    for s in etype.sections:
        for heading in s.headings():
            add(heading, Target("section", s.key, s.heading()))
    for name, aliases in ALIASES.items():
        top, _, part = name.partition(".")
        if etype.field(top) is None:
            continue
        target = Target("budget", part, "budget") if part else Target("field", top, top)
        for alias in aliases:
            add(alias, target)
    add("body", Target("body"))
    return table


def _map_target(etype: EntryType, text: str, option: str) -> Target:
    name = text.strip()
    if name in ("", "-"):
        return Target("ignore")
    top, _, part = name.partition(".")
    f = etype.field(top)
    if f is not None and part in f.model.parts:
        return Target("budget", part, top)
    if f is not None and not part:
        return Target("field", f.name, f.name)
    found = _lookup(etype).get(normalize_header(name))
    if found is not None and found.kind != "derived":
        return found
    fields = [x.name for x in etype.fields if x.name != "type"]
    hint = closest(name, fields)
    raise UsageError(
        f"{option}: {etype.name} has no field {name!r}"
        + (f" (did you mean {hint!r}?)" if hint else "")
        + f"; fields: {', '.join(fields)}, budget.planned/actual/currency, body, - (ignore)"
    )


def map_columns(
    headers: Sequence[str], etype: EntryType, maps: Sequence[str]
) -> tuple[list[Target], list[SheetMessage]]:
    """A target for every column, and problems (two columns for one field, bad --map)."""
    explicit: dict[str, Target] = {}
    problems: list[SheetMessage] = []
    by_header = {normalize_header(h): h for h in headers}
    for item in maps:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(f'--map {item!r}: expected "Column=field"')
        key = normalize_header(column)
        if key not in by_header:
            hint = closest(column.strip(), headers)
            raise UsageError(
                f"--map {item!r}: no column {column.strip()!r} in the sheet"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + f"; columns: {', '.join(headers)}"
            )
        explicit[key] = _map_target(etype, target, f"--map {item!r}")
    lookup = _lookup(etype)
    targets: list[Target] = []
    for h in headers:
        key = normalize_header(h)
        target = explicit.get(key) or lookup.get(key) or Target("heading", h)
        targets.append(target)
    seen: dict[tuple[str, str], str] = {}
    for h, t in zip(headers, targets, strict=True):
        if t.kind in ("field", "budget", "section", "body"):
            slot = (t.kind, t.name)
            if slot in seen:
                problems.append(
                    SheetMessage(
                        f"columns {seen[slot]!r} and {h!r} both go to {t.describe()}; "
                        f'map one elsewhere with --map "{h}=..." or ignore it with --map "{h}=-"',
                        column=h,
                        field=t.field or None,
                    )
                )
            seen[slot] = h
    return targets, problems
