"""The index schema, derived from kb's entry schema, and the index document of one entry.

Text fields receive text already analyzed by ``kb.search.analysis`` (space-separated terms) and
are indexed with Whoosh's stock ``SpaceSeparatedTokenizer``; what a hit shows is kept in one
stored field, ``card``, as written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from whoosh import analysis as wa
from whoosh import fields as wf

from kb.config import Workspace
from kb.entry import Entry, strip_comments
from kb.schema import (
    as_date,
    risk_score,
)
from kb.search.analysis import analyze
from kb.search.glossary import load as load_glossary

# Bump when analysis or the documents change: existing indexes rebuild by themselves.
INDEX_FORMAT = 9
# Fields every document has; the rest come from the entry schema.
CORE_FIELDS = ("path", "id", "type", "title", "body", "extra", "tags", "project", "date")
# Analyzed prose fields and how much a match in each counts (BM25F field boosts).
TEXT_BOOSTS = {"title": 3.0, "tagwords": 2.0, "body": 1.0, "extra": 1.0}
TEXT_FIELDS = tuple(TEXT_BOOSTS)
FACETS = ("type", "category", "project", "tags")
# Fields that are not for searching: the query language does not offer them.
HIDDEN_FIELDS = frozenset(
    {"path", "size", "mtime_ns", "sha", "card", "extra", "tagwords", "bodypairs"}
)


def field_kinds(ws: Workspace) -> dict[str, str]:
    """Each filterable front-matter field -> index kind (id, keyword, numeric, bool, text).

    A field name used with different kinds by different entry types (``impact`` is a choice for
    lessons and a number for risk cases) becomes an ``id`` field holding the value as text.
    """
    kinds: dict[str, str] = {}
    for etype in ws.schema.types:
        for f in etype.fields:
            kind = f.model.index_kind
            if f.name in CORE_FIELDS or kind is None:
                continue
            if f.name in kinds and kinds[f.name] != kind:
                kind = "id"
            kinds[f.name] = kind
    kinds["score"] = "numeric"
    return dict(sorted(kinds.items()))


def fingerprint(ws: Workspace) -> str:
    """Changes whenever the index layout would: the format version, the workspace schema, or
    the glossary's phrases (their word pairs are indexed)."""
    pairs = sorted(load_glossary(ws.glossary_path).pairs)
    spec = json.dumps([INDEX_FORMAT, field_kinds(ws), pairs], sort_keys=True)
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def _keyword_id() -> wf.ID:
    return wf.ID(stored=False, analyzer=wa.IDTokenizer() | wa.LowercaseFilter())


def _prose() -> wf.TEXT:
    return wf.TEXT(analyzer=wa.SpaceSeparatedTokenizer(), phrase=True)


def build_schema(ws: Workspace) -> wf.Schema:
    """The Whoosh schema for this workspace: stock field types and analyzers only."""
    schema = wf.Schema(
        path=wf.ID(stored=True, unique=True),
        id=_keyword_id(),
        type=wf.ID(stored=True),
        title=_prose(),
        tagwords=_prose(),
        body=_prose(),
        # pairs of the body's Chinese bigrams and glossary phrases (kb.search.analysis.pair)
        bodypairs=wf.TEXT(analyzer=wa.SpaceSeparatedTokenizer(), phrase=False),
        extra=_prose(),
        tags=wf.KEYWORD(commas=True, lowercase=True, scorable=True),
        project=_keyword_id(),
        date=wf.ID(stored=True, sortable=True),
        card=wf.STORED(),
        size=wf.STORED(),
        mtime_ns=wf.STORED(),
        sha=wf.STORED(),
    )
    for name, kind in field_kinds(ws).items():
        if kind == "id":
            ftype: wf.FieldType = _keyword_id()
        elif kind == "keyword":
            ftype = wf.KEYWORD(commas=True, lowercase=True)
        elif kind == "numeric":
            ftype = wf.NUMERIC(float, stored=True)
        elif kind == "bool":
            ftype = wf.BOOLEAN()
        else:
            ftype = _prose()
        schema.add(name, ftype)
    return schema


_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"([^"]*)")?\s*$', re.M)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)|\[([^\]]+)\]\[[^\]]*\]")
_LIST_MARK = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]?\]\s*)?", re.M)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_EMPHASIS = re.compile(r"(\*\*|__|\*|`+)(?=\S)(.+?)(?<=\S)\1")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$", re.M)
_HTML = re.compile(r"</?[A-Za-z][^>]*>")


def clean_body(body: str) -> str:
    """An entry's markdown as the words a reader sees: markup, template hints and empty
    checklist items left out. Indexed, and what snippets are cut from."""
    text = strip_comments(body)
    text = _ADMONITION.sub(lambda m: m.group(1) or "", text)
    text = _IMAGE.sub(lambda m: m.group(1), text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TABLE_RULE.sub("", text)
    text = re.sub(r"^\s*[-*+]\s+\[[ xX]?\]\s*$", "", text, flags=re.M)  # empty checklist items
    text = _LIST_MARK.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = _HTML.sub("", text)
    text = text.replace("|", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()


def as_list(value: object) -> list[str]:
    """A front-matter value as a list of non-empty texts (commas replaced: they separate)."""
    items = value if isinstance(value, list) else [value]
    return [_as_text(v).replace(",", " ") for v in items if v not in (None, "") and _as_text(v)]


def document(
    ws: Workspace, entry: Entry, kinds: dict[str, str], phrase_pairs: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The index document of one entry (without the manifest fields), and its vocabulary
    (words as written) under the key ``words``, which is not an index field. ``phrase_pairs``:
    the word pairs to index as terms (the glossary's, see ``kb.search.analysis.pair``)."""
    meta = entry.meta
    etype = ws.schema.get(entry.type)
    tags = as_list(meta.get("tags"))
    body = clean_body(entry.body)
    extra = [entry.project]
    for name in ("trigger", "participants", "owner", "risk_owner"):
        extra.extend(as_list(meta.get(name)))
    actions = meta.get("actions")
    if isinstance(actions, list):
        extra.extend(str(a.get("action", "")) for a in actions if isinstance(a, dict))
    extra_text = "\n".join(x for x in extra if x)
    tag_text = " ".join(tags)
    score = risk_score(meta.get("probability"), meta.get("impact"))
    words: set[str] = set()  # the words as written, for did-you-mean
    pairs: list[str] = []
    card = {
        "id": entry.id,
        "title": entry.title,
        "project": entry.project,
        "date": entry.date.isoformat() if entry.date else "",
        "status": _as_text(meta.get("status") or ""),
        "category": _as_text(meta.get("category") or ""),
        "tags": [t.lower() for t in tags],
        "risk_score": score,
    }
    doc: dict[str, Any] = {
        "path": entry.relpath,
        "id": entry.id,
        "type": etype.name if etype else entry.type.lower(),
        "title": analyze(entry.title, words),
        "tagwords": analyze(tag_text, words),
        "body": analyze(body, words, pairs, phrase_pairs),
        "extra": analyze(extra_text, words),
        "tags": ",".join(t.lower() for t in tags),
        "project": entry.project,
        "date": card["date"],
        "card": card,
        "bodypairs": " ".join(pairs),
    }
    for name, kind in kinds.items():
        value = score if name == "score" else meta.get(name)
        if value in (None, "", []):
            continue
        if kind == "numeric":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                doc[name] = value
        elif kind == "bool":
            if isinstance(value, bool):
                doc[name] = value
        elif kind == "keyword":
            doc[name] = ",".join(as_list(value))
        elif kind == "text":
            doc[name] = analyze("\n".join(as_list(value)))
        else:
            date = as_date(value) if not isinstance(value, (int, float)) else None
            doc[name] = date.isoformat() if date else _as_text(value)
    doc = {k: v for k, v in doc.items() if v not in ("", None)}
    doc["words"] = words
    return doc
