"""Entry files for search tests: valid front matter, with only what a test cares about given."""

from __future__ import annotations

from tests.conftest import entry_text


def lesson(
    n: int,
    title: str,
    body: str = "",
    *,
    project: str = "ERP roll-out",
    category: str = "quality",
    phase: str = "executing",
    status: str = "approved",
    date: str = "2024-05-01",
    tags: str = "[]",
    recommendation: str = "",
) -> tuple[str, str]:
    """(path, text) of a lesson LL-000n."""
    meta = f"""
        id: LL-{n:04d}
        type: lesson
        title: "{title}"
        date: {date}
        owner: Anna
        status: {status}
        tags: {tags}
        project: "{project}"
        category: {category}
        phase: {phase}
        impact: negative
    """
    text = f"# {title}\n\n## Lesson\n\n{body}\n"
    if recommendation:
        text += f"\n## Recommendation\n\n{recommendation}\n"
    return f"docs/lessons/LL-{n:04d}.md", entry_text(meta, text)


def risk(
    n: int,
    title: str,
    body: str = "",
    *,
    project: str = "ERP roll-out",
    category: str = "vendor",
    probability: int = 3,
    impact: int = 4,
    tags: str = "[]",
    date: str = "2024-06-01",
    trigger: str = "Order confirmation missing after two weeks",
) -> tuple[str, str]:
    """(path, text) of a risk case RISK-000n."""
    meta = f"""
        id: RISK-{n:04d}
        type: risk
        title: "{title}"
        date: {date}
        owner: Bo
        status: approved
        tags: {tags}
        project: "{project}"
        category: {category}
        probability: {probability}
        impact: {impact}
        trigger: "{trigger}"
        response: mitigate
        occurred: true
        schedule_impact_days: 12
    """
    text = (
        f"# {title}\n\n## Risk description\n\n{body}\n\n## Response\n\nWeekly calls with the "
        "vendor.\n\n## Recommendation\n\n- [ ] Escalate when the build slot is missing.\n"
    )
    return f"docs/risks/RISK-{n:04d}.md", entry_text(meta, text)


def retro(n: int, title: str, *, project: str, project_type: str) -> tuple[str, str]:
    """(path, text) of a retrospective RETRO-000n."""
    meta = f"""
        id: RETRO-{n:04d}
        type: retrospective
        title: "{title}"
        date: 2024-07-01
        owner: Cy
        status: approved
        project: "{project}"
        project_type: {project_type}
        phase: whole-project
        outcome: partially-succeeded
    """
    return f"docs/retrospectives/RETRO-{n:04d}.md", entry_text(meta, f"# {title}\n")


def sop(
    n: int,
    title: str,
    body: str = "",
    *,
    version: str = "1.0",
    review_due: str = "2026-06-30",
    status: str = "approved",
    tags: str = "[]",
) -> tuple[str, str]:
    """(path, text) of an SOP SOP-000n."""
    meta = f"""
        id: SOP-{n:04d}
        type: sop
        title: "{title}"
        date: 2024-01-10
        owner: PMO
        status: {status}
        tags: {tags}
        version: '{version}'
        effective: 2024-02-01
        review_due: {review_due}
    """
    text = f"# {title}\n\n## Purpose\n\n{body}\n\n## Procedure\n\n1. Plan it.\n"
    return f"docs/sops/SOP-{n:04d}.md", entry_text(meta, text)


def files(*entries: tuple[str, str]) -> dict[str, str]:
    """{path: text} for the workspace fixture."""
    return dict(entries)
