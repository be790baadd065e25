"""The relevance benchmark's parts: its corpus, its judged queries and its measures.

``corpus`` generates the workspace from ``topics`` (what entries are about), ``projects`` (where
they come from) and ``wording`` (the common sentences), composed by ``writer``. ``judgments``
reads queries.yml and derives its judgments; ``metrics`` scores a ranking.
``benchmarks/bench_relevance.py`` runs it all; README.md in this folder explains it.
"""
