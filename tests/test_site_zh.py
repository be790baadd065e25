"""A Chinese workspace's site is Chinese: no English enum key or label on any built page.

The workspace is made by `kb init --lang zh`, its entries use every allowed value of the schema,
and it is built by `kb build` as a user builds it. Every built page's visible text is scanned.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kb import i18n
from tests.conftest import build_tree
from tests.site_zh_helpers import english_terms, leaks, visible_text, zh_entries


def kb(*args: str) -> subprocess.CompletedProcess:
    """`kb` in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "kb", *args], capture_output=True, text=True, timeout=300
    )


def build_zh_site(root: Path, extra: dict[str, str] | None = None) -> Path:
    """`kb init --lang zh`, the entries of ``zh_entries``, `kb build`; the site folder."""
    result = kb("init", str(root), "--lang", "zh")
    assert result.returncode == 0, result.stderr
    build_tree(root, {**zh_entries(), **(extra or {})})
    result = kb("--root", str(root), "build", "--no-index")
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory) -> Path:
    return build_zh_site(tmp_path_factory.mktemp("zh") / "ws")


def test_the_entries_use_every_allowed_value():
    from kb.schema import BUILTIN_TYPES

    text = "\n".join(zh_entries().values())
    for etype in BUILTIN_TYPES:
        for f in etype.fields:
            for value in f.choices:
                assert f" {value}" in text or f"[{value}" in text, (etype.name, f.name, value)


def test_no_page_of_a_chinese_site_shows_an_english_key_or_label(zh_site):
    terms = english_terms()
    assert {"partially-succeeded", "Partially succeeded", "whole-project", "Draft"} <= set(terms)
    pages = sorted(zh_site.rglob("*.html"))
    assert len(pages) > 40
    found = {}
    for path in pages:
        leaked = leaks(visible_text(path.read_text("utf-8")), terms)
        if leaked:
            found[str(path.relative_to(zh_site))] = leaked
    assert not found, "\n".join(f"{page}: {'; '.join(items)}" for page, items in found.items())


def test_the_scan_finds_what_leaks():
    # It names what it found, and leaves ids, dates, urls, attributes, scripts and code alone.
    html = (
        '<p class="kb-status--draft" data-x="approved">风险 Partially succeeded 2025-01-02</p>'
        "<script>var open = 1;</script><code>whole-project</code><p>RISK-0001 https://x/done</p>"
        "<p hidden>cancelled</p>"
    )
    found = {f.split(" in ")[0].strip("'") for f in leaks(visible_text(html), english_terms())}
    assert found == {"Partially succeeded", "Succeeded", "succeeded"}


def test_people_read_labels_while_the_page_keeps_keys(zh_site):
    retro = (zh_site / "retrospectives/RETRO-0002-第2次项目复盘/index.html").read_text("utf-8")
    assert 'kb-status--in-review">评审中<' in retro  # the key styles it, the label is read
    assert "部分成功" in retro and "制造" in retro and "规划, 资源配置" in retro
    assert "见于其“来源”字段" in retro  # a backlink names the field in Chinese
    home = (zh_site / "index.html").read_text("utf-8")
    assert i18n.text("value.requirements", "zh") in home  # the root-cause chart
    risks = (zh_site / "registers/risks/index.html").read_text("utf-8")
    assert "<td>规避</td>" in risks and "<td>法规合规</td>" in risks


def test_costs_show_their_currency_and_thousands_separators(zh_site):
    retro = (zh_site / "retrospectives/RETRO-0004-第4次项目复盘/index.html").read_text("utf-8")
    assert "1,200,000 → 1,350,000 CNY" in retro and "+150,000 CNY (+12.5 %)" in retro
    risk = (zh_site / "risks/RISK-0010-风险案例10/index.html").read_text("utf-8")
    assert "1,125,000 CNY" in risk  # the currency of its source retrospective's budget


def test_checklists_are_task_lists_and_unwritten_sections_are_left_out(zh_site):
    # A workspace made by `kb init` renders recommendation checklists as check boxes.
    lesson = (zh_site / "lessons/LL-0001-经验教训1/index.html").read_text("utf-8")
    assert lesson.count('class="task-list-item"') == 2
    assert 'type="checkbox"' in lesson and "[ ]" not in visible_text(lesson)
    # The evidence section holds only the template's comment and an empty check box.
    assert i18n.text("section.evidence", "zh") not in visible_text(lesson).split("经验教训1 ¶")[-1]
    retro = (zh_site / "retrospectives/RETRO-0001-第1次项目复盘/index.html").read_text("utf-8")
    shown = visible_text(retro)
    assert "做得好的 ¶" not in shown and "存在的问题 ¶" in shown  # "-" alone: nothing written
    assert "<li></li>" not in retro and " ¶ - " not in shown
    # The action items section stays: the action-item table goes there.
    assert "改进行动 ¶" in shown and 'class="kb-actions"' in retro
