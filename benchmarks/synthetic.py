"""A synthetic knowledge base for benchmarks: N realistic entries, reproducible from a seed.

``generate(root, n, seed)`` writes a workspace (mkdocs.yml and docs/) with entries of all four
types whose front matter passes `kb check`'s schema, bodies of 300 to 800 words drawn from a
Zipf-distributed vocabulary (a project-management core plus a long tail of rarer words), and
about one entry in ten in Chinese. Nothing here imports whoosh; the site benchmark reuses it.

    python benchmarks/synthetic.py /tmp/kb-1000 1000
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import sys
from pathlib import Path


def _split(text: str) -> list[str]:
    return text.split()


CORE_WORDS = _split("""
project plan schedule budget cost scope risk issue vendor supplier contract delivery milestone
requirement design test testing migration data master cleansing load rehearsal cut-over go-live
training user users key stakeholder sponsor steering committee change request approval review
quality defect defects acceptance factory site commissioning safety validation integration
interface system legacy erp crm wms plc sensor prototype firmware hardware software network
server switch outage downtime shutdown production line capacity resource resources team staff
consultant integrator handover knowledge documentation process procedure checklist template
estimate estimation forecast variance slip delay late early warning trigger response mitigate
escalate transfer accept avoid owner action actions lesson lessons recommendation evidence fix
worked failed succeeded root cause causes communication meeting weekly status report dashboard
customer requirements backlog sprint release deployment environment configuration performance
load volume records duplicates error errors rate success planning executing monitoring closing
procurement lead time order confirmation slot shortage freight overtime penalty damages clause
""")

CHINESE_WORDS = _split("""
项目 计划 进度 预算 成本 范围 风险 问题 供应商 合同 交付 里程碑 需求 设计 测试 数据 迁移 主数据
清洗 演练 上线 切换 培训 用户 关键用户 干系人 变更 审批 质量 缺陷 验收 工厂 现场 调试 安全 集成
接口 系统 仓库 库位 物料 拣货 手持终端 生产线 产能 资源 团队 顾问 交接 文档 流程 检查表 估算 延误
预警 信号 应对 措施 升级 负责人 行动 经验 教训 建议 证据 根本原因 沟通 周会 报告 客户 发布 部署
""")

PROJECTS = [
    ("ERP roll-out", "it-implementation"),
    ("Factory line 3 upgrade", "manufacturing"),
    ("CRM implementation for Northwind", "customer-implementation"),
    ("Battery sensor prototype", "r-and-d"),
    ("Data centre network refresh", "infrastructure"),
    ("华东仓储管理系统上线", "it-implementation"),
    ("Plant 2 MES roll-out", "it-implementation"),
    ("Warehouse automation", "engineering"),
]
TAGS = _split(
    "data-migration sap vendor-delay scope-creep training plc safety master-data cut-over "
    "key-person procurement fixed-price change-request testing performance network wms mes "
    "long-lead-items rehearsal integration 数据迁移 上线准备 供应商交付延迟"
)
KNOWLEDGE_AREAS = _split("integration scope schedule cost quality resource communications risk")
RISK_CATEGORIES = _split("technical requirements schedule cost resource vendor data stakeholder")
PHASES = _split("initiating planning executing monitoring-controlling closing")

TYPES = [  # (type, section folder, id prefix, share of entries)
    ("retrospective", "retrospectives", "RETRO", 0.15),
    ("lesson", "lessons", "LL", 0.40),
    ("risk", "risks", "RISK", 0.35),
    ("sop", "sops", "SOP", 0.10),
]

SECTIONS = {
    "retrospective": ["Summary", "Timeline", "What went well", "What went wrong", "Root causes"],
    "lesson": ["Driving event", "Lesson", "Recommendation", "Evidence the fix worked"],
    "risk": ["Risk description", "What happened", "Response", "Recommendation"],
    "sop": ["Purpose", "Scope", "Roles", "Procedure", "Records"],
}


def _long_tail(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up words: the rare vocabulary of a real knowledge base."""
    onsets = _split("b c d f g h k l m n p r s t v w z br cr dr fl gr pl pr st tr")
    vowels = _split("a e i o u ai ea io ou")
    codas = ["", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"]
    words: set[str] = set()
    while len(words) < count:
        syllables = rng.randint(2, 3)
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
            + rng.choice(codas)
        )
    return sorted(words)


class _Zipf:
    """Draws words with probability proportional to 1 / rank (Zipf's law, s = 1)."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        self.cumulative = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(words))))

    def draw(self) -> str:
        x = self.rng.random() * self.cumulative[-1]
        return self.words[bisect.bisect_left(self.cumulative, x)]


def _sentence(zipf: _Zipf, rng: random.Random, chinese: bool) -> str:
    words = [zipf.draw() for _ in range(rng.randint(6, 16))]
    if chinese:
        return "".join(words) + "。"
    return " ".join(words).capitalize() + "."


def _body(title: str, etype: str, zipf: _Zipf, rng: random.Random, chinese: bool) -> str:
    target = rng.randint(300, 800)
    lines = [f"# {title}", ""]
    words = 0
    sections = SECTIONS[etype]
    per_section = target // len(sections) + 1
    for heading in sections:
        lines += [f"## {heading}", ""]
        written = 0
        paragraph: list[str] = []
        while written < per_section:
            sentence = _sentence(zipf, rng, chinese)
            paragraph.append(sentence)
            written += len(sentence.split()) if not chinese else len(sentence) // 2
            if len(paragraph) == 4:
                lines += [("" if chinese else " ").join(paragraph), ""]
                paragraph = []
        if paragraph:
            lines += [("" if chinese else " ").join(paragraph), ""]
        words += written
    return "\n".join(lines)


def _yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _front_matter(meta: dict) -> str:
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_yaml_value(v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {_yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines)


def _meta(etype: str, entry_id: str, title: str, rng: random.Random, chinese: bool) -> dict:
    project, project_type = rng.choice(PROJECTS)
    date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2400))
    meta: dict = {
        "id": entry_id,
        "type": etype,
        "title": title,
        "date": date,
        "owner": rng.choice(["Anna Schmidt", "Li Wei", "Ewa Nowak", "Tom Berg", "王磊"]),
        "status": rng.choice(["approved"] * 4 + ["draft", "in-review", "superseded"]),
        "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 4)))),
        "project": project,
    }
    if etype == "retrospective":
        meta.update(
            project_type=project_type,
            phase="whole-project",
            outcome=rng.choice(["succeeded", "partially-succeeded", "failed"]),
            planned_end=date,
            actual_end=date + dt.timedelta(days=rng.randint(0, 90)),
        )
    elif etype == "lesson":
        meta.update(
            category=rng.choice(KNOWLEDGE_AREAS),
            phase=rng.choice(PHASES),
            impact=rng.choice(["positive", "negative"]),
        )
    elif etype == "risk":
        meta.update(
            category=rng.choice(RISK_CATEGORIES),
            probability=rng.randint(1, 5),
            impact=rng.randint(1, 5),
            trigger="早期预警信号出现"
            if chinese
            else "Early warning signs were visible weeks ahead",
            response=rng.choice(["avoid", "mitigate", "transfer", "accept", "escalate"]),
            occurred=rng.random() < 0.5,
        )
    else:
        meta.update(
            version=f"1.{rng.randint(0, 9)}",
            effective=date,
            review_due=date + dt.timedelta(days=365),
        )
    return meta


MKDOCS_YML = """site_name: Synthetic KB
docs_dir: docs
theme:
  name: material
plugins:
  - search
"""


def generate(root: Path, n: int, seed: int = 1) -> list[Path]:
    """Write a workspace of ``n`` entries under ``root``; return the entry files, in order."""
    rng = random.Random(seed)
    root = Path(root)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    if not (root / "mkdocs.yml").exists():
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    english = _Zipf(CORE_WORDS + _long_tail(rng, 20_000), rng)
    chinese = _Zipf(CHINESE_WORDS, rng)
    counters = dict.fromkeys((t[0] for t in TYPES), 0)
    shares = list(itertools.accumulate(t[3] for t in TYPES))
    paths = []
    for i in range(n):
        etype, folder, prefix, _ = TYPES[bisect.bisect_left(shares, (i % 100 + 0.5) / 100)]
        counters[etype] += 1
        entry_id = f"{prefix}-{counters[etype]:04d}"
        is_zh = rng.random() < 0.1
        zipf = chinese if is_zh else english
        title_words = [zipf.draw() for _ in range(rng.randint(3, 7))]
        title = ("".join(title_words) if is_zh else " ".join(title_words).capitalize())[:80]
        meta = _meta(etype, entry_id, title, rng, is_zh)
        text = _front_matter(meta) + "\n\n" + _body(title, etype, zipf, rng, is_zh)
        path = root / "docs" / folder / f"{entry_id}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    target = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    generate(target, count, int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    print(f"wrote {count} entries to {target}")
