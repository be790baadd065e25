"""Ranking: the order of the matching entries, and the counts and facets of the whole set.

A plain query's entries are ordered in three groups: those holding every word of the query
(each in some form: as typed, as a word form, through the glossary) come first, those holding
every word as typed leading them; then all the others. Within a group, by Whoosh's BM25F score
of the plan's parts (title and tags count most; adjacent words add a phrase bonus; synonyms
and translations count less than the words typed) times the square of the share of the query
the entry covers, each word weighed by its rarity (IDF): an entry holding the rare words of a
query outranks one holding only its common ones. This coordination was chosen on the judged
queries of ``benchmarks/bench_relevance.py`` over a plain count of the words held (see
docs/guide/search.md). Explicit syntax is ordered by BM25F alone.

Every matching entry is scored (``limit=None``): Whoosh's top-N shortcuts leave query boosts out
of their score bounds and can drop a title hit from the top ten.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh import sorting

from kb.search.documents import FACETS
from kb.search.query import Plan


@dataclass
class Ranked:
    """The best entries (docnum, score) in order, every matching docnum, and the word counts."""

    top: list[tuple[int, float]] = field(default_factory=list)
    matched: set[int] = field(default_factory=set)
    all_words: int | None = None  # entries holding every unit of a plain query
    some_words: int | None = None  # entries holding some of them
    covered: list[set[int]] = field(default_factory=list)  # per unit, within the filters


def _scores(searcher, q: wq.Query, allowed: set[int] | None, mask: set[int] | None):
    if allowed is not None and not allowed:  # Whoosh reads an empty filter as "no filter"
        return {}
    results = searcher.search(q, limit=None, filter=allowed, mask=mask or None)
    return dict(results.items())


def rank_strict(
    searcher, q: wq.Query, limit: int, allowed: set[int] | None = None, mask=None
) -> Ranked:
    """Entries matching an explicit query, best BM25F score first."""
    scores = _scores(searcher, q, allowed, mask)
    top = heapq.nsmallest(limit, scores.items(), key=lambda ds: (-ds[1], ds[0]))
    return Ranked(top, set(scores))


def rank_plan(
    searcher, plan: Plan, limit: int, allowed: set[int] | None = None, mask=None
) -> Ranked:
    """Entries matching a plain query's plan, in the order described above.

    Each part of the plan is searched once, on its own; its scores are added up here (what
    Whoosh's ``Or`` of the parts would score) and the entries it matches give the coverage."""
    if not plan.units:
        return Ranked(all_words=0, some_words=0)
    scores: Counter[int] = Counter()

    def run(q) -> set[int]:
        found = _scores(searcher, q, allowed, mask)
        scores.update(found)
        return set(found)

    covered = [run(u.typed) for u in plan.units]
    typed = [set(docs) for docs in covered]
    for span in plan.spans:
        docs = run(span.query)
        for u in span.units:
            covered[u] |= docs
            if span.typed:
                typed[u] |= docs
    for q in plan.bonus:
        run(q)
    total = max(searcher.doc_count(), 1)
    # a unit weighs what its word says: the rarer, the more (the IDF of the entries it covers)
    weights = [math.log(1 + total / (1 + len(docs))) for docs in covered]
    whole = sum(weights) or 1.0
    coverage: Counter[int] = Counter()
    weighed: Counter[int] = Counter()
    for docs, weight in zip(covered, weights, strict=True):
        coverage.update(docs)
        for d in docs:
            weighed[d] += weight
    as_typed: Counter[int] = Counter()
    for docs in typed:
        as_typed.update(docs)
    n = len(plan.units)

    def key(d: int) -> tuple:
        every_word = coverage[d] >= n
        return (
            not every_word,
            not (every_word and as_typed[d] >= n),
            -scores[d] * (weighed[d] / whole) ** 2,
            d,
        )

    top = heapq.nsmallest(limit, coverage, key=key)
    every = sum(1 for d in coverage if coverage[d] >= n)
    return Ranked(
        [(d, scores[d]) for d in top], set(coverage), every, len(coverage) - every, covered
    )


def known_anywhere(searcher, plan: Plan, unit: int) -> bool:
    """Whether any entry of the index holds a unit in some form, filters aside (did-you-mean
    asks this only of the units no entry within the filters holds)."""

    def finds(q) -> bool:  # docs_for_query is a generator: is there a first one
        return next(iter(searcher.docs_for_query(q)), None) is not None

    if finds(plan.units[unit].typed):
        return True
    return any(unit in s.units and finds(s.query) for s in plan.spans)


def newest(searcher, limit: int, allowed: set[int] | None) -> Ranked:
    """Every entry passing the filters, newest first (a search without words)."""
    if allowed is not None and not allowed:
        return Ranked()
    results = searcher.search(
        wq.Every(), limit=limit, filter=allowed, sortedby="date", reverse=True
    )
    matched = allowed if allowed is not None else set(searcher.docs_for_query(wq.Every()))
    return Ranked([(hit.docnum, 0.0) for hit in results], set(matched))


def facet_counts(searcher, docs: set[int]) -> dict[str, list[tuple[str, int]]]:
    """Counts of ``docs`` by each value of type, category, project and tag."""
    names = [n for n in FACETS if n in searcher.schema]
    out: dict[str, list[tuple[str, int]]] = {("tag" if n == "tags" else n): [] for n in names}
    if not docs:
        return out
    facets = {n: sorting.FieldFacet(n, allow_overlap=n == "tags") for n in names}
    results = searcher.search(
        wq.Every(), filter=docs, limit=None, groupedby=facets, maptype=sorting.Count
    )
    for name in names:
        pairs = []
        for value, count in results.groups(name).items():
            if value in (None, "", b""):
                continue
            value = value.decode("utf-8") if isinstance(value, bytes) else str(value)
            if name == "project":  # show the name as written, not as indexed
                first = searcher.document_number(project=value)
                if first is not None:
                    value = searcher.stored_fields(first)["card"].get("project") or value
            pairs.append((value, count))
        pairs.sort(key=lambda vc: (-vc[1], vc[0]))
        out["tag" if name == "tags" else name] = pairs
    return out
