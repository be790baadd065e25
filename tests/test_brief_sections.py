"""`kb brief`: empty sections of an entry bring nothing, and the SOPs that apply are listed."""

from __future__ import annotations

import datetime as dt

import pytest

from kb.brief import make_brief
from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.search import close_searchers
from tests.search_helpers import files, lesson, retro, risk, sop

TODAY = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _close_cached_searcher():
    yield
    close_searchers()


def brief_lines(text: str, heading: str) -> list[str]:
    """The lines of one `## heading` section of a brief, blank lines left out."""
    part = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0].split("\n---\n", 1)[0]
    return [line for line in part.splitlines() if line.strip()]


# --- Empty sections bring nothing ------------------------------------------------------------

NEW_RISK = [
    *("--set", "category=vendor", "--set", "probability=3", "--set", "impact=4"),
    *("--set", "trigger=No order confirmation", "--set", "response=mitigate"),
    *("--set", "occurred=no", "--set", "owner=Bo", "-p", "Line 4", "--no-input"),
]
NEW_LESSON = [
    *("--set", "category=procurement", "--set", "phase=planning", "--set", "impact=negative"),
    *("--set", "owner=Bo", "-p", "Line 4", "--no-input"),
]


def test_a_freshly_filed_entry_brings_its_title_and_fields_only(workspace, run):
    root = workspace()
    for args in (
        ("new", "risk", *NEW_RISK, "--", "Vendor delivers the PLC late"),
        ("new", "lesson", *NEW_LESSON, "--", "Order the PLC early"),
    ):
        assert run(root, *args).exit_code == 0
    result = run(root, "brief", "--text", "PLC")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "- [ ] - [ ]" not in text
    assert brief_lines(text, "Risks to plan for") == [
        "### Vendor",
        "- [ ] **[RISK-0001: Vendor delivers the PLC late]"
        "(docs/risks/RISK-0001-vendor-delivers-the-plc-late.md)** — score 12 (P3 × I4); "
        "project: Line 4",
        "    - Early warning signs: No order confirmation",
        "    - Response: Mitigate",
    ]
    assert brief_lines(text, "Lessons to apply") == [
        "### Procurement",
        "- [ ] **[LL-0001: Order the PLC early](docs/lessons/LL-0001-order-the-plc-early.md)** "
        "— impact Negative; phase Planning; project: Line 4",
    ]


def test_empty_list_items_are_left_out_and_the_others_kept(workspace):
    root = workspace(
        files(
            lesson(
                1,
                "Book the test bench early",
                "The bench was booked out.",
                recommendation="- [ ]\n- [ ] Book the bench when the plan is baselined.\n-\n1.",
            ),
            lesson(
                2,
                "Test bench capacity",
                "Ask for a second test bench when two teams share one.",
                recommendation="- [ ]",
            ),
        )
    )
    text = make_brief(load_workspace(root=root), text="test bench", today=TODAY)
    lines = brief_lines(text, "Lessons to apply")
    points = {}  # entry id -> its sub-items
    for line in lines:
        if line.startswith("- [ ] **[LL-"):
            points[line.split("[")[2].split(":")[0]] = current = []
        elif line.startswith("    - "):
            current.append(line)
    assert points["LL-0001"] == ["    - [ ] Book the bench when the plan is baselined."]
    # an empty recommendation falls back to the lesson itself, as a written one would not
    assert points["LL-0002"] == ["    - [ ] Ask for a second test bench when two teams share one."]


# --- SOPs that apply -------------------------------------------------------------------------


@pytest.fixture
def with_sops(workspace):
    root = workspace(
        files(
            retro(1, "ERP retrospective", project="ERP roll-out", project_type="it-implementation"),
            risk(1, "Legacy master data not fit for migration", "Data migration failed twice."),
            lesson(1, "Rehearse the data migration twice", "The data migration slipped."),
            sop(
                1,
                "Data migration rehearsal",
                "Rehearse every data migration with production-sized data.",
                version="2.1",
                review_due="2025-11-30",
                tags="[data-migration]",
            ),
            sop(2, "Data migration cut-over readiness", "Decide go or no-go.", version="1.0"),
            sop(3, "Old migration checklist", "Data migration steps.", status="superseded"),
            sop(4, "Retired migration form", "Data migration form.", status="retired"),
            sop(5, "Safety commissioning", "Validate safety functions of machinery."),
        )
    )
    return load_workspace(root=root)


def test_sops_are_listed_with_version_and_review_date(with_sops):
    text = make_brief(with_sops, text="data migration", today=TODAY)
    assert brief_lines(text, "SOPs that apply") == [
        "- [ ] **[SOP-0001: Data migration rehearsal](docs/sops/SOP-0001.md)** — version 2.1; "
        "review overdue since 2025-11-30",
        "- [ ] **[SOP-0002: Data migration cut-over readiness](docs/sops/SOP-0002.md)** — "
        "version 1.0; review due 2026-06-30",
    ]
    assert text.index("## Lessons to apply") < text.index("## SOPs that apply")
    assert text.index("## SOPs that apply") < text.index("Generated by `kb brief`")


def test_superseded_and_retired_sops_do_not_apply(with_sops):
    text = make_brief(with_sops, text="data migration", min_relevance=0, today=TODAY)
    assert "SOP-0003" not in text and "SOP-0004" not in text
    assert "Left out" not in text  # not weaker matches: not matches at all


def test_a_review_due_today_is_not_overdue(with_sops):
    text = make_brief(with_sops, text="data migration", today=dt.date(2025, 11, 30))
    assert "SOP-0001: Data migration rehearsal" in text
    assert "version 2.1; review due 2025-11-30" in text


def test_sops_are_ranked_like_lessons(with_sops):
    by_tag = make_brief(with_sops, tags=("data-migration",), today=TODAY)
    assert brief_lines(by_tag, "SOPs that apply")[0].startswith("- [ ] **[SOP-0001:")
    assert "SOP-0002" not in by_tag  # untagged
    one = make_brief(with_sops, text="data migration", limit=1, today=TODAY)
    assert len(brief_lines(one, "SOPs that apply")) == 1
    assert "SOP-0005" not in make_brief(with_sops, text="data migration", min_relevance=0)


def test_a_weak_sop_match_is_left_out_and_counted(workspace):
    root = workspace(
        files(
            lesson(1, "Rehearse the data migration", "The data migration slipped twice."),
            sop(1, "Data migration rehearsal", "Rehearse every data migration."),
            sop(2, "Status reports", "The report shows the data owners once a month."),
        )
    )
    ws = load_workspace(root=root)
    text = make_brief(ws, text="data migration", today=TODAY)
    assert "SOP-0001" in text and "SOP-0002" not in text
    assert "Left out: 1 weaker match" in text
    assert "SOP-0002" in make_brief(ws, text="data migration", min_relevance=0)


def test_no_sop_matched_no_sop_heading(with_sops):
    text = make_brief(with_sops, text="legacy", min_relevance=0, today=TODAY)
    assert "RISK-0001" in text
    assert "## SOPs that apply" not in text and "SOP-" not in text


def test_a_brief_of_sops_alone(with_sops):
    text = make_brief(with_sops, text="safety machinery", today=TODAY)
    assert "No past risk case matched." in text and "No past lesson matched." in text
    assert brief_lines(text, "SOPs that apply") == [
        "- [ ] **[SOP-0005: Safety commissioning](docs/sops/SOP-0005.md)** — version 1.0; "
        "review due 2026-06-30"
    ]


def test_sop_labels_follow_the_workspace_language(workspace):
    root = workspace(
        files(
            lesson(1, "数据迁移演练", "数据迁移延误。"),
            sop(1, "数据迁移演练规程", "每次数据迁移前演练两次。", review_due="2025-11-30"),
            sop(2, "数据迁移切换检查", "数据迁移切换前检查。", version="3"),
        ),
        config=mkdocs_yml("知识库", "zh"),
    )
    text = make_brief(load_workspace(root=root), text="数据迁移", today=TODAY)
    assert "以及适用的标准作业程序" in text
    assert sorted(brief_lines(text, "适用的标准作业程序")) == [
        "- [ ] **[SOP-0001: 数据迁移演练规程](docs/sops/SOP-0001.md)** — 版本 1.0；"
        "复审已逾期（应于 2025-11-30）",
        "- [ ] **[SOP-0002: 数据迁移切换检查](docs/sops/SOP-0002.md)** — 版本 3；"
        "复审日期 2026-06-30",
    ]
    assert "SOPs that apply" not in text and "review" not in text


def test_cli_brief_lists_the_sops(with_sops, run):
    result = run(with_sops.root, "brief", "--text", "data migration")
    assert result.exit_code == 0, result.output
    assert "## SOPs that apply\n\n- [ ] **[SOP-0001: Data migration rehearsal]" in result.stdout
    assert "version 2.1; review overdue since 2025-11-30" in result.stdout
