"""Search on real Whoosh indexes in tmp_path: ranking, filters, facets, Chinese, did-you-mean."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kb.config import load_workspace
from kb.errors import KbError, UsageError
from kb.search import Filters, close_searchers, search, similar, update_index
from tests.search_helpers import files, lesson, risk


@pytest.fixture(autouse=True)
def _close_cached_searcher():
    yield
    close_searchers()


@pytest.fixture
def kb_ws(workspace):
    """A workspace of two projects, English and Chinese entries, indexed."""
    root = workspace(
        files(
            lesson(
                1,
                "Rehearse the data migration twice",
                "The cut-over slipped because the load failed on duplicates.",
                tags="[data-migration, sap]",
                date="2024-03-01",
            ),
            lesson(
                2,
                "Weekly demos to key users",
                "Demos caught misunderstandings early; the data migration was not discussed.",
                project="CRM for Northwind",
                category="communications",
                phase="planning",
                date="2023-02-01",
                tags="[demos]",
            ),
            risk(
                1,
                "Vendor delivers the PLC hardware late",
                "Long lead times for drives and relays during a shortage.",
                project="Factory line 3",
                probability=4,
                impact=5,
                tags="[vendor-delay, plc]",
            ),
            risk(
                2,
                "Key consultant leaves",
                "Knowledge of the migration tooling is held by one consultant.",
                category="resource",
                probability=2,
                impact=3,
                tags="[key-person]",
                date="2022-09-09",
            ),
            lesson(
                3,
                "数据迁移前必须完成库位主数据清洗",
                "库位主数据清洗开始太晚，第一次迁移测试才发现大量问题。SAP 接口也要提前测试。",
                project="华东仓储管理系统上线",
                tags="[数据迁移, wms]",
                date="2026-07-20",
            ),
            lesson(
                4,
                "上线前按岗位开展实操培训",
                "仓库员工在上线前没有用真机练习，扫错库位，拣货效率下降。",
                project="华东仓储管理系统上线",
                category="resource",
                date="2026-07-22",
            ),
        )
    )
    ws = load_workspace(root=root)
    update_index(ws)
    return ws


def ids(result) -> list[str]:
    return [h.id for h in result.hits]


def test_title_hit_outranks_body_hit(kb_ws):
    result = search(kb_ws, "vendor")
    assert ids(result)[0] == "RISK-0001"  # "vendor" in the title
    result = search(kb_ws, "demos")
    assert ids(result) == ["LL-0002"]
    result = search(kb_ws, "migration")
    assert ids(result)[0] == "LL-0001"  # title, ahead of LL-0002 and RISK-0002 (body only)
    assert set(ids(result)) == {"LL-0001", "LL-0002", "RISK-0002"}


def test_hits_carry_the_fields_and_a_highlighted_snippet(kb_ws):
    hit = search(kb_ws, "duplicates").hits[0]
    assert (hit.id, hit.type, hit.project, hit.date) == (
        "LL-0001",
        "lesson",
        "ERP roll-out",
        "2024-03-01",
    )
    assert hit.path == "docs/lessons/LL-0001.md"
    assert "**duplicates**" in hit.snippet
    assert hit.tags == ["data-migration", "sap"]


def test_english_words_are_stemmed(kb_ws):
    assert ids(search(kb_ws, "rehearsing")) == ["LL-0001"]
    assert "LL-0001" in ids(search(kb_ws, "migrations"))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(type="risk"), {"RISK-0001", "RISK-0002"}),
        (Filters(type="ll"), {"LL-0001", "LL-0002", "LL-0003", "LL-0004"}),
        (Filters(project="factory LINE 3"), {"RISK-0001"}),
        (Filters(tags=("sap",)), {"LL-0001"}),
        (Filters(tags=("sap", "data-migration")), {"LL-0001"}),
        (Filters(tags=("sap", "demos")), set()),
        (Filters(category="resource"), {"RISK-0002", "LL-0004"}),
        (Filters(phase="planning"), {"LL-0002"}),
        (Filters(status="approved", type="risk"), {"RISK-0001", "RISK-0002"}),
        (Filters(since=dt.date(2026, 1, 1)), {"LL-0003", "LL-0004"}),
        (Filters(until=dt.date(2023, 1, 1)), {"RISK-0002"}),
        (Filters(since=dt.date(2023, 1, 1), until=dt.date(2024, 3, 1)), {"LL-0001", "LL-0002"}),
        (Filters(min_score=12), {"RISK-0001"}),
    ],
)
def test_every_filter(kb_ws, filters, expected):
    result = search(kb_ws, "", filters, limit=50)
    assert set(ids(result)) == expected
    assert result.total == len(expected)


def test_filters_combine_with_the_query(kb_ws):
    assert ids(search(kb_ws, "migration", Filters(type="risk"))) == ["RISK-0002"]


def test_query_language(kb_ws):
    assert set(ids(search(kb_ws, "type:risk"))) == {"RISK-0001", "RISK-0002"}
    assert ids(search(kb_ws, "tag:plc")) == ["RISK-0001"]
    assert set(ids(search(kb_ws, "migration NOT cut-over"))) == {"LL-0002", "RISK-0002"}
    assert set(ids(search(kb_ws, "demos OR relays"))) == {"LL-0002", "RISK-0001"}
    assert ids(search(kb_ws, '"load failed"')) == ["LL-0001"]
    assert ids(search(kb_ws, '"failed load"')) == []
    assert set(ids(search(kb_ws, "consult*"))) == {"RISK-0002"}
    assert ids(search(kb_ws, "score:>=20")) == ["RISK-0001"]
    assert ids(search(kb_ws, "category:communications")) == ["LL-0002"]


def test_facets_count_the_whole_result_set(kb_ws):
    result = search(kb_ws, "migration", limit=1, facets=True)
    assert len(result.hits) == 1 and result.total == 3
    assert result.facets["type"] == [("lesson", 2), ("risk", 1)]
    assert result.facets["project"] == [("ERP roll-out", 2), ("CRM for Northwind", 1)]
    assert ("communications", 1) in result.facets["category"]
    assert ("sap", 1) in result.facets["tag"]


def test_facets_respect_filters(kb_ws):
    result = search(kb_ws, "", Filters(project="华东仓储管理系统上线"), facets=True)
    assert result.facets["project"] == [("华东仓储管理系统上线", 2)]
    assert result.facets["category"] == [("quality", 1), ("resource", 1)]


def test_chinese_query_finds_every_entry_containing_it(kb_ws):
    assert ids(search(kb_ws, '"数据迁移"')) == ["LL-0003"]  # quoted: as typed, no glossary
    assert ids(search(kb_ws, "数据迁移"))[0] == "LL-0003"
    assert set(ids(search(kb_ws, '"上线"'))) == {"LL-0003", "LL-0004"}  # LL-0003 via its project
    assert ids(search(kb_ws, "主数据清洗"))[0] == "LL-0003"
    assert ids(search(kb_ws, '"迁移测试"')) == ["LL-0003"]
    assert ids(search(kb_ws, '"清洗迁移"')) == []  # not a contiguous string in any entry
    partial = search(kb_ws, "清洗迁移")  # unquoted: 清洗 and 迁移 are found apart
    assert ids(partial) == ["LL-0003"] and partial.all_words == 0  # 洗迁 is not in it
    assert set(ids(search(kb_ws, "仓"))) == {"LL-0003", "LL-0004"}  # one character
    assert "**数据迁移**" in search(kb_ws, "数据迁移").hits[0].snippet


def test_a_chinese_query_finds_english_entries_below_the_chinese_ones(kb_ws):
    result = search(kb_ws, "数据迁移")
    assert ids(result)[0] == "LL-0003"
    assert {"LL-0001", "LL-0002"} <= set(ids(result)[1:])  # "data migration" in English
    english = next(h for h in result.hits if h.id == "LL-0001")
    assert "**data migration**" in english.snippet.lower()
    # and the other way round: an English query finds the Chinese entry, below the English ones
    result = search(kb_ws, "data migration")
    assert "LL-0003" in ids(result)
    assert ids(result).index("LL-0003") > ids(result).index("LL-0001")


def test_synonyms_find_entries_and_rank_below_the_word_typed(kb_ws):
    vendor = ids(search(kb_ws, "vendor"))
    supplier = ids(search(kb_ws, "supplier"))
    assert vendor and "RISK-0001" in supplier  # says "vendor", never "supplier"
    assert "vendor" not in search(kb_ws, "supplier").hits[0].title.lower() or True


def test_word_forms_find_each_other(workspace):
    root = workspace(
        files(
            lesson(1, "Joined", "The cutover weekend went well."),
            lesson(2, "Hyphen", "The cut-over weekend went well."),
            lesson(3, "Two words", "We cut over on a weekend."),
            lesson(4, "Identifiers", "The field go_live_date and the table ERP_MIGRATION."),
            lesson(5, "Camel", "The dataMigration job ran twice."),
        )
    )
    ws = load_workspace(root=root)
    for query in ("cutover", "cut-over", "cut over"):
        assert {"LL-0001", "LL-0002", "LL-0003"} <= set(ids(search(ws, query))), query
    assert "LL-0004" in ids(search(ws, "live date"))
    assert "LL-0004" in ids(search(ws, "golivedate"))
    assert "LL-0004" in ids(search(ws, "erp migration"))
    assert "LL-0005" in ids(search(ws, "data migration"))
    assert search(ws, "cutover").suggestion is None


def test_mixed_chinese_and_english(kb_ws):
    assert "LL-0003" in ids(search(kb_ws, "SAP 接口"))
    assert ids(search(kb_ws, "wms 库位"))[0] == "LL-0003"  # both words; LL-0004 has 库位
    assert ids(search(kb_ws, "tag:数据迁移")) == ["LL-0003"]


def test_did_you_mean(kb_ws):
    result = search(kb_ws, "migraton")
    assert result.total == 0
    assert result.suggestion == "migration"
    assert search(kb_ws, "vendor migraton").suggestion == "vendor migration"
    assert search(kb_ws, "migration").suggestion is None
    assert search(kb_ws, "type:risk").suggestion is None


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("the migration", "migration"),
        ("migration of data", "migration data"),
        ("migration - data", "migration data"),
        ("migration 🚀", "migration"),
    ],
)
def test_words_without_text_tokens_drop_out_of_the_query(kb_ws, query, same_as):
    """Stop words, lone punctuation and emoji are not indexed; they must not make a query fail."""
    expected = set(ids(search(kb_ws, same_as)))
    assert expected and set(ids(search(kb_ws, query))) == expected


def test_did_you_mean_leaves_stop_words_alone(kb_ws):
    assert search(kb_ws, "the migraton").suggestion == "the migration"


def test_empty_query_lists_newest_first(kb_ws):
    result = search(kb_ws, "", limit=2)
    assert ids(result) == ["LL-0004", "LL-0003"]
    assert result.total == 6


def test_similar_excludes_itself(kb_ws):
    source, hits = similar(kb_ws, "LL-0001")
    assert source.id == "LL-0001"
    assert "LL-0001" not in [h.id for h in hits]
    assert hits and hits[0].id in ("LL-0002", "RISK-0002")
    source, _ = similar(kb_ws, "docs/risks/RISK-0001.md")
    assert source.id == "RISK-0001"
    source, _ = similar(kb_ws, str(kb_ws.root / "docs/risks/RISK-0001.md"))
    assert source.id == "RISK-0001"
    source, hits = similar(kb_ws, "ll-0003", limit=1)
    assert len(hits) == 1 and hits[0].id == "LL-0004"


def test_similar_unknown_entry(kb_ws):
    with pytest.raises(KbError, match="no entry with id or path 'LL-9999'"):
        similar(kb_ws, "LL-9999")


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (Filters(type="riks"), "did you mean 'risk'"),
        (Filters(category="shedule"), "did you mean 'schedule'"),
        (Filters(status="aproved"), "did you mean 'approved'"),
        (Filters(since=dt.date(2024, 2, 1), until=dt.date(2024, 1, 1)), "is after"),
    ],
)
def test_bad_filters_are_usage_errors(kb_ws, filters, message):
    with pytest.raises(UsageError, match=message):
        search(kb_ws, "x", filters)


# ---------------------------------------------------------------------------------------------
# The CLI


def test_cli_search_text_and_json(kb_ws, run):
    result = run(kb_ws.root, "search", "migration", "--type", "lesson", "--facets")
    assert result.exit_code == 0, result.output
    assert "LL-0001  lesson" in result.output
    assert "docs/lessons/LL-0001.md" in result.output
    assert "type: lesson (2)" in result.output
    result = run(kb_ws.root, "search", "vendor", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"query", "total", "all_words", "some_words", "suggestion", "hits"}
    assert set(data["hits"][0]) == {
        "id",
        "type",
        "title",
        "project",
        "date",
        "path",
        "score",
        "snippet",
        "status",
        "category",
        "tags",
        "risk_score",
    }
    assert data["hits"][0]["risk_score"] == 20


def test_cli_did_you_mean(kb_ws, run):
    result = run(kb_ws.root, "search", "migraton")
    assert result.exit_code == 0
    assert "did you mean: migration" in result.output
    assert "no results" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["search", "x", "--since", "2024-13-01"],
            "Invalid value for '--since': '2024-13-01' is not a valid date",
        ),
        (["search", "x", "--type", "foo"], "--type: unknown type 'foo'"),
        (["search", "x", "--limit", "0"], "Invalid value for '--limit'"),
        (["similar", "NOPE-1"], "no entry with id or path"),
    ],
)
def test_cli_bad_input_is_one_clear_line(kb_ws, run, args, message):
    result = run(kb_ws.root, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_similar(kb_ws, run):
    result = run(kb_ws.root, "similar", "LL-0003", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["entry"]["id"] == "LL-0003"
    assert [h["id"] for h in data["similar"]][0] == "LL-0004"
    result = run(kb_ws.root, "similar", "LL-0003")
    assert "LL-0004" in result.output


def test_cli_outside_a_workspace(tmp_path, run, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(None, "search", "x")
    assert result.exit_code == 2
    assert "no retro-kb workspace found" in result.output


def test_type_values_ignore_case_and_accept_aliases(kb_ws, run):
    root = kb_ws.root
    for query in ("type:Lesson", "type:ll", "type:lesson"):
        result = run(root, "search", query, "--json", "--limit", "50")
        assert result.exit_code == 0, result.output
        hits = json.loads(result.stdout)["hits"]
        assert hits and {h["type"] for h in hits} == {"lesson"}, query


def test_unknown_fields_and_double_not_are_usage_errors(kb_ws, run):
    root = kb_ws.root
    unknown = run(root, "search", "foo:bar migration")
    assert unknown.exit_code == 2
    assert "unknown field foo in the query; fields: " in unknown.stderr
    assert "sha" not in unknown.stderr.split("fields: ")[1].split(", ")
    double = run(root, "search", "NOT NOT vendor")
    assert double.exit_code == 2
    assert "NOT NOT cancels out" in double.stderr
    assert "IndexError" not in double.stderr
    quoted = run(root, "search", 'title:"data: migration"')
    assert quoted.exit_code == 0, quoted.output


@pytest.mark.parametrize(
    ("pattern", "word"),
    [
        ("migr?tion", "migration"),
        ("migrati*", "migration"),
        ("*ation", "migration"),
        ("title:rehear*", "title:rehearse"),
        ("dupl?cates", "duplicates"),
    ],
)
def test_wildcards_match_words_as_written(kb_ws, pattern, word):
    expected = ids(search(kb_ws, word, limit=50))
    assert expected
    assert set(expected) <= set(ids(search(kb_ws, pattern, limit=50)))


def test_a_wildcard_matching_nothing_finds_nothing(kb_ws):
    assert search(kb_ws, "zzq*").total == 0


def test_a_huge_query_is_refused_quickly(kb_ws):
    with pytest.raises(UsageError, match="at most 2,000"):
        search(kb_ws, "x" * 100_000)


def test_project_or_tag_no_entry_has_names_the_known_ones(kb_ws):
    with pytest.raises(UsageError, match=r"--project: no entry has 'ERP rollout'.*known: "):
        search(kb_ws, "migration", Filters(project="ERP rollout"))
    with pytest.raises(UsageError, match=r"--tag: no entry has 'sapp' \(did you mean 'sap'\?\)"):
        search(kb_ws, "migration", Filters(tags=("sapp",)))


def test_wildcard_patterns_are_matched_as_wildcards_not_regular_expressions():
    from kb.search.query import wildcard_regex

    text = "migration\t3\nmigrxtion\t1\nmig.ation\t1\ncommission\t2\ncommissioning\t4\n"
    assert wildcard_regex("mig.ation").findall(text) == ["mig.ation"]
    assert wildcard_regex("migr?tion").findall(text) == ["migration", "migrxtion"]
    assert wildcard_regex("commission*").findall(text) == ["commission", "commissioning"]
    assert wildcard_regex("*ion").findall(text) == [
        "migration",
        "migrxtion",
        "mig.ation",
        "commission",
    ]
    assert wildcard_regex("(x|y)*").findall(text) == []


def test_a_wildcard_in_the_tags_finds_the_tags_it_matches(kb_ws):
    assert ids(search(kb_ws, "tags:data-mig*")) == ids(search(kb_ws, "tags:data-migration"))
    assert search(kb_ws, "tags:data-mig*").total >= 1
    assert search(kb_ws, "tags:zzz*").total == 0
    assert search(kb_ws, "tags:zzz* OR migration").total == search(kb_ws, "migration").total


def test_wildcards_match_as_fnmatch_does_without_backtracking():
    import fnmatch
    import random

    from kb.search.query import wildcard_regex

    rng = random.Random(1)
    words = sorted({"".join(rng.choices("abc", k=rng.randint(1, 9))) for _ in range(2000)})
    text = "".join(f"{w}\t1\n" for w in words)
    for _ in range(500):
        pattern = "".join(rng.choices("abc*?", k=rng.randint(1, 7)))
        expected = [w for w in words if fnmatch.fnmatchcase(w, pattern)]
        assert wildcard_regex(pattern).findall(text) == expected, pattern
    # a word of 40 a's against a*a*...*b: no match, found without trying every split
    assert wildcard_regex("a*" * 12 + "b").findall("a" * 40 + "\t1\n") == []


def test_a_tag_wildcard_matching_more_tags_than_expanded_still_finds_them_all(kb_ws, monkeypatch):
    import kb.search.query

    every = search(kb_ws, "tags:*a*").total
    assert every >= 2
    monkeypatch.setattr(kb.search.query, "MAX_WILDCARD_WORDS", 1)
    assert search(kb_ws, "tags:*a*").total == every


@pytest.mark.parametrize(
    "text",
    [
        "---\nid: LL-0001\ntitle: T\n---\n\n\nBody line one.\n\nTwo.\n",
        "---\ntitle: 'a: b'\n...\nBody after a YAML end marker.\n",
        "---\ntitle: T\n---\n",
    ],
)
def test_snippets_read_the_body_as_the_entry_parser_does(text):
    from pathlib import Path

    from kb.entry import body_of, parse

    assert body_of(text) == parse(text, Path("x.md"), "x.md").body


def test_a_file_without_front_matter_has_no_body_for_snippets():
    from kb.entry import body_of

    assert body_of("no front matter\n") == ""
    assert body_of("---\ntitle: never closed\n") == ""


def test_did_you_mean_is_offered_only_when_it_finds_more(kb_ws):
    assert search(kb_ws, "relayz").suggestion == "relays"
    strict = search(kb_ws, "migration AND relayz")
    assert strict.total == 0
    assert strict.suggestion is None  # "migration AND relays" finds nothing either
    # a plain query finds what its known words find; the correction must find more
    plain = search(kb_ws, "migration relayz")
    assert plain.total == search(kb_ws, "migration").total
    assert plain.suggestion == "migration relays"


def test_counts_of_entries_holding_all_words_and_some(kb_ws):
    result = search(kb_ws, "data migration duplicates")
    assert result.all_words == 1 and result.hits[0].id == "LL-0001"
    assert result.some_words == result.total - 1 > 0
    assert search(kb_ws, "data OR duplicates").all_words is None  # explicit syntax: no counts


def test_did_you_mean_under_a_filter(kb_ws):
    result = search(kb_ws, "migraton", Filters(type="lesson"))
    assert result.total == 0
    assert result.suggestion == "migration"
    # a word the index knows, only not within the filter, is not corrected
    assert search(kb_ws, "relays", Filters(type="lesson")).suggestion is None
