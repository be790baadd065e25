"""`kb check` problems in the formats git hosts show on a pull or merge request.

GitHub Actions reads workflow commands (``::error file=...,line=...::message``) from a step's
output and shows each as an annotation on that file and line; GitLab reads a code-quality JSON
report named in the job's ``artifacts:reports:codequality``. Both want paths relative to the
repository root, which is not the workspace root when the knowledge base is a subfolder of a
larger repository.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from kb.errors import Problem

# GitLab's severities are info, minor, major, critical and blocker.
GITLAB_SEVERITY = {"error": "major", "warning": "minor"}


def repository_root(start: Path) -> Path:
    """The git repository holding ``start``: the nearest folder with ``.git``, else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def repository_path(problem_path: str, workspace: Path, repository: Path) -> str:
    """A problem's workspace-relative path, relative to the repository root instead."""
    path = Path(problem_path)
    absolute = path if path.is_absolute() else workspace / path
    try:
        return absolute.resolve().relative_to(repository.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _escape_data(text: str) -> str:
    # the escapes GitHub's runner undoes in a workflow command's message
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, path: str) -> str:
    """One workflow command line: ``::error file=PATH,line=N,title=...::MESSAGE``."""
    command = "error" if problem.level == "error" else "warning"
    title = f"kb check: {problem.field}" if problem.field else "kb check"
    properties = ",".join(
        f"{key}={_escape_property(value)}"
        for key, value in (("file", path), ("line", str(problem.line)), ("title", title))
    )
    return f"::{command} {properties}::{_escape_data(problem.message)}"


def github_annotations(problems: Iterable[Problem], workspace: Path) -> list[str]:
    """The workflow command lines for ``problems``, paths relative to the repository root."""
    repository = repository_root(workspace)
    return [github_annotation(p, repository_path(p.path, workspace, repository)) for p in problems]


def _fingerprint(path: str, problem: Problem) -> str:
    # Numbers in a message change by themselves ("overdue by 12 days" tomorrow says 13): left
    # out, the same problem keeps its fingerprint from one pipeline to the next, so GitLab does
    # not report it as fixed and new again.
    steady = re.sub(r"\d+", "#", problem.message)
    key = "\0".join((path, problem.code, problem.field or "", steady))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def gitlab_report(problems: Iterable[Problem], workspace: Path) -> list[dict]:
    """GitLab's code-quality report: one issue per problem, each with a stable fingerprint."""
    repository = repository_root(workspace)
    issues = []
    seen: dict[str, int] = {}
    for problem in problems:
        path = repository_path(problem.path, workspace, repository)
        fingerprint = _fingerprint(path, problem)
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        if seen[fingerprint] > 1:  # two problems alike but for their numbers: keep both
            fingerprint = hashlib.sha256(f"{fingerprint}#{seen[fingerprint]}".encode()).hexdigest()
        issues.append(
            {
                "description": problem.message,
                "check_name": problem.code,
                "fingerprint": fingerprint,
                "severity": GITLAB_SEVERITY.get(problem.level, "info"),
                "location": {"path": path, "lines": {"begin": problem.line}},
            }
        )
    return issues


def gitlab_report_json(problems: Iterable[Problem], workspace: Path) -> str:
    """``gitlab_report`` as the JSON text GitLab reads."""
    return json.dumps(gitlab_report(problems, workspace), ensure_ascii=False, indent=2)
