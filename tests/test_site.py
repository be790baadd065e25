"""The site: generated pages (pure), the MkDocs plugin in real builds, kb build and kb serve."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from kb.config import load_workspace
from kb.site.pages import generate_pages
from kb.site.plugin import KbPlugin
from kb.store import load_entries
from tests.conftest import entry_text

TODAY = dt.date(2026, 1, 15)
HOSTILE = "<script>alert(1)</script> & </title><img src=x onerror=alert(2)>"

ENTRIES = {
    "docs/retrospectives/RETRO-0001-erp-go-live.md": entry_text(
        """
        id: RETRO-0001
        type: retrospective
        title: ERP go-live retrospective
        date: 2025-06-20
        owner: Anna
        status: approved
        tags: [sap, data-migration]
        related: [RISK-0001]
        project: ERP roll-out
        project_type: it-implementation
        phase: whole-project
        outcome: partially-succeeded
        planned_end: 2025-03-31
        actual_end: 2025-05-17
        budget: {planned: 1000, actual: 1150, currency: EUR}
        root_causes: [data, vendor]
        actions:
          - {action: Rehearse the migration, owner: Anna, due: 2025-08-31, status: done}
          - {action: Name data owners, owner: Michael, due: 2025-10-31, status: open}
          - {action: Archive the legacy system, owner: Peter, due: 2027-03-31, status: open}
        """,
        "# ERP go-live retrospective\n\n## Summary\n\nLate data migration. See LL-0001.\n",
    ),
    "docs/lessons/LL-0001-rehearse-twice.md": entry_text(
        """
        id: LL-0001
        type: lesson
        title: Rehearse the data migration twice
        date: 2025-06-27
        owner: Anna
        status: approved
        project: ERP roll-out
        category: quality
        phase: executing
        impact: negative
        source: RETRO-0001
        sops: [SOP-0001]
        """,
        "# Rehearse the data migration twice\n\n## Recommendation\n\nTwo full rehearsals.\n",
    ),
    "docs/risks/RISK-0001-hostile.md": entry_text(
        f"""
        id: RISK-0001
        type: risk
        title: '{HOSTILE}'
        date: 2025-06-30
        owner: '<b>Bold</b> owner'
        status: approved
        project: '<i>Evil</i> | project'
        tags: ['<script>tag()</script>']
        category: data
        probability: 4
        impact: 5
        trigger: 'Mock loads slipping <script>x()</script>'
        response: mitigate
        occurred: true
        source: RETRO-0001
        description: '"><script>alert(3)</script>'
        """,
        f"# {HOSTILE}\n\n## Risk description\n\nMaster data was poor.\n",
    ),
    "docs/risks/RISK-0002-供应商交付延迟.md": entry_text(
        """
        id: RISK-0002
        type: risk
        title: RF 手持终端供应商交付延迟
        date: 2025-07-01
        owner: 王磊
        status: approved
        project: 华东仓储管理系统上线
        category: vendor
        probability: 3
        impact: 4
        trigger: 供应商未确认发货日期
        response: mitigate
        occurred: false
        """,
        "# RF 手持终端供应商交付延迟\n\n## 风险描述\n\n硬件晚到。\n",
    ),
    "docs/sops/SOP-0001-cut-over-checklist.md": entry_text(
        """
        id: SOP-0001
        type: sop
        title: Cut-over checklist
        date: 2024-01-10
        owner: PMO
        status: approved
        version: '1.0'
        effective: 2024-02-01
        review_due: 2025-02-01
        """,
        "# Cut-over checklist\n\n## Purpose\n\nA safe go-live.\n",
    ),
}


def many_risks(n: int) -> dict[str, str]:
    """n more risk cases (RISK-0101 on), for registers longer than the rows shown at first."""
    files = {}
    for i in range(101, 101 + n):
        files[f"docs/risks/RISK-{i:04d}-case-{i}.md"] = entry_text(
            f"""
            id: RISK-{i:04d}
            type: risk
            title: Generated risk case {i} {"needle" if i == 101 + n - 1 else "hay"}
            date: 2025-07-01
            owner: Tom
            status: approved
            project: ERP roll-out
            category: schedule
            probability: {1 + i % 5}
            impact: {1 + i % 3}
            response: accept
            occurred: false
            """,
            f"# Generated risk case {i}\n\n## Risk description\n\nA case.\n",
        )
    return files


@pytest.fixture
def kb_ws(workspace):
    """kb_ws(extra files) -> a workspace with every entry type, a hostile and a Chinese entry."""
    return lambda extra=None: workspace({**ENTRIES, **(extra or {})})


def _pages(root: Path) -> dict[str, str]:
    ws = load_workspace(root=root)
    return generate_pages(ws, load_entries(ws).entries, TODAY)


def _build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """A real `mkdocs build` in a subprocess, as a user runs it (not -q: it hides warnings)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(root / "site"), *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small workspace built once with plain `mkdocs build` (the kb plugin in mkdocs.yml)."""
    from kb.scaffold import mkdocs_yml
    from tests.conftest import build_tree

    root = tmp_path_factory.mktemp("built") / "ws"
    build_tree(root, {"mkdocs.yml": mkdocs_yml("Test KB", "en"), **ENTRIES})
    (root / "docs" / "index.md").write_text("# Test KB\n\nOur own intro.\n", encoding="utf-8")
    result = _build(root)
    assert result.returncode == 0, result.stderr
    return root


def _kb_options(root: Path, **options) -> None:
    """Set options of the kb plugin in the workspace's mkdocs.yml."""
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in config["plugins"]:
        if isinstance(item, dict) and "kb" in item:
            item["kb"].update(options)
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def _html(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Generated pages: a pure function of the entries


def test_generated_pages_cover_registers_projects_and_sections(kb_ws):
    pages = _pages(kb_ws())
    for path in (
        "index.md",
        "registers/index.md",
        "registers/risks.md",
        "registers/lessons.md",
        "registers/sops.md",
        "registers/actions.md",
        "projects/index.md",
        "projects/erp-roll-out.md",
        "projects/华东仓储管理系统上线.md",
        "retrospectives/index.md",
        "risks/index.md",
        "tags.md",
    ):
        assert path in pages, path
    risks = pages["registers/risks.md"]
    assert "[RISK-0001](../risks/RISK-0001-hostile.md)" in risks
    assert '| <span class="kb-score kb-score--bad">20</span> |' in risks  # probability x impact
    assert "](../risks/RISK-0002-%E4%BE%9B" in risks  # Chinese file names, percent-encoded


def test_generated_pages_are_pure_and_deterministic(kb_ws):
    root = kb_ws()
    assert _pages(root) == _pages(root)
    assert not (root / "docs" / "registers").exists()


def test_with_href_tables_are_raw_html_linking_to_site_urls(kb_ws):
    root = kb_ws()
    ws = load_workspace(root=root)
    pages = generate_pages(
        ws, load_entries(ws).entries, TODAY, href=lambda page, target: f"/{page}->{target}"
    )
    risks = pages["registers/risks.md"]
    link = '<a href="/registers/risks.md-&gt;risks/RISK-0001-hostile.md">RISK-0001</a>'
    assert link in risks and '<td><span class="kb-score kb-score--bad">20</span></td>' in risks
    assert "| <span" not in risks and " markdown>" not in risks  # nothing left for markdown
    text = "\n".join(pages.values())
    assert "<script>" not in text and "<img" not in text and "&lt;script&gt;alert" in text
    # A short register shows every row; only long ones start with rows hidden.
    assert "<tr hidden>" not in risks and "data-kb-page" not in risks


def test_a_long_register_starts_with_its_first_rows_shown(kb_ws):
    from kb.site.pages import REGISTER_PAGE_ROWS

    root = kb_ws(many_risks(REGISTER_PAGE_ROWS + 3))
    ws = load_workspace(root=root)
    pages = generate_pages(ws, load_entries(ws).entries, TODAY, href=lambda p, t: t)
    risks = pages["registers/risks.md"]
    assert f'data-kb-page="{REGISTER_PAGE_ROWS}"' in risks
    table = risks[risks.index('class="kb-register"') :]
    assert table.count("<tr hidden") == 5  # 2 + 103 risk cases in all
    assert table.count("<tr") == REGISTER_PAGE_ROWS + 5 + 1  # and the heading row
    assert "<noscript>" in risks  # without scripts every row is shown
    # For another generator (no href), a plain markdown table with every row.
    markdown = generate_pages(ws, load_entries(ws).entries, TODAY)["registers/risks.md"]
    assert "<tr hidden" not in markdown and markdown.count("\n| [RISK-") == 105


def test_sop_catalog_flags_sops_past_review(kb_ws):
    sops = _pages(kb_ws())["registers/sops.md"]
    row = next(line for line in sops.splitlines() if "SOP-0001" in line)
    assert "2025-02-01" in row and "past review" in row
    assert row.rstrip().endswith("| 1 |")  # one lesson changed it


def test_action_tracker_lists_open_and_overdue_by_owner_and_project(kb_ws):
    actions = _pages(kb_ws())["registers/actions.md"]
    assert "Name data owners" in actions and "Archive the legacy system" in actions
    open_items = actions.split("## All open action items")[1].split("\n## ")[0]
    assert "Rehearse the migration" not in open_items  # done
    overdue_row = next(line for line in actions.splitlines() if "Name data owners" in line)
    assert "| 76 |" in overdue_row  # days overdue on TODAY
    assert "By owner" in actions and "By project" in actions


def test_front_matter_is_escaped_in_generated_markdown(kb_ws):
    pages = _pages(kb_ws())
    text = "\n".join(pages.values())
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert" in text


def test_dashboard_has_counts_recent_retrospectives_and_charts(kb_ws):
    home = _pages(kb_ws())["index.md"]
    assert "ERP go-live retrospective" in home
    assert home.count("<svg") == 2  # root causes and the schedule-slip trend
    assert "Overdue action items (1)" in home


# ---------------------------------------------------------------------------------------------
# The plugin's options


def test_plugin_options_are_declared_from_settings():
    plugin = KbPlugin()
    errors, warnings = plugin.load_config({"language": "zh", "nav_entries": 10})
    assert not errors, errors
    assert plugin.config["nav_entries"] == 10
    errors, _ = plugin.load_config({"check_level": "loud"})
    assert errors and "check_level" in str(errors[0])
    errors, _ = plugin.load_config({"stale_draft_days": "many"})
    assert errors


# ---------------------------------------------------------------------------------------------
# Real builds


def test_plain_mkdocs_build_adds_pages_without_writing_into_docs(built):
    site = built / "site"
    for rel in (
        "registers/risks/index.html",
        "projects/erp-roll-out/index.html",
        "tags/index.html",
    ):
        assert (site / rel).is_file(), rel
    assert not (built / "docs" / "registers").exists()
    assert (site / "assets/kb/kb.js").is_file() and (site / "assets/kb/kb.css").is_file()
    home = _html(built, "index.html")
    assert "Our own intro." in home and "kb-counts" in home  # dashboard appended to our page


def test_entry_pages_get_a_header_card_backlinks_and_related(built):
    retro = _html(built, "retrospectives/RETRO-0001-erp-go-live/index.html")
    assert 'class="kb-card kb-card--retrospective"' in retro
    assert "47 days late" in retro and "+150 EUR (+15 %)" in retro
    assert "2 open, 1 overdue, 1 done" in retro
    assert "Referenced by" in retro and "LL-0001-rehearse-twice/" in retro
    sop = _html(built, "sops/SOP-0001-cut-over-checklist/index.html")
    assert "Lessons that changed this SOP" in sop and "Rehearse the data migration twice" in sop
    assert "past review" in sop
    lesson = _html(built, "lessons/LL-0001-rehearse-twice/index.html")
    assert 'href="../../retrospectives/RETRO-0001-erp-go-live/"' in lesson  # source, in the card
    # The card sits right under the title, the links at the end of the text.
    assert re.search(r"</h1>\s*<div class=\"kb-card kb-card--lesson\"", lesson)
    assert lesson.index("Two full rehearsals.") < lesson.index('class="kb-links"')


def test_retrospective_page_lists_its_action_items(built):
    retro = _html(built, "retrospectives/RETRO-0001-erp-go-live/index.html")
    table = retro[retro.index('<div class="kb-actions"') :]
    table = table[: table.index("</table>")]
    for text in ("Rehearse the migration", "Name data owners", "Archive the legacy system"):
        assert text in table
    assert '<tr class="kb-row--overdue"><td>Name data owners</td><td>Michael</td>' in table
    assert re.search(r"<td>\d+ days overdue</td></tr><tr><td>Archive", table)
    assert "<td>Open</td>" in table and "<td>Done</td>" in table


def test_entry_ids_in_the_text_become_links(built):
    retro = _html(built, "retrospectives/RETRO-0001-erp-go-live/index.html")
    assert '<a href="../../lessons/LL-0001-rehearse-twice/">LL-0001</a>' in retro


def test_link_ids_leaves_code_links_and_unknown_ids_alone():
    from kb.site.markup import link_ids

    known = {"LL-0001": "lessons/LL-0001-x.md"}
    text = (
        "See LL-0001, not LL-0009.\n`LL-0001` in code, [LL-0001](elsewhere.md) linked,\n"
        "```\nLL-0001 in a fence\n```\nXLL-0001 and LL-00012 are not ids.\n\n"
        "    kb similar LL-0001\n\n<details><summary>More</summary>\nSee LL-0001.\n</details>\n"
        "\n- item\n    - nested LL-0001\n"
    )
    out = link_ids(text, "retrospectives/RETRO-0001-a.md", known.get)
    link = "[LL-0001](../lessons/LL-0001-x.md)"
    assert out == (
        f"See {link}, not LL-0009.\n`LL-0001` in code, "
        "[LL-0001](elsewhere.md) linked,\n```\nLL-0001 in a fence\n```\n"
        "XLL-0001 and LL-00012 are not ids.\n\n"
        "    kb similar LL-0001\n\n<details><summary>More</summary>\nSee LL-0001.\n</details>\n"
        f"\n- item\n    - nested {link}\n"
    )


def _lesson(n: int, project: str, extra: str = "") -> tuple[str, str]:
    meta = (
        f"id: LL-{n:04d}\ntype: lesson\ntitle: Lesson {n}\ndate: 2025-01-0{n}\nowner: A\n"
        f"status: approved\nproject: '{project}'\ncategory: quality\nphase: executing\n"
        f"impact: negative\n{extra}"
    )
    return f"docs/lessons/LL-{n:04d}-lesson-{n}.md", entry_text(meta, f"# Lesson {n}\n")


def test_projects_spelt_alike_keep_a_page_each_and_index_keeps_its_own(kb_ws):
    root = kb_ws(dict([_lesson(7, "ERP Roll-out"), _lesson(8, "Index")]))
    pages = _pages(root)
    assert "Lesson 7" in pages["projects/erp-roll-out.md"]
    assert "Lesson 7" not in pages["projects/erp-roll-out-2.md"]
    assert "ERP go-live retrospective" in pages["projects/erp-roll-out-2.md"]
    assert "Lesson 8" in pages["projects/index-2.md"]
    assert "Lesson 8" not in pages["projects/index.md"].split("---", 2)[2].split("|")[0]


def test_kb_check_warns_about_one_project_spelt_two_ways(kb_ws, run):
    root = kb_ws(dict([_lesson(7, "ERP Roll-out")]))
    result = run(root, "check", "--json")
    spelling = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "project-spelling"]
    assert [p["path"] for p in spelling] == ["docs/lessons/LL-0007-lesson-7.md"]
    assert "'ERP Roll-out' is spelt 'ERP roll-out'" in spelling[0]["message"]


def test_tags_written_as_text_do_not_stop_the_build(kb_ws):
    root = kb_ws(dict([_lesson(7, "ERP roll-out", "tags: just-a-string\n")]))
    result = _build(root)
    assert result.returncode == 0, result.stderr
    assert "just-a-string" in (root / "site/lessons/LL-0007-lesson-7/index.html").read_text("utf-8")


def test_root_cause_chart_breaks_ties_by_name(kb_ws):
    from kb.site.catalog import build_catalog
    from kb.site.pages import _root_causes

    ws = load_workspace(root=kb_ws())
    ranked = _root_causes(build_catalog(ws, load_entries(ws).entries, TODAY))
    assert ranked == sorted(ranked, key=lambda item: (-item[1], item[0]))


def test_registers_link_to_the_built_pages_and_stay_out_of_search(built):
    library = _html(built, "registers/risks/index.html")
    assert '<a href="../../risks/RISK-0001-hostile/">RISK-0001</a>' in library
    table = library.split('class="kb-register"')[1].split("</table>")[0]
    assert 'href="../../projects/' in table and ".md" not in table
    actions = _html(built, "registers/actions/index.html")
    assert actions.count("<table>") >= 3 and "kb-table-" not in actions  # all put back
    # Pagefind indexes only what a page marks with data-pagefind-body: an entry's own text.
    assert "data-pagefind-body" not in library and "data-pagefind-body" not in actions
    lesson = _html(built, "lessons/LL-0001-rehearse-twice/index.html")
    assert "Rehearse the data migration twice" in lesson.split("data-pagefind-body")[1]


def test_nothing_from_front_matter_reaches_html_unescaped(built):
    for path in (built / "site").rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        for bad in ("<script>alert(", "<img src=x", "<b>Bold", "<i>Evil", "<script>tag(", "x()</"):
            assert bad not in html, f"{bad} in {path}"
    page = _html(built, "risks/RISK-0001-hostile/index.html")
    assert "<h1" in page and "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;" in page
    assert "<title>&lt;script&gt;alert(1)" in page


def test_the_built_site_loads_nothing_from_an_outside_host(built):
    # What a page loads: scripts, style sheets, icons, images, fonts. (Plain <a> links to the
    # outside, such as Material's credit in the footer, are not requests.)
    loads = re.compile(
        r"""<(?:script|img|iframe|source)\b[^>]*\bsrc=["']?(?:https?:)?//"""
        r"""|<link\b[^>]*\bhref=["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//""",
        re.I,
    )
    checked = 0
    for path in (built / "site").rglob("*"):
        if path.suffix in (".html", ".css", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not loads.search(text), (path, loads.search(text))
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
            checked += 1
    assert checked > 20


def test_check_errors_are_mkdocs_warnings_and_fail_strict(kb_ws):
    root = kb_ws(
        {
            "docs/lessons/LL-0002-dangling.md": ENTRIES["docs/lessons/LL-0001-rehearse-twice.md"]
            .replace("LL-0001", "LL-0002")
            .replace("source: RETRO-0001", "source: RETRO-0099")
        }
    )
    result = _build(root, "--strict")
    assert result.returncode != 0
    assert "docs/lessons/LL-0002-dangling.md:" in result.stderr
    assert "RETRO-0099 does not exist" in result.stderr


def test_check_warnings_fail_strict_only_when_asked(kb_ws):
    root = kb_ws()  # has an overdue action and an SOP past review: kb check warnings
    assert _build(root, "--strict").returncode == 0
    _kb_options(root, check_level="warning")
    result = _build(root, "--strict")
    assert result.returncode != 0 and "overdue by" in result.stderr


def test_registers_replace_thousands_of_nav_items(kb_ws):
    root = kb_ws()
    _kb_options(root, nav_entries=1)
    assert _build(root).returncode == 0
    library = (root / "site" / "registers" / "risks" / "index.html").read_text(encoding="utf-8")
    nav = library.split('class="md-content"')[0]
    assert "Risk case library" in nav and "Action tracker" in nav
    risk = (root / "site" / "risks" / "RISK-0002-供应商交付延迟" / "index.html").read_text("utf-8")
    nav = risk.split("md-nav--primary")[1].split('class="md-content"')[0]
    assert "RF 手持终端供应商交付延迟" not in nav  # two risks > 1: the entries are not in the nav


# ---------------------------------------------------------------------------------------------
# kb build and kb serve


def test_kb_build_refreshes_the_index_and_builds(kb_ws, run):
    root = kb_ws()
    result = run(root, "build", "-d", str(root / "public"))
    assert result.exit_code == 0, result.output
    assert (root / "public" / "registers" / "risks" / "index.html").is_file()
    assert (root / ".kb" / "index").is_dir()
    assert "built" in result.output


def test_kb_build_strict_reports_check_errors(kb_ws, run):
    root = kb_ws({"docs/sops/SOP-0002-bad.md": "---\ntitle: [unclosed\n---\n"})
    result = run(root, "build", "--strict", "--no-index", "-d", str(root / "public"))
    assert result.exit_code == 1
    assert "not built" in result.output


def test_kb_build_pages_only_writes_markdown_for_another_generator(kb_ws, run, tmp_path):
    root = kb_ws({"docs/index.md": "# Test KB\n\nOur own intro.\n"})
    out = tmp_path / "pages"
    result = run(root, "build", "--pages-only", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "registers" / "risks.md").read_text(encoding="utf-8").startswith("---\n")
    assert (out / "projects" / "erp-roll-out.md").is_file()
    # What the site shows: entry pages with their card, action items and backlinks.
    retro = (out / "retrospectives" / "RETRO-0001-erp-go-live.md").read_text("utf-8")
    assert retro.startswith("---\nid: RETRO-0001\n")  # the entry's own front matter
    assert '<div class="kb-card kb-card--retrospective"' in retro and "47 days late" in retro
    assert "Name data owners" in retro.split("## Summary")[1]  # the action-item table
    assert "Referenced by" in retro and 'href="../lessons/LL-0001-rehearse-twice.md"' in retro
    assert "[LL-0001](../lessons/LL-0001-rehearse-twice.md)" in retro  # ids in the text
    home = (out / "index.md").read_text("utf-8")  # appended to the workspace's own home page
    assert home.startswith("# Test KB") and "Recent retrospectives" in home
    for bad in (root / "docs", root / "docs" / "out"):
        result = run(root, "build", "--pages-only", str(bad))
        assert result.exit_code != 0 and "outside docs/" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, needle: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = _get(url)
            if needle in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} not served at {url} within {seconds} s")


def test_kb_serve_live_reloads_new_and_edited_entries(kb_ws):
    root = kb_ws()
    port = _free_port()
    kb = [sys.executable, "-m", "kb", "--root", str(root), "serve", "--no-index"]
    proc = subprocess.Popen(
        [*kb, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        _wait_for(base + "registers/risks/", "RISK-0001", 60)
        new = root / "docs" / "risks" / "RISK-0003-freshly-filed.md"
        new.write_text(
            ENTRIES["docs/risks/RISK-0002-供应商交付延迟.md"]
            .replace("RISK-0002", "RISK-0003")
            .replace("title: RF 手持终端供应商交付延迟", "title: Freshly filed risk"),
            encoding="utf-8",
        )
        _wait_for(base + "registers/risks/", "Freshly filed risk", 30)
        new.write_text(new.read_text("utf-8").replace("Freshly filed", "Edited"), "utf-8")
        _wait_for(base + "registers/risks/", "Edited risk", 30)
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output


def test_the_guide_documents_the_site_commands_and_options():
    from tests.conftest import REPO

    guide = (REPO / "docs" / "guide" / "site.md").read_text(encoding="utf-8")
    for needle in ("kb build", "kb serve", "--pages-only", "--strict", "mkdocs build"):
        assert needle in guide, needle
    for option in ("check_on_build", "check_level", "pages", "nav_entries", "language"):
        assert f"`{option}`" in guide, option


# ---------------------------------------------------------------------------------------------
# The rough edges of the site: tables, dashboard, project pages, the risk heat map, entry pages


def test_ids_and_dates_in_tables_are_marked_not_to_wrap(built):
    token = re.compile(r"[A-Z][A-Z0-9]*-\d{4,}|\d{4}-\d{2}-\d{2}")
    checked = 0
    for page in ("registers/risks/index.html", "registers/actions/index.html", "index.html"):
        for css, cell in re.findall(r"<td( class=\"kb-nowrap\")?>(.*?)</td>", _html(built, page)):
            if token.fullmatch(re.sub(r"<[^>]+>", "", cell)):
                assert css, (page, cell)
                checked += 1
    assert checked >= 6
    css = (built / "site/assets/kb/kb.css").read_text("utf-8")
    assert ".md-typeset .kb-nowrap" in css


def test_overdue_rows_are_marked_and_columns_say_which_way_they_sort_first(built):
    overdue = re.compile(r'<tr class="kb-row--overdue">(?:<td>[^<]*</td>)?<td>Name data owners')
    assert overdue.search(_html(built, "index.html"))
    tracker = _html(built, "registers/actions/index.html")
    assert overdue.search(tracker)
    assert '<th data-kb-key="due" data-kb-first="ascending">' in tracker
    library = _html(built, "registers/risks/index.html")
    assert '<th data-kb-key="score" data-kb-first="descending">' in library


def test_the_dashboard_charts_are_sections_of_their_own_in_the_toc(built):
    home = _html(built, "index.html")
    toc = home[home.index("md-nav--secondary") :]
    toc = toc[: toc.index("</nav>")]
    between = toc[toc.index("Overdue action items") : toc.index("Most frequent root-cause")]
    assert "<ul" not in between and "</li>" in between  # a sibling, not a child
    assert '<h2 id="most-frequent-root-cause-categories"' in home


def test_project_pages_use_plurals_and_no_project_column(kb_ws):
    pages = _pages(kb_ws(dict([_lesson(7, "ERP roll-out")])))
    project = pages["projects/erp-roll-out.md"]
    assert "## Retrospective\n" in project  # one
    assert "## Lessons learned\n" in project  # two
    assert "## Open action items\n" in project
    actions = project.split("## Open action items")[1]
    assert "| Project |" not in actions and "| Action | Owner | Due |" in actions
    assert "| Project |" not in project
    assert 'class="kb-even"' in project


def test_the_risk_library_has_a_heat_map_and_scores_by_band(built):
    library = _html(built, "registers/risks/index.html")
    heat = library[library.index('class="kb-heatmap"') : library.index('class="kb-register"')]
    # RISK-0001 is 4 x 5 (score 20), RISK-0002 3 x 4 (12): a count in those cells, 0 elsewhere
    for cell, band in (("4x5", "bad"), ("3x4", "warn")):
        link = f'<a href="\\?cell={cell}" data-kb-cell="{cell}"[^>]*>1</a>'
        assert re.search(f'kb-heat kb-heat--{band}">{link}', heat), cell
    assert heat.count('<a href="?cell=') == 2 and heat.count("kb-heat--none") == 23
    assert '<tr data-kb-cell="4x5">' in library
    assert '<span class="kb-score kb-score--bad">20</span>' in library
    assert '<span class="kb-score kb-score--warn">12</span>' in library


def test_costs_show_their_currency_and_thousands_separators(built):
    retro = _html(built, "retrospectives/RETRO-0001-erp-go-live/index.html")
    assert "1,000 → 1,150 EUR" in retro and "+150 EUR (+15 %)" in retro


def test_money_and_variance_text():
    from kb.site.tables import money, variance_text

    assert money(1234567, "CNY") == "1,234,567 CNY"
    assert money(1234.5) == "1,234.5" and money(0.25, "EUR", signed=True) == "+0.25 EUR"
    assert money(-1500, "EUR", signed=True) == "-1,500 EUR"
    assert money(None) == "" and money(True) == ""
    assert variance_text({"amount": 150000, "percent": 12.5, "currency": "CNY"}) == (
        "+150,000 CNY (+12.5 %)"
    )
    assert variance_text(None) == ""


def test_empty_sections_publish_nothing():
    from kb.site.entry_markdown import drop_empty_sections

    text = (
        "Intro\n\n## Summary\n\nText.\n\n## Went well\n\n-\n\n## Went wrong\n\n- one\n-\n\n"
        "## Action items\n\n<!-- in the front matter -->\n\n## Recommendation\n\n- [ ]\n\n"
        "## Parent\n\n### Child\n\nReal.\n\n```\n## In a fence\n-\n```\n"
    )
    out = drop_empty_sections(text, keep={"Action Items"})
    assert out == (
        "Intro\n\n## Summary\n\nText.\n\n## Went wrong\n\n- one\n\n"
        "## Action items\n\n<!-- in the front matter -->\n\n"
        "## Parent\n\n### Child\n\nReal.\n\n```\n## In a fence\n-\n```\n"
    )
    assert "Action items" not in drop_empty_sections(text)


def test_every_build_renders_checklists_as_task_lists():
    # The repository's own mkdocs.yml (the sample site) and a new workspace's (kb init) do not
    # need to list the extension: the plugin adds it.
    from mkdocs.config import load_config

    from tests.conftest import REPO

    config = load_config(str(REPO / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert "pymdownx.tasklist" in config.markdown_extensions
    assert config.mdx_configs["pymdownx.tasklist"] == {"custom_checkbox": True}
