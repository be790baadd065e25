"""kb import does what a PM expects: the owner defaults as in `kb new`, an edited export imported
without --key is refused, JSON exports import, and a legacy .xls gets a message saying what to do.
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from kb.entry import parse

GOLDEN = Path(__file__).parent / "golden" / "registers"
TODAY = "2024-10-15"
REQUIRED = "Trigger,Response,Occurred"  # a risk case's other required fields
RISKS = (
    f"Title,Category,Probability,Impact,{REQUIRED},Risk Owner\n"
    "Vendor late,vendor,3,4,No reply,mitigate,no,Tom Berger\n"
)


@pytest.fixture
def git_user(monkeypatch, tmp_path):
    """set(name): the git user.name kb sees ('' for none), outside any repository's config."""

    def set_name(name: str) -> None:
        config = tmp_path / "gitconfig"
        config.write_text(f"[user]\n\tname = {name}\n" if name else "", encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
        monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")

    return set_name


@pytest.fixture
def golden_ws(tmp_path: Path) -> Path:
    return Path(shutil.copytree(GOLDEN / "workspace", tmp_path / "golden"))


def entries(root: Path, folder: str):
    return [
        parse(p.read_text("utf-8"), p, p.name)
        for p in sorted((root / "docs" / folder).glob("*.md"))
    ]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*.md")}


def sheet(tmp_path: Path, name: str, data: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------------------------
# The entry owner


def test_without_an_owner_column_new_entries_get_the_git_user(run, workspace, tmp_path, git_user):
    git_user("Ana Li")
    root = workspace()
    result = run(root, "import", str(sheet(tmp_path, "r.csv", RISKS)), "--type", "risk")
    assert result.exit_code == 0, result.output
    (risk,) = entries(root, "risks")
    assert (risk.meta["owner"], risk.meta["risk_owner"]) == ("Ana Li", "Tom Berger")
    assert (
        "note: no owner column: new entries get the owner Ana Li, as kb new gives (git "
        "user.name, else your user name); give another with --set owner=NAME; the column "
        '"Risk Owner" holds Risk owner: --map "Risk Owner=owner" makes it the entry owner instead'
    ) in result.stderr
    assert run(root, "check").exit_code == 0


def test_without_a_git_user_the_owner_is_the_os_user(
    run, workspace, tmp_path, git_user, monkeypatch
):
    git_user("")
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "pm-weber")
    root = workspace()
    result = run(root, "import", str(sheet(tmp_path, "r.csv", RISKS)), "--type", "risk", "--json")
    assert result.exit_code == 0, result.output
    assert entries(root, "risks")[0].meta["owner"] == "pm-weber"
    notes = json.loads(result.stdout)["notes"]
    assert any("new entries get the owner pm-weber" in n for n in notes), notes


def test_the_hinted_map_makes_the_risk_owner_the_entry_owner(run, workspace, tmp_path, git_user):
    git_user("Ana Li")
    root = workspace()
    path = sheet(tmp_path, "r.csv", RISKS)
    result = run(root, "import", str(path), "--type", "risk", "--map", "Risk Owner=owner")
    assert result.exit_code == 0, result.output
    assert entries(root, "risks")[0].meta["owner"] == "Tom Berger"
    assert "no owner column" not in result.stderr


def test_set_owner_and_an_owner_column_win_over_the_default(run, workspace, tmp_path, git_user):
    git_user("Ana Li")
    root = workspace()
    path = sheet(tmp_path, "r.csv", RISKS)
    result = run(root, "import", str(path), "--type", "risk", "--set", "owner=PMO")
    assert result.exit_code == 0, result.output
    assert entries(root, "risks")[0].meta["owner"] == "PMO"
    blank = sheet(
        tmp_path,
        "b.csv",
        f"Title,Category,Probability,Impact,{REQUIRED},Owner\nX,vendor,3,4,t,accept,no,\n",
    )
    refused = run(root, "import", str(blank), "--type", "risk")
    assert refused.exit_code == 1  # a blank cell of an owner column is the PM's to fill
    assert 'row 2, column "Owner" (H): owner: required, but the cell is empty' in refused.stderr


def test_a_chinese_workspace_says_so_in_chinese(run, workspace, tmp_path, git_user):
    git_user("王芳")
    root = workspace()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: en", "language: zh"), "utf-8")
    assert "language: zh" in config.read_text("utf-8")
    path = sheet(
        tmp_path,
        "r.csv",
        "标题,类别,概率,影响,预警信号,应对策略,是否发生,风险负责人\n供应商延期,供应商,3,4,未回复,减轻,否,李伟\n",
    )
    result = run(root, "import", str(path), "--type", "risk")
    assert result.exit_code == 0, result.output
    (risk,) = entries(root, "risks")
    assert (risk.meta["owner"], risk.meta["risk_owner"], risk.meta["category"]) == (
        "王芳",
        "李伟",
        "vendor",
    )
    assert "没有负责人列：新条目的负责人为 王芳" in result.stderr
    assert '列“风险负责人”是风险负责人：用 --map "风险负责人=owner"' in result.stderr


# ---------------------------------------------------------------------------------------------
# An edited export without --key


def test_an_export_imported_without_key_is_refused(run, golden_ws, tmp_path):
    path = tmp_path / "risks.csv"
    assert run(golden_ws, "export", "--type", "risk", "-o", str(path)).exit_code == 0
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(path), "--type", "risk")
    assert result.exit_code == 1
    assert (
        'error: risks.csv: column "ID" names 2 existing entries (RISK-0001, RISK-0002): these '
        "rows look like updates of existing entries: did you mean --key ID?"
    ) in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(golden_ws) == before
    data = json.loads(run(golden_ws, "import", str(path), "--type", "risk", "--json").stdout)
    assert data["written"] is False
    assert (
        data["problems"][0]["column"] == "ID"
        and "did you mean --key ID?" in (data["problems"][0]["message"])
    )
    keyed = run(golden_ws, "import", str(path), "--type", "risk", "--key", "ID")
    assert keyed.exit_code == 0, keyed.output
    assert "0 created, 0 updated, 2 unchanged" in keyed.stderr


def test_a_chinese_id_column_is_named_in_the_key_it_suggests(run, golden_ws, tmp_path):
    path = sheet(tmp_path, "l.csv", "编号,标题\nLL-0001,Rehearse twice\n")
    result = run(golden_ws, "import", str(path), "--type", "lesson")
    assert result.exit_code == 1
    assert 'column "编号" names an existing entry (LL-0001)' in result.stderr
    assert "did you mean --key 编号?" in result.stderr


def test_ignoring_the_id_column_files_the_rows_anyway(run, golden_ws, tmp_path, git_user):
    git_user("Ana Li")
    path = sheet(
        tmp_path,
        "r.csv",
        f"ID,Title,Category,Probability,Impact,{REQUIRED}\n"
        "RISK-0001,New one,data,2,2,t,accept,no\n",
    )
    result = run(golden_ws, "import", str(path), "--type", "risk", "--map", "ID=-")
    assert result.exit_code == 0, result.output
    assert "row 2: created RISK-0003" in result.stdout


def test_ids_the_workspace_does_not_have_are_the_sheets_own(run, golden_ws, tmp_path, git_user):
    git_user("Ana Li")
    path = sheet(
        tmp_path,
        "r.csv",
        f"ID,Title,Category,Probability,Impact,{REQUIRED}\nR-17,New one,data,2,2,t,accept,no\n",
    )
    result = run(golden_ws, "import", str(path), "--type", "risk")
    assert result.exit_code == 0, result.output
    assert "row 2: created RISK-0003" in result.stdout
    assert "column 'ID' ignored: new entries get new ids" in result.stderr


# ---------------------------------------------------------------------------------------------
# JSON


@pytest.mark.parametrize("type_name", ["retrospective", "lesson", "risk", "sop"])
def test_a_json_export_imports_back_unchanged(run, golden_ws, tmp_path, type_name):
    path = tmp_path / f"{type_name}.json"
    assert run(golden_ws, "export", "--type", type_name, "-o", str(path)).exit_code == 0
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(path), "--type", type_name, "--key", "id", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["read_as"].startswith("JSON, ")
    assert data["counts"]["unchanged"] == len(data["rows"]) > 0, data
    assert snapshot(golden_ws) == before


def test_an_edited_json_export_updates_and_creates(run, golden_ws, tmp_path):
    path = tmp_path / "risks.json"
    run(golden_ws, "export", "--type", "risk", "-o", str(path))
    rows = json.loads(path.read_text("utf-8"))
    rows[1]["probability"] = 3
    rows[1]["occurred"] = True
    rows.append(
        {
            "title": "Key user leaves",
            "category": "resource",
            "probability": 2,
            "impact": 5,
            "trigger": "Resignation rumours",
            "response": "accept",
            "occurred": False,
            "owner": "Ana Li",
        }
    )
    path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    result = run(golden_ws, "import", str(path), "--type", "risk", "--key", "id")
    assert result.exit_code == 0, result.output
    assert "row 2: updated RISK-0002 (probability, occurred)" in result.stdout
    assert "row 3: created RISK-0003" in result.stdout
    new = entries(golden_ws, "risks")[2]
    assert (new.meta["owner"], new.meta["impact"]) == ("Ana Li", 5)


def test_json_problems_name_the_object_and_its_key(run, golden_ws, tmp_path):
    rows = [{"id": "RISK-0001", "probability": 9}]
    path = sheet(tmp_path, "r.json", json.dumps(rows))
    result = run(golden_ws, "import", str(path), "--type", "risk", "--key", "id")
    assert result.exit_code == 1
    assert 'r.json: row 1, column "probability": probability: 9 is out of range' in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[{"title": "x",}]',
            "bad.json: line 1, column 16: not valid JSON: Expecting property name",
        ),
        ('{"title": "x"}', "expected a list of objects, one per entry, as kb export --format json"),
        ('[{"title": "x"}, "y"]', "bad.json: item 2 is a string, not an object"),
        ("[]", "bad.json: an empty list: no entries to import"),
    ],
)
def test_json_that_is_no_export_is_one_clear_error(run, golden_ws, tmp_path, text, message):
    before = snapshot(golden_ws)
    result = run(golden_ws, "import", str(sheet(tmp_path, "bad.json", text)), "--type", "risk")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(golden_ws) == before


# ---------------------------------------------------------------------------------------------
# Legacy .xls


def _zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "an Excel 97-2003 workbook (.xls)"),
        (_zip_bytes(), "an .xlsx workbook named .xls: rename it to .xlsx"),
        (b"<html><table><tr><td>Title</td></tr></table></html>", "text named .xls, not a workbook"),
        (b"Title,Category\nx,data\n", "or rename it to .csv if it is CSV"),
    ],
)
def test_a_legacy_xls_says_what_to_do(run, workspace, tmp_path, content, message):
    result = run(workspace(), "import", str(sheet(tmp_path, "old.xls", content)), "--type", "risk")
    assert result.exit_code == 2
    assert f"error: old.xls: {message}" in result.stderr or message in result.stderr
    assert "Traceback" not in result.output


def test_a_chinese_workspace_names_sheet_problems_in_chinese(run, golden_ws, tmp_path):
    config = golden_ws / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("language: en", "language: zh"), "utf-8")
    path = sheet(tmp_path, "l.csv", "编号,标题\nLL-0001,Rehearse twice\n")
    wrong_key = run(golden_ws, "import", str(path), "--type", "lesson", "--key", "序号")
    assert wrong_key.exit_code == 2
    assert "--key '序号'：没有这一列（是否指 '编号'？）；现有列：编号, 标题" in wrong_key.stderr
    refused = run(golden_ws, "import", str(path), "--type", "lesson")
    assert "列“编号”中有 1 个已存在的条目（LL-0001）" in refused.stderr
    assert "是否要用 --key 编号？" in refused.stderr
    bad = sheet(tmp_path, "bad.json", '[{"title": "x"}, 3]')
    result = run(golden_ws, "import", str(bad), "--type", "lesson")
    assert "bad.json：第 2 项是 数字，不是包含条目字段的对象" in result.stderr
