"""`kb init`: a new workspace that kb and MkDocs can use at once."""

from __future__ import annotations

import yaml

from kb.config import load_workspace


def test_init_creates_a_usable_workspace(tmp_path, run):
    target = tmp_path / "kb"
    result = run(None, "init", str(target))
    assert result.exit_code == 0, result.output
    for rel in (
        "mkdocs.yml",
        ".gitignore",
        "docs/index.md",
        "docs/retrospectives/index.md",
        "docs/lessons/index.md",
        "docs/risks/index.md",
        "docs/sops/index.md",
        "templates/en/retrospective.md.j2",
        "templates/zh/lesson.md.j2",
    ):
        assert (target / rel).is_file(), rel
    config = yaml.safe_load((target / "mkdocs.yml").read_text("utf-8"))
    assert config["theme"]["name"] == "material"
    assert config["theme"]["language"] == "en"
    assert {"kb": {"language": "en"}} in config["plugins"]
    assert "tags" in config["plugins"]
    assert "/.kb/" in (target / ".gitignore").read_text()
    assert load_workspace(root=target).language == "en"
    assert run(target, "check").exit_code == 0


def test_init_in_chinese(tmp_path, run):
    target = tmp_path / "kb"
    assert run(None, "init", str(target), "--lang", "zh").exit_code == 0
    ws = load_workspace(root=target)
    assert ws.language == "zh"
    assert "项目知识库" in (target / "docs/index.md").read_text("utf-8")
    assert "切换到深色模式" in (target / "mkdocs.yml").read_text("utf-8")
    result = run(
        target,
        "new",
        "risk",
        "供应商交付延迟",
        "--set",
        "category=vendor",
        "--set",
        "probability=4",
        "--set",
        "impact=3",
        "--set",
        "trigger=交付计划多次变更",
        "--set",
        "response=mitigate",
        "--set",
        "occurred=是",
        "--set",
        "owner=王芳",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    text = next((target / "docs/risks").glob("RISK-0001-*.md")).read_text("utf-8")
    assert "## 风险描述" in text and "occurred: true" in text


def test_init_refuses_to_overwrite_and_changes_nothing(tmp_path, run):
    target = tmp_path / "kb"
    (target / "docs").mkdir(parents=True)
    (target / "docs/index.md").write_text("my home page")
    result = run(None, "init", str(target))
    assert result.exit_code == 1
    assert "refusing to overwrite existing files" in result.stderr
    assert (target / "docs/index.md").read_text() == "my home page"
    assert not (target / "mkdocs.yml").exists()
