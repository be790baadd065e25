"""Which Chinese analyzer? kb's CJK bigrams against jieba's Whoosh analyzer, on real entries.

    pip install jieba          # only for this measurement; kb does not depend on it
    /tmp/venv0/bin/python benchmarks/chinese_analyzer.py [WORKSPACE]

Corpus: the entries of WORKSPACE (default: this repository's sample) with more than 50 Chinese
characters, plus a few fixtures below. Queries: up to 400 Chinese strings of 2 to 4 characters
taken from those entries (seeded sample). The truth for a query is the set of entries whose text
contains it. For each analyzer and each way of asking (the word as typed, and in quotes) it
prints how many queries found every entry that contains the string (recall) and how many found
only those (precision), plus import and indexing time.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIXTURES = [
    "数据迁移前必须完成库位主数据清洗。第一次迁移测试才发现大量问题。",
    "上线前按岗位开展实操培训，仓库员工用真机练习，扫错库位的问题减少。",
    "供应商交付延迟：手持终端到货晚了三周，验收测试被压缩。",
    "SAP 接口测试要提前安排，mock load 的成功率低于 95% 时升级。",
]
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def corpus(root: Path) -> list[str]:
    from kb.config import load_workspace
    from kb.entry import strip_comments
    from kb.store import load_entries

    texts = []
    for entry in load_entries(load_workspace(root=root)).entries:
        text = entry.title + "\n" + strip_comments(entry.body)
        if len(re.findall(r"[\u4e00-\u9fff]", text)) > 50:
            texts.append(text)
    return texts + FIXTURES


def queries(texts: list[str], limit: int = 400) -> list[str]:
    found = set()
    for text in texts:
        for run in CJK_RUN.findall(text):
            for n in (2, 3, 4):
                found.update(run[i : i + n] for i in range(len(run) - n + 1))
    ordered = sorted(found)
    random.Random(1).shuffle(ordered)
    return ordered[:limit]


def measure(name, analyzer, texts, qs, phrase_multitoken, prepare=None, ask=None):
    """Index ``texts`` with ``analyzer`` (after ``prepare``), ask each query (after ``ask``)."""
    from whoosh import fields, qparser

    prepare = prepare or (lambda text: text)
    from whoosh.filedb.filestore import RamStorage

    schema = fields.Schema(n=fields.ID(stored=True), body=fields.TEXT(analyzer=analyzer))
    if phrase_multitoken:
        schema["body"].multitoken_query = "phrase"
    ix = RamStorage().create_index(schema)
    started = time.perf_counter()
    with ix.writer() as w:
        for i, text in enumerate(texts):
            w.add_document(n=str(i), body=prepare(text))
    index_ms = (time.perf_counter() - started) * 1000
    parser = qparser.QueryParser("body", schema)
    rows = {}
    with ix.searcher() as s:
        for how, fmt in (("as typed", "{}"), ("quoted", '"{}"')):
            recall = precision = 0
            for q in qs:
                truth = {str(i) for i, t in enumerate(texts) if q in t}
                parsed = parser.parse(ask(q) if ask else fmt.format(q))
                got = {hit["n"] for hit in s.search(parsed, limit=None)}
                recall += truth <= got
                precision += got <= truth
            rows[how] = (recall, precision)
    return name, index_ms, rows


def import_seconds(statement: str) -> float:
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    return min(runs)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent
    from whoosh.analysis import SpaceSeparatedTokenizer

    from kb.search.analysis import index_text, terms_of

    texts = corpus(root)
    qs = queries(texts)
    # kb indexes its own analysis as space-separated terms; a Chinese word is the phrase of its
    # bigrams, typed or quoted (what kb.search.query builds)
    results = [
        measure(
            "kb CJK bigrams",
            SpaceSeparatedTokenizer(),
            texts,
            qs,
            False,
            prepare=index_text,
            ask=lambda q: '"' + " ".join(terms_of(q)) + '"',
        )
    ]
    try:
        import logging

        import jieba
        from jieba.analyse import ChineseAnalyzer

        jieba.setLogLevel(logging.WARNING)
        results.append(measure("jieba ChineseAnalyzer", ChineseAnalyzer(), texts, qs, False))
        jieba_import = import_seconds("import jieba.analyse; import jieba; jieba.initialize()")
    except ImportError:
        jieba_import = None
    base = import_seconds("pass")
    kb_import = import_seconds("import kb.search") - base
    print(f"corpus: {len(texts)} entries, {sum(map(len, texts)):,} characters; {len(qs)} queries")
    print(
        "| analyzer | found all (as typed) | only true (as typed) | found all (quoted) "
        "| only true (quoted) | index ms |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, index_ms, rows in results:
        (r1, p1), (r2, p2) = rows["as typed"], rows["quoted"]
        print(
            f"| {name} | {r1}/{len(qs)} | {p1}/{len(qs)} | {r2}/{len(qs)} | {p2}/{len(qs)} "
            f"| {index_ms:.0f} |"
        )
    print(f"import kb.search: {kb_import:.3f} s over a bare interpreter")
    if jieba_import is not None:
        print(f"import jieba and load its dictionary: {jieba_import - base:.3f} s")


if __name__ == "__main__":
    main()
