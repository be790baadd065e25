"""Material's templates as the kb plugin overrides them: the repository link in the header asks
the host's API for nothing (no stars, no forks), and a workspace's own override is kept.

Sites are built for real with `kb build` (Material and the kb plugin as installed).
"""

from __future__ import annotations

import yaml

from kb.scaffold import mkdocs_yml
from tests.conftest import build_tree, kb_build
from tests.test_site import ENTRIES

GITHUB = "https://github.com/pmo/kb"


def _site(root, **config) -> str:
    """Build a workspace with ``config`` added to mkdocs.yml; the home page's HTML."""
    settings = yaml.safe_load(mkdocs_yml("Test KB", "en"))
    settings.update(config)
    build_tree(root, {"mkdocs.yml": yaml.safe_dump(settings, allow_unicode=True), **ENTRIES})
    (root / "docs" / "index.md").write_text("# Test KB\n", "utf-8")
    done = kb_build(root)
    assert done.returncode == 0, done.stderr
    return (root / "site" / "index.html").read_text("utf-8")


def test_the_repository_link_does_not_ask_the_hosts_api(tmp_path):
    home = _site(tmp_path / "ws", repo_url=GITHUB)
    # In the header and in the navigation drawer: the link, its icon and name, no facts.
    assert home.count(f'<a href="{GITHUB}" title="Go to repository" class="md-source">') == 2
    assert 'class="md-source__repository"' in home
    pages = list((tmp_path / "ws" / "site").rglob("*.html"))
    assert pages and not [p for p in pages if 'data-md-component="source"' in p.read_text("utf-8")]


def test_a_workspaces_own_source_partial_is_kept(tmp_path):
    root = tmp_path / "ws"
    build_tree(root, {"overrides/partials/source.html": '<a class="own-source">Ours</a>\n'})
    settings = yaml.safe_load(mkdocs_yml("Test KB", "en"))
    home = _site(root, repo_url=GITHUB, theme={**settings["theme"], "custom_dir": "overrides"})
    assert home.count('<a class="own-source">Ours</a>') == 2
    assert 'class="md-source"' not in home
