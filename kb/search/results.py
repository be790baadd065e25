"""A search as a PM sees it: hits with snippets, the counts, facets and did-you-mean."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh import query as wq

from kb.config import Workspace
from kb.errors import KbError, UsageError
from kb.search.analysis import STOP, is_cjk, stem, tokens
from kb.search.documents import TEXT_FIELDS, clean_body
from kb.search.filters import Filters, check_filter_values, check_filters, filter_query
from kb.search.glossary import load as load_glossary
from kb.search.indexer import IndexReport, index_name, open_searcher
from kb.search.query import (
    Plan,
    is_explicit,
    normalize_query,
    parse_fields,
    parse_strict,
    plan,
    split_fields,
)
from kb.search.ranking import (
    Ranked,
    facet_counts,
    known_anywhere,
    newest,
    rank_plan,
    rank_strict,
)
from kb.search.state import KnownWords, load_vocab_text, parse_vocab

# Longer words get no did-you-mean: the edit-distance search grows with the word, and no real
# word is this long.
MAX_SUGGEST_LENGTH = 40


@dataclass
class Hit:
    """One search result."""

    id: str
    type: str
    title: str
    project: str
    date: str
    path: str
    score: float
    snippet: str = ""
    status: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    risk_score: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON shape of one result."""
        return asdict(self)


@dataclass
class SearchResult:
    """Results of one search: ranked hits, the counts, facets and a did-you-mean suggestion."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] | None = None
    suggestion: str | None = None
    index: IndexReport | None = None  # set when the search brought the index up to date
    all_words: int | None = None  # entries holding every word (plain queries; else None)
    some_words: int | None = None  # entries holding only some of them

    def to_dict(self) -> dict[str, Any]:
        """Stable JSON shape for ``kb search --json``."""
        data: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "all_words": self.all_words,
            "some_words": self.some_words,
            "suggestion": self.suggestion,
            "hits": [h.to_dict() for h in self.hits],
        }
        if self.facets is not None:
            data["facets"] = {
                name: [{"value": v, "count": c} for v, c in counts]
                for name, counts in self.facets.items()
            }
        return data


def hit(searcher, docnum: int, score: float, snippet_text: str = "") -> Hit:
    """The Hit of one index document."""
    f = searcher.stored_fields(docnum)
    card = f.get("card") or {}
    return Hit(
        id=card.get("id", ""),
        type=f.get("type", ""),
        title=card.get("title", ""),
        project=card.get("project", ""),
        date=card.get("date", ""),
        path=f.get("path", ""),
        score=round(float(score), 3),
        snippet=snippet_text,
        status=card.get("status", ""),
        category=card.get("category", ""),
        tags=list(card.get("tags") or []),
        risk_score=card.get("risk_score"),
    )


def indexed_body(ws: Workspace, rel: str) -> str:
    """The body of an entry as it is indexed, read from its file ('' when it cannot be read).

    The index does not store bodies: only the hits shown need them."""
    from kb.entry import body_of
    from kb.store import read_text

    try:
        return clean_body(body_of(read_text(ws, ws.root / rel, rel)))
    except (KbError, OSError):
        return ""


def _spans(text: str, wanted: set[str], first_only: bool = False) -> list[list[int]]:
    """Character spans of ``text`` whose terms are in ``wanted``; overlapping ones merged."""
    singles = {w for w in wanted if len(w) == 1 and is_cjk(w)}
    spans: list[list[int]] = []

    def add(start: int, end: int) -> None:
        # overlapping bigrams, and words apart only by spaces, make one marked stretch
        if spans and (start <= spans[-1][1] or text[spans[-1][1] : start].isspace()):
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])

    for t in tokens(text):
        if t.cjk:
            for i, bigram in enumerate(t.terms):
                if bigram in wanted or singles.intersection(bigram):
                    add(t.start + i, t.start + i + len(bigram))
        elif t.joined in wanted or any(term in wanted for term in t.terms):
            add(t.start, t.end)
        if first_only and spans:
            break
    return spans


def lead(body: str, length: int = 160) -> str:
    """The first ``length`` characters of a body, on one line."""
    text = re.sub(r"\s+", " ", body).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _first_match(text: str, wanted: set[str]) -> int | None:
    """Where the first token of ``text`` whose terms are wanted starts (None: nowhere)."""
    spans = _spans(text, wanted, first_only=True)
    return spans[0][0] if spans else None


def snippet(body: str, wanted: set[str], width: int = 200) -> str:
    """About ``width`` characters of ``body`` around the first match, matches marked **so**.

    Tokenizes only as far as the first match, then the window: the whole body of every hit
    would cost more than the search."""
    first = _first_match(body, wanted) if wanted else None
    if first is None:
        return lead(body, width)
    if is_cjk(body[first : first + 4]):
        width //= 2  # a Chinese character says about as much as a short English word
    start = max(0, first - width // 4)
    if start:
        space = body.rfind(" ", max(0, start - 15), first)
        start = space + 1 if space >= 0 else start
    end = min(len(body), start + width)
    if end < len(body):
        space = body.find(" ", end - 15, end + 15)
        end = space if space >= 0 else end
    window = body[start:end]
    out, last = [], 0
    for a, b in _spans(window, wanted):
        out += [window[last:a], "**", window[a:b], "**"]
        last = b
    out.append(window[last:])
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    return ("…" if start else "") + text + ("…" if end < len(body) else "")


def _strict_wanted(searcher, q) -> set[str]:
    """The prose terms of an explicit query that a snippet marks; words under NOT left out."""
    wanted: set[str] = set()
    reader = searcher.reader()

    def visit(node) -> None:
        if isinstance(node, wq.Not):
            return
        if node.is_leaf() or isinstance(node, wq.Phrase):
            try:
                terms = node.existing_terms(reader, expand=True)
            except Exception:  # a query kind that cannot list its terms: nothing to mark
                return
            for name, text in terms:
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                if name in TEXT_FIELDS:
                    wanted.add(text)
                elif name == "bodypairs":  # a Chinese word of the body: mark its bigrams
                    wanted.update(text.split("+"))
            return
        for child in node.children():
            visit(child)

    visit(q)
    return wanted


@dataclass
class _Prepared:
    ranked: Ranked
    wanted: set[str]
    plan: Plan | None = None  # a plain query's


def _prepare(ws, searcher, text: str, limit: int, allowed, vocabulary: Callable[[], str]):
    """Rank ``text`` (already normalized) within ``allowed``."""
    known = KnownWords(vocabulary)
    if not text.strip() or text.strip() == "*":
        return _Prepared(newest(searcher, limit, allowed), set())
    if is_explicit(text):
        pairs = load_glossary(ws.glossary_path).pairs
        q = parse_strict(searcher.schema, text, vocabulary, searcher.reader(), known, pairs)
        if q is wq.NullQuery:
            return _Prepared(Ranked(), set())
        return _Prepared(rank_strict(searcher, q, limit, allowed), _strict_wanted(searcher, q))
    fields_text, words_text = split_fields(text)
    glossary = load_glossary(ws.glossary_path)
    fq = parse_fields(
        searcher.schema, fields_text, vocabulary, searcher.reader(), known, glossary.pairs
    )
    if fq is not None and fq is not wq.NullQuery:
        docs = set(searcher.docs_for_query(fq))
        allowed = docs if allowed is None else allowed & docs
    p = plan(words_text, glossary, known)
    if not p.units:
        if fq is None:  # only stop words or punctuation: nothing to find
            return _Prepared(Ranked(all_words=0, some_words=0), set())
        return _Prepared(newest(searcher, limit, allowed), set())
    return _Prepared(rank_plan(searcher, p, limit, allowed), p.wanted, p)


def search(
    ws: Workspace,
    query: str,
    filters: Filters | None = None,
    *,
    limit: int = 10,
    facets: bool = False,
    refresh: bool = True,
    notice: Callable[[str], None] | None = None,
) -> SearchResult:
    """Ranked entries matching ``query`` and ``filters`` (see ``kb.search.query`` for how a
    plain query is relaxed and explicit syntax kept strict). Brings a stale index up to date
    first unless ``refresh`` is False."""
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    filters = check_filters(ws, filters or Filters())
    with open_searcher(ws, refresh=refresh, notice=notice) as (searcher, report):
        name = index_name(ws)

        @functools.cache
        def vocabulary() -> str:
            return load_vocab_text(ws.index_dir, name)

        text = normalize_query(ws, searcher.schema, query)
        check_filter_values(searcher, filters, ws.language)
        fq = filter_query(filters)
        allowed = set(searcher.docs_for_query(fq)) if fq is not None else None
        prepared = _prepare(ws, searcher, text, limit, allowed, vocabulary)
        ranked = prepared.ranked
        hits = [
            hit(searcher, d, s, snippet(indexed_body(ws, path), prepared.wanted))
            for d, s in ranked.top
            if (path := searcher.stored_fields(d).get("path"))
        ]
        facet_data = facet_counts(searcher, ranked.matched) if facets else None
        suggestion = None
        if query.strip():
            suggestion = _suggest(ws, searcher, text, prepared, allowed, vocabulary)
    return SearchResult(
        query,
        len(ranked.matched),
        hits,
        facet_data,
        suggestion,
        report,
        ranked.all_words,
        ranked.some_words,
    )


_WORD = re.compile(r"(?<![\w:*?])[A-Za-z][A-Za-z'-]{2,}(?![\w:*?])")
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}


def closest_word(word: str, vocab: dict[str, int]) -> str | None:
    """The most frequent vocabulary word within edit distance 1, else 2 (first letter kept)."""
    from whoosh.spelling import ListCorrector

    if not vocab or len(word) > MAX_SUGGEST_LENGTH:
        return None
    corrector = ListCorrector(sorted(vocab))
    for distance in (1, 2):
        found = [w for w in corrector.suggest(word, limit=20, maxdist=distance, prefix=1)]
        found = [w for w in found if w != word]
        if found:
            return min(found, key=lambda w: (-vocab.get(w, 0), w))
    return None


def _known(searcher, word: str) -> bool:
    reader = searcher.reader()
    stemmed = stem(word)
    return any(reader.doc_frequency(f, stemmed) for f in TEXT_FIELDS) or bool(
        reader.doc_frequency("tags", word)
    )


def _suggest(ws, searcher, text: str, prepared: _Prepared, allowed, vocabulary) -> str | None:
    """The query with the words the index knows in no form replaced by the closest words of
    the index, when that finds more entries than the query did; else None."""
    unknown: set[str] = set()
    p = prepared.plan
    if p is not None:  # a plain query: a word is unknown when nothing covers its unit
        for k, (unit, covered) in enumerate(zip(p.units, prepared.ranked.covered, strict=True)):
            if unit.latin and not covered and not known_anywhere(searcher, p, k):
                unknown.add(unit.label)
    else:
        for m in _WORD.finditer(text):
            word = m.group(0)
            low = word.lower()
            if word not in _OPERATORS and low not in STOP and not _known(searcher, low):
                unknown.add(low)
    if not unknown:
        return None
    vocab: dict[str, int] | None = None
    changed = False

    def fix(m: re.Match) -> str:
        nonlocal vocab, changed
        word = m.group(0)
        if word.lower() not in unknown:
            return word
        if vocab is None:
            vocab = parse_vocab(vocabulary())
        found = closest_word(word.lower(), vocab)
        if not found:
            return word
        changed = True
        return found

    fixed = _WORD.sub(fix, text)
    if not changed:
        return None
    better = _prepare(ws, searcher, fixed, 1, allowed, vocabulary).ranked
    return fixed if len(better.matched) > len(prepared.ranked.matched) else None
