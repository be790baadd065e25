"""The commands of the generated workflows run, as the git host would run them, in a test
repository: every `run:` step (GitHub) and `script:` line (GitLab) that calls kb, with the
workflow's environment, from the repository root, through bash with errexit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ci_helpers import FOLDER, LESSON_PATH, git_repository, knowledge_base

GITHUB = [f".github/workflows/kb-{n}.yml" for n in ("check", "pages", "overdue")]


def calls_kb(script: str) -> bool:
    return any(line.strip().startswith("kb ") for line in script.splitlines())


def github_steps(repo: Path) -> list[tuple[str, dict[str, str]]]:
    """(script, environment) of each step that calls kb, in workflow order."""
    steps = []
    for name in GITHUB:
        workflow = yaml.safe_load((repo / name).read_text("utf-8"))
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                if calls_kb(step.get("run", "")):
                    env = {**workflow.get("env", {}), **job.get("env", {}), **step.get("env", {})}
                    steps.append((step["run"], env))
    return steps


def gitlab_lines(repo: Path) -> list[tuple[str, dict[str, str]]]:
    """(script line, environment) of each script line that calls kb."""
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    lines = []
    for job in pipeline.values():
        if not isinstance(job, dict) or "script" not in job:
            continue
        env = {**pipeline.get("variables", {}), **job.get("variables", {})}
        lines += [(line, env) for line in job["script"] if calls_kb(line)]
    return lines


def run_script(script: str, repo: Path, env: dict[str, str], extra: dict[str, str]):
    environment = {k: v for k, v in os.environ.items() if k != "KB_ROOT"}
    environment["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{environment['PATH']}"
    environment.update({k: str(v) for k, v in env.items()}, **extra)
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def recipe_repo(tmp_path: Path, provider: str, broken: bool) -> Path:
    repo = git_repository(tmp_path / "repo")
    knowledge_base(repo, broken=broken, ci=provider)  # kb init --ci, then two entries
    return repo


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "broken"])
def test_github_workflow_commands(tmp_path, broken):
    repo = recipe_repo(tmp_path, "github", broken)
    summary = tmp_path / "step-summary.md"
    summary.write_text("")
    steps = github_steps(repo)
    assert [s for s, _ in steps] == [
        "kb check --strict --format github",
        "kb build -d _site",
        'kb actions --overdue --format markdown >> "$GITHUB_STEP_SUMMARY"',
        "kb actions --overdue --fail-on-overdue",
    ]
    results = [run_script(s, repo, env, {"GITHUB_STEP_SUMMARY": str(summary)}) for s, env in steps]
    codes = [r.returncode for r in results]
    assert codes == ([1, 0, 0, 1] if broken else [0, 0, 0, 0]), [r.stderr for r in results]
    check = results[0].stdout.splitlines()
    assert (repo / "_site/index.html").is_file()  # what upload-pages-artifact uploads
    if broken:
        assert check[0].startswith(f"::error file={FOLDER}/{LESSON_PATH},line=7,")
        assert check[1].startswith("::warning file=handbook/docs/retrospectives/")
        assert "| Sofia Rossi | Open | RETRO-0001#1 |" in summary.read_text("utf-8")
        assert "error: 1 action item overdue" in results[3].stderr
    else:
        assert check == []
        assert summary.read_text("utf-8").startswith("## Overdue action items\n\nNo action item")


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "broken"])
def test_gitlab_pipeline_commands(tmp_path, broken):
    repo = recipe_repo(tmp_path, "gitlab", broken)
    lines = gitlab_lines(repo)
    assert [line.split(" >")[0] for line, _ in lines] == [
        "kb check --format gitlab",
        "kb check --strict",
        "kb build -d public",
        "kb actions --overdue --format markdown",
        "kb actions --overdue --fail-on-overdue",
    ]
    extra = {"CI_PROJECT_DIR": str(repo)}
    results = [run_script(line, repo, env, extra) for line, env in lines]
    codes = [r.returncode for r in results]
    assert codes == ([0, 1, 0, 0, 1] if broken else [0, 0, 0, 0, 0]), [r.stderr for r in results]
    report = json.loads((repo / "gl-code-quality-report.json").read_text("utf-8"))
    assert (repo / "public/index.html").is_file()  # GitLab Pages publishes public/
    overdue = (repo / "overdue-actions.md").read_text("utf-8")
    if broken:
        assert [i["location"]["path"] for i in report] == [
            f"{FOLDER}/{LESSON_PATH}",
            f"{FOLDER}/docs/retrospectives/RETRO-0001-erp-go-live.md",
        ]
        assert f"{LESSON_PATH}:7: error: status:" in results[1].stdout  # text: from the workspace
        assert "| RETRO-0001#1 |" in overdue
    else:
        assert report == []
        assert "No action item to list" in overdue


def test_a_usage_error_still_fails_the_gitlab_report_line(tmp_path):
    # `|| [ $? -eq 1 ]` lets "problems found" through, not a broken workspace (exit 2)
    repo = recipe_repo(tmp_path, "gitlab", broken=False)
    (repo / FOLDER / "mkdocs.yml").write_text("plugins:\n  - kb:\n      languag: en\n")
    line, env = gitlab_lines(repo)[0]
    result = run_script(line, repo, env, {})
    assert result.returncode != 0
    assert "plugins.kb.languag: unknown setting" in result.stderr
