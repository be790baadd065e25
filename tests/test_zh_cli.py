"""A Chinese workspace's command line is Chinese: a PM files entries answering in Chinese, and
no English value key or English label appears in what `kb new`, `kb list`, `kb stats`,
`kb actions` and `kb brief` print; stored values stay the canonical keys. Also: English counts
read as English ("1 retrospective", "2 lessons")."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kb import i18n
from kb.config import load_workspace
from kb.fields import ACTION_STATUSES
from kb.schema import BUILTIN_TYPES
from kb.store import load_entries


def english_words() -> set[str]:
    """Every allowed value's key (kb.schema) and every English label of a value, a type and a
    field (the en catalog)."""
    keys = {c for t in BUILTIN_TYPES for f in t.fields for c in f.choices} | set(ACTION_STATUSES)
    english = i18n.catalog("en")
    labels = {
        message
        for key, message in english.items()
        if key.split(".")[0] in ("value", "type", "field") and isinstance(message, str)
    }
    return keys | labels


def english_in(output: str) -> list[str]:
    """The English keys and labels found in ``output`` as whole words (case as written: a
    message may name a field by its front-matter name, ``status``, beside its label)."""
    found = []
    for word in sorted(english_words()):
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", output):
            found.append(word)
    return found


@pytest.fixture
def zh(tmp_path: Path, run, monkeypatch) -> Path:
    """A `kb init --lang zh` workspace; the owner default is the user name 王芳."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("LOGNAME", "USER"):  # the first ones getpass.getuser() reads
        monkeypatch.setenv(name, "王芳")
    root = tmp_path / "zh"
    result = run(None, "init", str(root), "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert "已创建" in result.output
    return root


# Answers to `kb new retro --interactive`, in prompt order, with two mistakes on the way.
RETRO_ANSWERS = [
    "",  # owner: the default, 王芳
    "华东仓储系统上线",  # project
    "IT实施",  # project type, by its Chinese label
    "6",  # phase, by number: whole-project
    "也许",  # outcome: not an allowed value, asked again
    "部分成功",  # outcome, by its Chinese label
    "2024/3/1",  # planned end, as the import accepts it
    "2024-13-01",  # actual end: no such date, asked again
    "2024-04-15",
    "是",  # add an action item?
    "库位主数据清洗",
    "李雷",
    "2024-05-01",
    "否",
]


def file_retrospective(run, root: Path):
    args = ["new", "retro", "仓储系统上线复盘", "--interactive"]
    return run(root, *args, input="\n".join(RETRO_ANSWERS) + "\n")


def test_a_retrospective_filed_in_chinese_stores_the_keys(zh, run):
    result = file_retrospective(run, zh)
    assert result.exit_code == 0, result.output
    (entry,) = load_entries(load_workspace(root=zh)).entries
    meta = entry.meta
    assert meta["project_type"] == "it-implementation"
    assert meta["phase"] == "whole-project"
    assert meta["outcome"] == "partially-succeeded"
    assert meta["owner"] == "王芳"
    assert meta["planned_end"] == dt.date(2024, 3, 1)
    assert meta["actual_end"] == dt.date(2024, 4, 15)
    assert meta["actions"] == [
        {"action": "库位主数据清洗", "owner": "李雷", "due": dt.date(2024, 5, 1), "status": "open"}
    ]


def test_the_prompts_are_chinese(zh, run):
    result = file_retrospective(run, zh)
    out = result.output
    assert english_in(out) == [], out
    label = i18n.text("field.project_type", "zh")
    assert f"{label} [1-7]：" in out
    assert "  1. IT实施\n" in out and "  6. 整个项目\n" in out
    # the expected form of a date is shown before the first mistake
    assert "计划结束日期（基线计划的结束日期；YYYY-MM-DD，例如 2024-03-15）：" in out
    # the mistakes are explained in Chinese, naming the allowed values by their labels
    assert "'也许' 不是允许的值；可选：成功、部分成功、失败、已取消" in out
    assert "'2024-13-01' 不是有效日期" in out
    assert "已创建 RETRO-0001：" in out


def test_set_takes_chinese_labels_and_explains_in_chinese(zh, run):
    assert file_retrospective(run, zh).exit_code == 0
    bad = run(
        zh, "new", "lesson", "提前清洗主数据", "--no-input",
        "--set", "category=质良", "--set", "phase=执行", "--set", "impact=负面",
    )  # fmt: skip
    assert bad.exit_code != 0
    assert "类别（category）：'质良' 不是允许的值" in bad.output
    assert english_in(bad.output) == [], bad.output
    good = run(
        zh, "new", "lesson", "提前清洗主数据", "--no-input", "--set", "category=质量",
        "--set", "phase=执行", "--set", "impact=负面", "--set", "source=RETRO-0001",
    )  # fmt: skip
    assert good.exit_code == 0, good.output
    lesson = next(e for e in load_entries(load_workspace(root=zh)).entries if e.type == "lesson")
    assert (lesson.meta["category"], lesson.meta["phase"]) == ("quality", "executing")


@pytest.fixture
def filed(zh, run) -> Path:
    """The zh workspace with a retrospective, a lesson and a risk case filed in Chinese."""
    assert file_retrospective(run, zh).exit_code == 0
    lesson = [
        "new", "lesson", "仓储上线前完成主数据清洗", "--no-input",
        "--set", "category=质量", "--set", "phase=执行", "--set", "impact=负面",
        "--set", "source=RETRO-0001", "--set", "tags=主数据, 仓储",
        "--set", "project=华东仓储系统上线",
    ]  # fmt: skip
    risk = [
        "new", "risk", "仓储主数据质量不达标", "--no-input",
        "--set", "category=数据", "--set", "probability=4", "--set", "impact=5",
        "--set", "trigger=盘点差异超过百分之五", "--set", "response=减轻",
        "--set", "occurred=是", "--set", "tags=主数据", "--set", "source=RETRO-0001",
        "--set", "project=华东仓储系统上线",
    ]  # fmt: skip
    for args in (lesson, risk):
        result = run(zh, *args)
        assert result.exit_code == 0, result.output
    return zh


@pytest.mark.parametrize(
    "args",
    [
        ("list",),
        ("stats", "--today", "2024-06-01"),
        ("stats", "--by", "category", "--today", "2024-06-01"),
        ("stats", "--by", "project-type", "--today", "2024-06-01"),
        ("actions", "--today", "2024-06-01"),
        ("brief", "--tag", "主数据", "--text", "仓储系统上线", "--project-type", "IT实施"),
        ("check", "--today", "2024-06-01"),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_the_listings_are_chinese(filed, run, args):
    result = run(filed, *args)
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert english_in(result.output) == [], result.output


def test_listing_content_in_chinese(filed, run):
    listing = run(filed, "list").stdout.splitlines()
    assert listing[0].split()[:4] == ["编号", "类型", "状态", "日期"]
    assert listing[1].split()[:3] == ["LL-0001", "经验教训", "草稿"]
    stats = run(filed, "stats", "--today", "2024-06-01").stdout
    assert "条目：3" in stats and "进度延误（1 份项目复盘）：中位数 45 天" in stats
    actions = run(filed, "actions", "--today", "2024-06-01")
    assert "31 天" in actions.stdout and "未完成" in actions.stdout
    assert "1 项改进行动（未完成），其中逾期 1 项" in actions.stderr
    brief = run(filed, "brief", "--tag", "主数据", "--project-type", "IT实施").stdout
    assert "### 数据" in brief and "### 质量" in brief
    assert "影响 负面；阶段 执行" in brief and "应对策略：减轻" in brief
    assert "项目类型 `IT实施`" in brief
    check = run(filed, "check", "--today", "2024-06-01")
    assert "改进行动（actions[0]）：已逾期 31 天（截止 2024-05-01，负责人 李雷）" in check.stdout
    assert "已检查 3 个条目：0 个错误，1 个警告" in check.stderr


def test_json_keeps_the_canonical_keys(filed, run):
    import json

    rows = json.loads(run(filed, "list", "--json").stdout)
    assert {r["type"] for r in rows} == {"lesson", "retrospective", "risk"}
    assert {r["status"] for r in rows} == {"draft"}
    data = json.loads(run(filed, "stats", "--json", "--today", "2024-06-01").stdout)
    assert data["by_type"]["lesson"]["by_status"] == {"draft": 1}


# --- English counts read as English ---------------------------------------------------------


def test_english_counts_take_their_plural_form(workspace, run):
    from tests.conftest import entry_text
    from tests.search_helpers import lesson

    retro = (
        "id: RETRO-0001\ntype: retrospective\ntitle: Go-live\ndate: 2024-07-01\nowner: Cy\n"
        "status: approved\nproject: ERP\nproject_type: it-implementation\n"
        "phase: whole-project\noutcome: failed\nplanned_end: 2024-03-01\n"
        "actual_end: 2024-03-02\n"
    )
    root = workspace(
        {
            "docs/retrospectives/RETRO-0001.md": entry_text(retro),
            **dict([lesson(1, "Rehearse the migration"), lesson(2, "Freeze the scope")]),
        }
    )
    stats = run(root, "stats").stdout
    assert "Schedule slip (1 retrospective): median 1 day, worst 1 day (RETRO-0001)" in stats
    assert "  Lesson learned  2  (Approved 2)" in stats
    check = run(root, "check", "--today", "2024-06-01")
    assert "3 entries checked: 0 errors, 0 warnings" in check.stderr
    assert "0 action items (open), 0 overdue" in run(root, "actions").stderr
    for path in (root / "docs").rglob("*.md"):
        if path.name != "LL-0001.md":
            path.unlink()
    assert "1 entry checked: 0 errors, 0 warnings" in run(root, "check").stderr


# --- every message of every command, errors included ----------------------------------------

# What may stay in Latin letters in Chinese output: the placeholders of a usage line, the forms
# and formats messages name, and the names of formats and tools.
LATIN_ALLOWED = {"OPTIONS", "QUERY", "TYPE", "TITLE", "COMMAND", "ARGS", "PATH", "ENTRY"}
LATIN_ALLOWED |= {"YYYY", "MM", "DD", "YAML", "UTF", "MkDocs", "kb", "s"}
LATIN_ALLOWED |= {"text", "json", "github", "gitlab"}  # the values of kb check --format
LATIN_ALLOWED |= {"AND", "OR", "NOT"}  # the operators of the query language
_NOT_PROSE = re.compile(
    r"用法：[^\n]*"  # the usage line: the command as typed, its placeholders
    r"|`[^`]*`"  # a command to run
    r"|'[^']*'"  # a value as typed, or an option named by click
    r"|\S*[/\\]\S*|\S+\.md\b"  # a path
    r"|--?[A-Za-z][\w-]*"  # an option
    r"|[A-Z][A-Z0-9]*-\d+(?:#\d+)?"  # an entry id, an action item reference
    r"|（[a-z_][\w.\[\]]*）"  # a field's front-matter name beside its label
    r"|\b[a-z_]+(?:\.[a-z_]+)+\b"  # a setting of mkdocs.yml: plugins.kb.extra_fields
    r"|\b[a-z_]+(?:、[a-z_]+){2,}"  # the fields of the query language, as a query names them
)


def latin_words(output: str) -> list[str]:
    """Words in Latin letters left in ``output`` once commands, typed values, paths, options,
    ids and field names are taken out: English text that should have been Chinese."""
    prose = _NOT_PROSE.sub(" ", output)
    return sorted({w for w in re.findall(r"[A-Za-z]+", prose) if w not in LATIN_ALLOWED})


ENGLISH_PREFIXES = ("error:", "warning:", "note:", "Error:", "Usage:", "Try ")


def assert_chinese(result, typed: tuple[str, ...] = ()) -> None:
    """No English key, label, prefix or sentence in what a command printed (``typed``: words
    the user typed, which a message names as given)."""
    out = result.output
    assert english_in(out) == [], out
    assert [w for w in latin_words(out) if w not in typed] == [], out
    assert not any(p in out for p in ENGLISH_PREFIXES), out


@pytest.mark.parametrize(
    "args",
    [
        ("index",),
        ("index", "--rebuild"),
        ("search", "主数据", "--facets"),
        ("search", "主数剧"),  # a word that is not in the knowledge base: some words match
        ("search", "--type", "经验教训", "--status", "草稿", "--category", "质量"),
        ("similar", "LL-0001"),
        ("build", "--pages-only", "{root}/pages"),
    ],
    ids=lambda args: " ".join(args[:3]),
)
def test_every_command_speaks_chinese(filed, run, args):
    result = run(filed, *(a.format(root=filed) for a in args))
    assert result.exit_code == 0, result.output
    assert result.output.strip()
    assert_chinese(result)


def test_search_shows_types_and_values_by_their_labels(filed, run):
    result = run(filed, "search", "主数据", "--facets")
    out = result.stdout
    assert re.search(
        r"^LL-0001    经验教训      \d{4}-\d\d-\d\d  仓储上线前完成主数据清洗", out, re.M
    )
    assert "类型：经验教训（1）、风险案例（1）" in out
    assert "类别：数据（1）、质量（1）" in out
    assert "标签：主数据（2）、仓储（1）" in out
    assert "显示 2 条，共 2 条结果" in result.stderr
    import json

    data = json.loads(run(filed, "search", "主数据", "--facets", "--json").stdout)
    facet = [(f["value"], f["count"]) for f in data["facets"]["type"]]
    assert facet == [("lesson", 1), ("risk", 1)]  # JSON keeps the keys
    assert {h["type"] for h in data["hits"]} == {"lesson", "risk"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "--bogus"), "错误：没有选项 '--bogus'。"),
        (("search", "--limi", "3"), "错误：没有选项 '--limi'。是否想输入 --limit？"),
        (("search", "--limit", "0"), "'--limit' / '-n' 的值无效：应为 1 到 1000 之间的整数"),
        (
            ("check", "--format", "xml"),
            "'--format' 的值无效：'xml' 不是可选值；应为以下之一：text、json、github、gitlab",
        ),
        (("ci", "bogus"), "的值无效：'bogus' 不是可选值；应为以下之一：github、gitlab"),
        (
            ("check", "--today", "x"),
            "'--today' 的值无效：应为形如 2024-03-15 的日期（YYYY-MM-DD），实为 'x'",
        ),
        (("new",), "错误：缺少参数 'TYPE'。"),
        (("bogus",), "错误：没有命令 'bogus'。"),
        (("search", "a", "b"), "错误：多余的参数：'b'"),
        (
            ("new", "bogus"),
            "未知的条目类型 'bogus'；可用：项目复盘、经验教训、风险案例、标准作业程序",
        ),
        (("search", "--type", "foo"), "--type：未知的条目类型 'foo'"),
        (("search", "--status", "草搞"), "--status：'草搞' 不是有效的状态；可选：已批准、草稿"),
        (
            ("search", "--since", "2024-13-01"),
            "'--since' 的值无效：'2024-13-01' 不是有效日期；应为形如 2024-03-15 的日期",
        ),
        (("search", "--since", "2024-05-02", "--until", "2024-05-01"), "晚于 --until"),
        (("search", "--tag", "主数剧"), "--tag：没有条目含有 '主数剧'（是否想输入 '主数据'？）"),
        (("search", "NOT NOT 仓储"), "无法理解查询 'NOT NOT 仓储'：NOT NOT 互相抵消"),
        (("search", "ownr:王芳"), "查询中有未知字段 ownr；可用字段："),
        (("list", "-p", "西南"), "--project：没有条目含有 '西南'；已有：华东仓储系统上线"),
        (("actions", "--open", "--all"), "--open 和 --all 不能同时使用"),
        (("similar", "LL-0099"), "索引中没有编号或路径为 'LL-0099' 的条目"),
        (("renumber", "nope.md"), "错误：nope.md：没有这个文件"),
        (("brief", "-o", "{root}/nowhere/brief.md"), "/nowhere 不存在"),
    ],
    ids=lambda v: " ".join(v[:3]) if isinstance(v, tuple) else "",
)
def test_errors_are_chinese(filed, run, args, message):
    result = run(filed, *(a.format(root=filed) for a in args))
    assert result.exit_code != 0, result.output
    assert message in result.output
    assert "错误：" in result.output
    assert_chinese(result, typed=("ownr",))


def test_a_usage_error_shows_the_usage_line_and_help_in_chinese(filed, run):
    result = run(filed, "search", "--bogus")
    assert result.exit_code == 2
    usage, hint = result.stderr.splitlines()[:2]
    # CliRunner names the program after the function, cli; a shell runs kb
    assert re.fullmatch(r"用法：\w+ search \[OPTIONS\] \[QUERY\]", usage), usage
    assert re.fullmatch(r"运行 '\w+ search --help' 查看帮助。", hint), hint


@pytest.fixture
def broken(filed) -> Path:
    """The zh workspace with a file whose front matter is not closed and a lesson with an
    unknown status and an unknown field."""
    lessons = filed / "docs" / "lessons"
    (lessons / "LL-0007-未闭合.md").write_text("---\nid: LL-0007\ntype: lesson\n", "utf-8")
    text = (lessons / "LL-0001-仓储上线前完成主数据清洗.md").read_text("utf-8")
    text = text.replace("status: draft", "status: 待定\n备注: 1", 1)
    (lessons / "LL-0001-仓储上线前完成主数据清洗.md").write_text(text, "utf-8")
    return filed


@pytest.mark.parametrize(
    "args", [("check",), ("list",), ("stats",), ("index",), ("search", "主数据")], ids=" ".join
)
def test_a_broken_entry_is_reported_in_chinese(broken, run, args):
    result = (
        run(broken, *args, "--today", "2024-06-01") if args == ("check",) else run(broken, *args)
    )
    assert_chinese(result)
    out = result.output
    assert "LL-0007-未闭合.md:1" in out
    assert "文件头没有结束；请在最后一个字段后加一行 '---'" in out
    if args == ("check",):
        assert result.exit_code == 1
        assert "LL-0007-未闭合.md:1: 错误：文件头没有结束" in result.stdout
        assert "状态（status）：'待定' 不是允许的值" in result.stdout
        assert re.search(r"LL-0001-\S+:\d+: 警告：备注：经验教训没有字段 '备注'", result.stdout)
    elif args == ("index",):
        assert "已跳过 docs/lessons/LL-0007-未闭合.md:1: 错误：文件头没有结束" in result.stderr
    elif args == ("search", "主数据"):  # the index is brought up to date first, and says so
        assert "提示：未编入索引：docs/lessons/LL-0007-未闭合.md:1: 错误：" in result.stderr
    else:
        assert "警告：已跳过 docs/lessons/LL-0007-未闭合.md:1：文件头没有结束" in result.stderr


def test_a_damaged_index_is_rebuilt_with_a_chinese_note(filed, run):
    assert run(filed, "index").exit_code == 0
    state = load_workspace(root=filed).index_dir / "state.json"
    state.write_text("{not json", "utf-8")
    result = run(filed, "index")
    assert result.exit_code == 0, result.output
    assert "提示：索引状态已损坏；已重建搜索索引" in result.stderr
    assert_chinese(result)


def test_renumber_speaks_chinese(filed, run):
    lesson = next((filed / "docs" / "lessons").glob("LL-0001-*.md"))
    risk = next((filed / "docs" / "risks").glob("RISK-0001-*.md"))
    risk.write_text(risk.read_text("utf-8") + "\n另见 LL-0001。\n", "utf-8")
    result = run(filed, "renumber", str(lesson))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("LL-0001 -> LL-0002：docs/lessons/LL-0002-")
    assert_chinese(result)


def test_english_keeps_clicks_own_messages(workspace, run):
    root = workspace({})
    result = run(root, "search", "--bogus")
    assert result.exit_code == 2
    assert re.search(r"^Usage: \w+ search \[OPTIONS\] \[QUERY\]$", result.stderr, re.M)
    assert "Error: No such option '--bogus'." in result.stderr
    missing = run(root, "new")
    assert "Error: Missing argument 'TYPE'." in missing.stderr
    combined = run(root, "actions", "--open", "--all")
    assert "error: --open and --all cannot be combined" in combined.stderr


def test_a_prompt_left_without_an_answer_says_so_in_chinese(zh, run):
    # Ctrl-C or the end of the input at a prompt: click would print its English "Aborted!"
    result = run(zh, "new", "retro", "复盘", "--interactive", input="")
    assert result.exit_code == 130
    assert "Aborted" not in result.output
    assert "已中断" in result.stderr


def test_init_refuses_in_the_language_asked_for(zh, run):
    result = run(None, "init", str(zh), "--lang", "zh")
    assert result.exit_code != 0
    assert result.stderr.startswith("错误：不覆盖已有的文件：")
    assert latin_words(result.output) == [], result.output  # the file names are paths
