"""A Chinese workspace for the site tests, and a scan of built pages for English that leaked.

``zh_entries()`` gives entries that use every allowed value of every field of the built-in
schema at least once, with Chinese titles, owners, projects and text, so any English word in the
built site came from the site itself. ``visible_text(html)`` is what a reader sees of a page;
``english_terms()`` every English enum key and label the schema and the English catalog hold.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kb import i18n
from kb.fields import ACTION_STATUSES
from kb.schema import BUILTIN_TYPES, CHOICE, CHOICES, OPPORTUNITY_RESPONSES
from tests.conftest import entry_text

TODAY_ZH = "2026-01-15"
PROJECTS = ("华东仓储管理系统上线", "总部网络改造", "三号产线升级")
OWNERS = ("王磊", "李娜", "张伟", "刘洋")


def _count(type_name: str) -> int:
    """Entries enough for every allowed value: list fields take two values an entry."""
    etype = next(t for t in BUILTIN_TYPES if t.name == type_name)
    return max(
        (len(f.choices) + 1) // 2 if f.kind == CHOICES else len(f.choices)
        for f in etype.fields
        if f.choices and f.kind in (CHOICE, CHOICES)
    )


def _values(type_name: str, n: int) -> dict[str, object]:
    """The n-th entry's choice fields: each field's allowed values in turn."""
    etype = next(t for t in BUILTIN_TYPES if t.name == type_name)
    out: dict[str, object] = {}
    for f in etype.fields:
        if not f.choices or f.kind not in (CHOICE, CHOICES):
            continue
        if f.kind == CHOICES:
            out[f.name] = [
                f.choices[(2 * n) % len(f.choices)],
                f.choices[(2 * n + 1) % len(f.choices)],
            ]
        else:
            out[f.name] = f.choices[n % len(f.choices)]
    return out


def _yaml(values: dict[str, object]) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(str(v) for v in value)}]")
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines)


def _heading(key: str) -> str:
    return i18n.text(f"section.{key}", "zh")


def _head(
    type_name: str,
    n: int,
    title: str,
    date: str,
    values: dict[str, object] | None = None,
    project: bool = True,
) -> str:
    """The front matter every n-th entry of a type starts with: id, type, title, date, owner,
    project, and the schema's values (``_values`` unless given)."""
    prefix = {"retrospective": "RETRO", "lesson": "LL", "risk": "RISK", "sop": "SOP"}[type_name]
    owner = OWNERS[n % 4]
    lines = f"id: {prefix}-{n + 1:04d}\ntype: {type_name}\ntitle: {title}\ndate: {date}\n"
    lines += f"owner: {owner}\nproject: {PROJECTS[n % 3]}\n" if project else f"owner: {owner}\n"
    return lines + _yaml(_values(type_name, n) if values is None else values) + "\n"


def zh_entries() -> dict[str, str]:
    """{path: text} of Chinese entries covering every allowed value of the schema."""
    files: dict[str, str] = {}
    for n in range(_count("retrospective")):
        rid = f"RETRO-{n + 1:04d}"
        statuses = ACTION_STATUSES + ("open",)
        actions = "\n".join(
            f"  - {{action: 改进行动{n}-{k}, owner: {OWNERS[k % 4]}, "
            f"due: {'2025-10-31' if k == 0 else '2027-03-31'}, status: {statuses[k]}}}"
            for k in range(len(statuses))
        )
        meta = (
            _head("retrospective", n, f"第{n + 1}次项目复盘", f"2025-0{n % 9 + 1}-20")
            + f"planned_end: 2025-03-31\nactual_end: 2025-0{n % 9 + 1}-17\n"
            f"budget: {{planned: 1200000, actual: {1200000 + 150000 * (n - 2)}, currency: CNY}}\n"
            f"tags: [数据迁移]\nactions:\n{actions}"
        )
        body = (
            f"# 第{n + 1}次项目复盘\n\n## {_heading('summary')}\n\n数据迁移推迟了上线。\n\n"
            f"## {_heading('went_well')}\n\n-\n\n## {_heading('went_wrong')}\n\n- 主数据质量差\n\n"
            f"## {_heading('actions')}\n\n<!-- 改进行动写在前置元数据中 -->\n"
        )
        files[f"docs/retrospectives/{rid}-第{n + 1}次项目复盘.md"] = entry_text(meta, body)
    for n in range(_count("lesson")):
        lid = f"LL-{n + 1:04d}"
        meta = (
            _head("lesson", n, f"经验教训{n + 1}", f"2025-06-2{n % 9}")
            + f"source: RETRO-{n % 3 + 1:04d}\ntags: [主数据]"
        )
        body = (
            f"# 经验教训{n + 1}\n\n## {_heading('driving_event')}\n\n库位主数据不完整。\n\n"
            f"## {_heading('recommendation')}\n\n"
            "- [ ] 迁移前完成主数据清洗\n- [x] 指定数据负责人\n\n"
            f"## {_heading('evidence')}\n\n<!-- 推行之后填写 -->\n\n- [ ]\n"
        )
        files[f"docs/lessons/{lid}-经验教训{n + 1}.md"] = entry_text(meta, body)
    for n in range(_count("risk")):
        rid = f"RISK-{n + 1:04d}"
        values = _values("risk", n)
        values["kind"] = "opportunity" if values["response"] in OPPORTUNITY_RESPONSES else "threat"
        meta = (
            _head("risk", n, f"风险案例{n + 1}", f"2025-07-0{n % 9 + 1}", values)
            + f"probability: {n % 5 + 1}\nimpact: {(n * 2) % 5 + 1}\n"
            "trigger: 供应商未确认发货日期\n"
            f"occurred: {'true' if n % 2 else 'false'}\nschedule_impact_days: {n * 3}\n"
            f"cost_impact: {n * 125000}\nrisk_owner: {OWNERS[(n + 1) % 4]}\n"
            f"source: RETRO-{n % 3 + 1:04d}"
        )
        body = (
            f"# 风险案例{n + 1}\n\n## {_heading('description')}\n\n硬件晚到。\n\n"
            f"## {_heading('recommendation')}\n\n- [ ] 提前锁定交付日期\n"
        )
        files[f"docs/risks/{rid}-风险案例{n + 1}.md"] = entry_text(meta, body)
    for n in range(_count("sop")):
        sid = f"SOP-{n + 1:04d}"
        meta = (
            _head("sop", n, f"作业程序{n + 1}", f"2024-01-1{n}", project=False)
            + f"version: '1.{n}'\n"
            f"effective: 2024-02-01\nreview_due: {'2025-02-01' if n % 2 else '2027-02-01'}"
        )
        body = f"# 作业程序{n + 1}\n\n## {_heading('purpose')}\n\n安全上线。\n"
        files[f"docs/sops/{sid}-作业程序{n + 1}.md"] = entry_text(meta, body)
    return files


# ---------------------------------------------------------------------------------------------
# What a reader sees of a page

_SKIPPED = {"script", "style", "noscript", "template", "code", "pre", "kbd", "head"}
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class _Visible(HTMLParser):
    """Text outside scripts, styles, code and hidden elements; attributes are never text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        names = dict(attrs)
        hidden = "hidden" in names or names.get("aria-hidden") == "true"
        self.stack.append((tag, self._skipping() or tag in _SKIPPED or hidden))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


_IGNORED = re.compile(
    r"https?://\S+"  # urls
    r"|\b[A-Z][A-Z0-9]*-\d{4,}\b"  # entry ids
    r"|\b\d{4}-\d{2}-\d{2}\b"  # dates
)


def visible_text(html: str) -> str:
    """What a reader sees of a page: no markup, scripts, styles, code, ids, dates or urls."""
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return _IGNORED.sub(" ", " ".join(" ".join(parser.parts).split()))


def _word(term: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])", re.I)


def english_terms() -> dict[str, re.Pattern[str]]:
    """Every English enum key of the schema and every English label of the catalog, as words.

    A term the Chinese catalog itself uses (``SOP`` in 相关SOP) is not a leak."""
    keys = {c for t in BUILTIN_TYPES for f in t.fields for c in f.choices} | set(ACTION_STATUSES)
    keys |= {t.name for t in BUILTIN_TYPES}
    en = i18n.catalog("en")
    sections = ("value.", "type.", "field.", "section.", "card.", "page.", "common.", "nav.")
    labels = {v.strip() for k, v in en.items() if k.startswith(sections) and isinstance(v, str)}
    zh_text = " ".join(v for v in i18n.catalog("zh").values() if isinstance(v, str))
    terms = {}
    for term in sorted(keys | labels):
        if term and re.search("[A-Za-z]", term) and not _word(term).search(zh_text):
            terms[term] = _word(term)
    return terms


def leaks(text: str, terms: dict[str, re.Pattern[str]]) -> list[str]:
    """The terms found in ``text``, each with a little of the text around it."""
    found = []
    for term, pattern in terms.items():
        m = pattern.search(text)
        if m:
            found.append(f"{term!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…")
    return found
