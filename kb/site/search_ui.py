"""The site's search as readers meet it: the search page and the settings of its scripts.

The box in the header and the search page are drawn by ``assets/search-box.js`` and
``assets/search-page.js`` on ``assets/search.js`` and ``assets/search-query.js`` (kb's own
scripts, Pagefind's JavaScript API underneath). What they need from the build comes in one
small generated script, ``assets/kb/search-config.js``: the
workspace language, the language bundles (``kb.site.pagefind``), the search page's URL, the
facets and every word they show, from the catalogs (``search_ui``), so a Chinese workspace's
search is Chinese throughout, and the English stop words of ``kb search``, which
``assets/search-query.js`` leaves out of a query as ``kb search`` does.
"""

from __future__ import annotations

import json

from kb import i18n
from kb.search.analysis import STOP
from kb.search.query import CROSS, SYNONYM
from kb.site.pagefind import bundle_dir
from kb.site.search_markup import EVERY_ENTRY, FACETS

__all__ = [
    "CONFIG_ASSET",
    "GLOSSARY_ASSET",
    "SEARCH_ASSETS",
    "SEARCH_PAGE",
    "config_script",
    "glossary_json",
    "search_page",
]

SEARCH_PAGE = "search.md"
CONFIG_ASSET = "assets/kb/search-config.js"
# The glossary's concepts, which search-glossary.js fetches when someone searches.
GLOSSARY_ASSET = "assets/kb/search-glossary.json"
# The order matters: the settings, the query's words, the search, then the box and the search
# page that use them.
SEARCH_ASSETS = (
    "assets/kb/search.css",
    CONFIG_ASSET,
    "assets/kb/search-query.js",
    "assets/kb/search-glossary.js",
    "assets/kb/search.js",
    "assets/kb/search-box.js",
    "assets/kb/search-page.js",
)

_WORDS = (
    "label",
    "placeholder",
    "page_title",
    "all_results",
    "open_page",
    "loading",
    "no_results",
    "no_entries",
    "failed",
    "filters",
    "clear",
    "more",
)


def search_page(lang: str) -> str:
    """The search page's markdown: a title and the element the script fills in."""
    title = i18n.text("search_ui.page_title", lang)
    needs = i18n.text("search_ui.needs_script", lang)
    return (
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nhide: [navigation, toc]\n---\n\n"
        f"# {title}\n\n"
        f'<div id="kb-search-page" class="kb-search-page" data-search-exclude>'
        f"<noscript><p>{needs}</p></noscript></div>\n"
    )


def primary_language(languages: list[str], site_lang: str) -> str:
    """The bundle the script opens first: English when there is one (Pagefind stems queries
    with the first bundle's language, and only English has a stemmer), else the site's."""
    if "en" in languages:
        return "en"
    return site_lang if site_lang in languages else (languages[0] if languages else site_lang)


def config_script(lang: str, languages: list[str], search_url: str, entries: int = 0) -> str:
    """``search-config.js``: ``window.kbSearchConfig``, everything the search script reads.

    ``search_url`` is the search page's URL relative to the site root (``search/``); ``entries``
    how many entries are indexed (for the rarity of a query's words)."""
    languages = sorted(set(languages))
    primary = primary_language(languages, lang)
    ordered = [primary, *(x for x in languages if x != primary)] if languages else []
    results = i18n.catalog(lang).get("search_ui.results") or i18n.catalog("en")["search_ui.results"]
    config = {
        "lang": lang,
        "bundles": [{"lang": x, "path": bundle_dir(x) + "/"} for x in ordered],
        "searchPage": search_url,
        "everyEntry": EVERY_ENTRY,
        "entries": entries,
        "stopWords": sorted(STOP),
        "glossaryWeights": {"synonym": SYNONYM, "cross": CROSS},
        "facets": [[f, i18n.text(f"search_ui.facet.{f}", lang)] for f in FACETS],
        "text": {w: i18n.text(f"search_ui.{w}", lang) for w in _WORDS},
        "results": results,
        "pluralOne": i18n.catalog(lang).get("meta.plural_one") or [],
    }
    body = json.dumps(config, ensure_ascii=False, indent=1).replace("</", "<\\/")
    head = "// Written by the kb plugin: the settings of search.js.\n"
    return f"{head}window.kbSearchConfig = {body};\n"


def glossary_json(glossary) -> str:
    """``search-glossary.json``: each concept of the glossary (``kb.search.Glossary``, the
    workspace's included) as its English and Chinese terms, for search-glossary.js."""
    concepts = []
    for terms in glossary.concepts:
        concept: dict[str, list[str]] = {}
        for term in terms:
            concept.setdefault(term.lang, []).append(term.text)
        concepts.append(concept)
    return json.dumps(concepts, ensure_ascii=False, separators=(",", ":"))
