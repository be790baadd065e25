"""Every entry point reads a field's value the same way (kb.fields): `kb new --set`, a prompt
answer, a CSV cell through `kb import`, a YAML value through `kb check`. One table, every kind."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

import pytest
import yaml

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.store import load_entries
from tests.conftest import entry_text

# The fields kb would not ask for are made required, so that a prompt asks for each of them.
REQUIRED = {
    "risk": ["updated", "related", "tags", "cost_impact", "risk_owner"],
    "retrospective": ["root_causes", "budget", "actions"],
}
# A valid value of every field, as typed (--set, a cell) and as stored (YAML).
BASE: dict[str, dict[str, tuple[str, Any]]] = {
    "risk": {
        "owner": ("Ana", "Ana"),
        "category": ("vendor", "vendor"),
        "probability": ("3", 3),
        "impact": ("4", 4),
        "trigger": ("late answers", "late answers"),
        "response": ("mitigate", "mitigate"),
        "occurred": ("no", False),
        "source": ("RETRO-0001", "RETRO-0001"),
        "updated": ("2024-04-01", dt.date(2024, 4, 1)),
        "related": ("RETRO-0001", ["RETRO-0001"]),
        "tags": ("sap", ["sap"]),
        "cost_impact": ("10", 10),
        "risk_owner": ("Bo", "Bo"),
    },
    "retrospective": {
        "owner": ("Ana", "Ana"),
        "project": ("ERP", "ERP"),
        "project_type": ("engineering", "engineering"),
        "phase": ("closing", "closing"),
        "outcome": ("failed", "failed"),
        "planned_end": ("2024-01-01", dt.date(2024, 1, 1)),
        "actual_end": ("2024-02-01", dt.date(2024, 2, 1)),
        "root_causes": ("vendor", ["vendor"]),
        "budget": ("{planned: 1, currency: EUR}", {"planned": 1, "currency": "EUR"}),
        "actions": (
            "Fix | Bo | 2024-03-01 | open",
            [{"action": "Fix", "owner": "Bo", "due": dt.date(2024, 3, 1), "status": "open"}],
        ),
    },
}
RETRO = entry_text(
    "id: RETRO-0001\ntype: retrospective\ntitle: R\ndate: 2024-01-01\nowner: A\nstatus: draft\n"
    "project: ERP\nproject_type: engineering\nphase: closing\noutcome: failed\n"
    "root_causes: [vendor]\nbudget: {planned: 1, currency: EUR}\n"
    "actions: [{action: Fix, owner: Bo, due: 2024-03-01, status: open}]\n"
)
ACTION = {"action": "Rehearse", "owner": "Bo", "due": dt.date(2024, 3, 1), "status": "open"}

# (type, field, input, the value stored, or the error every entry point reports, and the
# answers a prompt takes when they differ from the input: a budget and an action come in parts)
CASES = [
    ("risk", "risk_owner", "  Bo Chen ", "Bo Chen", None),  # text
    ("risk", "owner", "Ana Li", "Ana Li", None),  # person
    ("risk", "trigger", "late answers", "late answers", None),  # longtext
    ("risk", "category", "Quality", "quality", None),  # enum: English label, any case
    ("risk", "category", "质量", "quality", None),  # enum: Chinese label
    ("risk", "category", "qualty", "category: 'qualty' is not an allowed value", None),
    ("retrospective", "project_type", "IT实施", "it-implementation", None),
    ("retrospective", "outcome", "部分成功", "partially-succeeded", None),
    ("risk", "probability", "4", 4, None),  # integer 1-5
    ("risk", "probability", "6", "probability: 6 is out of range; expected from 1 to 5", None),
    ("risk", "probability", "high", "probability: expected a whole number, found 'high'", None),
    ("risk", "cost_impact", "1.200,50", 1200.5, None),  # number
    ("risk", "cost_impact", "lots", "cost_impact: expected a number, found 'lots'", None),
    ("risk", "occurred", "是", True, None),  # bool
    ("risk", "occurred", "maybe", "occurred: expected yes or no, found 'maybe'", None),
    ("risk", "updated", "2024/05/01", dt.date(2024, 5, 1), None),  # date
    (
        "risk",
        "updated",
        "2024-13-01",
        "updated: '2024-13-01' is not a valid date; expected a date such as 2024-03-15",
        None,
    ),
    ("risk", "source", "retro-0001", "RETRO-0001", None),  # reference
    ("risk", "source", "RETRO-1", "source: expected an entry id like RETRO-0001", None),
    ("risk", "related", "RETRO-0001", ["RETRO-0001"], None),  # references
    ("risk", "tags", "sap, data-migration", ["sap", "data-migration"], None),  # list
    ("retrospective", "root_causes", "Vendor, 数据", ["vendor", "data"], None),  # choices
    (
        "retrospective",
        "root_causes",
        "vendor, nope",
        "root_causes[1]: 'nope' is not an allowed value",
        None,
    ),
    (
        "retrospective",
        "budget",
        "{planned: 100, currency: eur}",
        {"planned": 100, "currency": "EUR"},
        ["100", "", "eur"],
    ),
    (
        "retrospective",
        "actions",
        "Rehearse | Bo | 2024/03/01",
        [ACTION],
        ["Rehearse", "Bo", "2024/03/01"],
    ),
]


@pytest.fixture
def root(workspace):
    config = mkdocs_yml("Test KB", "en").replace(
        "    language: en", f"    language: en\n    required_fields: {REQUIRED}", 1
    )
    return workspace({"docs/retrospectives/RETRO-0001-r.md": RETRO}, config=config)


def others(etype: str, name: str) -> list[str]:
    """--set for every other field, valid."""
    return [
        a for k, (text, _) in BASE[etype].items() if k != name for a in ("--set", f"{k}={text}")
    ]


def created(root, etype: str) -> dict | None:
    entries = load_entries(load_workspace(root=root)).entries
    new = [e for e in entries if e.type == etype and e.id != "RETRO-0001"]
    return new[0].meta if new else None


def by_set(run, root, etype, name, text):
    result = run(
        root, "new", etype, "T", *others(etype, name), "--set", f"{name}={text}", "--no-input"
    )
    return result, created(root, etype)


def by_prompt(run, root, etype, name, text, answers):
    answers = answers or [text]
    args = ["new", etype, "T", *others(etype, name), "--interactive"]
    result = run(root, *args, input="\n".join(answers) + "\n")
    return result, created(root, etype)


def by_import(run, root, etype, name, text, tmp_path):
    row = {k: t for k, (t, _) in BASE[etype].items()} | {name: text, "title": "T"}
    path = tmp_path / "sheet.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(list(row))
        writer.writerow(list(row.values()))
    budget = ["--map", "budget=budget"] if etype == "retrospective" else []
    result = run(root, "import", str(path), "--type", etype, *budget)
    return result, created(root, etype)


def by_check(run, root, etype, name, value):
    meta = {"id": "RISK-0001" if etype == "risk" else "RETRO-0002", "type": etype, "title": "T"}
    meta |= {"date": dt.date(2024, 1, 1), "status": "draft"}
    meta |= {k: v for k, (_, v) in BASE[etype].items()} | {name: value}
    folder = "risks" if etype == "risk" else "retrospectives"
    text = entry_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False))
    (root / "docs" / folder).mkdir(parents=True, exist_ok=True)
    (root / "docs" / folder / f"{meta['id']}-t.md").write_text(text, encoding="utf-8")
    result = run(root, "check", "--today", "2024-01-02")
    problems = [line for line in result.output.splitlines() if f"{meta['id']}-t.md" in line]
    return result, problems


@pytest.mark.parametrize(
    ("etype", "name", "text", "expected", "answers"),
    CASES,
    ids=[f"{c[1]}={c[2]}" for c in CASES],
)
def test_every_entry_point_agrees(run, root, tmp_path, etype, name, text, expected, answers):
    error = isinstance(expected, str) and expected.startswith(f"{name}")
    error = error and ":" in expected and expected != text.strip()
    points = {
        "kb new --set": lambda: by_set(run, root, etype, name, text),
        "a prompt answer": lambda: by_prompt(run, root, etype, name, text, answers),
        "a CSV cell": lambda: by_import(run, root, etype, name, text, tmp_path),
    }
    for point, call in points.items():
        result, meta = call()
        if error:
            assert result.exit_code != 0, (point, result.output)
            assert expected in result.output, (point, result.output)
            assert meta is None, point
        else:
            assert result.exit_code == 0, (point, result.output)
            assert meta is not None and meta[name] == expected, (point, meta)
        for path in root.glob("docs/*/*-t.md"):  # the next entry point starts afresh
            path.unlink()
    # front matter holds stored values: the value the others stored is valid, and the input
    # that they refused is refused with the same message
    result, problems = by_check(run, root, etype, name, text if error else expected)
    if error:
        assert any(expected in p for p in problems), problems
    else:
        assert problems == [], problems


def test_all_errors_of_one_command_are_reported_together(run, root):
    sets = [(k, t) for k, (t, _) in BASE["risk"].items() if k not in ("occurred", "probability")]
    args = [a for k, t in sets for a in ("--set", f"{k}={t}")]
    result = run(
        root,
        "new",
        "risk",
        "T",
        *args,
        "--set",
        "occurred=maybe",
        "--set",
        "probability=6",
        "--no-input",
    )
    assert result.exit_code == 2
    assert "--set occurred: expected yes or no, found 'maybe'" in result.stderr
    assert "--set probability: 6 is out of range; expected from 1 to 5" in result.stderr


def test_a_prompt_takes_the_number_or_the_start_of_a_choice(run, root):
    args = ["new", "risk", "T", *others("risk", "category"), "--interactive"]
    assert run(root, *args, input="3\n").exit_code == 0
    assert created(root, "risk")["category"] == "schedule"
    for path in root.glob("docs/risks/*.md"):
        path.unlink()
    assert run(root, *args, input="regul\n").exit_code == 0
    assert created(root, "risk")["category"] == "regulatory"


def test_a_reference_is_checked_before_anything_is_written(run, root):
    args = others("risk", "source")
    result = run(root, "new", "risk", "T", *args, "--set", "source=RETRO-0009", "--no-input")
    assert result.exit_code != 0
    assert "source: RETRO-0009 does not exist (did you mean RETRO-0001?)" in result.output
    assert not list(root.glob("docs/risks/*.md"))


def test_an_unknown_front_matter_key_is_a_warning_unless_declared(run, workspace):
    lesson = (
        "id: LL-0001\ntype: lesson\ntitle: T\ndate: 2024-01-01\nowner: A\nstatus: approved\n"
        "category: scope\nphase: closing\nimpact: positive\nsponsr: Bo\n"
    )
    root = workspace({"docs/lessons/LL-0001-t.md": entry_text(lesson)})
    result = run(root, "check", "--strict")
    assert result.exit_code == 1
    assert "warning: sponsr: a lesson has no field 'sponsr'" in result.output
    config = mkdocs_yml("Test KB", "en").replace(
        "    language: en", "    language: en\n    extra_fields: {lesson: [sponsr]}", 1
    )
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run(root, "check", "--strict").exit_code == 0
