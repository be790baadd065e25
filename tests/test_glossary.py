"""The search glossary: the shipped file is valid, a workspace adds its own terms, and a bad
file is reported by `kb check` at file and line."""

from __future__ import annotations

import pytest

from kb.config import load_workspace
from kb.scaffold import mkdocs_yml
from kb.search import close_searchers, glossary_problems, load_glossary, search
from kb.search.glossary import SHIPPED
from tests.search_helpers import files, lesson


@pytest.fixture(autouse=True)
def _close_cached_searcher():
    yield
    close_searchers()


def config_with_glossary(name: str = "glossary.yml") -> str:
    text = mkdocs_yml("Test KB", "en")
    assert "    language: en" in text
    return text.replace("    language: en", f"    language: en\n    glossary: {name}", 1)


def test_the_shipped_glossary_is_valid_and_covers_the_issue_s_terms():
    assert glossary_problems(SHIPPED, "glossary.yml") == []
    glossary = load_glossary()
    pairs = [
        ("vendor", "supplier"),
        ("go-live", "cut-over"),
        ("purchase order", "po"),
        ("key user", "super user"),
        ("data migration", "数据迁移"),
        ("vendor", "供应商"),
        ("go-live", "上线"),
        ("training", "培训"),
        ("scope creep", "范围蔓延"),
    ]
    for a, b in pairs:
        concepts_a = {
            k for k, terms in enumerate(glossary.concepts) for t in terms if t.text.lower() == a
        }
        concepts_b = {
            k for k, terms in enumerate(glossary.concepts) for t in terms if t.text.lower() == b
        }
        assert concepts_a & concepts_b, (a, b)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("concepts:\n  - en: [widget]\n", 2, "at least two terms"),
        ("concepts:\n  - en: [vendor, supplier]\n    fr: [fournisseur]\n", 3, "unknown language"),
        (
            "concepts:\n  - en: [vendor, supplier]\n  - en: [seller, Vendor]\n",
            3,
            "already listed at line 2",
        ),
        ("concepts:\n  - zh: [vendor, 供应商]\n", 2, "has no Chinese characters"),
        ("concepts: [\n", 2, "invalid YAML"),
        ("terms: []\n", 1, "unknown key 'terms'"),
        ("", 1, "the glossary is empty"),
        ("concepts:\n  - en: vendor\n", 2, "must be a list of terms"),
        ("concepts:\n  - en: ['', x]\n", 2, "a term must be non-empty text"),
    ],
)
def test_a_bad_glossary_is_reported_at_its_line(tmp_path, text, line, message):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    found = glossary_problems(path, "glossary.yml")
    assert found, text
    assert any(p.line == line and message in p.message for p in found), [p.format() for p in found]


def test_kb_check_reports_the_workspace_glossary(workspace, run):
    root = workspace(
        {"glossary.yml": "concepts:\n  - en: [widget]\n"}, config=config_with_glossary()
    )
    result = run(root, "check")
    assert result.exit_code == 1
    assert "glossary.yml:2: error: a concept needs at least two terms" in result.output
    (root / "glossary.yml").unlink()
    result = run(root, "check")
    assert result.exit_code == 1
    assert "plugins.kb.glossary: glossary.yml does not exist" in result.output


def test_an_organization_s_terms_take_effect_in_search(workspace):
    root = workspace(
        {
            "glossary.yml": "concepts:\n  - en: [widget, gizmo]\n    zh: [小部件]\n",
            **files(
                lesson(1, "Gizmo supply ran short", "The gizmo stock ran out in March."),
                lesson(2, "Widget tests", "Every widget was tested twice."),
            ),
        },
        config=config_with_glossary(),
    )
    ws = load_workspace(root=root)
    result = search(ws, "widget")
    assert [h.id for h in result.hits] == ["LL-0002", "LL-0001"]  # as typed first
    assert {h.id for h in search(ws, "小部件").hits} == {"LL-0001", "LL-0002"}
    # without the setting, the terms are unknown to the glossary
    (root / "mkdocs.yml").write_text(mkdocs_yml("Test KB", "en"), encoding="utf-8")
    close_searchers()
    ws = load_workspace(root=root)
    assert [h.id for h in search(ws, "widget").hits] == ["LL-0002"]
