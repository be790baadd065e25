"""What an entry page tells the site's search (Pagefind) about itself.

Pagefind reads attributes in the built HTML: ``data-pagefind-body`` marks the text it indexes (an
entry's own text; the header card, links and action table carry ``data-search-exclude``, which
``kb.site.pagefind`` excludes), ``data-pagefind-filter`` the facets, ``data-pagefind-meta`` what
a result shows, ``data-pagefind-weight`` how much a piece of text counts. This module writes
them, from the entry and the site catalog; nothing here runs Pagefind.

- Facets (filter values) are the labels a reader sees in the workspace language: ``Lesson`` or
  ``经验教训``, ``Executing`` or ``执行``; project names and tags as written; the filing year.
- An entry's language decides which Pagefind index it goes to (Chinese is segmented into words,
  English stemmed): the workspace language, unless its title and text hold more Chinese
  characters than Latin words (then ``zh``) or the other way round in a Chinese workspace (then
  ``en``). The page says so in ``<html lang>``, which is what Pagefind reads.
- Ranking: an entry's own title and text count in full, and its id nearly so (``ID_WEIGHT``,
  hidden, as the card that shows it is left out of the index); its project and tags, hidden
  too, at ``CARD_WEIGHT``, so they find the entry without outranking entries whose own text
  holds the word. Hidden text weighs less than 1, so the search script can tell a result that
  only hidden words matched and show the start of its text rather than hidden words. Pagefind also
  matches the query against the meta fields; the search script weighs only the title and the id
  there (``search.js``), or an entry of the "Vendor hardware" project would rank first for
  "vendor".
- Cross-language: the glossary equivalents (``kb.search`` glossary, the workspace's included) of
  the entry's category, tags and the terms of its title go into hidden text indexed at a low
  weight, so 数据迁移 also finds the English data-migration entries, below the Chinese ones.
  A Chinese equivalent is written whole and as its character pairs: a query segmented into
  words (数据 迁移) finds it as well as one that is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from kb.entry import Entry
from kb.fields import value_label
from kb.search import Glossary, is_cjk
from kb.search.analysis import bigrams, terms_of
from kb.site.catalog import Catalog
from kb.site.markup import h

__all__ = [
    "CARD_WEIGHT",
    "CROSS_WEIGHT",
    "EVERY_ENTRY",
    "FACETS",
    "ID_WEIGHT",
    "entry_facets",
    "entry_language",
    "equivalents",
    "project_types",
    "search_markup",
    "set_page_language",
    "wrap_entry",
]

# The facets of the site's search, in the order the search page shows them.
FACETS = ("type", "project", "project_type", "category", "phase", "status", "tag", "year")
# Weight of the glossary equivalents: far below the entry's own words (Pagefind's default is 1).
CROSS_WEIGHT = 0.1
# Weight of the id, hidden (the card that shows it is left out of the index): just below the
# entry's own text, which weighs 1 or more, so the search script can tell a result that only its
# id matched and show the start of the entry's text instead (search.js); the id meta field,
# which the script weighs far above the text, keeps the entry first for a search for its id.
ID_WEIGHT = 0.9
# Weight of the project and tags, hidden words of the card (which is left out of the index):
# as low as the glossary equivalents, far below the entry's own title and text.
CARD_WEIGHT = 0.1
# A word every entry page holds, hidden: a search for it with filters lists the entries of a
# facet with no text, reading one small piece of the index. (Pagefind's own search without a
# term reads all of the index, 1.6 MB at 1,000 entries.) Its stem is itself in every language.
EVERY_ENTRY = "kbxq"

_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_HTML_LANG = re.compile(r'<html\b[^>]*?\blang="[^"]*"', re.I)


def entry_language(entry: Entry, default: str) -> str:
    """``zh`` or ``en`` for an entry's text, ``default`` (the workspace language) for neither."""
    text = f"{entry.title}\n{entry.body}"
    chinese = len(_CJK_CHAR.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if chinese > latin:
        return "zh"
    if latin > chinese:
        return "en"
    return default


def project_types(cat: Catalog) -> dict[str, str]:
    """Each project's type, from its first retrospective that names one (once per build)."""
    found: dict[str, str] = {}
    for retro in cat.of_type("retrospective"):
        value = retro.meta.get("project_type")
        if retro.project and value not in (None, "") and retro.project not in found:
            found[retro.project] = str(value)
    return found


def _project_type(cat: Catalog, entry: Entry, by_project: Mapping[str, str]) -> str:
    """The entry's project type, else that of its source retrospective or its project's."""
    value = entry.meta.get("project_type")
    if value in (None, ""):
        source = entry.meta.get("source")
        origin = cat.by_id.get(source) if isinstance(source, str) else None
        value = origin.meta.get("project_type") if origin is not None else None
    if value in (None, ""):
        value = by_project.get(entry.project)
    return str(value) if value not in (None, "") else ""


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if isinstance(v, (str, int, float)) and str(v).strip()]


def entry_facets(
    cat: Catalog, entry: Entry, by_project: Mapping[str, str] | None = None
) -> dict[str, list[str]]:
    """The entry's filter values by facet, as the site shows them; a facet it lacks is left out.

    ``by_project`` is ``project_types(cat)``, passed in by a caller that asks for many entries."""
    lang = cat.language
    if by_project is None:
        by_project = project_types(cat)
    meta = entry.meta
    found: dict[str, list[str]] = {
        "type": [cat.label(cat.type_of(entry))],
        "project": [entry.project],
        "project_type": [
            value_label(v, lang) for v in _strings(_project_type(cat, entry, by_project))
        ],
        "category": [value_label(v, lang) for v in _strings(meta.get("category"))],
        "phase": [value_label(v, lang) for v in _strings(meta.get("phase"))],
        "status": [value_label(v, lang) for v in _strings(meta.get("status"))],
        "tag": list(dict.fromkeys(_strings(meta.get("tags")))),
        "year": [str(entry.date.year)] if entry.date else [],
    }
    return {k: [v for v in values if v] for k, values in found.items() if any(values)}


def equivalents(glossary: Glossary, texts: Iterable[str]) -> list[str]:
    """The glossary's equivalents of the terms in ``texts``, except the terms themselves."""
    concepts: set[int] = set()
    typed: set[str] = set()
    for text in texts:
        stems = terms_of(text)
        longest = min(glossary.longest_latin, len(stems))
        for size in range(1, longest + 1):
            for at in range(len(stems) - size + 1):
                found = glossary.latin.get(tuple(stems[at : at + size]))
                if found:
                    concepts |= found
                    typed.add(" ".join(stems[at : at + size]))
        if is_cjk(text):
            for term, found in glossary.cjk.items():
                if term in text:
                    concepts |= found
                    typed.add(term)
    out: list[str] = []
    for term in glossary.equivalents(concepts):
        key = term.text if term.lang == "zh" else " ".join(term.terms)
        if key not in typed and term.text not in out:
            out.append(term.text)
    return out


def _pairs(term: str) -> list[str]:
    """A Chinese term's character pairs (none for any other term)."""
    return [p for p in bigrams(term) if p != term] if is_cjk(term) else []


def search_markup(
    cat: Catalog, entry: Entry, glossary: Glossary, by_project: Mapping[str, str] | None = None
) -> str:
    """Hidden HTML for the end of an entry's ``data-pagefind-body``: filters, meta, the words of
    its id, project and tags, and the glossary's equivalents."""
    lang = cat.language
    parts = ['<div hidden data-pagefind-ignore class="kb-search-data">']
    for facet, values in entry_facets(cat, entry, by_project).items():
        parts.extend(f'<span data-pagefind-filter="{facet}">{h(v)}</span>' for v in values)
    meta = {
        "title": entry.title,
        "id": entry.id,
        "type": cat.label(cat.type_of(entry)),
        "project": entry.project,
        "date": entry.date.isoformat() if entry.date else "",
    }
    parts.extend(f'<span data-pagefind-meta="{k}">{h(v)}</span>' for k, v in meta.items() if v)
    parts.append("</div>")
    tags = _strings(entry.meta.get("tags"))
    if entry.date:
        parts.insert(1, f'<span data-pagefind-sort="date">{entry.date.isoformat()}</span>')
    # The id near full weight: a search for an id finds that entry first, above those that
    # mention it. The rest of the card low.
    parts.append(f'<div hidden data-pagefind-weight="{ID_WEIGHT}">{h(entry.id)}</div>')
    card = [entry.project, *tags, EVERY_ENTRY]
    text = h(" · ".join(w for w in card if w))
    parts.append(f'<div hidden data-pagefind-weight="{CARD_WEIGHT}">{text}</div>')
    texts = [entry.title, *tags]
    for category in _strings(entry.meta.get("category")):
        texts.extend(dict.fromkeys([category.replace("_", " "), value_label(category, lang)]))
    terms = equivalents(glossary, texts)
    # Whole terms first, their pairs after: an excerpt around a match shows the whole terms.
    words = [*terms, *(p for t in terms for p in _pairs(t))]
    if words:
        text = h(" · ".join(words))
        parts.append(f'<div hidden data-pagefind-weight="{CROSS_WEIGHT}">{text}</div>')
    return "".join(parts)


def wrap_entry(content: str, markup: str) -> str:
    """The entry page's content inside the element Pagefind indexes, the search data at its end."""
    return f'<div class="kb-entry" data-pagefind-body>\n{content}\n{markup}\n</div>'


def set_page_language(html: str, lang: str) -> str:
    """The page with ``<html lang>`` set to ``lang`` (Material writes the site's language)."""
    return _HTML_LANG.sub(lambda m: re.sub(r'lang="[^"]*"', f'lang="{lang}"', m.group(0)), html, 1)
