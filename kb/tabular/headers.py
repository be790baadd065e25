"""Mapping headers: which field, budget part or body section each column of a sheet fills.

A header matches by field name, by the header `kb export` writes in any language (a sheet
exported from a Chinese workspace imports into an English one), by a section heading in either
language, or by an alias PMOs use ("Likelihood", "负责人"), ignoring case, spaces and
punctuation; ``--map "Column=field"`` names the rest. A column that matches nothing becomes a
section of the entry's body, under its header.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kb import i18n
from kb.errors import UsageError
from kb.register_table import normalize_header, register_columns
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

    def describe(self, lang: str = i18n.DEFAULT) -> str:
        """How the mapping reads in kb import's summary, in ``lang`` (field names stay the
        names ``--map`` takes)."""
        if self.kind == "field":
            return self.name
        if self.kind == "budget":
            return f"budget.{self.name}"
        if self.kind == "section":  # the type's section, by its heading in ``lang``
            heading = i18n.text(f"section.{self.name}", lang, default=self.field or self.name)
            return i18n.text("import.target_section", lang, heading=repr(heading))
        if self.kind == "heading":
            return i18n.text("import.target_section", lang, heading=repr(self.name))
        return i18n.text(f"import.target_{self.kind}", lang)  # body, derived, ignore


def _lookup(etype: EntryType) -> dict[str, Target]:
    """Normalized header -> target, from field names, the export headers of every language,
    section headings, aliases."""
    table: dict[str, Target] = {}

    def add(name: str, target: Target) -> None:
        table.setdefault(normalize_header(name), target)

    for f in etype.fields:
        if f.model.parts:
            continue
        add(f.name, Target("field", f.name, f.name))
    columns = [c for lang in i18n.LANGUAGES for c in register_columns(etype, lang)]
    for c in columns:
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


def header_target(etype: EntryType, header: str) -> Target | None:
    """What a column headed ``header`` fills, in any language; None when it names nothing."""
    return _lookup(etype).get(normalize_header(header))


def _map_target(etype: EntryType, text: str, option: str, lang: str = i18n.DEFAULT) -> Target:
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
        i18n.text("import.map_no_field", lang, option=option, type=etype.name, field=repr(name))
        + (i18n.text("import.did_you_mean", lang, hint=repr(hint)) if hint else "")
        + i18n.text("import.map_fields", lang, fields=", ".join(fields))
    )


def map_columns(
    headers: Sequence[str], etype: EntryType, maps: Sequence[str], lang: str = i18n.DEFAULT
) -> tuple[list[Target], list[SheetMessage]]:
    """A target for every column, and problems (two columns for one field, bad --map), the
    problems in ``lang``."""
    explicit: dict[str, Target] = {}
    problems: list[SheetMessage] = []
    by_header = {normalize_header(h): h for h in headers}
    for item in maps:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(i18n.text("import.map_form", lang, item=repr(item)))
        key = normalize_header(column)
        if key not in by_header:
            hint = closest(column.strip(), headers)
            raise UsageError(
                i18n.text(
                    "import.map_no_column", lang, item=repr(item), column=repr(column.strip())
                )
                + (i18n.text("import.did_you_mean", lang, hint=repr(hint)) if hint else "")
                + i18n.text("import.columns", lang, columns=", ".join(headers))
            )
        explicit[key] = _map_target(etype, target, f"--map {item!r}", lang)
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
                        i18n.text(
                            "import.two_columns",
                            lang,
                            first=repr(seen[slot]),
                            second=repr(h),
                            column=h,
                            target=t.describe(lang),
                        ),
                        column=h,
                        field=t.field or None,
                    )
                )
            seen[slot] = h
    return targets, problems
