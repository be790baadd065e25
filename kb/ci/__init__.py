"""The knowledge base in CI: problems as annotations, workflow recipes, job summaries.

``annotations`` turns `kb check` problems into GitHub workflow commands and GitLab's code-quality
report; ``recipes`` writes the workflow files of ``kb ci`` and ``kb init --ci``; ``summary``
renders action items as markdown for a job summary.
"""

from kb.ci.annotations import (
    github_annotations,
    gitlab_report,
    gitlab_report_json,
    repository_root,
)
from kb.ci.recipes import (
    PROVIDERS,
    REQUIREMENTS_FILE,
    RecipeFile,
    RecipeRefused,
    Written,
    check_recipe,
    default_requirement,
    plan_recipe,
    write_recipe,
)
from kb.ci.summary import actions_markdown

__all__ = [
    "PROVIDERS",
    "REQUIREMENTS_FILE",
    "RecipeFile",
    "RecipeRefused",
    "Written",
    "actions_markdown",
    "check_recipe",
    "default_requirement",
    "github_annotations",
    "gitlab_report",
    "gitlab_report_json",
    "plan_recipe",
    "repository_root",
    "write_recipe",
]
