"""`kb check`: every problem in a workspace, one Problem per finding.

Schema problems come from ``kb.schema``; this module adds what needs the whole workspace: duplicate
ids, dangling references, file names that disagree with ids, and the warnings a PMO wants to see
(stale drafts, overdue action items, SOPs past their review date).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from kb.config import Workspace
from kb.entry import Entry
from kb.errors import Problem
from kb.fields import about, say, spoken
from kb.i18n import text
from kb.registers import action_items
from kb.schema import as_date, closest, validate_fields
from kb.store import Loaded, load_entries, slugify


def _say(key: str, **values: object) -> str:
    """The message ``cli.check.<key>`` in the language spoken (``kb.fields.speaking``)."""
    return text(f"cli.check.{key}", spoken(), **values)


def _type_name(ws: Workspace, name: str) -> str:
    """An entry type as a message names it: its name in English, its label in Chinese."""
    etype = ws.schema.get(name)
    if etype is None or say("show") == "key":
        return name
    return etype.label(spoken())


def _days(n: int) -> str:
    return text("count.days", spoken(), count=n)


@dataclass
class Report:
    """The result of a check: problems sorted by file and line, and how many files were read."""

    problems: list[Problem] = field(default_factory=list)
    files: int = 0
    entries: int = 0

    @property
    def errors(self) -> list[Problem]:
        """Problems of level error."""
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of level warning."""
        return [p for p in self.problems if p.level == "warning"]

    def to_dict(self) -> dict:
        """Stable JSON shape for ``kb check --format json``."""
        return {
            "files": self.files,
            "entries": self.entries,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict() for p in self.problems],
        }


def entry_problems(ws: Workspace, entry: Entry) -> list[Problem]:
    """Problems one entry has on its own (no cross-entry checks)."""
    problems: list[Problem] = []
    schema = ws.schema

    def add(
        level: str, message: str, key: tuple = (), code: str = "invalid", fld: str | None = None
    ):
        problems.append(Problem(entry.relpath, entry.line_of(*key), level, message, fld, code))

    for key, line, first in entry.duplicate_keys:
        problems.append(
            Problem(
                entry.relpath,
                line,
                "error",
                about(key) + _say("given_twice", line=first),
                key,
                "duplicate-key",
            )
        )
    raw_type = entry.meta.get("type")
    if isinstance(raw_type, (list, dict)):
        add("error", about("type") + _say("type_not_one"), ("type",), "type", "type")
        return problems
    if raw_type in (None, ""):
        add(
            "error",
            about("type") + _say("type_missing", types=", ".join(schema.names())),
            code="missing",
            fld="type",
        )
        return problems
    etype = schema.get(str(raw_type))
    if etype is None:
        hint = closest(str(raw_type), schema.names())
        add(
            "error",
            about("type")
            + _say("type_unknown", type=repr(raw_type), types=", ".join(schema.names()))
            + (say("did_you_mean", hint=repr(hint)) if hint else ""),
            ("type",),
            "choice",
            "type",
        )
        return problems
    if raw_type != etype.name:
        add(
            "warning",
            about("type") + _say("alias", name=repr(etype.name), alias=repr(raw_type)),
            ("type",),
            "alias",
            "type",
        )
    for issue in validate_fields(etype, entry.meta):
        add(issue.level, issue.message, (issue.field, *issue.subpath), issue.code, issue.field)

    entry_id = entry.id
    if entry_id:
        if schema.by_prefix(entry_id) is not etype:
            add(
                "error",
                about("id")
                + _say(
                    "id_prefix", id=entry_id, type=_type_name(ws, etype.name), prefix=etype.prefix
                ),
                ("id",),
                "id-prefix",
                "id",
            )
        stem = entry.path.stem
        if stem != entry_id and not stem.startswith(entry_id + "-"):
            add(
                "error",
                about("id") + _say("id_filename", id=entry_id, name=entry.path.name),
                ("id",),
                "id-filename",
                "id",
            )
    folder = ws.section_dir(etype.name)
    parts = entry.relpath.split("/")
    docs = ws.relpath(ws.docs_dir)
    if entry.relpath.startswith(docs + "/") and folder not in parts:
        where = f"{docs}/{folder}/"
        msg = _say("folder", type=_type_name(ws, etype.name), folder=where)
        add("warning", msg, ("type",), "folder", "type")
    return problems


def _reference_problems(
    ws: Workspace, entries: list[Entry], ids: dict[str, Entry], unreadable: set[str]
) -> list[Problem]:
    problems = []
    for entry in entries:
        etype = ws.schema.get(entry.type)
        if etype is None:
            continue
        for f in etype.reference_fields:
            value = entry.meta.get(f.name)
            refs = value if isinstance(value, list) else [value]
            for i, ref in enumerate(refs):
                if not isinstance(ref, str) or not ref:
                    continue
                key = (f.name, i) if isinstance(value, list) else (f.name,)
                target = ids.get(ref)
                if target is None and ref in unreadable:
                    continue  # the file exists but cannot be read: reported on its own
                if target is None:
                    same_kind = [i for i in ids if i.split("-")[0] == ref.split("-")[0]]
                    hint = closest(ref, same_kind)
                    problems.append(
                        Problem(
                            entry.relpath,
                            entry.line_of(*key),
                            "error",
                            about(f.name)
                            + text("cli.ref_missing", spoken(), ref=ref)
                            + (text("cli.ref_hint", spoken(), hint=hint) if hint else ""),
                            f.name,
                            "dangling-ref",
                        )
                    )
                elif ref == entry.id:
                    problems.append(
                        Problem(
                            entry.relpath,
                            entry.line_of(*key),
                            "warning",
                            about(f.name) + _say("self_ref"),
                            f.name,
                            "self-ref",
                        )
                    )
                else:
                    want = f.ref_type
                    target_type = ws.schema.get(target.type)
                    if want and (target_type is None or target_type.name != want):
                        problems.append(
                            Problem(
                                entry.relpath,
                                entry.line_of(*key),
                                "warning",
                                about(f.name)
                                + _say(
                                    "ref_type",
                                    ref=ref,
                                    found=_type_name(ws, str(target.type or "entry")),
                                    expected=_type_name(ws, want),
                                ),
                                f.name,
                                "ref-type",
                            )
                        )
    return problems


def _warnings(ws: Workspace, entries: list[Entry], today: dt.date) -> list[Problem]:
    problems = []
    stale = ws.settings.stale_draft_days
    for entry in entries:
        meta = entry.meta
        if meta.get("status") == "draft":
            touched = as_date(meta.get("updated")) or entry.date
            if touched and (today - touched).days > stale:
                problems.append(
                    Problem(
                        entry.relpath,
                        entry.line_of("status"),
                        "warning",
                        about("status")
                        + _say("stale_draft", days=_days((today - touched).days), date=touched),
                        "status",
                        "stale-draft",
                    )
                )
        if entry.type == "sop":
            due = as_date(meta.get("review_due"))
            if due and due < today and meta.get("status") not in ("superseded", "retired"):
                problems.append(
                    Problem(
                        entry.relpath,
                        entry.line_of("review_due"),
                        "warning",
                        about("review_due")
                        + _say("sop_review", date=due, days=_days((today - due).days)),
                        "review_due",
                        "sop-review",
                    )
                )
    problems.extend(_project_spellings(entries))
    problems.extend(_duplicate_titles(ws, entries))
    for item in action_items(entries, today):
        if item.overdue_days > 0:
            problems.append(
                Problem(
                    item.path,
                    item.line,
                    "warning",
                    about(f"actions[{item.index}]")
                    + _say(
                        "overdue_action",
                        days=_days(item.overdue_days),
                        date=item.due,
                        owner=item.owner,
                        action=item.action,
                    ),
                    "actions",
                    "overdue-action",
                )
            )
    return problems


def _project_spellings(entries: list[Entry]) -> list[Problem]:
    """Warn where one project is spelt two ways ("ERP Roll-out", "ERP roll out"): the site, the
    registers and the statistics would count it as two projects."""
    spellings: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        if entry.project:
            spellings[slugify(entry.project)][entry.project].append(entry)
    problems = []
    for names in spellings.values():
        if len(names) < 2:
            continue
        usual = max(names, key=lambda n: (len(names[n]), n))
        for name, users in names.items():
            if name == usual:
                continue
            for entry in users:
                problems.append(
                    Problem(
                        entry.relpath,
                        entry.line_of("project"),
                        "warning",
                        about("project")
                        + _say(
                            "spelling",
                            name=repr(name),
                            usual=repr(usual),
                            entries=text("count.other_entries", spoken(), count=len(names[usual])),
                        ),
                        "project",
                        "project-spelling",
                    )
                )
    return problems


def _duplicate_titles(ws: Workspace, entries: list[Entry]) -> list[Problem]:
    """Warn about two entries of one type with the same title and project (ignoring case and
    spacing, as `kb import` compares them): often one sheet imported twice. Each later file
    is named with the first."""

    def folded(value: object) -> str:
        text = "" if value is None else str(value)
        return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()

    first: dict[tuple[str, str, str], Entry] = {}
    problems = []
    for entry in sorted(entries, key=lambda e: e.relpath):
        etype = ws.schema.get(entry.type)
        title = entry.meta.get("title")
        if etype is None or title in (None, ""):
            continue
        key = (etype.name, folded(title), folded(entry.meta.get("project")))
        if key not in first:
            first[key] = entry
            continue
        if entry.project:
            where = _say("in_project", project=repr(entry.project))
        else:
            where = _say("no_project")
        problems.append(
            Problem(
                entry.relpath,
                entry.line_of("title"),
                "warning",
                about("title")
                + _say(
                    "duplicate_title", title=repr(str(title)), where=where, path=first[key].relpath
                ),
                "title",
                "duplicate-title",
            )
        )
    return problems


def glossary_problems(ws: Workspace) -> list[Problem]:
    """Problems of the workspace's search glossary (the ``glossary`` setting), file:line each."""
    path = ws.glossary_path
    if path is None:
        return []
    rel = ws.relpath(path)
    if not path.is_file():
        config = (ws.root / "mkdocs.yml").read_text("utf-8", errors="replace").splitlines()
        line = next((n for n, text in enumerate(config, 1) if "glossary:" in text), 1)
        return [
            Problem(
                "mkdocs.yml",
                line,
                "error",
                f"plugins.kb.glossary: {rel} does not exist (a YAML file of search terms)",
                "glossary",
                "glossary",
            )
        ]
    from kb.search.glossary import problems

    return problems(path, rel)


def check_workspace(
    ws: Workspace, today: dt.date | None = None, loaded: Loaded | None = None
) -> Report:
    """Validate every entry of the workspace."""
    today = today or dt.date.today()
    loaded = loaded or load_entries(ws)
    report = Report(files=len(loaded.files), entries=len(loaded.entries))
    problems = list(loaded.problems)
    ids: dict[str, Entry] = {}
    by_id: dict[str, list[Entry]] = defaultdict(list)
    for entry in loaded.entries:
        problems.extend(entry_problems(ws, entry))
        if entry.id:
            by_id[entry.id].append(entry)
            ids.setdefault(entry.id, entry)
    for entry_id, same in by_id.items():
        # the entry filed last (by date, then file name) is the one to give a new id
        same = sorted(same, key=lambda e: (e.date or dt.date.min, e.relpath))
        for other in same[1:]:
            problems.append(
                Problem(
                    other.relpath,
                    other.line_of("id"),
                    "error",
                    about("id")
                    + _say("duplicate_id", id=entry_id, path=same[0].relpath, own=other.relpath),
                    "id",
                    "duplicate-id",
                )
            )
    unreadable = loaded.unreadable_ids - set(ids)
    problems.extend(_reference_problems(ws, loaded.entries, ids, unreadable))
    problems.extend(_warnings(ws, loaded.entries, today))
    problems.extend(glossary_problems(ws))
    report.problems = sorted(problems, key=lambda p: (p.path, p.line, p.level, p.message))
    return report
