"""The entries of a workspace arranged for the site: by id, by type, backlinks, related entries.

Built once per build from the loaded entries (no file access here), then read by the generated
pages and the entry header cards, so both show the same facts. Everything an entry page asks for
is looked up, never found by a scan over all entries: a build asks once per page, and a scan per
page makes the build grow with the square of the entries.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kb.config import Workspace
from kb.entry import Entry
from kb.schema import EntryType, as_date
from kb.store import slugify

_MENTION = re.compile(r"\b[A-Z][A-Z0-9]*-\d{4,}\b")
# Posting lists longer than this say little about relatedness and cost quadratic time.
_MAX_POSTING = 60


@dataclass(frozen=True)
class Backlink:
    """One entry that refers to another, and how (a front-matter field or 'text')."""

    entry: Entry
    via: str


@dataclass
class Catalog:
    """Entries with everything the site derives across them."""

    ws: Workspace
    entries: list[Entry]
    today: dt.date
    types: dict[int, EntryType] = field(default_factory=dict)  # id(entry) -> type
    docs_paths: dict[int, str] = field(default_factory=dict)  # id(entry) -> path under docs/
    by_id: dict[str, Entry] = field(default_factory=dict)
    backlinks: dict[str, list[Backlink]] = field(default_factory=lambda: defaultdict(list))
    _features: dict[int, list[tuple[str, float]]] = field(default_factory=dict)
    _postings: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    _slugs: dict[str, str] = field(default_factory=dict)
    _by_type: dict[str, list[Entry]] = field(default_factory=dict)  # type name -> sorted by id

    @property
    def language(self) -> str:
        """Language of the generated text: en or zh."""
        return self.ws.language

    def type_of(self, entry: Entry) -> EntryType | None:
        """The entry's canonical type, or None when it has none the schema knows."""
        return self.types.get(id(entry))

    def type_name(self, entry: Entry) -> str:
        """The canonical type name, or ''."""
        etype = self.type_of(entry)
        return etype.name if etype else ""

    def docs_path(self, entry: Entry) -> str:
        """Where the entry's page comes from, relative to docs/ (forward slashes)."""
        return self.docs_paths[id(entry)]

    def of_type(self, name: str) -> list[Entry]:
        """Entries of one type, sorted by id (a new list each time)."""
        return list(self._by_type.get(name, ()))

    def label(self, etype: EntryType | None) -> str:
        """The type's label in the site language."""
        if etype is None:
            return ""
        return etype.label(self.language)

    def project_slug(self, project: str) -> str:
        """The file name (without .md) of a project's page."""
        if not self._slugs:
            # Assigned once, in name order, so "ERP Roll-out" and "ERP roll-out" (which kb check
            # warns about) each keep a page, and no project can take the projects index's name.
            used = {"index"}
            names = sorted(
                {e.project for e in self.entries if e.project}, key=lambda n: (n.lower(), n)
            )
            for name in names:
                base = slug = slugify(name)
                n = 2
                while slug in used:
                    slug, n = f"{base}-{n}", n + 1
                used.add(slug)
                self._slugs[name] = slug
        return self._slugs.get(project) or slugify(project)

    def projects(self) -> dict[str, list[Entry]]:
        """Entries by project name, projects sorted by name."""
        found: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.project:
                found[entry.project].append(entry)
        return {name: found[name] for name in sorted(found, key=str.lower)}

    def lessons_for_sop(self, sop_id: str) -> list[Entry]:
        """Lessons whose ``sops`` field names this SOP."""
        return [b.entry for b in self.backlinks.get(sop_id, []) if b.via == "sops"]

    def related(self, entry: Entry, limit: int = 5) -> list[Entry]:
        """A few entries most like this one: shared tags, project, category, source, links."""
        scores: Counter[int] = Counter()
        keep: dict[int, Entry] = {}
        for key, weight in self._features.get(id(entry), []):
            posting = self._postings.get(key, [])
            if len(posting) > _MAX_POSTING:
                continue
            for other in posting:
                if other is entry:
                    continue
                scores[id(other)] += weight
                keep[id(other)] = other
        ranked = sorted(
            scores.items(), key=lambda kv: (-kv[1], keep[kv[0]].id or keep[kv[0]].relpath)
        )
        return [keep[k] for k, _ in ranked[:limit]]


def _features(entry: Entry, etype: EntryType) -> list[tuple[str, float]]:
    meta = entry.meta
    feats: list[tuple[str, float]] = []
    if entry.id:
        feats.append((f"id:{entry.id}", 3.0))
    for ref_field in ("related", "source", "sops", "supersedes"):
        value = meta.get(ref_field)
        for ref in value if isinstance(value, list) else [value]:
            if isinstance(ref, str) and ref:
                feats.append((f"id:{ref}", 3.0))
    tags = meta.get("tags")
    if isinstance(tags, list):
        feats.extend((f"tag:{str(t).lower()}", 2.0) for t in tags if t is not None)
    if entry.project:
        feats.append((f"project:{entry.project}", 1.0))
    category = meta.get("category")
    if isinstance(category, str):
        feats.append((f"category:{category}", 1.0))
    causes = meta.get("root_causes")
    if isinstance(causes, list):
        feats.extend((f"category:{c}", 0.5) for c in causes if isinstance(c, str))
    return feats


def build_catalog(ws: Workspace, entries: list[Entry], today: dt.date | None = None) -> Catalog:
    """Arrange the entries for the site (pure: reads nothing from disk)."""
    cat = Catalog(ws=ws, entries=list(entries), today=today or dt.date.today())
    docs_dir, resolved_docs_dir = ws.docs_dir.absolute(), ws.docs_dir.resolve()
    schema = ws.schema
    for entry in cat.entries:
        cat.docs_paths[id(entry)] = page_path(entry, docs_dir, resolved_docs_dir)
        etype = schema.get(entry.type)
        if etype is not None:
            cat.types[id(entry)] = etype
        if entry.id:
            cat.by_id.setdefault(entry.id, entry)
    for entry in cat.entries:
        etype = cat.type_of(entry)
        seen: set[str] = set()
        if etype is not None:
            for f in etype.fields:
                if not f.model.is_reference or f.name == "id":
                    continue
                value = entry.meta.get(f.name)
                for ref in value if isinstance(value, list) else [value]:
                    if isinstance(ref, str) and ref in cat.by_id and ref != entry.id:
                        if ref not in seen:
                            cat.backlinks[ref].append(Backlink(entry, f.name))
                        seen.add(ref)
            for key, weight in _features(entry, etype):
                cat._postings[key].append(entry)
                cat._features.setdefault(id(entry), []).append((key, weight))
        for ref in set(_MENTION.findall(entry.body)):
            if ref in cat.by_id and ref != entry.id and ref not in seen:
                cat.backlinks[ref].append(Backlink(entry, "text"))
                seen.add(ref)
    for links in cat.backlinks.values():
        links.sort(key=lambda b: b.entry.id or b.entry.relpath)
    by_type: dict[str, list[Entry]] = defaultdict(list)
    for entry in cat.entries:
        by_type[cat.type_name(entry)].append(entry)
    for name, found in by_type.items():
        cat._by_type[name] = sorted(found, key=lambda e: (e.id or "~", e.relpath))
    return cat


def page_path(entry: Entry, docs_dir: Path, resolved_docs_dir: Path | None = None) -> str:
    """The entry's page as MkDocs names it, below ``docs_dir`` (absolute): a symlink by its own
    name, not its target's. Resolving is kept for the odd path that is not below docs/."""
    path = Path(os.path.abspath(entry.path))
    try:
        return path.relative_to(docs_dir).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(resolved_docs_dir or docs_dir.resolve()).as_posix()
    except ValueError:
        return Path(entry.relpath).name


def entry_date(entry: Entry, name: str) -> dt.date | None:
    """A date field of an entry, or None."""
    return as_date(entry.meta.get(name))
