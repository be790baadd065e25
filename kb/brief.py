"""The pre-mortem brief: lessons of past projects turned into a risk checklist for a new one.

``gather`` asks the search index for the risk cases, lessons and SOPs most relevant to a
description of the new project; ``render`` turns them into markdown, risk cases and lessons
grouped by category, each item a checkbox linked to its entry. ``render`` is pure: entries and
hits in, text out.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kb import i18n
from kb.config import Workspace
from kb.entry import Entry, strip_comments
from kb.errors import EntryError, UsageError
from kb.fields import value_label
from kb.schema import as_date

# Brief words that are a field's name or a section's heading.
_SHARED = {
    "signs": "field.trigger",
    "response": "field.response",
    "recommendation": "section.recommendation",
}


class _Text:
    """The brief's words in one language (kb/locale), by the brief's own keys."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __getitem__(self, key: str) -> str:
        return i18n.text(_SHARED.get(key, f"brief.{key}"), self.language)

    @property
    def colon(self) -> str:
        """``: `` or ``：``."""
        return i18n.text("brief.colon", self.language)

    @property
    def sep(self) -> str:
        """Between the facts of an item: ``; `` or ``；``."""
        return i18n.text("brief.separator", self.language)

    @property
    def comma(self) -> str:
        """``, `` or ``，``."""
        return i18n.text("brief.comma", self.language)

    @property
    def stop(self) -> str:
        """The end of a sentence: ``.`` or ``。``."""
        return i18n.text("brief.stop", self.language)

    def value(self, value: object) -> str:
        """An allowed value by its label (a workspace's own value, which has none, as typed)."""
        return value_label(str(value), self.language)


@dataclass
class BriefItem:
    """One past risk case, lesson or SOP selected for the brief, in rank order."""

    entry: Entry
    rank: int
    link: str  # relative link to the entry file


@dataclass
class Criteria:
    """What the new project is, as given to `kb brief`."""

    text: str = ""
    tags: tuple[str, ...] = ()
    project_type: str | None = None

    def is_empty(self) -> bool:
        """True when nothing describes the project."""
        return not (self.text.strip() or self.tags or self.project_type)


@dataclass
class Gathered:
    """What ``gather`` found: risk cases, lessons and SOPs, each in rank order."""

    criteria: Criteria
    risks: list[BriefItem] = field(default_factory=list)
    lessons: list[BriefItem] = field(default_factory=list)
    sops: list[BriefItem] = field(default_factory=list)
    left_out: int = 0  # matches under the relevance floor
    min_relevance: float = 0.0


def _check_project_type(ws: Workspace, value: str | None) -> str | None:
    """The project type ``value`` names: its key, or its label in any language, any case."""
    from kb.fields import match_choice, not_allowed, speaking

    if not value:
        return None
    choices: tuple[str, ...] = ()
    for etype in ws.schema.types:
        f = etype.field("project_type")
        if f is not None:
            choices += f.choices
    if not choices:
        return value.strip().lower()
    found = match_choice(value.strip(), choices)
    if found is None:
        with speaking(ws.language):
            raise UsageError(f"--project-type: {not_allowed(value.strip(), choices)}")
    return found


MIN_RELEVANCE = 0.2  # default floor: a fifth of the best match's score
NOT_IN_FORCE = ("superseded", "retired")  # SOPs in these states apply to no new project


def gather(
    ws: Workspace,
    criteria: Criteria,
    *,
    limit: int = 8,
    link_from: Path | None = None,
    min_relevance: float = MIN_RELEVANCE,
) -> Gathered:
    """The risk cases, lessons and SOPs most relevant to the new project, from the search index.

    SOPs are ranked by the same query as lessons; superseded and retired ones are left out.
    Matches scoring under ``min_relevance`` times the best match's score are left out (and
    counted): a description of several words matches many entries on one common word, and
    such weak matches would pad a short brief."""
    from kb.search import entries_where, related_hits
    from kb.store import read_entry

    if criteria.is_empty():
        raise UsageError(
            "describe the new project: give --text, --tag or --project-type (see kb brief --help)"
        )
    criteria.project_type = _check_project_type(ws, criteria.project_type)
    source_ids: list[str] = []
    projects: list[str] = []
    if criteria.project_type:
        for fields in entries_where(ws, type="retrospective", project_type=criteria.project_type):
            if fields.get("id"):
                source_ids.append(fields["id"])
            if fields.get("project"):
                projects.append(fields["project"])
    # SOPs in a query of their own, so that risk cases and lessons never crowd them out
    context = {
        "tags": criteria.tags,
        "boost_ids": source_ids,
        "boost_projects": projects,
        "limit": limit * 4,
    }
    hits = related_hits(ws, criteria.text, types=("risk", "lesson"), **context)
    sops = related_hits(ws, criteria.text, types=("sop",), **context)
    sops = [h for h in sops if h.status not in NOT_IN_FORCE]
    out = Gathered(criteria, min_relevance=min_relevance)
    base = link_from or ws.root
    floor = min_relevance * max((h.score for h in [*hits, *sops]), default=0.0)
    buckets = {"risk": out.risks, "lesson": out.lessons, "sop": out.sops}
    for rank, hit in enumerate([*hits, *sops]):
        if hit.score < floor:
            out.left_out += 1
            continue
        bucket = buckets[hit.type]
        if len(bucket) >= limit:
            continue
        path = ws.root / hit.path
        try:
            entry = read_entry(ws, path)
        except EntryError:
            continue  # changed on disk since it was indexed; leave it out
        link = Path(os.path.relpath(path, base)).as_posix()
        bucket.append(BriefItem(entry, rank, link))
    return out


# A list item with nothing in it, as a template leaves it: "- [ ]", "-", "1."
_EMPTY_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])(?:\s+\[[ xX]?\])?\s*$", re.M)


def _section(entry: Entry, key: str) -> str:
    """The text of a body section, without template hints and empty list items."""
    from kb.schema import Schema

    etype = Schema().get(entry.type)
    headings: tuple[str, ...] = ()
    if etype:
        for s in etype.sections:
            if s.key == key:
                headings = s.headings()
    if not headings:
        return ""
    return _EMPTY_ITEM.sub("", strip_comments(entry.section(*headings))).strip()


def _one_line(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", str(text)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _points(text: str, limit: int = 5) -> list[str]:
    """Checklist or list items of a section as plain lines; a paragraph becomes one line."""
    items = []
    for line in text.splitlines():
        m = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]?\]\s*)?(.*)$", line)
        if m:
            if m.group(1).strip():
                items.append(m.group(1).strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    if not items and text.strip():
        items = [_one_line(text.split("\n\n")[0])]
    return [_one_line(i, 240) for i in items[:limit]]


def _grouped(items: Sequence[BriefItem], other: str) -> list[tuple[str, list[BriefItem]]]:
    groups: dict[str, list[BriefItem]] = {}
    for item in sorted(items, key=lambda i: i.rank):
        category = str(item.entry.meta.get("category") or other)
        groups.setdefault(category, []).append(item)
    return list(groups.items())  # categories in the order of their best item


def render(gathered: Gathered, *, language: str = "en", today: dt.date | None = None) -> str:
    """The brief as markdown."""
    t = _Text(language)
    today = today or dt.date.today()
    c = gathered.criteria
    heading = _one_line(c.text, 80) if c.text.strip() else t["new"]
    lines = [f"# {t['title']}{t.colon}{heading}", "", t["intro"], ""]
    matched = []
    if c.text.strip():
        matched.append(f"{t['text']} “{_one_line(c.text, 200)}”")
    if c.tags:
        matched.append(f"{t['tags']} " + t.comma.join(f"`{x}`" for x in c.tags))
    if c.project_type:
        matched.append(f"{t['project_type']} `{t.value(c.project_type)}`")
    lines += [t["criteria"] + t.colon + t.sep.join(matched) + t.stop, ""]
    if gathered.left_out:
        floor = f"{gathered.min_relevance:g}"
        pct = f"{100 * gathered.min_relevance:g}"
        lines += [
            i18n.text("brief.left_out", language, count=gathered.left_out, pct=pct, floor=floor),
            "",
        ]
    footer = ["---", "", f"{t['generated']} {today.isoformat()}{t.stop}"]
    if not gathered.risks and not gathered.lessons and not gathered.sops:
        return "\n".join([*lines, t["none"], "", *footer]) + "\n"
    sections = (
        (t["risks"], t["none_risks"], gathered.risks, _risk_lines),
        (t["lessons"], t["none_lessons"], gathered.lessons, _lesson_lines),
    )
    for title, none, found, item_lines in sections:
        lines += [f"## {title}", ""]
        if not found:
            lines += [none, ""]
        for category, items in _grouped(found, t["uncategorized"]):
            lines += [f"### {t.value(category)}", ""]
            for item in items:
                lines += item_lines(item, t)
            lines.append("")
    if gathered.sops:  # unlike risk cases and lessons, no "none matched" line: many have none
        lines += [f"## {t['sops']}", ""]
        lines += [_sop_line(item, t, today) for item in gathered.sops]
        lines.append("")
    lines += footer
    return "\n".join(lines).rstrip("\n") + "\n"


def _title_link(item: BriefItem) -> str:
    e = item.entry
    return f"[{e.id or e.path.stem}: {e.title}]({item.link})"


def _risk_lines(item: BriefItem, t: _Text) -> list[str]:
    meta = item.entry.meta
    facts = []
    p, i = meta.get("probability"), meta.get("impact")
    if isinstance(p, int) and isinstance(i, int):
        facts.append(f"{t['score']} {p * i} (P{p} × I{i})")
    if meta.get("occurred") is True:
        late = meta.get("schedule_impact_days")
        facts.append(t["occurred"] + (f"{t.comma}{late} {t['late']}" if late else ""))
    if item.entry.project:
        facts.append(f"{t['project']}{t.colon}{item.entry.project}")
    lines = [f"- [ ] **{_title_link(item)}**" + (f" — {t.sep.join(facts)}" if facts else "")]
    if meta.get("trigger"):
        lines.append(f"    - {t['signs']}{t.colon}{_one_line(meta['trigger'])}")
    response = _one_line(_section(item.entry, "response").split("\n\n")[0], 300)
    kind = t.value(meta["response"]) if meta.get("response") else ""
    if kind or response:
        shown = " — ".join(x for x in (kind, response) if x)
        lines.append(f"    - {t['response']}{t.colon}{shown}")
    for point in _points(_section(item.entry, "recommendation"), 3):
        lines.append(f"    - [ ] {point}")
    return lines


def _lesson_lines(item: BriefItem, t: _Text) -> list[str]:
    meta = item.entry.meta
    facts = []
    if meta.get("impact"):
        facts.append(f"{t['impact']} {t.value(meta['impact'])}")
    if meta.get("phase"):
        facts.append(f"{t['phase']} {t.value(meta['phase'])}")
    if item.entry.project:
        facts.append(f"{t['project']}{t.colon}{item.entry.project}")
    lines = [f"- [ ] **{_title_link(item)}**" + (f" — {t.sep.join(facts)}" if facts else "")]
    points = _points(_section(item.entry, "recommendation"), 4)
    if not points:
        points = _points(_section(item.entry, "lesson"), 1)
    for point in points:
        lines.append(f"    - [ ] {point}")
    return lines


def _sop_line(item: BriefItem, t: _Text, today: dt.date) -> str:
    meta = item.entry.meta
    facts = []
    if meta.get("version") not in (None, ""):
        facts.append(f"{t['version']} {meta['version']}")
    due = as_date(meta.get("review_due"))
    if due:
        label = t["review_overdue"] if due < today else t["review_due"]
        facts.append(label.format(date=due.isoformat()))
    return f"- [ ] **{_title_link(item)}**" + (f" — {t.sep.join(facts)}" if facts else "")


def make_brief(
    ws: Workspace,
    *,
    project_type: str | None = None,
    tags: tuple[str, ...] = (),
    text: str = "",
    limit: int = 8,
    link_from: Path | None = None,
    today: dt.date | None = None,
    min_relevance: float = MIN_RELEVANCE,
) -> str:
    """Gather and render a brief for a new project described by text, tags and project type."""
    criteria = Criteria(text=text, tags=tuple(tags), project_type=project_type)
    gathered = gather(ws, criteria, limit=limit, link_from=link_from, min_relevance=min_relevance)
    language = ws.language
    return render(gathered, language=language, today=today)
