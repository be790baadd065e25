"""From what a PM types to Whoosh queries: plain queries relaxed into a plan, explicit syntax
kept strict (the filters are kb.search.filters).

A **plain query** (words, Chinese, no operators) becomes a ``Plan``: one *unit* per word (per
glossary term or bigram in Chinese text), each with its word forms; *spans* of the glossary's
synonyms and cross-language equivalents that cover one or more units; and *bonus* phrases of
adjacent words. Ranking (``kb.search.ranking``) orders entries by how many units they cover,
then by how many they cover with the words as typed, then by BM25F, so an entry holding every
word comes first and a synonym never outranks the word typed. ``field:value`` terms in a plain
query are filters (``kb.search.filters``).

**Explicit syntax** (``AND``, ``OR``, ``NOT``, quotes, parentheses, wildcards, ranges, boosts)
is parsed by Whoosh's ``QueryParser`` with every word required, as typed; its terms are then
analyzed the way the index is (stems, compounds, Chinese bigrams).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as wq

from kb import i18n
from kb.config import Workspace
from kb.errors import UsageError
from kb.fields import spoken
from kb.search.analysis import (
    QueryWord,
    bigrams,
    decompound,
    is_cjk,
    pair,
    query_words,
    stem,
    terms_of,
)
from kb.search.documents import HIDDEN_FIELDS, TEXT_BOOSTS, TEXT_FIELDS
from kb.search.glossary import Glossary

MAX_QUERY_CHARS = 2000
MAX_WILDCARD_WORDS = 512
MAX_UNITS = 64  # words of a plain query that count; a pasted paragraph keeps its first 64

# How much a match counts by how it relates to what was typed.
SYNONYM = 0.6  # a same-language term of the glossary
CROSS = 0.5  # an equivalent in the other language
BONUS = 1.0  # two typed words next to each other (or near: slop 3)

_FIELD_REF = re.compile(r'(?<![\w"])([A-Za-z_][A-Za-z0-9_]*):(?!//)(?=\S)')
_TYPE_VALUE = re.compile(r"(?<![\w\"])(type|kind_of):([^\s()\"]+)", re.I)
_SIMPLE_FIELD = re.compile(r'(?<![\w"])([A-Za-z_][A-Za-z0-9_]*):([^\s()"\[\]{}]+)')
_SYNTAX = re.compile(r'["()\[\]{}*?~^]|(?<!\S)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?!\S)')
_ALIASES = {"tag": "tags", "kind_of": "type"}


# ---------------------------------------------------------------------------------------------
# The query language: checks shared by both kinds of query.


def _outside_quotes(text: str) -> list[str]:
    return text.split('"')[::2]


def normalize_query(ws: Workspace, schema, text: str) -> str:
    """Check the field names a query uses, and write ``type:`` values as canonical type names.

    Whoosh would read an unknown ``field:`` as text and quietly find nothing; a PM gets told
    which fields exist instead. ``type:Lesson`` and ``type:ll`` mean ``type:lesson``.
    """
    if len(text) > MAX_QUERY_CHARS:  # Whoosh's parser slows down badly on huge input
        raise UsageError(
            i18n.text(
                "search_cli.too_long",
                ws.language,
                count=f"{len(text):,}",
                most=f"{MAX_QUERY_CHARS:,}",
            )
        )
    names = set(schema.names())
    unknown = sorted(
        {
            m.group(1)
            for part in _outside_quotes(text)
            for m in _FIELD_REF.finditer(part)
            if (m.group(1) not in names or m.group(1) in HIDDEN_FIELDS - {"path"})
            and m.group(1).lower() not in _ALIASES
        }
    )
    if unknown:
        searchable = sorted(names - HIDDEN_FIELDS)
        separator = i18n.text("search_cli.separator", ws.language)
        raise UsageError(
            i18n.text(
                "search_cli.unknown_fields",
                ws.language,
                count=len(unknown),
                names=separator.join(unknown),
                fields=separator.join(searchable),
            )
        )

    def canonical(m: re.Match[str]) -> str:
        etype = ws.schema.get(m.group(2))
        return f"{m.group(1)}:{etype.name if etype else m.group(2).lower()}"

    parts = text.split('"')
    parts[::2] = [_TYPE_VALUE.sub(canonical, part) for part in parts[::2]]
    return '"'.join(parts)


def is_explicit(text: str) -> bool:
    """True when the query uses the query language beyond words and ``field:value``."""
    return bool(_SYNTAX.search(text))


def split_fields(text: str) -> tuple[str, str]:
    """(the ``field:value`` terms, the rest) of a plain query."""
    found = [m.group(0) for m in _SIMPLE_FIELD.finditer(text)]
    rest = _SIMPLE_FIELD.sub(" ", text)
    return " ".join(found), rest


def _parser(schema, group=qparser.AndGroup) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(TEXT_FIELDS), schema, fieldboosts=TEXT_BOOSTS, group=group
    )
    parser.add_plugin(qparser.GtLtPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"tags": ["tag"], "type": ["kind_of"]}))
    return parser


def parse_strict(
    schema, text: str, vocabulary: Callable[[], str], reader, known, pairs=frozenset()
) -> wq.Query:
    """A query in explicit syntax: Whoosh's parser, then its words analyzed as the index is."""
    if re.search(r"\bNOT\s+NOT\b", text):
        raise UsageError(i18n.text("search_cli.not_not", spoken(), query=repr(text)))
    try:
        q = _parser(schema).parse(text)
    except Exception as exc:
        from kb.search.indexer import describe

        message = i18n.text(
            "search_cli.bad_query", spoken(), query=repr(text), reason=describe(exc)
        )
        raise UsageError(message) from None
    if q is None or q is wq.NullQuery:
        return wq.NullQuery
    return _rewrite(q, _Rewrite(known, vocabulary, reader, pairs)).normalize()


@dataclass
class _Rewrite:
    """What rewriting a parsed query needs: the index's words, its vocabulary text, a reader
    and the indexed word pairs."""

    known: object
    vocabulary: Callable[[], str]
    reader: object
    pairs: frozenset[str] | set[str]


def _rewrite(q: wq.Query, how: _Rewrite) -> wq.Query:
    if isinstance(q, wq.AndNot):
        # ``a ANDNOT b`` as ``a AND NOT b``: the same set, through one kind of matcher.
        return wq.And([_rewrite(q.a, how), wq.Not(_rewrite(q.b, how))], boost=q.boost)
    text_field = getattr(q, "fieldname", None) in TEXT_FIELDS
    if isinstance(q, wq.Term) and text_field:
        return _word_query(q.fieldname, str(q.text), q.boost, how)
    if isinstance(q, wq.Phrase) and text_field:
        terms = [t for w in q.words for t in terms_of(str(w))]
        if not terms:
            return wq.NullQuery
        if q.slop == 1:
            return _in_field(q.fieldname, terms, q.boost, how.pairs)
        return wq.Phrase(q.fieldname, terms, slop=q.slop, boost=q.boost)
    if isinstance(q, (wq.Wildcard, wq.Prefix)):
        return _expand_wildcard(q, how.vocabulary, how.reader)
    if q.is_leaf():
        return q
    return q.apply(lambda child: _rewrite(child, how))


def _word_query(fieldname: str, text: str, boost: float, how: _Rewrite) -> wq.Query:
    """One word of a strict query in one field: its forms, all as typed."""
    words = query_words(text)
    if not words:
        return wq.NullQuery
    if len(words) > 1:  # several tokens in one word (SAP接口): in order, next to each other
        terms = [t for w in words for t in w.terms]
        return _in_field(fieldname, terms, boost, how.pairs)
    forms = word_forms(words[0], how.known)
    return best_of([_in_field(fieldname, terms, boost, how.pairs) for terms in forms])


def word_forms(word: QueryWord, known) -> list[list[str]]:
    """The term sequences that mean ``word`` as typed: itself, a compound joined, a word split.

    ``cut-over`` is the phrase "cut over" or the word ``cutover``; ``cutover`` is itself or the
    phrase "cut over" when both halves are words of the index."""
    forms = [list(word.terms)] if word.terms else []
    if word.joined:
        forms.append([word.joined])
    elif not word.cjk and len(word.terms) == 1:
        parts = decompound(word.raw, known)
        if parts:
            forms.append(parts)
    return forms


def _in_field(
    fieldname: str,
    terms: list[str],
    boost: float,
    pairs: frozenset[str] | set[str] = frozenset(),
    exact: bool = True,
) -> wq.Query:
    """``terms`` in one field: a term, or a phrase (in the body through the pairs field when its
    pairs are indexed: always for Chinese; for the glossary's word pairs, exactly for two
    words, and for more when ``exact`` is False)."""
    if len(terms) == 1:
        term = terms[0]
        if len(term) == 1 and is_cjk(term):  # a lone character: every bigram holding it
            return wq.Or(
                [
                    wq.Term(fieldname, term, boost=boost),
                    wq.Prefix(fieldname, term, boost=boost),
                    wq.Wildcard(fieldname, "?" + term, boost=boost),
                ]
            )
        return wq.Term(fieldname, term, boost=boost)
    if fieldname == "body":
        if all(is_cjk(t) and len(t) == 2 for t in terms):
            return pairs_query(terms, boost)
        if (len(terms) == 2 or not exact) and all(
            pair(a, b) in pairs for a, b in zip(terms, terms[1:], strict=False)
        ):
            return pairs_query(terms, boost)
    return wq.Phrase(fieldname, terms, boost=boost)


def pairs_query(terms: list[str], boost: float) -> wq.Query:
    """A phrase of the body as its adjacent pairs: exact for two terms, all but exact for a
    Chinese word (a pair of overlapping bigrams is all but never apart from the next)."""
    parts = [wq.Term("bodypairs", pair(a, b)) for a, b in zip(terms, terms[1:], strict=False)]
    return parts[0].with_boost(boost) if len(parts) == 1 else wq.And(parts, boost=boost)


# Where a phrase or an equivalent is looked for: the long ``extra`` field (owners, triggers,
# actions) is left out, which halves the cost of a phrase and changes little of the ranking.
PHRASE_FIELDS = ("title", "tagwords", "body")


def target(
    terms: Iterable[str],
    boost: float = 1.0,
    slop: int = 1,
    fields: Iterable[str] | None = None,
    pairs: frozenset[str] | set[str] = frozenset(),
) -> wq.Query:
    """A term sequence searched in the prose fields (a word: all four; a phrase: title, tags
    and body), each with its field boost."""
    terms = list(terms)
    names = fields or (TEXT_FIELDS if len(terms) == 1 else PHRASE_FIELDS)
    parts = []
    for name in names:
        if slop > 1 and len(terms) > 1:  # near, not next to each other: positions decide
            parts.append(wq.Phrase(name, terms, slop=slop, boost=boost * TEXT_BOOSTS[name]))
        else:
            parts.append(_in_field(name, terms, boost * TEXT_BOOSTS[name], pairs, exact=False))
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def _expand_wildcard(node, vocabulary: Callable[[], str], reader) -> wq.Query:
    """Wildcards in prose fields matched against the words as written, searched as their stems;
    in keyword fields (tags) against the index's own terms. Each word found is scored like a
    typed one (Whoosh scores a multi-word wildcard as one constant)."""
    pattern = node.text.lower() + ("*" if isinstance(node, wq.Prefix) else "")
    if node.fieldname in TEXT_FIELDS:
        if not pattern.isascii():  # CJK bigrams are indexed as written: the index answers
            return node
        words = sorted({stem(w) for w in wildcard_regex(pattern).findall(vocabulary())})
        terms = [wq.Term(node.fieldname, w, boost=node.boost) for w in words[:MAX_WILDCARD_WORDS]]
    else:
        found = sorted(node.existing_terms(reader, expand=True))
        if len(found) > MAX_WILDCARD_WORDS:
            return node  # that many values: Whoosh's own wildcard, which takes them all
        terms = [
            wq.Term(
                name, text.decode("utf-8") if isinstance(text, bytes) else text, boost=node.boost
            )
            for name, text in found
        ]
    if not terms:
        return wq.NullQuery
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """A regular expression finding the words of a vocabulary text that match ``pattern``
    (``*``: any characters, ``?``: one character), as the query language's wildcards mean.

    Each ``*`` before a fixed part is an atomic lazy match of the first place that part occurs,
    so ``a*a*a*a*b`` cannot backtrack through every way of splitting a long word."""
    any_char = "[^\t\n]"

    def fixed(part: str) -> str:
        return "".join(any_char if c == "?" else re.escape(c) for c in part)

    first, *rest = pattern.split("*")
    body = fixed(first)
    if rest:
        *middle, last = rest
        body += "".join(f"(?>{any_char}*?{fixed(m)})" for m in middle if m)
        body += f"{any_char}*{fixed(last)}"
    return re.compile(f"^({body})\t", re.M)


def parse_fields(schema, text: str, vocabulary, reader, known, pairs=frozenset()):
    """The ``field:value`` terms of a plain query, all required (None when there are none)."""
    if not text.strip():
        return None
    return parse_strict(schema, text, vocabulary, reader, known, pairs)


# ---------------------------------------------------------------------------------------------
# Plain queries: the plan.


@dataclass
class Unit:
    """One word of a plain query (or a glossary term, or a bigram of Chinese text)."""

    label: str  # as typed
    typed: wq.Query  # the word and its word forms
    latin: bool = False  # a Latin word did-you-mean may correct


@dataclass
class Span:
    """Glossary equivalents of one or more adjacent units; a match covers all of them."""

    units: tuple[int, ...]
    query: wq.Query
    typed: bool = False  # a word form of what was typed (cut over -> cutover), not a synonym


@dataclass
class Plan:
    """A plain query, ready to rank."""

    units: list[Unit] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    bonus: list[wq.Query] = field(default_factory=list)  # add to the score only
    wanted: set[str] = field(default_factory=set)  # index terms to mark in snippets


def plan(text: str, glossary: Glossary, known) -> Plan:
    """The plan of a plain query (see the module's docstring)."""
    words = query_words(text)
    out = Plan()
    latin_run: list[tuple[int, QueryWord]] = []  # (unit index, word) of adjacent Latin words

    def flush_latin() -> None:
        _latin_spans(out, latin_run, glossary, known)
        latin_run.clear()

    for word in words:
        if len(out.units) >= MAX_UNITS:
            break
        if word.cjk:
            flush_latin()
            _cjk_units(out, word.raw, glossary)
            continue
        forms = word_forms(word, known)
        queries = [target(f, pairs=glossary.pairs) for f in forms]
        out.units.append(Unit(word.raw, best_of(queries), latin=True))
        for f in forms:
            out.wanted.update(f)
        latin_run.append((len(out.units) - 1, word))
    flush_latin()
    return out


def best_of(queries: list[wq.Query]) -> wq.Query:
    """The forms of one typed word: an entry scores by the best of them, not their sum (a text
    saying "go-live" matches both the phrase "go live" and the word "golive": one match)."""
    return queries[0] if len(queries) == 1 else wq.DisjunctionMax(queries)


def _latin_spans(out: Plan, run: list[tuple[int, QueryWord]], glossary: Glossary, known) -> None:
    """Glossary terms, joined words and bonus phrases over a run of adjacent Latin words."""
    pp = glossary.pairs
    seq: list[str] = []  # the run's terms, and for each the unit it belongs to
    owner: list[int] = []
    for unit, word in run:
        seq.extend(word.terms)
        owner.extend([unit] * len(word.terms))
        if word.joined and (word.joined,) in glossary.latin:  # cutover typed as cut-over
            _add_span(out, (unit,), glossary, glossary.latin[(word.joined,)], (word.joined,))
    i = 0
    while i < len(seq):
        for n in range(min(glossary.longest_latin, len(seq) - i), 0, -1):
            key = tuple(seq[i : i + n])
            starts = i == 0 or owner[i - 1] != owner[i]
            ends = i + n == len(seq) or owner[i + n] != owner[i + n - 1]
            if key in glossary.latin and starts and ends:
                # every term found here, the longest and the words inside it: "vendor delay"
                # is a concept, and so is "vendor" (supplier)
                units = tuple(sorted(set(owner[i : i + n])))
                _add_span(out, units, glossary, glossary.latin[key], key)
        i += 1
    for (a, wa_), (b, wb) in zip(run, run[1:], strict=False):
        if len(wa_.terms) == 1 and len(wb.terms) == 1:
            pair_terms = [wa_.terms[0], wb.terms[0]]
            out.bonus.append(target(pair_terms, BONUS, fields=("title", "body"), pairs=pp))
            joined = wa_.raw + wb.raw
            if joined.isalpha() and joined in known:  # cut over -> cutover
                out.spans.append(Span((a, b), target([stem(joined)]), typed=True))
                out.wanted.add(stem(joined))
    if len(run) >= 3:
        terms = [t for _, w in run for t in w.terms]
        out.bonus.append(target(terms, BONUS, slop=3, fields=("title", "tagwords")))


def _add_span(out: Plan, units: tuple[int, ...], glossary: Glossary, concepts, key) -> None:
    typed = next((t for k in concepts for t in glossary.concepts[k] if t.terms == key), None)
    lang = typed.lang if typed else "en"
    queries = []
    for t in glossary.equivalents(set(concepts), typed):
        level = SYNONYM if t.lang == lang else CROSS
        queries.append(target(t.terms, level, fields=PHRASE_FIELDS, pairs=glossary.pairs))
        out.wanted.update(t.terms)
    if queries:
        out.spans.append(Span(units, queries[0] if len(queries) == 1 else wq.Or(queries)))


def _cjk_units(out: Plan, run: str, glossary: Glossary) -> None:
    """Units of a run of Chinese text: its glossary terms, and the bigrams of the rest."""
    pieces: list[tuple[str, set[int] | None]] = []
    i, rest = 0, ""
    longest = max((len(t) for t in glossary.cjk), default=0)
    while i < len(run):
        for n in range(min(longest, len(run) - i), 1, -1):
            if run[i : i + n] in glossary.cjk:
                if rest:
                    pieces.append((rest, None))
                    rest = ""
                pieces.append((run[i : i + n], glossary.cjk[run[i : i + n]]))
                i += n
                break
        else:
            rest += run[i]
            i += 1
    if rest:
        pieces.append((rest, None))
    for piece, concepts in pieces:
        if concepts is not None:
            out.units.append(Unit(piece, target(bigrams(piece))))
            out.wanted.update(bigrams(piece))
            typed = next(t for k in concepts for t in glossary.concepts[k] if t.text == piece)
            _add_span(out, (len(out.units) - 1,), glossary, concepts, typed.terms)
        elif len(piece) == 1 and len(pieces) > 1:
            continue  # a character between terms: too little to search for
        else:
            for bigram in bigrams(piece):
                out.units.append(Unit(bigram, target([bigram])))
                out.wanted.add(bigram)
            if len(piece) > 2:
                out.bonus.append(target(bigrams(piece), BONUS, fields=("title", "body")))
