"""The site benchmarks run end to end at a tiny size: benchmarks/bench_site.py (build CPU seconds,
the plugin's share), benchmarks/bench_search_site.py (lunr against Pagefind in Chromium) and
benchmarks/bench_relevance_site.py (the judged queries on the built site).

They are scripts that print figures; here each runs once, as a person would run it, with --json,
and the figures are checked for being real measurements of what was built, not for speed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from tests.conftest import CHROMIUM, REPO

BENCH = REPO / "benchmarks"


def _script(name: str, *args: str) -> dict:
    done = subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_bench_site_measures_the_plugins_share_at_a_tiny_size():
    out = _script(
        "bench_site.py", "--sizes", "20", "--no-sample", "--no-auto-nav", "--no-browser", "--json"
    )
    assert out["search"] == "pagefind"
    (row,) = out["rows"]
    assert row["entries"] == 20 and row["pages"] == 25  # 20 entries, home, 4 section pages
    assert row["auto"] is None
    for build in (row["small"], row["kb"]):
        assert build["cpu"] > 0 and build["wall"] > 0
    # kb build indexes the site for search, and says how long that took.
    assert row["kb"]["search_seconds"] is not None and row["kb"]["search_seconds"] >= 0
    share = row["kb"]["cpu"] - row["small"]["cpu"]
    assert row["share_cpu"] == pytest.approx(share, abs=0.01)
    assert row["share_per_1000"] == pytest.approx(share * 1000 / 20)


def test_bench_site_refuses_a_size_that_is_not_a_number_of_entries():
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_site.py"), "--sizes", "0", "--no-sample"],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "--sizes" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
def test_bench_search_site_compares_lunr_and_pagefind_at_a_tiny_size():
    out = _script("bench_search_site.py", "--sizes", "20", "--repeat", "1", "--json")
    found = {r["search"]: r for r in out["results"]}
    assert set(found) == {"lunr", "pagefind"} and out["query"] == "vendor"
    for r in found.values():
        (run,) = r["runs"]
        # A result was shown, of the query: its text holds the word typed.
        assert "vendor" in run["first"].lower(), run
        assert 0 < run["seconds"] < 60
        # The page and the search's own files were fetched before that first result.
        assert 0 < run["bytes_search"] < run["bytes_all"]
        assert r["index_bytes"] > 0 and r["index_files"] >= 1
        assert r["index_build_s"] is not None
    # Pagefind's bundles: at least a fragment per entry besides each language's entry files.
    assert found["pagefind"]["index_files"] > 20
    assert found["lunr"]["facet_runs"] == []  # lunr has no filters
    (facet,) = found["pagefind"]["facet_runs"]
    # With the type filter, the first result is of that type, and of the query typed.
    assert facet["first"].startswith("Lesson learned"), facet
    assert "vendor" in facet["first"].lower(), facet
    assert facet["bytes_search"] > 0


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium")
def test_bench_relevance_site_ranks_every_judged_query_on_the_built_sites():
    out = _script("bench_relevance_site.py", "--json")
    engines = ("site", "pagefind", "lunr", "kb")
    rows = out["queries"]
    assert len(rows) == 54 and {r["class"] for r in rows} == {"en", "zh", "mixed", "cross"}
    for row in rows:
        for name in engines:
            ranked = row[name]["top"]
            assert len(ranked) <= 10 and 0 <= row[name]["P@5"] <= 1, (row["id"], name)
        # The site's search lists entries only, by their ids.
        assert all(re.fullmatch(r"[A-Z]+-\d{4}", i) for i in row["site"]["top"]), row["site"]
    # Each engine answered (Pagefind out of the box finds nothing for a query none of whose
    # pages holds every word, which is a third of them).
    for name in engines:
        assert sum(bool(r[name]["top"]) for r in rows) > 30, name
    assert sum(bool(r["site"]["top"]) for r in rows) == len(rows)
    overall = out["classes"]["overall"]
    # The site's search, with its query handling and glossary words, is no worse than the same
    # Pagefind out of the box: a floor against a broken search script, not a speed figure.
    assert overall["site"]["MRR"] >= overall["pagefind"]["MRR"]
    assert overall["site"]["P@5"] >= overall["pagefind"]["P@5"]
