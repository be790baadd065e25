"""Relevance benchmark: kb search against SQLite FTS5 on a judged query set, per query class.

    .venv/bin/python benchmarks/bench_relevance.py               # corpus in a temporary folder
    .venv/bin/python benchmarks/bench_relevance.py --workspace /tmp/relevance-kb --verbose
    .venv/bin/python benchmarks/bench_relevance.py --json

The corpus (benchmarks/relevance/corpus.py, seed 7): the sample knowledge base's 27 entries and
336 generated ones of all four types and all seven project types, 36 % of them in Chinese,
written from 26 problems a PMO sees again and again (data migration quality, a key person
leaving, late vendor deliveries, scope creep, ...), each in several wordings, with synonyms
chosen per entry. The queries (benchmarks/relevance/queries.yml): 54 in four classes: en, zh,
mixed (Chinese and English in one query) and cross (the query in one language, the entries
that answer it mainly in the other).

How the judgments were made: before kb or the peer had been run on any query, each query was
given the topics a PM typing it wants (grade 2 exactly, 1 partly relevant), and each sample entry
a grade from reading it. A generated entry is judged by the topic it was generated from
(corpus.json), never by the words it shares with the query, and whatever its language.
benchmarks/relevance/README.md has the details.

Each query goes through ``kb.search.search(ws, q, limit=10, refresh=False)`` and through the
peer: SQLite FTS5 (stdlib sqlite3, tokenize='porter unicode61') over the title and body of the
same entry files, ranked by bm25 with the title weighted 10 to the body's 1, the query's words
(split on whitespace and punctuation) each double-quoted and joined with OR. Printed per class
and overall (the mean over queries): P@5, MRR and nDCG@10 (gain 2^grade - 1, log2(rank + 1)
discount, the ideal from the judged grades), for both engines and the difference. --verbose
prints each query's top 5 from both on stderr, each id marked with its grade. A benchmark, not
a test: it prints, never asserts.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.relevance.corpus import ENTRY_DIRS, generate, load_manifest  # noqa: E402
from benchmarks.relevance.judgments import CLASSES, Query, judge, load_queries  # noqa: E402
from benchmarks.relevance.metrics import mean, ndcg_at, precision_at, reciprocal_rank  # noqa: E402

LIMIT = 10
MEASURES: dict[str, Callable[[list[str], dict[str, int]], float]] = {
    "P@5": lambda ranked, grades: precision_at(ranked, grades, 5),
    "MRR": reciprocal_rank,
    "nDCG@10": lambda ranked, grades: ndcg_at(ranked, grades, 10),
}
ENGINES = {"kb": "kb", "fts5": "FTS5"}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", re.S)


def entry_texts(root: Path) -> list[tuple[str, str, str]]:
    """(id, title, body) of every entry file under root/docs, as the peer indexes them."""
    texts = []
    for folder in ENTRY_DIRS:
        for path in sorted((root / "docs" / folder).rglob("*.md")):
            if path.name.lower() in ("index.md", "readme.md"):
                continue
            found = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
            if not found:
                continue
            meta = yaml.safe_load(found.group(1)) or {}
            texts.append(
                (str(meta.get("id", path.stem)), str(meta.get("title", "")), found.group(2))
            )
    return texts


def fts5_query(text: str) -> str:
    """The peer's query: every word double-quoted, joined with OR, so FTS5 syntax never errors."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in re.findall(r"\w+", text))


class Fts5Peer:
    """SQLite FTS5 over the title and body of each entry, bm25 with the title weighted."""

    def __init__(self, texts: list[tuple[str, str, str]]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(id UNINDEXED, title, body, "
            "tokenize='porter unicode61')"
        )
        self.db.executemany("INSERT INTO t (id, title, body) VALUES (?, ?, ?)", texts)

    def search(self, text: str) -> list[str]:
        match = fts5_query(text)
        if not match:
            return []
        rows = self.db.execute(
            "SELECT id FROM t WHERE t MATCH ? ORDER BY bm25(t, 0.0, 10.0, 1.0) LIMIT ?",
            (match, LIMIT),
        )
        return [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()


class KbEngine:
    """kb's own search, through its public API, on an index built once."""

    def __init__(self, root: Path) -> None:
        from kb.config import load_workspace
        from kb.search import update_index

        self.ws = load_workspace(root=root)
        started = time.perf_counter()
        update_index(self.ws, rebuild=True)
        self.index_seconds = time.perf_counter() - started

    def search(self, text: str) -> list[str]:
        from kb.errors import KbError
        from kb.search import search

        try:
            return [hit.id for hit in search(self.ws, text, limit=LIMIT, refresh=False).hits]
        except KbError as exc:  # a query kb refuses scores as an empty ranking
            print(f"# kb refused {text!r}: {exc}", file=sys.stderr)
            return []

    def close(self) -> None:
        from kb.search import close_searchers

        close_searchers()


def evaluate(queries: list[Query], engines: dict) -> dict:
    """Each query's rankings and measures, and the means per class and overall."""
    rows = []
    for q in queries:
        row: dict = {"id": q.id, "class": q.cls, "text": q.text, "judged": len(q.relevant)}
        for name, engine in engines.items():
            ranked = engine.search(q.text)
            row[name] = {"top": ranked, **{m: f(ranked, q.relevant) for m, f in MEASURES.items()}}
        rows.append(row)
    classes = {}
    for cls in (*CLASSES, "overall"):
        chosen = [r for r in rows if cls == "overall" or r["class"] == cls]
        classes[cls] = {"queries": len(chosen)}
        for name in engines:
            classes[cls][name] = {m: round(mean(r[name][m] for r in chosen), 3) for m in MEASURES}
    return {"classes": classes, "queries": rows}


def table(classes: dict) -> str:
    """The figures as a markdown table: per class, each measure for kb, FTS5 and kb - FTS5."""
    head = ["class", "queries"]
    for m in MEASURES:
        head += [f"{m} kb", f"{m} FTS5", "Δ"]
    lines = ["| " + " | ".join(head) + " |", "|---|---:|" + "---:|" * (3 * len(MEASURES))]
    for cls, figures in classes.items():
        cells = [f"**{cls}**" if cls == "overall" else cls, str(figures["queries"])]
        for m in MEASURES:
            kb, peer = figures["kb"][m], figures["fts5"][m]
            cells += [f"{kb:.3f}", f"{peer:.3f}", f"{kb - peer:+.3f}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _marked(ranked: list[str], grades: dict[str, int]) -> str:
    return " ".join(f"{i}{'+' + str(grades[i]) if i in grades else '-'}" for i in ranked[:5])


def print_tops(rows: list[dict], queries: list[Query]) -> None:
    """Each query's top 5 from both engines on stderr: +2 / +1 judged relevant, - not."""
    grades = {q.id: q.relevant for q in queries}
    for row in rows:
        print(f"{row['id']:6} {row['text']}  ({row['judged']} judged)", file=sys.stderr)
        for name, label in ENGINES.items():
            r = row[name]
            print(
                f"   {label:5} P@5 {r['P@5']:.2f} RR {r['MRR']:.2f}  "
                f"{_marked(r['top'], grades[row['id']]) or '(nothing)'}",
                file=sys.stderr,
            )


def current_judgments(queries: list[Query], entries: dict[str, dict]) -> list[Query]:
    """The queries with judgments that fit this corpus: queries.yml's, or for another seed (or a
    changed generator) the ones derived from the same topics, with a note on stderr."""
    derived = [replace(q, relevant=judge(q, entries)) for q in queries]
    changed = sum(q.relevant != d.relevant for q, d in zip(queries, derived, strict=True))
    if changed:
        print(f"# {changed} queries judged from their topics for this corpus", file=sys.stderr)
    return derived


def corpus_summary(root: Path, seed: int) -> dict:
    data = load_manifest(root)
    entries = data["entries"].values()
    return {
        "seed": seed,
        "entries": len(data["sample"]) + len(data["entries"]),
        "sample": len(data["sample"]),
        "generated": len(data["entries"]),
        "generated_chinese": sum(e["lang"] == "zh" for e in entries),
        "topics": len({e["topic"] for e in entries}),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, help="generate the corpus here and keep it")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed (default 7)")
    parser.add_argument("--queries", type=Path, help="judged queries (default: the bundled set)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--verbose", action="store_true", help="top 5 per query on stderr")
    args = parser.parse_args(argv)
    queries = load_queries(args.queries) if args.queries else load_queries()
    root = args.workspace or Path(tempfile.mkdtemp(prefix="kb-relevance-"))
    engines: dict = {}
    try:
        generate(root, args.seed)
        summary = corpus_summary(root, args.seed)
        queries = current_judgments(queries, load_manifest(root)["entries"])
        engines["kb"] = KbEngine(root)
        engines["fts5"] = Fts5Peer(entry_texts(root))
        result = evaluate(queries, engines)
        summary["kb_index_seconds"] = round(engines["kb"].index_seconds, 2)
    except FileExistsError as exc:  # --workspace names a folder with someone else's docs
        parser.error(str(exc))
    finally:
        for engine in engines.values():
            engine.close()
        if not args.workspace:
            shutil.rmtree(root, ignore_errors=True)
    if args.verbose:
        print_tops(result["queries"], queries)
    if args.json:
        print(json.dumps({"corpus": summary, **result}, ensure_ascii=False, indent=1))
        return
    share = summary["generated_chinese"] / summary["generated"]
    print(
        f"# corpus: {summary['entries']} entries ({summary['sample']} sample, "
        f"{summary['generated']} generated from {summary['topics']} topics, {share:.0%} of "
        f"them Chinese), seed {args.seed}; {len(queries)} judged queries"
    )
    print(table(result["classes"]))


if __name__ == "__main__":
    main()
