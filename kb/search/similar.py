"""Entries like one entry (`kb similar`) and entries relevant to a new project (`kb brief`),
ranked the way `kb search` ranks a plain query."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import query as wq

from kb import i18n
from kb.config import Workspace
from kb.errors import KbError, UsageError
from kb.search.analysis import index_text
from kb.search.glossary import load as load_glossary
from kb.search.indexer import index_name, open_searcher
from kb.search.query import Plan, Unit, plan, target
from kb.search.ranking import rank_plan
from kb.search.results import Hit, hit, indexed_body, lead
from kb.search.state import KnownWords, load_vocab_text

KEY_TERMS = 25  # the most significant words of an entry that `similar` searches for


def _find_doc(searcher, ws: Workspace, ref: str) -> int | None:
    ref = ref.strip()
    docnum = searcher.document_number(id=ref.lower())
    if docnum is None:
        path = Path(ref)
        candidates = {ref.replace(os.sep, "/")}
        if path.exists():
            candidates.add(ws.relpath(path.resolve()))
        for rel in candidates:
            docnum = searcher.document_number(path=rel)
            if docnum is not None:
                break
    return docnum


def similar(
    ws: Workspace, ref: str, *, limit: int = 5, refresh: bool = True
) -> tuple[Hit, list[Hit]]:
    """The entry ``ref`` (an id or a path) and the entries most like it, itself excluded.

    More-like-this: the most significant words of its title and body (Whoosh's
    ``key_terms_from_text``, Bo1 model), each a unit of the plan, and its tags.
    """
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    with open_searcher(ws, refresh=refresh) as (searcher, _):
        docnum = _find_doc(searcher, ws, ref)
        if docnum is None:
            raise KbError(i18n.text("search_cli.no_such_entry", ws.language, ref=repr(ref)))
        source = hit(searcher, docnum, 0.0)
        body = indexed_body(ws, source.path)
        text = index_text(f"{source.title}\n{source.title}\n{body}")
        terms = searcher.key_terms_from_text("body", text, numterms=KEY_TERMS, normalize=True)
        p = Plan()
        for word, weight in terms:
            p.units.append(Unit(word, target([word], weight)))
        for tag in source.tags:
            p.bonus.append(wq.Term("tags", tag))
        if source.project:  # the same project: more likely about the same things
            p.bonus.append(wq.Term("project", source.project.lower()))
        if not p.units:
            return source, []
        ranked = rank_plan(searcher, p, limit, mask={docnum})
        hits = [
            hit(searcher, d, s, lead(indexed_body(ws, searcher.stored_fields(d)["path"])))
            for d, s in ranked.top
        ]
    return source, hits


def related_hits(
    ws: Workspace,
    text: str,
    *,
    types: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    boost_ids: Iterable[str] = (),
    boost_projects: Iterable[str] = (),
    limit: int = 50,
) -> list[Hit]:
    """Entries of ``types`` ranked by how well they match free ``text``, tags and context.

    ``text`` is a plain query (any of its words may match; entries holding more of them rank
    first); each of ``tags`` counts as one more word; a ``source`` in ``boost_ids`` or a project
    in ``boost_projects`` adds to the score. Used by the pre-mortem brief.
    """
    with open_searcher(ws) as (searcher, _):
        name = index_name(ws)
        known = KnownWords(lambda: load_vocab_text(ws.index_dir, name))
        p = plan(text, load_glossary(ws.glossary_path), known) if text.strip() else Plan()
        for tag in tags:
            p.units.append(Unit(tag, wq.Term("tags", tag.strip().lower(), boost=3.0)))
        if "source" in searcher.schema:
            p.bonus.extend(wq.Term("source", ref.lower(), boost=2.0) for ref in boost_ids)
        p.bonus.extend(wq.Term("project", pr.lower(), boost=2.0) for pr in boost_projects)
        if not p.units and not p.bonus:
            return []
        if not p.units:  # only context: rank by it alone
            p.units.append(Unit("", wq.Or(p.bonus)))
            p.bonus = []
        allowed = None
        if types:
            allowed = set(searcher.docs_for_query(wq.Or([wq.Term("type", t) for t in types])))
            if not allowed:
                return []
        ranked = rank_plan(searcher, p, limit, allowed)
        return [hit(searcher, d, s) for d, s in ranked.top]


def entries_where(ws: Workspace, **criteria: str) -> list[dict[str, Any]]:
    """Id, path and card fields of the entries whose index fields equal ``criteria``
    (case-insensitive)."""
    parts = [wq.Term(k, str(v).lower()) for k, v in criteria.items()]
    if not parts:
        return []
    with open_searcher(ws) as (searcher, _):
        if any(k not in searcher.schema for k in criteria):
            return []
        out = []
        for docnum in sorted(searcher.docs_for_query(wq.And(parts))):
            fields = searcher.stored_fields(docnum)
            out.append({**(fields.get("card") or {}), "path": fields.get("path", "")})
        return out
