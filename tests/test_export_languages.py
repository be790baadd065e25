"""Registers in two languages: a Chinese workspace exports Chinese headers and labels, and a sheet
exported in one language imports into a workspace of the other unchanged.

The golden outputs of the Chinese workspace sit in tests/golden/registers/zh/; regenerate them
with ``KB_UPDATE_GOLDEN=1 pytest tests/test_export_languages.py`` and review the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kb import i18n
from kb.entry import parse
from kb.register_table import register_columns
from kb.schema import BUILTIN_TYPES
from kb.tabular import map_columns

GOLDEN = Path(__file__).parent / "golden" / "registers"
TODAY = "2024-10-15"
TYPES = ("retrospective", "lesson", "risk", "sop")


def golden_copy(tmp_path: Path, name: str, lang: str) -> Path:
    """The register golden workspace, its language set to ``lang``."""
    root = Path(shutil.copytree(GOLDEN / "workspace", tmp_path / name))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("language: en", f"language: {lang}"), "utf-8"
    )
    return root


def front_matter(root: Path) -> dict[str, dict]:
    """Every entry's front matter by its id."""
    found = {}
    for path in sorted((root / "docs").rglob("*.md")):
        entry = parse(path.read_text("utf-8"), path, path.name)
        if entry.id:
            found[entry.id] = entry.meta
    return found


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*.md")}


def _compare(actual: str, expected_path: Path) -> None:
    if os.environ.get("KB_UPDATE_GOLDEN"):
        expected_path.parent.mkdir(exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8", newline="")
    expected = expected_path.read_text(encoding="utf-8")
    assert actual == expected, f"{expected_path.name} differs; KB_UPDATE_GOLDEN=1 regenerates it"


def english_words() -> set[str]:
    """Every English label of an allowed value, and every allowed value's key, of the schema."""
    words = set()
    for t in BUILTIN_TYPES:
        for f in t.fields:
            for choice in f.choices:
                words |= {choice, i18n.text(f"value.{choice}", "en", default=choice)}
    return words


# ---------------------------------------------------------------------------------------------
# A Chinese workspace's export


@pytest.mark.parametrize("type_name", TYPES)
def test_chinese_export_matches_golden(run, tmp_path, type_name):
    root = golden_copy(tmp_path, "zh", "zh")
    result = run(root, "export", "--type", type_name, "--format", "csv", "--today", TODAY)
    assert result.exit_code == 0, result.output
    _compare(result.stdout, GOLDEN / "zh" / f"{type_name}.csv")


@pytest.mark.parametrize("type_name", TYPES)
def test_chinese_export_shows_no_english_key_or_label(run, tmp_path, type_name):
    root = golden_copy(tmp_path, "zh", "zh")
    out = run(root, "export", "--type", type_name, "--format", "csv", "--today", TODAY).stdout
    rows = list(csv.reader(io.StringIO(out)))
    headers = rows[0]
    assert headers == [c.header for c in register_columns(root_type(type_name), "zh")]
    assert not [h for h in headers if h.isascii() and h not in ("ID", "SOP")], headers
    english = english_words()
    cells = [
        c.strip() for row in rows[1:] for cell in row for c in cell.replace("|", ",").split(",")
    ]
    assert not sorted({c for c in cells if c in english}), "English keys or labels in cells"


def root_type(name: str):
    return next(t for t in BUILTIN_TYPES if t.name == name)


def test_json_keeps_the_keys_whatever_the_language(run, tmp_path):
    zh = golden_copy(tmp_path, "zh", "zh")
    for type_name in TYPES:
        out = run(zh, "export", "--type", type_name, "--format", "json", "--today", TODAY).stdout
        assert out == (GOLDEN / f"{type_name}.json").read_text("utf-8")


def test_chinese_workbook_has_chinese_headers_and_sheet_title(run, tmp_path):
    root = golden_copy(tmp_path, "zh", "zh")
    target = tmp_path / "risks.xlsx"
    result = run(root, "export", "--type", "risk", "-o", str(target), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert "已将风险案例登记册的 2 行写入" in result.stderr
    sheet = load_workbook(target).active
    assert sheet.title == "风险案例登记册"
    headers = [c.value for c in sheet[1]]
    assert headers[:8] == ["编号", "标题", "项目", "类别", "风险性质", "概率", "影响", "风险值"]
    row = dict(zip(headers, (c.value for c in sheet[2]), strict=True))
    assert (row["类别"], row["应对策略"], row["是否发生"], row["状态"]) == (
        "数据",
        "减轻",
        "是",
        "已批准",
    )
    assert row["概率"] == 4  # numbers stay numbers


# ---------------------------------------------------------------------------------------------
# Every header and every label reads back


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("etype", BUILTIN_TYPES, ids=lambda t: t.name)
def test_every_exported_header_maps_back_to_its_column(etype, lang):
    columns = register_columns(etype, lang)
    assert len({c.header for c in columns}) == len(columns), "two columns with one header"
    targets, problems = map_columns([c.header for c in columns], etype, [])
    assert not problems
    for c, t in zip(columns, targets, strict=True):
        expected = {
            "field": ("field", c.name),
            "budget": ("budget", c.name),
            "derived": ("derived", t.name),  # "Budget variance %" reads as "Budget variance"
            "section": ("section", c.name),
        }[c.source]
        assert (t.kind, t.name) == expected, c


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_label_a_cell_shows_reads_back_as_its_key(lang):
    for etype in BUILTIN_TYPES:
        for f in etype.fields:
            for choice in f.choices:
                value = [choice] if f.model.is_list else choice
                assert f.model.read(f, f.model.cell(value, lang)) == value, (f.name, choice)
            if f.kind == "bool":
                assert [f.model.read(f, f.model.cell(v, lang)) for v in (True, False)] == [
                    True,
                    False,
                ]


# ---------------------------------------------------------------------------------------------
# zh export -> en import -> en export -> zh import

# Values the English copy holds differently, of every kind a register shows: the import of the
# Chinese sheet must bring each back.
EDITS = {
    "retrospectives/RETRO-0001-erp-roll-out-go-live.md": [
        ("outcome: partially-succeeded", "outcome: failed"),
        ("root_causes: [data, estimation, vendor]", "root_causes: [data, vendor]"),
        ("    due: 2024-03-31\n    status: done", "    due: 2024-03-31\n    status: open"),
        ("planned_end: 2023-11-30", "planned_end: 2023-12-31"),
    ],
    "risks/RISK-0001-migration-data-quality.md": [
        ("occurred: true", "occurred: false"),
        ("probability: 4", "probability: 3"),
        ("response: mitigate", "response: accept"),
    ],
    "lessons/LL-0001-rehearse-the-data-migration-twice.md": [
        ("phase: executing", "phase: closing"),
        ("status: approved", "status: draft"),
    ],
    "sops/SOP-0001-data-migration.md": [("review_due: 2024-09-15", "review_due: 2024-12-15")],
}


def _edit(root: Path) -> None:
    for rel, changes in EDITS.items():
        path = root / "docs" / rel
        text = path.read_text("utf-8")
        for old, new in changes:
            assert old in text, (rel, old)
            text = text.replace(old, new)
        path.write_text(text, "utf-8")


@pytest.mark.parametrize("zh_format, en_format", [("xlsx", "csv"), ("csv", "xlsx")])
def test_a_sheet_crosses_languages_and_back_unchanged(run, tmp_path, zh_format, en_format):
    zh = golden_copy(tmp_path, "zh", "zh")
    en = golden_copy(tmp_path, "en", "en")
    _edit(en)
    original = front_matter(zh)
    assert front_matter(en) != original
    for type_name in TYPES:
        sheet = tmp_path / f"{type_name}-zh.{zh_format}"
        assert run(zh, "export", "--type", type_name, "-o", str(sheet)).exit_code == 0
        result = run(en, "import", str(sheet), "--type", type_name, "--key", "ID", "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["counts"]["create"] == 0
    assert front_matter(en) == original
    before = snapshot(zh)
    for type_name in TYPES:
        sheet = tmp_path / f"{type_name}-en.{en_format}"
        assert run(en, "export", "--type", type_name, "-o", str(sheet)).exit_code == 0
        result = run(zh, "import", str(sheet), "--type", type_name, "--key", "编号", "--json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["counts"]["unchanged"] == len(data["rows"]) > 0, data
    assert snapshot(zh) == before
    assert front_matter(zh) == original


def test_a_chinese_workspace_reports_an_import_in_chinese(run, tmp_path):
    zh = golden_copy(tmp_path, "zh", "zh")
    sheet = tmp_path / "risks.csv"
    assert run(zh, "export", "--type", "risk", "-o", str(sheet)).exit_code == 0
    text = sheet.read_text("utf-8-sig").replace(",2,4,8,", ",3,4,12,")  # RISK-0002 probability
    new = ["", "供应商延期", "", "供应商", "", "3", "9", "", "未回复", "减轻", "否"]
    text += ",".join(new + [""] * 8 + ["王芳"] + [""] * 5) + "\n"
    sheet.write_text(text, encoding="utf-8")
    refused = run(zh, "import", str(sheet), "--type", "risk", "--key", "编号")
    assert refused.exit_code == 1
    assert "已读取 risks.csv（UTF-8，逗号分隔）：3 行" in refused.stderr
    assert "risks.csv: 第 4 行，列“影响”（G）：" in refused.stderr
    assert "未写入任何内容；请修正这些行，或用 --skip-invalid 导入其余各行" in refused.stderr
    sheet.write_text(text.replace(",3,9,", ",3,4,"), encoding="utf-8")
    result = run(zh, "import", str(sheet), "--type", "risk", "--key", "编号", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "第 2 行：RISK-0001 无变化" in result.stdout
    assert "第 3 行：将更新 RISK-0002（probability）" in result.stdout
    assert "第 4 行：将创建 风险案例 '供应商延期'" in result.stdout
    assert "  编号 -> id（键）" in result.stderr
    assert "  风险描述 -> 正文小节 '风险描述'" in result.stderr
    assert (
        "将创建 1 个，将更新 1 个，1 个无变化，跳过 0 个（试运行：未写入任何内容）" in result.stderr
    )
