"""The judged query set: read queries.yml, and derive each query's judgments from the corpus.

Each query in queries.yml says what a PM typing it wants (``need``) and which topics of
``topics.py`` answer it: grade 2 for exactly that problem, grade 1 for a neighbouring problem
that is partly relevant. ``narrow`` keeps grade 2 for the entries of a narrower context ("SAP
数据迁移" wants data migrations on SAP projects; other data migrations get 1). ``sample``
grades the sample knowledge base's entries, judged by reading them.

A generated entry's grade follows from what it was generated about (corpus.json): its topic's
grade, and at most 1 for the further topics a retrospective covers. ``relevant`` in queries.yml
is the result, every judged id with its grade; ``--write`` fills it in after the corpus
generator changes, and the test checks that it still agrees with the corpus.

    python -m benchmarks.relevance.judgments --write
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

QUERIES_FILE = Path(__file__).with_name("queries.yml")
CLASSES = ("en", "zh", "mixed", "cross")
GRADES = (1, 2)


@dataclass(frozen=True)
class Query:
    """One judged query."""

    id: str
    cls: str
    text: str
    need: str
    topics: dict[str, int]
    sample: dict[str, int] = field(default_factory=dict)
    narrow: dict[str, str] = field(default_factory=dict)
    relevant: dict[str, int] = field(default_factory=dict)


def load_queries(path: Path = QUERIES_FILE) -> list[Query]:
    """The queries of ``path``, in file order; raises ValueError on a malformed query."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    queries = []
    for item in raw:
        query = Query(
            id=str(item["id"]),
            cls=str(item["class"]),
            text=str(item["text"]),
            need=str(item.get("need", "")),
            topics=dict(item.get("topics") or {}),
            sample=dict(item.get("sample") or {}),
            narrow=dict(item.get("narrow") or {}),
            relevant=dict(item.get("relevant") or {}),
        )
        if query.cls not in CLASSES:
            raise ValueError(f"{query.id}: class {query.cls!r} is not one of {', '.join(CLASSES)}")
        for grades in (query.topics, query.sample, query.relevant):
            bad = {k: g for k, g in grades.items() if g not in GRADES}
            if bad:
                raise ValueError(f"{query.id}: grades must be 1 or 2, found {bad}")
        queries.append(query)
    return queries


def judge(query: Query, entries: dict[str, dict]) -> dict[str, int]:
    """Every judged id of ``query`` with its grade: the generated entries from their topics."""
    grades = dict(query.sample)
    for entry_id, entry in entries.items():
        grade = query.topics.get(entry["topic"], 0)
        if grade == 2 and any(entry.get(k) != v for k, v in query.narrow.items()):
            grade = 1
        for also in entry.get("also", ()):
            grade = max(grade, min(query.topics.get(also, 0), 1))
        if grade:
            grades[entry_id] = grade
    return dict(sorted(grades.items(), key=lambda kv: (-kv[1], kv[0])))


def _flow(key: str, mapping: dict, width: int = 99) -> str:
    """``  key: {a: 1, b: 2}``, a YAML flow mapping wrapped to lines of at most ``width``."""
    lines, line = [], f"  {key}: {{"
    items = [f"{k}: {v}" for k, v in mapping.items()]
    for i, item in enumerate(items):
        piece = item + (", " if i < len(items) - 1 else "}")
        if len(line) + len(piece.rstrip()) > width and not line.endswith("{"):
            lines.append(line.rstrip())
            line = "    "
        line += piece
    if not items:
        line += "}"
    return "\n".join([*lines, line])


def render(queries: list[Query], header: str) -> str:
    """queries.yml's text: the header comment, then one block per query."""
    out = [header.rstrip() + "\n"]
    for q in queries:
        block = [
            f"- id: {q.id}",
            f"  class: {q.cls}",
            f"  text: {json.dumps(q.text, ensure_ascii=False)}",
            f"  need: {json.dumps(q.need, ensure_ascii=False)}",
            _flow("topics", q.topics),
        ]
        if q.narrow:
            block.append(_flow("narrow", q.narrow))
        block.append(_flow("sample", q.sample))
        block.append(_flow("relevant", q.relevant))
        out.append("\n".join(block) + "\n")
    return "\n".join(out)


def header_of(path: Path) -> str:
    """The comment block at the top of ``path``."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            lines.append(line)
        else:
            break
    return "\n".join(lines)


def corpus_entries(seed: int = 7) -> dict[str, dict]:
    """The generated entries of the corpus for ``seed``, as corpus.json describes them."""
    from .corpus import generate, load_manifest

    with tempfile.TemporaryDirectory(prefix="kb-relevance-") as tmp:
        generate(Path(tmp), seed)
        return load_manifest(Path(tmp))["entries"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the relevant lists")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--queries", type=Path, default=QUERIES_FILE)
    args = parser.parse_args(argv)
    queries = load_queries(args.queries)
    entries = corpus_entries(args.seed)
    judged = [Query(**{**q.__dict__, "relevant": judge(q, entries)}) for q in queries]
    changed = [q.id for q, j in zip(queries, judged, strict=True) if q.relevant != j.relevant]
    if args.write:
        args.queries.write_text(render(judged, header_of(args.queries)), encoding="utf-8")
        print(f"wrote {len(judged)} queries to {args.queries} ({len(changed)} changed)")
        return 0
    for q in judged:
        print(f"{q.id:6} {q.cls:5} {len(q.relevant):3} judged  {q.text}")
    if changed:
        print(f"out of date: {', '.join(changed)}; run with --write", file=sys.stderr)
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
