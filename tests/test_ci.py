"""CI: `kb check --format github|gitlab`, `kb ci` and `kb init --ci`, `kb actions --format
markdown`, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb.ci import default_requirement, github_annotations
from kb.errors import Problem
from tests.ci_helpers import FOLDER, LESSON_PATH, RETRO_PATH, git_repository, knowledge_base
from tests.conftest import REPO, build_tree, entry_text

GOLDEN = Path(__file__).parent / "golden" / "ci"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"
TODAY = "2026-06-01"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A repository whose knowledge base (in handbook/) has an error and a warning."""
    repo = git_repository(tmp_path / "repo")
    knowledge_base(repo, broken=True)
    return repo


# ---------------------------------------------------------------------------------------------
# kb check --format github | gitlab


def test_github_format_annotates_each_problem_on_its_file_and_line(broken, run):
    ws = broken / FOLDER
    text = run(ws, "check", "--today", TODAY)
    result = run(ws, "check", "--today", TODAY, "--format", "github")
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines() == [
        f"::error file={FOLDER}/{LESSON_PATH},line=7,title=kb check%3A status::status: 'aproved' "
        "is not an allowed value; allowed: draft, in-review, approved, superseded, retired "
        "(did you mean 'approved'?)",
        f"::warning file={FOLDER}/{RETRO_PATH},line=13,title=kb check%3A actions::actions[0]: "
        "overdue by 2253 days (due 2020-03-31, owner Sofia Rossi): Add a key-person clause | and "
        "a <b>handover</b>",
    ]
    # the same problems as the text format, one annotation each, in the same order
    plain = [line.split(": ", 2) for line in text.stdout.splitlines()]
    for (where, level, message), line in zip(plain, result.stdout.splitlines(), strict=True):
        path, number = where.rsplit(":", 1)
        assert line.startswith(f"::{level} file={FOLDER}/{path},line={number},")
        assert line.endswith("::" + message)
    assert "2 entries checked: 1 error, 1 warning" in result.stderr


def test_github_format_quiet_shows_errors_only_and_strict_fails_on_warnings(broken, run):
    ws = broken / FOLDER
    quiet = run(ws, "check", "--today", TODAY, "--format", "github", "-q")
    assert [line[:8] for line in quiet.stdout.splitlines()] == ["::error "]
    (ws / LESSON_PATH).write_text(
        (ws / LESSON_PATH).read_text("utf-8").replace("aproved", "approved"), "utf-8"
    )
    assert run(ws, "check", "--today", TODAY, "--format", "github").exit_code == 0
    strict = run(ws, "check", "--today", TODAY, "--format", "github", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.startswith("::warning ")


def test_github_annotation_escapes_what_would_end_or_split_the_command(tmp_path):
    problem = Problem("docs/a,b:c.md", 3, "error", "100% wrong\nsecond line\r", "title")
    [line] = github_annotations([problem], tmp_path)
    assert line == (
        "::error file=docs/a%2Cb%3Ac.md,line=3,title=kb check%3A title::100%25 wrong%0Asecond "
        "line%0D"
    )


def gitlab(run, ws: Path, today: str = TODAY) -> list[dict]:
    result = run(ws, "check", "--today", today, "--format", "gitlab")
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_gitlab_format_is_a_code_quality_report_with_repository_paths(broken, run):
    report = gitlab(run, broken / FOLDER)
    assert [
        (i["check_name"], i["severity"], i["location"], i["description"][:24]) for i in report
    ] == [
        ("choice", "major", {"path": f"{FOLDER}/{LESSON_PATH}", "lines": {"begin": 7}},
         "status: 'aproved' is not"),
        ("overdue-action", "minor", {"path": f"{FOLDER}/{RETRO_PATH}", "lines": {"begin": 13}},
         "actions[0]: overdue by 2"),
    ]  # fmt: skip
    assert all(set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
               for i in report)  # fmt: skip
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in report)


def test_gitlab_fingerprints_are_stable_from_day_to_day_and_unique(broken, run):
    ws = broken / FOLDER
    today, tomorrow = gitlab(run, ws, "2026-06-01"), gitlab(run, ws, "2026-06-02")
    assert today[1]["description"] != tomorrow[1]["description"]  # 2253 days, then 2254
    assert [i["fingerprint"] for i in today] == [i["fingerprint"] for i in tomorrow]
    # two action items alike but for their numbers keep two fingerprints
    retro = ws / RETRO_PATH
    text = retro.read_text("utf-8")
    item = text[text.index("  - action:") : text.index("---", 4)]
    retro.write_text(text.replace(item, item + item.replace("2020-03-31", "2020-04-30")), "utf-8")
    fingerprints = [i["fingerprint"] for i in gitlab(run, ws)]
    assert len(fingerprints) == 3 == len(set(fingerprints))


def test_check_formats_on_a_workspace_outside_any_repository(tmp_path, run):
    # no .git above: the workspace root stands for the repository root
    ws = knowledge_base(tmp_path / "plain", broken=True).parent / FOLDER
    report = gitlab(run, ws)
    assert report[0]["location"]["path"] == LESSON_PATH


def test_unknown_format_names_the_choices(broken, run):
    result = run(broken / FOLDER, "check", "--format", "sarif")
    assert result.exit_code == 2
    assert "'text', 'json', 'github', 'gitlab'" in result.output


# ---------------------------------------------------------------------------------------------
# kb ci github | gitlab: the files, byte for byte

GITHUB_FILES = [f".github/workflows/kb-{n}.yml" for n in ("check", "pages", "overdue")]
CASES = {  # golden folder: (language, workspace folder in the repository, git host)
    "en-github": ("en", ".", "github"),
    "en-gitlab": ("en", ".", "gitlab"),
    "zh-subfolder-github": ("zh", FOLDER, "github"),
    "zh-subfolder-gitlab": ("zh", FOLDER, "gitlab"),
}


def recipe_files(provider: str) -> list[str]:
    return (GITHUB_FILES if provider == "github" else [".gitlab-ci.yml"]) + ["requirements-kb.txt"]


def write_recipe_for(tmp_path: Path, run, lang: str, folder: str, provider: str) -> Path:
    repo = git_repository(tmp_path / "repo")
    ws = repo / folder
    assert run(None, "init", str(ws), "--lang", lang).exit_code == 0
    result = run(ws, "ci", provider)
    assert result.exit_code == 0, result.output
    return repo


@pytest.mark.parametrize("case", sorted(CASES))
def test_recipe_matches_its_golden_copy_and_parses_as_yaml(case, tmp_path, run):
    lang, folder, provider = CASES[case]
    repo = write_recipe_for(tmp_path, run, lang, folder, provider)
    for name in recipe_files(provider):
        written = repo / (name if name.startswith(".") else f"{folder}/{name}")
        golden = GOLDEN / case / Path(name).name.lstrip(".")
        if UPDATE:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(written.read_bytes())
        assert written.read_bytes() == golden.read_bytes(), f"{case}: {name}"
        if name.endswith(".yml"):
            data = yaml.safe_load(written.read_text("utf-8"))
            kb_root = data["env" if provider == "github" else "variables"]["KB_ROOT"]
            assert kb_root == folder


def test_github_recipe_runs_the_commands_the_issue_asks_for(tmp_path, run):
    repo = write_recipe_for(tmp_path, run, "en", ".", "github")
    check, pages, overdue = (
        yaml.safe_load((repo / name).read_text("utf-8")) for name in GITHUB_FILES
    )
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on"
    assert set(check[True]) == {"pull_request", "workflow_dispatch"}
    assert pages[True]["push"]["branches"] == ["main"]
    assert overdue[True]["schedule"] == [{"cron": "0 6 * * 1"}]
    runs = [
        [s.get("run") for s in job["steps"] if "run" in s]
        for workflow in (check, pages, overdue)
        for job in workflow["jobs"].values()
    ]
    install = "pip install -r requirements-kb.txt"
    assert runs == [
        [install, "kb check --strict --format github"],
        [install, "kb build -d _site"],
        [],  # deploy
        [
            install,
            'kb actions --overdue --format markdown >> "$GITHUB_STEP_SUMMARY"',
            "kb actions --overdue --fail-on-overdue",
        ],
    ]
    uses = [
        s.get("uses") for s in pages["jobs"]["build"]["steps"] + pages["jobs"]["deploy"]["steps"]
    ]
    assert "actions/upload-pages-artifact@v3" in uses and "actions/deploy-pages@v4" in uses
    assert (repo / "requirements-kb.txt").read_text("utf-8").splitlines()[-1] == (
        default_requirement()
    )


def test_gitlab_recipe_has_a_check_a_pages_and_a_scheduled_job(tmp_path, run):
    repo = write_recipe_for(tmp_path, run, "en", ".", "gitlab")
    data = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    assert data["default"]["before_script"] == ["pip install -r requirements-kb.txt"]
    check, pages, overdue = data["kb-check"], data["pages"], data["kb-overdue"]
    assert check["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert check["script"][0].startswith("kb check --format gitlab > gl-code-quality-report.json")
    assert "merge_request_event" in check["rules"][0]["if"]
    assert pages["artifacts"]["paths"] == ["public"] and pages["script"] == ["kb build -d public"]
    assert "$CI_DEFAULT_BRANCH" in pages["rules"][0]["if"]
    assert overdue["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert overdue["script"][-1] == "kb actions --overdue --fail-on-overdue"


def test_kb_ci_reports_unchanged_files_on_a_second_run(tmp_path, run):
    repo = write_recipe_for(tmp_path, run, "en", FOLDER, "github")
    result = run(repo / FOLDER, "ci", "github", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["repository"] == str(repo.resolve())
    assert data["files"] == [
        {"path": name, "action": "unchanged"}
        for name in [*GITHUB_FILES, f"{FOLDER}/requirements-kb.txt"]
    ]


def test_kb_ci_refuses_changed_files_and_writes_nothing_unless_forced(tmp_path, run, monkeypatch):
    repo = write_recipe_for(tmp_path, run, "en", ".", "github")
    monkeypatch.chdir(repo)  # files are shown relative to the current folder
    edited, removed = repo / GITHUB_FILES[0], repo / GITHUB_FILES[1]
    edited.write_text(edited.read_text("utf-8") + "# our own step\n", "utf-8")
    removed.unlink()
    result = run(repo, "ci", "github")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: .github/workflows/kb-check.yml: differs from what `kb ci github` writes; "
        "not overwritten (--force replaces it)\n"
    )
    assert edited.read_text("utf-8").endswith("# our own step\n")
    assert not removed.exists()  # nothing written, not even the missing file
    assert sorted(p.name for p in edited.parent.iterdir()) == ["kb-check.yml", "kb-overdue.yml"]
    forced = run(repo, "ci", "github", "--force")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout.splitlines()[:2] == [
        "replaced .github/workflows/kb-check.yml",
        "created .github/workflows/kb-pages.yml",
    ]
    assert not edited.read_text("utf-8").endswith("# our own step\n")
    assert not list(edited.parent.glob(".*.tmp"))


def test_requirements_file_is_the_teams_own(tmp_path, run, monkeypatch):
    repo = write_recipe_for(tmp_path, run, "en", ".", "gitlab")
    monkeypatch.chdir(repo)
    requirements = repo / "requirements-kb.txt"
    requirements.write_text("retro-kb @ git+https://git.example.com/pmo/retro-kb@v0.1.0\n")
    kept = run(repo, "ci", "github")
    assert kept.exit_code == 0, kept.output
    assert kept.stdout.splitlines()[-1] == (
        "kept requirements-kb.txt (the team's own; not replaced)"
    )
    assert requirements.read_text().startswith("retro-kb @ git+")
    spec = "retro-kb==0.2.0"
    assert run(repo, "ci", "github", "--requirement", spec).exit_code == 1  # differs: refused
    assert run(repo, "ci", "github", "--requirement", spec, "--force").exit_code == 0
    assert requirements.read_text().splitlines()[-1] == spec


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--branch", "-x"], "error: --branch: '-x' is not a branch name"),
        (["--branch", "a b"], "error: --branch: 'a b' is not a branch name"),
        (["--requirement", " "], "error: --requirement: ' ' is not one requirement line"),
    ],
)
def test_kb_ci_bad_options_are_one_line_errors(tmp_path, run, args, message):
    ws = tmp_path / "ws"
    assert run(None, "init", str(ws)).exit_code == 0
    result = run(ws, "ci", "github", *args)
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not (ws / ".github").exists() and not (ws / "requirements-kb.txt").exists()


def test_kb_ci_branch_goes_into_the_pages_workflow(tmp_path, run):
    ws = tmp_path / "ws"
    assert run(None, "init", str(ws)).exit_code == 0
    assert run(ws, "ci", "github", "--branch", "release/2026").exit_code == 0
    pages = yaml.safe_load((ws / GITHUB_FILES[1]).read_text("utf-8"))
    assert pages[True]["push"]["branches"] == ["release/2026"]


def test_kb_init_ci_writes_the_recipe_with_the_workspace(tmp_path, run, monkeypatch):
    repo = git_repository(tmp_path / "repo")
    monkeypatch.chdir(repo)
    result = run(None, "init", FOLDER, "--lang", "zh", "--ci", "gitlab")
    assert result.exit_code == 0, result.output
    assert (repo / FOLDER / "mkdocs.yml").is_file()
    created = result.stdout.splitlines()
    assert f"已创建 {FOLDER}/mkdocs.yml" in created
    assert created[-4:-2] == ["已创建 .gitlab-ci.yml", f"已创建 {FOLDER}/requirements-kb.txt"]
    assert "下一步：提交这些文件" in result.stderr
    golden = GOLDEN / "zh-subfolder-gitlab" / "gitlab-ci.yml"
    assert (repo / ".gitlab-ci.yml").read_bytes() == golden.read_bytes()


def test_kb_init_ci_refused_leaves_nothing_behind(tmp_path, run):
    repo = git_repository(tmp_path / "repo")
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / GITHUB_FILES[0]).write_text("name: ours\n")
    result = run(None, "init", str(repo / FOLDER), "--ci", "github")
    assert result.exit_code == 1
    assert "kb-check.yml: differs from what `kb ci github` writes" in result.stderr
    assert not (repo / FOLDER).exists()
    assert sorted(p.name for p in (repo / ".github/workflows").iterdir()) == ["kb-check.yml"]


# ---------------------------------------------------------------------------------------------
# kb actions --format markdown and --fail-on-overdue


def test_actions_markdown_is_a_table_with_escaped_cells(broken, run):
    result = run(broken / FOLDER, "actions", "--overdue", "--format", "markdown", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "## Overdue action items\n"
        "\n"
        "1 action item, as of 2026-06-01.\n"
        "\n"
        "| Overdue | Due | Owner | Status | Reference | Action |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| 2253 days overdue | 2020-03-31 | Sofia Rossi | Open | RETRO-0001#1 | Add a key-person "
        "clause \\| and a &lt;b&gt;handover&lt;/b&gt; |\n"
    )


SOP = """
id: SOP-0001
type: sop
title: Cut-over *checklist*
date: 2025-01-10
owner: Markus Weber
status: approved
version: '1.0'
review_due: 2026-03-03
"""


def test_actions_markdown_lists_the_sops_past_their_review_date(broken, run):
    build_tree(broken / FOLDER, {"docs/sops/SOP-0001-cut-over.md": entry_text(SOP)})
    result = run(broken / FOLDER, "actions", "--overdue", "--format", "markdown", "--today", TODAY)
    assert result.stdout.split("\n\n### ")[1] == (
        "SOPs past their review date\n"
        "\n"
        "| Overdue | Review due | Owner | SOP | Title |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 90 days overdue | 2026-03-03 | Markus Weber | SOP-0001 | Cut-over \\*checklist\\* |\n"
    )
    failing = run(broken / FOLDER, "actions", "--overdue", "--fail-on-overdue", "--today", TODAY)
    assert failing.exit_code == 1


def test_actions_markdown_in_a_chinese_workspace_is_chinese(tmp_path, run):
    repo = git_repository(tmp_path / "repo")
    ws = knowledge_base(repo, broken=False, lang="zh")
    result = run(ws, "actions", "--overdue", "--format", "markdown", "--today", TODAY)
    assert result.stdout == "## 逾期改进行动\n\n截至 2026-06-01，没有需要列出的改进行动。\n"
    every = run(ws, "actions", "--all", "--format", "markdown", "--today", TODAY).stdout
    assert every.splitlines()[:5] == [
        "## 全部改进行动",
        "",
        "共 1 项改进行动，截至 2026-06-01。",
        "",
        "| 逾期 | 截止日期 | 负责人 | 状态 | 编号 | 行动 |",
    ]


def test_fail_on_overdue_exit_code(tmp_path, broken, run):
    failing = run(broken / FOLDER, "actions", "--overdue", "--fail-on-overdue", "--today", TODAY)
    assert failing.exit_code == 1
    assert "error: 1 action item overdue" in failing.stderr
    with_markdown = run(
        broken / FOLDER, "actions", "--overdue", "--fail-on-overdue", "--format", "markdown"
    )
    assert with_markdown.exit_code == 1 and "| RETRO-0001#1 |" in with_markdown.stdout
    before_due = run(broken / FOLDER, "actions", "--fail-on-overdue", "--today", "2020-03-31")
    assert before_due.exit_code == 0, before_due.output
    clean = knowledge_base(git_repository(tmp_path / "clean"), broken=False)
    assert run(clean, "actions", "--overdue", "--fail-on-overdue").exit_code == 0


def test_actions_format_json_is_the_json_option(broken, run):
    by_format = run(broken / FOLDER, "actions", "--format", "json", "--today", TODAY)
    assert json.loads(by_format.stdout) == json.loads(
        run(broken / FOLDER, "actions", "--json", "--today", TODAY).stdout
    )


# ---------------------------------------------------------------------------------------------
# the pre-commit hook


def precommit_hook() -> dict:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    return hook


def test_precommit_hook_runs_kb_check_once_on_knowledge_base_files(broken):
    hook = precommit_hook()
    assert hook["id"] == "kb-check" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    matches = [  # pre-commit matches `files` with re.search on paths from the repository root
        bool(re.search(hook["files"], path))
        for path in (
            f"{FOLDER}/{LESSON_PATH}",
            "docs/risks/RISK-0001-x.md",
            "mkdocs.yml",
            f"{FOLDER}/glossary.yaml",
            "scripts/build.sh",
            "kb/cli/ci.py",
        )
    ]
    assert matches == [True, True, True, True, False, False]
    argv = shlex.split(hook["entry"])
    assert argv[0] == "kb"
    kb = Path(sys.executable).with_name("kb")
    env = {k: v for k, v in os.environ.items() if k != "KB_ROOT"}
    failing = subprocess.run(
        [str(kb), *argv[1:]], cwd=broken / FOLDER, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert failing.returncode == 1 and ": error: status: 'aproved'" in failing.stdout


def test_the_guide_shows_the_hook_in_a_precommit_config():
    guide = (REPO / "docs/guide/ci.md").read_text("utf-8")
    snippet = re.search(r"```yaml\n# \.pre-commit-config\.yaml\n(.*?)```", guide, re.S).group(1)
    config = yaml.safe_load(snippet)
    [repo] = config["repos"]
    assert [h["id"] for h in repo["hooks"]] == [precommit_hook()["id"]]
    assert repo["rev"] == f"v{__import__('kb').__version__}"


def test_the_guide_shows_the_generated_files_as_they_are():
    guide = (REPO / "docs/guide/ci.md").read_text("utf-8")
    for golden in ("en-github/kb-check.yml", "en-gitlab/gitlab-ci.yml"):
        assert (GOLDEN / golden).read_text("utf-8") in guide, golden


def test_a_folder_name_yaml_or_the_shell_would_misread_is_quoted(tmp_path, run):
    folder = "PMO knowledge: #1 'ops'"
    repo = write_recipe_for(tmp_path, run, "en", folder, "github")
    check = yaml.safe_load((repo / GITHUB_FILES[0]).read_text("utf-8"))
    assert check["env"]["KB_ROOT"] == folder
    install = check["jobs"]["check"]["steps"][2]["run"]
    assert shlex.split(install) == ["pip", "install", "-r", f"{folder}/requirements-kb.txt"]
    gitlab = run(repo / folder, "ci", "gitlab")
    assert gitlab.exit_code == 0, gitlab.output
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text("utf-8"))
    assert pipeline["variables"]["KB_ROOT"] == folder
    assert shlex.split(pipeline["default"]["before_script"][0])[-1].startswith(folder)
