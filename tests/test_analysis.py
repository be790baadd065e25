"""Text analysis: the terms the index holds, the same in every path that cuts text."""

from __future__ import annotations

import pytest

from kb.search.analysis import analyze, decompound, query_words, terms_of, tokens
from tests.conftest import REPO

TEXTS = [
    "The data migration slipped, and the cut-over was re-planned for 2024-03-01.",
    "a an the of",
    "",
    "数据迁移前必须完成库位主数据清洗。SAP 接口也要提前测试，仓",
    "abc数据def 。迁移x the 数 the",
    "İstanbul ŞEHİR naïve café Kelvin \u212a 123 4th x_y__z",
    "⺀⺁ radicals ・ カタカナ・テスト 한국어 텍스트",
    "ﬁne ﬂow ＡＢＣ全角 ½ ² \U00020000\U00020001",
    "go_live_date ERP_MIGRATION dataMigration HTTPServer2 S4HANA iPhone check-in -x- _a_",
]


def slow_analysis(text: str) -> str:
    terms, joined = [], []
    for t in tokens(text):
        terms.extend(t.terms)
        if t.joined:
            joined.append(t.joined)
    return " ".join(terms + joined)


@pytest.mark.parametrize("text", TEXTS)
def test_the_fast_path_gives_the_terms_of_the_tokenizer(text):
    assert analyze(text) == slow_analysis(text)


def test_the_fast_path_agrees_on_every_sample_entry():
    for path in sorted((REPO / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert analyze(text) == slow_analysis(text), path.name


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("migrations migrating", ["migrat", "migrat"]),
        ("The status was too late", ["statu", "late"]),  # stop words are left out
        ("cut-over", ["cut", "over"]),  # a compound: its parts, one position each
        ("go_live_date", ["go", "live", "date"]),
        ("dataMigration", ["data", "migrat"]),
        ("ERP_MIGRATION", ["erp", "migrat"]),
        ("数据迁移", ["数据", "据迁", "迁移"]),
        ("仓", ["仓"]),
        ("SAP接口", ["sap", "接口"]),
    ],
)
def test_terms(text, terms):
    assert terms_of(text) == terms


def test_a_compound_is_also_indexed_joined_outside_the_phrase():
    assert analyze("the cut-over went well") == "cut over went well cutov"


def test_query_words_keep_what_was_typed():
    (word,) = query_words("Cut-over")
    assert (word.raw, word.terms, word.joined) == ("cutover", ["cut", "over"], "cutov")
    assert [w.raw for w in query_words("the migration of data")] == ["migration", "data"]


def test_decompound_splits_a_word_into_two_known_words():
    known = {"cut", "over", "data", "migration"}
    assert decompound("cutover", known) == ["cut", "over"]
    assert decompound("datamigration", known) == ["data", "migrat"]
    assert decompound("cutting", known) is None  # too short / no known halves
    assert decompound("overcut", {"over"}) is None


def test_pairs_of_chinese_bigrams_and_of_glossary_phrases():
    pairs: list[str] = []
    analyze("数据迁移 and the late delivery of data", pairs=pairs, phrase_pairs={"late+deliveri"})
    assert pairs == ["数据+据迁", "据迁+迁移", "late+deliveri"]
