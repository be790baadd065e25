"""Text analysis: what a piece of text means to the index, for English, Chinese and both mixed.

kb analyzes text itself and hands Whoosh space-separated terms, indexed with Whoosh's stock
``SpaceSeparatedTokenizer``: the index schema holds no kb class, and the index, the query side
and the snippets all cut text with the one function here.

- Latin words are lowercased, stop words left out (the next word takes the position), and
  Porter-stemmed: *migrations* and *migrating* are *migrat*.
- Word forms: a compound (``cut-over``, ``go_live_date``, ``dataMigration``, ``ERP_MIGRATION``)
  is indexed as its parts, one position each, so the phrase "cut over" finds it, plus the parts
  joined (``cutover``), so the one word finds it too. The joined forms go at the end of the
  field, outside every phrase. The query side splits a typed ``cutover`` again when both
  halves are words of the index (``decompound``).
- Runs of Chinese (and Japanese, Korean) characters become overlapping character bigrams
  (数据迁移: 数据 据迁 迁移), each at the next position, so a Chinese word is found as the
  phrase of its bigrams; a lone character stays itself. No dictionary, nothing to download.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from whoosh.analysis import STOP_WORDS
from whoosh.lang.porter import stem as porter_stem

_CJK = (
    "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
)
_HAS_CJK = re.compile(f"[{_CJK}]")
_CJK_SPLIT = re.compile(f"([{_CJK}]+)")
# A word, with hyphens inside it (cut-over, go-live, on-site); underscores are word characters.
_WORD = re.compile(r"\w+(?:[-\u2010\u2011]\w+)*")
_SEPARATORS = re.compile(r"[-\u2010\u2011_]+")
# camelCase and ACRONYMWord boundaries; digits stay with the letters before them.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z0-9]+|[A-Z0-9]+")

# Words that say nothing about what an entry is about: Whoosh's list and the rest of English's
# pronouns, auxiliaries, articles and conjunctions. Left out of the index and of queries, so
# "status reports stayed green until it was too late" counts the words that matter. Particles
# that make compounds (over, up, out, off, down) stay: cut-over, roll-out, sign-off.
_MORE_STOP_WORDS = """
    about above after again against all also am any because been before being below between
    both but cannot could did does doing during each few further had has have having he her
    here hers herself him himself his how i into its itself just me more most must my myself no
    nor now only other ought our ours ourselves own same shall she should so some such than
    their theirs them themselves then there these they those through too until very was were
    what where which while who whom why would yours yourself yourselves
"""
STOP = frozenset(STOP_WORDS) | frozenset(_MORE_STOP_WORDS.split())


def is_cjk(text: str) -> bool:
    """True when ``text`` contains a Chinese, Japanese or Korean character."""
    return _HAS_CJK.search(text) is not None


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The index term of one lowercase Latin word: its Porter stem (numbers stay as they are)."""
    if not word.isascii() or word.isdigit():
        return word
    return porter_stem(word)


def _parts(word: str) -> list[str]:
    """A word's parts: split at hyphens, underscores and camelCase boundaries."""
    pieces = [p for p in _SEPARATORS.split(word) if p]
    out: list[str] = []
    for piece in pieces:
        if piece.isascii() and not piece.isupper() and not piece.islower():
            out.extend(_CAMEL.findall(piece) or [piece])
        else:
            out.append(piece)
    return out


def bigrams(run: str) -> list[str]:
    """The overlapping bigrams of a run of CJK characters (a lone character is itself)."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass
class Token:
    """One unit of analyzed text: its terms at consecutive positions, and where it was."""

    terms: list[str]  # index terms in position order (a compound: its parts)
    start: int
    end: int
    joined: str = ""  # a compound's parts joined, indexed outside the phrase positions
    cjk: bool = False
    raw: str = ""  # the text as written (lowercase), for the vocabulary and did-you-mean


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` in order, with their character offsets; stop words left out."""
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        if is_cjk(word):
            offset = start
            for piece in _CJK_SPLIT.split(word):
                if not piece:
                    continue
                if is_cjk(piece):
                    yield Token(bigrams(piece), offset, offset + len(piece), cjk=True, raw=piece)
                else:
                    yield from _latin(piece, offset)
                offset += len(piece)
        else:
            yield from _latin(word, start)


def _latin(word: str, start: int) -> Iterator[Token]:
    parts = _parts(word)
    end = start + len(word)
    if not parts:  # only separators
        return
    if len(parts) == 1:
        low = parts[0].lower()
        if low not in STOP:
            yield Token([stem(low)], start, end, raw=low)
        return
    lows = [p.lower() for p in parts]
    terms = [stem(p) for p in lows]  # every part of a compound counts: check-in, follow-up
    joined = "".join(lows)
    yield Token(terms, start, end, joined=stem(joined), raw=joined)


_STEMS: dict[str, str] = {}  # a dict lookup is cheaper than lru_cache's call


def analyze(
    text: str,
    words: set[str] | None = None,
    pairs: list[str] | None = None,
    phrase_pairs: frozenset[str] | set[str] = frozenset(),
    joined: bool = True,
) -> str:
    """``text`` as the space-separated terms the index holds (joined compounds at the end);
    with ``words``, also add its Latin words as written (3+ letters), for did-you-mean; with
    ``pairs``, append its pairs of overlapping Chinese bigrams and its adjacent word pairs that
    are in ``phrase_pairs`` (see ``pair``). Without ``joined``, compounds' joined forms are
    left out.

    The same terms as ``tokens``, in one pass: a plain word (most of them) is lowercased and
    stemmed without building a Token, the rest go through ``tokens``."""
    out: list[str] = []
    joins: list[str] = []
    stems = _STEMS
    for word in _WORD.findall(text):
        if (
            word.isascii()
            and "-" not in word
            and "_" not in word
            and (word.islower() or word.isupper() or word[1:].islower())
        ):
            low = word.lower()
            if low in STOP:
                continue
            term = stems.get(low)
            if term is None:
                term = stem(low)
                if len(stems) < 500_000:
                    stems[low] = term
            out.append(term)
            if words is not None and len(low) >= 3 and low.isalpha():
                words.add(low)
            continue
        for t in tokens(word):
            out.extend(t.terms)
            if t.joined:
                joins.append(t.joined)
            raw = t.raw
            if (
                words is not None
                and not t.cjk
                and len(raw) >= 3
                and raw.isalpha()
                and raw.isascii()
            ):
                words.add(raw)
    if pairs is not None:
        for a, b in zip(out, out[1:], strict=False):
            bigrams_overlap = len(a) == 2 == len(b) and a[1] == b[0] and is_cjk(a)
            if bigrams_overlap or (phrase_pairs and pair(a, b) in phrase_pairs):
                pairs.append(pair(a, b))
    if joined and joins:
        out.extend(joins)
    return " ".join(out)


def pair(first: str, second: str) -> str:
    """The term of two adjacent terms in the pairs field.

    A phrase is a check of word positions in every entry holding all its words, which is
    slow when the words are common; a pair indexed as one term is a lookup. Every Chinese word
    is a phrase of bigrams, so the pairs of overlapping bigrams (数据 据迁) are indexed; of the
    Latin word pairs only those of the glossary's phrases (``late delivery``): all of them
    would multiply the index's vocabulary."""
    return f"{first}+{second}"


def index_text(text: str) -> str:
    """``text`` as the space-separated terms the index holds (joined compounds at the end)."""
    return analyze(text)


def terms_of(text: str) -> list[str]:
    """The index terms of ``text`` in position order (joined compounds left out)."""
    return analyze(text, joined=False).split()


def words_as_written(text: str) -> set[str]:
    """The Latin words of ``text`` as written (lowercase, 3+ letters): did-you-mean's vocabulary."""
    found: set[str] = set()
    analyze(text, found)
    return found


@dataclass
class QueryWord:
    """One word of a plain query, as typed and as the index knows it."""

    raw: str
    terms: list[str]  # its index terms in order (one, or a compound's parts, or CJK bigrams)
    joined: str = ""  # a compound's joined form
    cjk: bool = False
    forms: list[list[str]] = field(default_factory=list)  # other word forms (decompounded)


def query_words(text: str) -> list[QueryWord]:
    """The words of a plain query, stop words left out."""
    return [
        QueryWord(t.raw or text[t.start : t.end].lower(), t.terms, t.joined, t.cjk)
        for t in tokens(text)
        if t.terms or t.joined
    ]


def decompound(word: str, known: frozenset[str] | set[str]) -> list[str] | None:
    """``cutover`` -> the stems of ``cut``, ``over`` when both halves are words of the index.

    The split with the longest first half wins; halves are at least three letters."""
    if not word.isascii() or not word.isalpha() or len(word) < 6:
        return None
    for i in range(len(word) - 3, 2, -1):
        head, tail = word[:i], word[i:]
        if head in known and tail in known and head not in STOP and tail not in STOP:
            return [stem(head), stem(tail)]
    return None
