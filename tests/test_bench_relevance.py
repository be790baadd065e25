"""The relevance benchmark's corpus, judged queries and measures (benchmarks/relevance/).

No search runs here: benchmarks/bench_relevance.py does that and prints, never asserts.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.relevance.corpus import MANIFEST, generate, load_manifest
from benchmarks.relevance.judgments import CLASSES, judge, load_queries
from benchmarks.relevance.metrics import dcg, ndcg_at, precision_at, reciprocal_rank
from benchmarks.relevance.topics import ALL_TYPES, TOPICS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("relevance") / "ws"
    generate(root)
    return root, load_manifest(root)


def _digest(root: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def test_corpus_passes_kb_check(corpus, run):
    root, manifest = corpus
    result = run(root, "check", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["errors"] == 0, report["problems"]
    assert report["entries"] == len(manifest["sample"]) + len(manifest["entries"])


def test_corpus_has_all_types_project_types_and_a_third_chinese(corpus):
    root, manifest = corpus
    entries = manifest["entries"]
    assert len(entries) >= 300
    assert Counter(e["type"] for e in entries.values()).keys() == {
        "retrospective",
        "lesson",
        "risk",
        "sop",
    }
    assert {e["project_type"] for e in entries.values() if e["project"]} == set(ALL_TYPES)
    assert 0.28 <= sum(e["lang"] == "zh" for e in entries.values()) / len(entries) <= 0.42
    assert len(TOPICS) >= 25 and {e["topic"] for e in entries.values()} == {t.key for t in TOPICS}
    assert not set(entries) & set(manifest["sample"]), "generated ids clash with the sample's"
    assert all((root / e["path"]).is_file() for e in entries.values())
    assert len(manifest["sample"]) == 27


def test_corpus_is_reproducible(corpus, tmp_path):
    root, _ = corpus
    again = tmp_path / "ws"
    generate(again)
    assert _digest(again) == _digest(root)
    generate(again, seed=8)
    assert (again / MANIFEST).read_text() != (root / MANIFEST).read_text()


def test_generator_refuses_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "docs" / "lessons").mkdir(parents=True)
    with pytest.raises(FileExistsError):
        generate(tmp_path)


def test_query_set_has_four_classes_of_at_least_ten():
    queries = load_queries()
    counts = Counter(q.cls for q in queries)
    assert set(counts) == set(CLASSES)
    assert min(counts.values()) >= 10 and len(queries) >= 40
    assert len({q.id for q in queries}) == len(queries)
    texts = {q.text for q in queries if q.cls == "en"}
    assert {
        "customers kept changing requirements",
        "key consultant left the project",
        "safety validation booked too late",
        "migration data quality problems",
    } <= texts


def test_every_judged_id_exists_in_the_corpus(corpus):
    _, manifest = corpus
    ids = set(manifest["sample"]) | set(manifest["entries"])
    for q in load_queries():
        assert q.relevant, q.id
        assert set(q.relevant) <= ids, (q.id, set(q.relevant) - ids)
        assert set(q.sample) <= set(manifest["sample"]), q.id
        assert set(q.topics) <= {t.key for t in TOPICS}, q.id


def test_judged_ids_follow_from_the_topics_the_entries_were_generated_from(corpus):
    # When the generator changes, the judgments must be derived again (judgments.py --write).
    _, manifest = corpus
    for q in load_queries():
        assert q.relevant == judge(q, manifest["entries"]), q.id


def test_measures_give_textbook_values():
    ranked = ["a", "b", "c", "d", "e", "f"]
    grades = {"b": 2, "d": 1, "x": 2}  # x is relevant but not retrieved
    assert precision_at(ranked, grades, 5) == pytest.approx(2 / 5)
    assert reciprocal_rank(ranked, grades) == pytest.approx(1 / 2)
    found = 3 / math.log2(3) + 1 / math.log2(5)  # b at rank 2, d at rank 4
    ideal = 3 / math.log2(2) + 3 / math.log2(3) + 1 / math.log2(4)  # 2, 2, 1
    assert dcg([0, 2, 0, 1]) == pytest.approx(found)
    assert ndcg_at(ranked, grades, 10) == pytest.approx(found / ideal)
    assert ndcg_at(["x", "b", "d"], grades, 10) == pytest.approx(1.0)
    assert ndcg_at(["b"], grades, 1) == pytest.approx(1.0)
    assert precision_at([], grades, 5) == reciprocal_rank(["a"], grades) == 0
    assert ndcg_at(["a"], {}, 10) == 0
    assert precision_at(["b", "b", "a"], grades, 3) == pytest.approx(1 / 3)  # a repeat counts once
