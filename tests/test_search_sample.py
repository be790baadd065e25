"""The queries a new user types on the bundled sample knowledge base find the entries about
them: natural sentences, word forms, synonyms and Chinese <-> English."""

from __future__ import annotations

import shutil

import pytest

from kb.config import load_workspace
from kb.search import close_searchers, search, update_index
from tests.conftest import REPO


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    ws = load_workspace(root=root)
    update_index(ws)
    yield ws
    close_searchers()


def top(ws, query: str, n: int = 5) -> list[str]:
    return [h.id for h in search(ws, query, limit=n, refresh=False).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("customers kept changing requirements", {"RISK-0005", "LL-0005"}),
        ("migration data quality problems", {"RISK-0001"}),
        ("safety validation booked too late", {"RISK-0004", "LL-0004"}),
        ("key consultant left the project", {"RISK-0002"}),
    ],
)
def test_natural_queries_find_the_entries_about_them(sample, query, expected):
    assert expected <= set(top(sample, query)), top(sample, query)


def test_a_query_where_no_entry_holds_every_word_still_finds_the_best(sample):
    result = search(sample, "customers kept changing requirements", refresh=False)
    assert result.total > 0 and result.all_words == 0 and result.some_words == result.total


def test_cutover_finds_cut_over_without_a_correction(sample):
    result = search(sample, "cutover", refresh=False)
    assert "RETRO-0003" in [h.id for h in result.hits]  # "ERP roll-out: cut-over slipped..."
    assert result.suggestion is None


def test_supplier_finds_the_vendor_entries(sample):
    assert "RISK-0003" in top(sample, "supplier", 10)  # "... delivered late by the vendor"


def test_chinese_finds_english_entries_below_the_chinese_ones(sample):
    found = top(sample, "数据迁移", 10)
    chinese = [i for i in found if i in ("LL-0008", "RETRO-0006")]
    english = [i for i in found if i in ("LL-0001", "RISK-0001", "SOP-0002")]
    assert chinese and english
    assert max(found.index(i) for i in chinese) < min(found.index(i) for i in english)


def test_english_finds_chinese_entries(sample):
    assert "RISK-0007" in top(sample, "late delivery by the supplier", 10)  # 供应商交付延迟
    assert "RISK-0008" in top(sample, "user training", 10)  # 用户培训不足
