"""The site's search without a browser: the Pagefind bundles and the markup of the built site.

Sites are built for real with `kb build` (the real Pagefind binary from the pinned packages),
from the sample knowledge base's entries (English and Chinese data-migration entries among
them) copied under tmp_path, or from a few entries written here.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kb.config import Workspace, load_workspace
from kb.scaffold import mkdocs_yml
from kb.search import load_glossary
from kb.site.catalog import build_catalog
from kb.site.pagefind import SearchPages, index_site
from kb.site.search_markup import (
    entry_facets,
    entry_language,
    equivalents,
    search_markup,
    set_page_language,
)
from kb.site.search_ui import config_script, primary_language
from kb.store import load_entries
from tests.conftest import REPO, build_tree, entry_text, kb_build

SECTIONS = ("retrospectives", "lessons", "risks", "sops")


def search_yml(site_name: str, lang: str, **kb_options) -> str:
    """The mkdocs.yml `kb init` writes, without Material's search (the site's is Pagefind)."""
    config = yaml.safe_load(mkdocs_yml(site_name, lang))
    config["plugins"] = [
        p
        for p in config["plugins"]
        if p != "search" and not (isinstance(p, dict) and "search" in p)
    ]
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "kb" in plugin:
            plugin["kb"].update(kb_options)
    features = config["theme"].get("features") or []
    config["theme"]["features"] = [f for f in features if not f.startswith("search.")]
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def sample_workspace(root: Path, lang: str = "en") -> Path:
    """The sample knowledge base's entries (not its guide) in a new workspace at ``root``."""
    build_tree(root, {"mkdocs.yml": search_yml("Sample KB", lang)})
    for section in SECTIONS:
        shutil.copytree(REPO / "docs" / section, root / "docs" / section)
    shutil.copyfile(REPO / "docs" / "index.md", root / "docs" / "index.md")
    return root


def fragments(site: Path, lang: str) -> dict[str, dict]:
    """Pagefind's stored record of every page of a language bundle, by entry id."""
    out = {}
    for path in (site / "pagefind" / lang / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[len(b"pagefind_dcd") :])
        out[record["meta"].get("id", record["url"])] = record
    return out


def page_html(site: Path, url: str) -> str:
    """The built page at a site URL such as /lessons/LL-0001-x/."""
    return (site / url.strip("/") / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory):
    """The sample entries built once with `kb build --json`: (workspace root, build JSON)."""
    root = sample_workspace(tmp_path_factory.mktemp("search") / "ws")
    done = kb_build(root, "--json")
    assert done.returncode == 0, done.stderr
    return root, json.loads(done.stdout)


def test_build_writes_one_pagefind_bundle_per_language(sample_site):
    root, report = sample_site
    site = root / "site"
    for lang in ("en", "zh"):
        bundle = site / "pagefind" / lang
        assert (bundle / "pagefind.js").is_file()
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        assert list(entry["languages"]) == [lang]
        assert entry["version"] == "1.5.2"
    assert report["search"]["pages"]["zh"] == 5  # the sample's Chinese entries
    assert report["search"]["total"] == sum(report["search"]["pages"].values())
    assert report["search"]["total"] == len(list((root / "docs").rglob("*-*.md")))
    assert report["search"]["seconds"] > 0
    # Material's own search is off: no lunr index, no search box of its own.
    assert not (site / "search" / "search_index.json").exists()
    home = (site / "index.html").read_text("utf-8")
    assert "md-search" not in home
    assert "assets/kb/search.js" in home and "assets/kb/search-config.js" in home


def test_kb_build_prints_the_time_indexing_took(tmp_path):
    root = sample_workspace(tmp_path / "ws")
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^search index: 27 entries in \d+\.\d s$", done.stderr, re.M), done.stderr


def test_only_the_entry_text_is_indexed_with_filters_and_meta(sample_site):
    root, _ = sample_site
    record = fragments(root / "site", "en")["LL-0001"]
    assert record["meta"] == {
        "date": "2025-06-27",
        "id": "LL-0001",
        "project": "ERP roll-out",
        "title": "Rehearse the data migration twice with production-sized data",
        "type": "Lesson learned",
    }
    assert record["filters"] == {
        "type": ["Lesson learned"],
        "project": ["ERP roll-out"],
        "project_type": ["IT implementation"],
        "category": ["Quality"],
        "phase": ["Executing"],
        "status": ["Approved"],
        "tag": ["data-migration", "rehearsal", "sap", "cut-over"],
        "year": ["2025"],
    }
    content = record["content"]
    assert content.startswith("Rehearse the data migration twice")
    assert "A data migration is only known to work" in content
    # Not the card (owner, status words), the links, the permalinks or the navigation.
    assert "Anna Schmidt" not in content
    assert "Referenced by" not in content
    assert "¶" not in content
    assert "User guide" not in content
    # Its id, its project and tags, then the glossary's Chinese equivalents of its title and tags,
    # whole, and in pairs at the end.
    assert "LL-0001. ERP roll-out · data-migration · rehearsal · sap · cut-over · kbxq" in content
    assert "· 数据迁移 ·" in content
    assert content.rstrip(".").endswith("数据 · 据迁 · 迁移")


def test_chinese_entries_are_segmented_and_say_they_are_chinese(sample_site):
    root, _ = sample_site
    site = root / "site"
    record = fragments(site, "zh")["LL-0008"]
    assert record["filters"]["type"] == ["Lesson learned"]  # the workspace language's labels
    assert "数据\u200b迁移" in record["content"]  # Pagefind cut the words apart
    assert "data migration" in record["content"].replace("\u200b", "")  # the English equivalents
    html = page_html(site, record["url"])
    assert re.search(r'<html lang="zh"', html)
    english = page_html(site, fragments(site, "en")["LL-0001"]["url"])
    assert re.search(r'<html lang="en"', english)


def test_entry_pages_mark_the_body_and_hide_the_search_data(sample_site):
    root, _ = sample_site
    site = root / "site"
    html = page_html(site, fragments(site, "en")["RISK-0001"]["url"])
    body = html[html.index("data-pagefind-body") :]
    assert body.index("<h1") < body.index('class="kb-card') < body.index("kb-search-data")
    assert re.search(r'<div class="kb-card[^"]*" data-search-exclude', html)
    assert '<div hidden data-pagefind-ignore class="kb-search-data">' in html
    assert '<span data-pagefind-filter="type">Risk case</span>' in html
    assert '<span data-pagefind-meta="id">RISK-0001</span>' in html
    assert re.search(r'<span data-pagefind-sort="date">\d{4}-\d\d-\d\d</span>', html)
    assert re.search(r'<div hidden data-pagefind-weight="0\.1">[^<]*数据迁移', html)
    # Pages that are not entries are not indexed (only entry pages have a body).
    for page in ("index.html", "registers/risks/index.html", "search/index.html"):
        assert "data-pagefind-body" not in (site / page).read_text("utf-8"), page


def test_the_search_page_and_its_settings(sample_site):
    root, _ = sample_site
    site = root / "site"
    page = (site / "search" / "index.html").read_text("utf-8")
    assert 'id="kb-search-page"' in page and "<noscript>" in page
    script = (site / "assets" / "kb" / "search-config.js").read_text("utf-8")
    config = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    assert config["bundles"] == [
        {"lang": "en", "path": "pagefind/en/"},
        {"lang": "zh", "path": "pagefind/zh/"},
    ]
    assert config["searchPage"] == "search/"
    assert [f for f, _ in config["facets"]] == [
        "type", "project", "project_type", "category", "phase", "status", "tag", "year"
    ]  # fmt: skip
    for script in ("search-query.js", "search.js", "search-box.js", "search-page.js"):
        assert (site / "assets" / "kb" / script).is_file()
    assert (site / "assets" / "kb" / "search.css").is_file()


def test_the_search_page_is_not_in_the_navigation(sample_site):
    root, _ = sample_site
    home = (root / "site" / "index.html").read_text("utf-8")
    assert 'href="search/"' not in home


def test_a_chinese_workspace_gets_chinese_search_words_and_facets(tmp_path):
    root = sample_workspace(tmp_path / "ws", "zh")
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    assert re.search(r"^搜索索引：27 个条目，用时 \d+\.\d 秒$", done.stderr, re.M), done.stderr
    site = root / "site"
    script = (site / "assets" / "kb" / "search-config.js").read_text("utf-8")
    config = json.loads(script.split("=", 1)[1].strip().rstrip(";"))
    assert config["text"]["placeholder"] == "搜索知识库"
    assert dict(config["facets"])["project_type"] == "项目类型"
    # English stems queries: its bundle is opened first even in a Chinese site.
    assert config["bundles"][0]["lang"] == "en"
    record = fragments(site, "en")["LL-0001"]
    assert record["filters"]["type"] == ["经验教训"]
    assert record["filters"]["phase"] == ["执行"]
    html = page_html(site, record["url"])
    assert re.search(r'<html lang="en"', html)  # an English entry in a Chinese site
    assert "搜索" in (site / "search" / "index.html").read_text("utf-8")


def test_a_site_that_keeps_materials_search_is_left_alone(tmp_path):
    root = sample_workspace(tmp_path / "ws")
    config = yaml.safe_load(mkdocs_yml("Sample KB", "en"))
    config["plugins"].insert(0, "search")  # Material's, kept in mkdocs.yml
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    site = root / "site"
    assert (site / "search" / "search_index.json").is_file()
    assert not (site / "pagefind").exists()
    assert "assets/kb/search.js" not in (site / "index.html").read_text("utf-8")
    assert "search index:" not in done.stderr


def test_a_failed_index_fails_the_build_and_keeps_the_previous_site(tmp_path):
    root = sample_workspace(tmp_path / "ws")
    assert kb_build(root).returncode == 0
    before = (root / "site" / "pagefind" / "en" / "pagefind-entry.json").read_bytes()
    env_run = subprocess.run(
        [sys.executable, "-m", "kb", "--root", str(root), "build", "--no-index"],
        capture_output=True,
        text=True,
        timeout=300,
        # Pagefind's documented override of the binary it runs: here one that is not there.
        env={**_env(), "PAGEFIND_BINARY_PATH": str(tmp_path / "no-pagefind")},
    )
    assert env_run.returncode != 0
    assert "Traceback" not in env_run.stderr
    lines = [ln for ln in env_run.stderr.splitlines() if "search index was not built" in ln]
    assert len(lines) == 1, env_run.stderr
    after = (root / "site" / "pagefind" / "en" / "pagefind-entry.json").read_bytes()
    assert after == before


def _env() -> dict:
    import os

    return dict(os.environ)


# --- the parts, on workspaces written here ---


def _ws(tmp_path: Path, lang: str, files: dict[str, str], **kb_options) -> Workspace:
    build_tree(tmp_path, {"mkdocs.yml": search_yml("T", lang, **kb_options), **files})
    return load_workspace(tmp_path)


LESSON = """
    id: LL-0001
    type: lesson
    title: {title}
    date: 2025-06-27
    owner: Anna
    status: approved
    tags: [data-migration, vendor]
    project: ERP roll-out
    category: quality
    phase: executing
    impact: negative
    source: RETRO-0001
"""
RETRO = """
    id: RETRO-0001
    type: retrospective
    title: ERP go-live
    date: 2025-06-20
    owner: Anna
    status: approved
    project: ERP roll-out
    project_type: it-implementation
    phase: whole-project
    outcome: partially-succeeded
"""


def _catalog(tmp_path: Path, lang: str, title: str, body: str):
    ws = _ws(
        tmp_path,
        lang,
        {
            "docs/lessons/LL-0001-x.md": entry_text(LESSON.format(title=title), body),
            "docs/retrospectives/RETRO-0001-x.md": entry_text(RETRO, "# ERP go-live\n"),
        },
    )
    loaded = load_entries(ws)
    cat = build_catalog(ws, loaded.entries)
    return ws, cat, cat.by_id["LL-0001"]


def test_facets_take_the_project_type_of_the_source_retrospective(tmp_path):
    _, cat, lesson = _catalog(tmp_path, "zh", "Rehearse the data migration", "# T\n\nText.\n")
    assert entry_facets(cat, lesson) == {
        "type": ["经验教训"],
        "project": ["ERP roll-out"],
        "project_type": ["IT实施"],
        "category": ["质量"],
        "phase": ["执行"],
        "status": ["已批准"],
        "tag": ["data-migration", "vendor"],
        "year": ["2025"],
    }


def test_an_entry_is_in_the_language_most_of_its_text_is_in(tmp_path):
    _, cat, lesson = _catalog(
        tmp_path, "en", "数据迁移前必须完成主数据清洗", "# 标题\n\n用 SAP 做数据迁移。\n"
    )
    assert entry_language(lesson, "en") == "zh"
    _, cat, lesson = _catalog(tmp_path, "zh", "Rehearse twice", "# T\n\nSee 数据迁移 for more.\n")
    assert entry_language(lesson, "zh") == "en"
    _, cat, lesson = _catalog(tmp_path, "zh", "2025", "# 2025\n")
    assert entry_language(lesson, "zh") == "zh"  # neither: the workspace's


def test_equivalents_come_from_the_glossary_both_ways():
    glossary = load_glossary(None)
    assert "数据迁移" in equivalents(glossary, ["Rehearse the data migration twice"])
    assert "data migration" in equivalents(glossary, ["数据迁移前必须完成主数据清洗"])
    found = equivalents(glossary, ["data-migration"])
    assert "数据迁移" in found and "data migration" not in found  # not the term itself


def test_the_workspace_glossary_adds_equivalents(tmp_path):
    glossary = "concepts:\n  - en: [widget]\n    zh: [小部件]\n"
    ws = _ws(tmp_path, "en", {"glossary.yml": glossary}, glossary="glossary.yml")
    assert ws.glossary_path == tmp_path / "glossary.yml"
    assert "小部件" in equivalents(load_glossary(ws.glossary_path), ["A widget fails"])


def test_search_markup_escapes_what_it_writes(tmp_path):
    _, cat, lesson = _catalog(tmp_path, "en", "<b>Rehearse</b> & migrate", "# T\n\nText.\n")
    html = search_markup(cat, lesson, load_glossary(None))
    assert (
        '<span data-pagefind-meta="title">&lt;b&gt;Rehearse&lt;/b&gt; &amp; migrate</span>' in html
    )
    assert "<b>" not in html


def test_set_page_language_changes_only_the_html_element():
    page = '<!doctype html>\n<html lang="en" class="no-js"><head></head><p lang="en">x</p></html>'
    assert set_page_language(page, "zh") == page.replace('<html lang="en"', '<html lang="zh"', 1)


def test_the_first_bundle_is_english_when_there_is_one():
    assert primary_language(["en", "zh"], "zh") == "en"
    assert primary_language(["zh"], "en") == "zh"
    assert primary_language([], "zh") == "zh"
    script = config_script("en", [], "search/")
    assert '"bundles": []' in script


def test_index_site_writes_a_bundle_per_language_and_removes_the_pages(tmp_path):
    pages = SearchPages()
    body = "<div data-pagefind-body><h1>Rehearse</h1><p>Twice, with real data.</p></div>"
    pages.add("lessons/LL-0001-x/index.html", "en", body)
    pages.add("lessons/LL-0002-y/index.html", "zh", body.replace("Rehearse", "数据迁移演练"))
    (tmp_path / "site" / "pagefind" / "de").mkdir(parents=True)  # from an earlier build
    report = index_site(tmp_path / "site", pages)
    assert report.pages == {"en": 1, "zh": 1}
    assert sorted(p.name for p in (tmp_path / "site" / "pagefind").iterdir()) == ["en", "zh"]
    assert not pages.root.exists()
    urls = [r["url"] for r in fragments(tmp_path / "site", "en").values()]
    assert urls == ["/lessons/LL-0001-x/"]
    assert not (tmp_path / "site" / "pagefind" / "en" / "pagefind-ui.js").exists()


def _all_fragments(site: Path) -> str:
    return json.dumps(
        [r for lang in ("en", "zh") for r in fragments(site, lang).values()], ensure_ascii=False
    )


def test_what_the_site_leaves_out_is_not_in_the_search_index(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text(
        entry_text(RETRO.replace("RETRO-0001", "RETRO-0002"), "# Leak\n\nSECRET-7731\n"), "utf-8"
    )
    root = _ws(
        tmp_path / "ws",
        "en",
        {
            "docs/index.md": "# Home\n",
            "docs/lessons/LL-0001-x.md": entry_text(LESSON.format(title="Kept"), "# Kept\n"),
            "docs/lessons/LL-0002-bad.md": b"---\nid: LL-0002\n---\n\n# Bad \xff SECRET-7731\n",
        },
    ).root
    (root / "docs" / "retrospectives").mkdir()
    (root / "docs" / "retrospectives" / "RETRO-0002-leak.md").symlink_to(outside)
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    assert "left out of the site" in done.stderr
    indexed = _all_fragments(root / "site")
    assert "SECRET-7731" not in indexed
    assert '"id": "LL-0001"' in indexed


def test_this_repositorys_site_uses_the_search_described_in_the_guide():
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    names = [p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]]
    assert "kb" in names and "search" not in names and "material/search" not in names
    guide = (REPO / "docs" / "guide" / "site.md").read_text("utf-8")
    for facet in ("type", "project", "project_type", "category", "phase", "status", "tag", "year"):
        assert f"`{facet}`" in guide
