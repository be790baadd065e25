"""Terminal output of search hits: sanitized, markdown stripped, wrapped, bold only on a terminal.

Pure functions over hand-built hits; none of these tests needs a search index.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from kb.cli.search import _print_hits, _print_summary, summary_line
from kb.cli.terminal import (
    display_width,
    hit_lines,
    render_snippet,
    sanitize,
    strip_markdown,
    use_style,
)

BOLD = click.style("x", bold=True).split("x")  # [start, reset]
ANSI = re.compile(r"\x1b\[[0-9;]*m")

SNIPPET = (
    "…the **data** **migration** team logged 1,870 questions such as "
    '"which of these two customers is the real one?"; see [LL-0001](../lessons/LL-0001.md) '
    "and the **cut-over** checklist before the dress rehearsal in production."
)
CHINESE = (
    "**数据迁移**前必须完成库位主数据清洗。华东仓储管理系统项目在第一次**数据****迁移**测试中，"
    "三万八千个库位中有四千六百个存在编码重复、缺少长宽高或承重信息的问题。"
)


def hit(**fields) -> SimpleNamespace:
    """A search hit as kb.search returns it, with plain defaults."""
    defaults = dict(
        id="LL-0001",
        type="lesson",
        title="Rehearse the data migration twice",
        project="ERP roll-out",
        date="2025-06-27",
        path="docs/lessons/LL-0001.md",
        score=3.2,
        snippet="",
        status="approved",
        category="data",
        tags=["data-migration"],
        risk_score=None,
    )
    return SimpleNamespace(**(defaults | fields))


def visible(line: str) -> str:
    return ANSI.sub("", line)


# --- sanitize ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words, 中文", "plain words, 中文"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("bell\x07", "bell\\x07"),
        ("a\tb\nc\rd", "a\\tb\\nc\\rd"),
        ("del\x7f c1\x9b nul\x00", "del\\x7f c1\\x9b nul\\x00"),
        ("abc\u202edcba", "abc\\u202edcba"),
    ],
)
def test_sanitize_shows_control_characters_escaped(text, shown):
    assert sanitize(text) == shown


# --- strip_markdown ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "words"),
    [
        (
            '!!! note "Superseded" This version was replaced',
            "Superseded: This version was replaced",
        ),
        ("??? tip\n    Rehearse twice", "Tip:\nRehearse twice"),
        ('!!! warning "" Careful', "Careful"),
        ("see [SOP-0001](../sops/SOP-0001.md) first", "see SOP-0001 first"),
        ("a chart ![burn-down](img/burn.png) here", "a chart here"),
        ("- first\n* second\n1. third\n+ fourth", "first\nsecond\nthird\nfourth"),
        (
            "Actions - [ ] book the room - [x] send the invite",
            "Actions book the room send the invite",
        ),
        ("## Driving event\nThe load failed", "Driving event\nThe load failed"),
        ("run `kb index` then ``kb search``", "run kb index then kb search"),
        ("| risk | score |\n|---|---:|\n| vendor | 15 |", "risk score\n\nvendor 15"),
        ("lessons [LL-0004](../lessons/LL-0004-book-the-saf…", "lessons LL-0004…"),
        ("…ssons/LL-0003-tie.md) and LL-0004", "… and LL-0004"),
        ("时间线 - 2025-11-03：项目启动", "时间线 2025-11-03：项目启动"),
        (
            "keep 2 * 3, C# code, issue #12 and a - dash",
            "keep 2 * 3, C# code, issue #12 and a - dash",
        ),
        ("the **data** **migration** team", "the **data** **migration** team"),
    ],
)
def test_strip_markdown_keeps_the_words(markdown, words):
    assert strip_markdown(markdown) == words


# --- render_snippet ---------------------------------------------------------------------------


@pytest.mark.parametrize("style", [True, False])
def test_snippet_lines_fit_the_width_and_are_indented(style):
    lines = render_snippet(SNIPPET, style=style, width=50, indent=9)
    assert len(lines) > 2
    for line in lines:
        assert line.startswith(" " * 9) and not line.startswith(" " * 10)
        assert display_width(visible(line)) <= 50
        assert "**" not in line
        assert not line.endswith(" ")
    text = " ".join(visible(line).strip() for line in lines)
    assert text == strip_markdown(SNIPPET).replace("**", "")


def test_snippet_is_bold_on_a_terminal_and_plain_otherwise():
    styled = "\n".join(render_snippet(SNIPPET, style=True, width=80, indent=2))
    plain = "\n".join(render_snippet(SNIPPET, style=False, width=80, indent=2))
    assert f"{BOLD[0]}migration{BOLD[1]}" in styled
    assert f"{BOLD[0]}cut-over{BOLD[1]}" in styled
    assert f"{BOLD[0]}team" not in styled
    assert "\x1b" not in plain
    assert visible(styled) == plain


def test_snippet_does_not_split_a_bold_word():
    # "migration" would fit half on the first line; it moves to the next line whole.
    lines = render_snippet("aaaa bbbb **migration** cc", style=True, width=14, indent=0)
    assert [visible(line) for line in lines] == ["aaaa bbbb", "migration cc"]
    assert lines[1].startswith(f"{BOLD[0]}migration{BOLD[1]}")


def test_touching_marks_are_one_bold_stretch():
    lines = render_snippet("**数据****迁移**测试", style=True, width=40, indent=0)
    assert lines == [f"{BOLD[0]}数据迁移{BOLD[1]}测试"]


def test_a_snippet_cut_inside_the_authors_bold_does_not_invert_the_rest():
    lines = render_snippet("…plan** and the **migration** team", style=True, width=80, indent=0)
    assert lines == [f"…plan and the {BOLD[0]}migration{BOLD[1]} team"]


@pytest.mark.parametrize("style", [True, False])
def test_chinese_wraps_between_characters_counting_two_columns_each(style):
    lines = render_snippet(CHINESE, style=style, width=40, indent=4)
    assert len(lines) >= 4
    for line in lines:
        shown = visible(line)
        assert shown.startswith("    ") and shown[4] != " "
        assert 30 <= display_width(shown) <= 40 or line is lines[-1]
        assert shown[4] not in "，。、"  # no line starts with closing punctuation
    joined = "".join(visible(line)[4:] for line in lines)
    assert joined == CHINESE.replace("*", "")
    if style:
        assert any(f"{BOLD[0]}数据迁移{BOLD[1]}" in line for line in lines)


def test_a_word_wider_than_the_line_is_cut():
    url = "https://example.com/" + "x" * 60
    lines = render_snippet(f"see {url} now", style=False, width=30, indent=5)
    assert lines == [
        "     see",
        "     https://example.com/xxxxx",
        "     " + "x" * 25,
        "     " + "x" * 25,
        "     xxxxx now",
    ]


def test_snippet_control_characters_are_escaped_and_whitespace_flows():
    lines = render_snippet("red \x1b[31m**alert**\x07\tnext\nline", style=False, width=80, indent=0)
    assert lines == ["red \\x1b[31malert\\x07 next line"]


def test_empty_snippet_has_no_lines():
    assert render_snippet("", style=True, width=80, indent=4) == []
    assert render_snippet('!!! note ""', style=True, width=80, indent=4) == []


# --- use_style --------------------------------------------------------------------------------


class FakeStream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "no_color", "styled"),
    [
        (True, None, True),
        (True, "", True),  # no-color.org: only a non-empty value counts
        (True, "1", False),
        (True, "false", False),
        (False, None, False),
    ],
)
def test_style_only_on_a_terminal_without_no_color(monkeypatch, tty, no_color, styled):
    monkeypatch.delenv("TERM", raising=False)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert use_style(FakeStream(tty)) is styled


def test_no_style_on_a_dumb_terminal_or_a_stream_without_isatty(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    assert use_style(FakeStream(True)) is False
    monkeypatch.delenv("TERM")
    assert use_style(object()) is False


# --- summary ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        ((10, 52, 12, 40), "10 of 52 results: 12 hold all words, 40 some"),
        ((2, 3, 1, 2), "2 of 3 results: 1 holds all words, 2 some"),
        ((5, 5, 0, 5), "5 of 5 results: 0 hold all words, 5 some"),
        ((10, 12, 12, 0), "10 of 12 results"),
        ((10, 12, None, None), "10 of 12 results"),
        ((1, 1, 1, 0), "1 of 1 result"),
        ((1, 1, None, None), "1 of 1 result"),
        ((0, 0, 0, 0), "no results"),
        ((0, 0, None, None), "no results"),
    ],
)
def test_summary_line(counts, line):
    assert summary_line(*counts) == line


# --- the whole output -------------------------------------------------------------------------


def test_hit_lines_layout_with_style():
    hits = [
        hit(snippet="the **data** **migration** team"),
        hit(id="RISK-0012", type="risk", project="", path="docs/risks/RISK-0012.md", snippet=""),
    ]
    lines = hit_lines(hits, style=True, width=80)
    assert lines[0] == (
        f"{BOLD[0]}LL-0001{BOLD[1]}    lesson        2025-06-27  "
        "Rehearse the data migration twice  [ERP roll-out]"
    )
    assert lines[1] == "           docs/lessons/LL-0001.md"
    assert visible(lines[2]) == "           the data migration team"
    assert visible(lines[3]).startswith("RISK-0012  risk          2025-06-27  Rehearse")
    assert lines[4] == "           docs/risks/RISK-0012.md"
    assert len(lines) == 5
    assert hit_lines([], style=True, width=80) == []


def test_print_hits_piped_is_plain_wrapped_and_sanitized():
    hits = [
        hit(
            id="LL-0001\x1b[2J",
            title="Evil \x1b[31mred\x1b[0m title\x07",
            project="ERP\x9b",
            path="docs/lessons/LL-0001\x07.md",
            snippet=SNIPPET,
        ),
        hit(id="SOP-0002", type="sop", project="", snippet='!!! note "Superseded" by **SOP-0003**'),
    ]
    result = SimpleNamespace(
        hits=hits, total=52, suggestion="migra\x1btion", facets=None, all_words=12, some_words=40
    )

    @click.command()
    def show():
        _print_hits(result.hits)
        _print_summary(result)

    out = CliRunner().invoke(show, env={"COLUMNS": "60", "NO_COLOR": None}, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout and "\x9b" not in out.stdout
    assert "**" not in out.stdout
    assert out.stdout.splitlines() == [
        "LL-0001\\x1b[2J  lesson        2025-06-27  Evil \\x1b[31mred\\x1b[0m title\\x07"
        "  [ERP\\x9b]",
        "                docs/lessons/LL-0001\\x07.md",
        "                …the data migration team logged 1,870",
        '                questions such as "which of these two',
        '                customers is the real one?"; see LL-0001 and',
        "                the cut-over checklist before the dress",
        "                rehearsal in production.",
        "SOP-0002        sop           2025-06-27  Rehearse the data migration twice",
        "                docs/lessons/LL-0001.md",
        "                Superseded: by SOP-0003",
        "did you mean: migra\\x1btion",
    ]
    assert out.stderr == "2 of 52 results: 12 hold all words, 40 some\n"


def test_print_summary_of_explicit_syntax_has_no_word_counts():
    result = SimpleNamespace(
        hits=[hit()], total=1, suggestion=None, facets=None, all_words=None, some_words=None
    )

    @click.command()
    def show():
        _print_summary(result)

    out = CliRunner().invoke(show, catch_exceptions=False)
    assert out.stdout == ""
    assert out.stderr == "1 of 1 result\n"
