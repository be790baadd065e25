"""Ranking measures with their textbook definitions, over a ranked list of ids and graded judgments.

``grades`` maps an entry id to its grade (2 exactly relevant, 1 partly); ids not in it are not
relevant. An id ranked twice counts once, where it first appears.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence


def _unique(ranked: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(ranked))


def precision_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """P@k: the relevant ids (grade > 0) among the first k, divided by k."""
    return sum(1 for i in _unique(ranked)[:k] if grades.get(i, 0) > 0) / k


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """1 / the rank of the first relevant id; 0 when none is relevant."""
    for rank, i in enumerate(_unique(ranked), 1):
        if grades.get(i, 0) > 0:
            return 1 / rank
    return 0.0


def dcg(gains: Iterable[int]) -> float:
    """Discounted cumulative gain of grades in rank order: sum of (2^g - 1) / log2(rank + 1)."""
    return sum((2**g - 1) / math.log2(rank + 1) for rank, g in enumerate(gains, 1))


def ndcg_at(ranked: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k: DCG of the first k over the DCG of the ideal order of all judged grades."""
    ideal = dcg(sorted(grades.values(), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg(grades.get(i, 0) for i in _unique(ranked)[:k]) / ideal


def mean(values: Iterable[float]) -> float:
    """The arithmetic mean; 0 for no values."""
    values = list(values)
    return sum(values) / len(values) if values else 0.0
