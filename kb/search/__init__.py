"""Search the past: the Whoosh index, queries that find what people type, facets, did-you-mean,
similar entries and the brief's relevance.

This package is the only part of kb that imports whoosh, and it uses only Whoosh's documented
API. One module per idea:

- ``analysis``: how text becomes terms (English stems and word forms, Chinese bigrams);
- ``glossary``: synonyms and English <-> Chinese equivalents (shipped and the workspace's);
- ``documents``: the index schema from kb's schema, and an entry's index document;
- ``state`` and ``indexer``: the manifest, incremental and full builds, locking, recovery;
- ``query``: plain queries relaxed into a plan, explicit syntax kept strict;
- ``filters``: what a search is narrowed to, checked and made into one Whoosh query;
- ``ranking``: the order, the counts and the facets;
- ``results``: `kb search` as a whole: hits, snippets, did-you-mean;
- ``similar``: `kb similar` and the brief's related entries.
"""

from kb.search.analysis import is_cjk
from kb.search.documents import INDEX_FORMAT, build_schema, clean_body, document, field_kinds
from kb.search.filters import Filters, check_filters
from kb.search.glossary import Glossary
from kb.search.glossary import load as load_glossary
from kb.search.glossary import problems as glossary_problems
from kb.search.indexer import IndexReport, close_searchers, is_stale, open_searcher, update_index
from kb.search.results import Hit, SearchResult, closest_word, search, snippet
from kb.search.similar import entries_where, related_hits, similar

__all__ = [
    "INDEX_FORMAT",
    "Filters",
    "Glossary",
    "Hit",
    "IndexReport",
    "SearchResult",
    "build_schema",
    "check_filters",
    "clean_body",
    "close_searchers",
    "closest_word",
    "document",
    "entries_where",
    "field_kinds",
    "glossary_problems",
    "is_cjk",
    "is_stale",
    "load_glossary",
    "open_searcher",
    "related_hits",
    "search",
    "similar",
    "snippet",
    "update_index",
]
