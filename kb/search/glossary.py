"""The search glossary: synonyms a PM expects and English <-> Chinese equivalents.

kb ships ``glossary.yml`` next to this module for its own vocabulary (the templates' and the
schema's PM terms); a workspace adds its own terms in one file named by the ``glossary``
setting of the kb plugin in mkdocs.yml. Both have the same shape::

    concepts:
      - en: [vendor, supplier]
        zh: [供应商]

Terms of one concept are equivalents. A query word or phrase that is a term of a concept also
searches the concept's other terms: those of the same language as synonyms, the others as
cross-language equivalents, both ranking below the words as typed (see ``kb.search.query``).
``problems`` validates a file and names file and line; ``load`` reads the shipped file and the
workspace's, which must be valid (`kb check` reports it otherwise).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.errors import Problem
from kb.search.analysis import is_cjk, pair, terms_of

# libyaml's loader when PyYAML has it: the shipped glossary is read before every search
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SHIPPED = Path(__file__).with_name("glossary.yml")
LANGS = ("en", "zh")


@dataclass(frozen=True)
class Term:
    """One term of a concept: its text, its language, and its index terms in order."""

    text: str
    lang: str
    terms: tuple[str, ...]


@dataclass
class Glossary:
    """Concepts (lists of equivalent terms) and lookups from what a query holds to them."""

    concepts: list[list[Term]] = field(default_factory=list)
    latin: dict[tuple[str, ...], set[int]] = field(default_factory=dict)  # stems -> concepts
    cjk: dict[str, set[int]] = field(default_factory=dict)  # Chinese string -> concepts
    longest_latin: int = 0
    pairs: set[str] = field(default_factory=set)  # adjacent word pairs of its English phrases

    def add(self, terms: list[Term]) -> None:
        """Add one concept."""
        k = len(self.concepts)
        self.concepts.append(terms)
        for t in terms:
            if not t.terms:
                continue
            if t.lang == "zh":
                self.cjk.setdefault(t.text, set()).add(k)
            else:
                self.latin.setdefault(t.terms, set()).add(k)
                self.longest_latin = max(self.longest_latin, len(t.terms))
                self.pairs.update(map(pair, t.terms, t.terms[1:]))

    def equivalents(self, concepts: set[int], typed: Term | None = None) -> list[Term]:
        """The terms of ``concepts`` other than the one typed (each once)."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        if typed is not None:
            seen.add((typed.lang, typed.terms))
        out: list[Term] = []
        for k in sorted(concepts):
            for t in self.concepts[k]:
                key = (t.lang, t.terms)
                if key not in seen and t.terms:
                    seen.add(key)
                    out.append(t)
        return out


def _term(text: str, lang: str) -> Term:
    return Term(text, lang, tuple(terms_of(text)))


def _mark(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def problems(path: Path, rel: str) -> list[Problem]:
    """What is wrong with a glossary file, one Problem per place (empty when it is valid)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(rel, 1, "error", f"cannot read the glossary: {exc}", code="glossary")]
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return [Problem(rel, line, "error", f"invalid YAML: {reason}", code="glossary")]
    return _shape_problems(root, rel)


def _shape_problems(root: yaml.Node | None, rel: str) -> list[Problem]:
    def problem(node: yaml.Node | None, message: str) -> Problem:
        return Problem(rel, _mark(node) if node else 1, "error", message, code="glossary")

    if root is None:
        return [problem(None, "the glossary is empty; expected `concepts:` with a list")]
    if not isinstance(root, yaml.MappingNode):
        return [problem(root, "expected a mapping with the key `concepts`")]
    found: list[Problem] = []
    concepts = None
    for key, value in root.value:
        if key.value == "concepts":
            concepts = value
        else:
            found.append(problem(key, f"unknown key {key.value!r}; the only key is `concepts`"))
    if concepts is None:
        return found + [problem(root, "missing `concepts:` (a list of concepts)")]
    if not isinstance(concepts, yaml.SequenceNode):
        return found + [problem(concepts, "`concepts` must be a list of concepts")]
    seen: dict[tuple[str, tuple[str, ...]], int] = {}
    for item in concepts.value:
        if not isinstance(item, yaml.MappingNode):
            found.append(problem(item, "a concept is a mapping such as {en: [...], zh: [...]}"))
            continue
        count = 0
        for key, value in item.value:
            if key.value not in LANGS:
                found.append(problem(key, f"unknown language {key.value!r}; use en or zh"))
                continue
            if not isinstance(value, yaml.SequenceNode):
                found.append(problem(value, f"`{key.value}` must be a list of terms"))
                continue
            for node in value.value:
                text = node.value if isinstance(node, yaml.ScalarNode) else None
                if not isinstance(text, str) or not text.strip():
                    found.append(problem(node, f"`{key.value}`: a term must be non-empty text"))
                    continue
                term = _term(text.strip(), key.value)
                if key.value == "zh" and not is_cjk(term.text):
                    found.append(problem(node, f"zh term {text!r} has no Chinese characters"))
                    continue
                if not term.terms:
                    found.append(problem(node, f"term {text!r} has no searchable words"))
                    continue
                if (term.lang, term.terms) in seen:
                    first = seen[(term.lang, term.terms)]
                    found.append(problem(node, f"term {text!r} is already listed at line {first}"))
                    continue
                seen[(term.lang, term.terms)] = _mark(node)
                count += 1
        if count < 2 and not any(p.line >= _mark(item) for p in found):
            found.append(problem(item, "a concept needs at least two terms"))
    return found


def _read(path: Path) -> list[list[Term]]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    out = []
    for item in data.get("concepts") or []:
        terms = [
            _term(str(text).strip(), lang)
            for lang in LANGS
            for text in (item.get(lang) or [])
            if str(text).strip()
        ]
        out.append([t for t in terms if t.terms])
    return out


@functools.lru_cache(maxsize=8)
def _load(extra: str | None, _stamps: tuple[int, ...]) -> Glossary:
    glossary = Glossary()
    paths = [SHIPPED]
    if extra is not None and not problems(Path(extra), extra):
        paths.append(Path(extra))
    for path in paths:
        for terms in _read(path):
            glossary.add(terms)
    return glossary


def load(extra: Path | None = None) -> Glossary:
    """The shipped glossary plus ``extra`` (a workspace's file), cached while neither changes:
    a search asks for it several times, and validating and reading the files once is enough.

    A workspace file with problems is left out here; `kb check` reports them."""
    if extra is not None and not extra.is_file():
        extra = None
    stamps = tuple(p.stat().st_mtime_ns for p in (SHIPPED, extra) if p is not None)
    return _load(str(extra) if extra is not None else None, stamps)
