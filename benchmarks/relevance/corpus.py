"""The relevance benchmark's corpus: the sample knowledge base plus 336 generated entries.

``generate(root, seed)`` writes a workspace (mkdocs.yml and docs/) holding a copy of the sample
knowledge base's entries and, for each of the 49 projects in ``projects.py``, a retrospective
and five lessons or risk cases, plus 42 SOPs: 336 generated entries of all four types and all
seven project types, 36 % of them in Chinese, numbered from 0101 so they never clash with the
sample. Every generated entry is about one topic of ``topics.py`` (a retrospective also covers
two more), worded from that topic's phrasings with per-entry synonyms, numbers and project
details, so entries on one topic do not share one rare word and entries on other topics share
the common ones (project, data, test, vendor); ``wording.py`` holds the common sentences.

What each entry is about is written to ``corpus.json`` next to docs/, never into the entries:
the judgments in ``queries.yml`` come from it. Same seed, same corpus, byte for byte.

    python -m benchmarks.relevance.corpus /tmp/relevance-kb
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

from .projects import ITEMS, OWNERS, PROJECTS, Project
from .topics import BY_KEY, TOPICS, Topic
from .wording import SOP_TEXT
from .writer import Writer, body, cost_text

SAMPLE_DOCS = Path(__file__).resolve().parents[2] / "docs"
ENTRY_DIRS = ("retrospectives", "lessons", "risks", "sops")
MANIFEST = "corpus.json"
FIRST_NUMBER = 101  # the sample knowledge base uses 0001-0009
LAST_DATE = dt.date(2026, 10, 31)

_ID = re.compile(r"^([A-Z]+-\d{4,})")

PHASES = ("planning", "executing", "monitoring-controlling")
RESPONSES = ("mitigate", "mitigate", "mitigate", "avoid", "transfer", "accept", "escalate")


def slugify(title: str, max_length: int = 60) -> str:
    """A file-name slug as `kb new` makes it, Chinese letters kept."""
    text = unicodedata.normalize("NFKC", title).lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    text = re.sub(r"[-_]{2,}", "-", text)[:max_length].rstrip("-_")
    while len(text.encode("utf-8")) > 120:
        text = text[:-1].rstrip("-_")
    return text or "untitled"


def _plain(text: str) -> bool:
    """True when YAML reads ``text`` back as the same string without quotes."""
    if not text or text != text.strip() or any(c in text for c in ":#[]{},\"'|>&*!%@`"):
        return False
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def _yaml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    text = str(value)
    return text if _plain(text) else json.dumps(text, ensure_ascii=False)  # JSON is YAML


def front_matter(meta: dict) -> str:
    """The YAML block of an entry, fields in the order given."""
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, dict):
            inner = ", ".join(f"{k}: {_yaml_value(v)}" for k, v in value.items())
            lines.append(f"{key}: {{{inner}}}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first = True
                for k, v in item.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {_yaml_value(v)}")
                    first = False
        else:
            lines.append(f"{key}: {_yaml_value(value)}")
    lines.append("---")
    return "\n".join(lines)


class _Plan:
    """Ids, topics and languages of every generated entry, decided before any text is written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.counters = dict.fromkeys(("RETRO", "LL", "RISK", "SOP"), FIRST_NUMBER)
        self.load: Counter[str] = Counter()

    def next_id(self, prefix: str) -> str:
        number = self.counters[prefix]
        self.counters[prefix] += 1
        return f"{prefix}-{number:04d}"

    def topics_for(self, project: Project) -> list[str]:
        """The headline topic and two more that fit the project, the least covered first."""
        chosen = [project.headline]
        candidates = [
            t
            for t in TOPICS
            if project.project_type in t.project_types and t.key != project.headline
        ]

        def need(t: Topic) -> float:
            affinity = t.zh_share if project.lang == "zh" else 1 - t.zh_share
            return (self.load[t.key] + 1) / max(affinity, 0.05) * self.rng.uniform(0.8, 1.25)

        chosen += [t.key for t in sorted(candidates, key=need)[:2]]
        return chosen

    def sop_topics(self) -> list[tuple[str, str]]:
        """(topic, language) of each SOP: one in the topic's usual language, balanced ones two."""
        plan = []
        for t in TOPICS:
            plan.append((t.key, "zh" if t.zh_share > 0.5 else "en"))
            if 0.25 < t.zh_share < 0.75:
                plan.append((t.key, "en" if t.zh_share > 0.5 else "zh"))
        return plan


def _dates(rng: random.Random) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """Kick-off, planned end, actual end and retrospective date of one project."""
    actual_end = dt.date(2021, 3, 1) + dt.timedelta(days=rng.randint(0, 2000))
    actual_end = min(actual_end, LAST_DATE - dt.timedelta(days=45))
    slip = rng.choice([0, 0, rng.randint(5, 30), rng.randint(20, 90)])
    planned_end = actual_end - dt.timedelta(days=slip)
    kickoff = planned_end - dt.timedelta(days=rng.randint(180, 540))
    retro = actual_end + dt.timedelta(days=rng.randint(7, 40))
    return kickoff, planned_end, actual_end, retro


def copy_sample(root: Path, source: Path = SAMPLE_DOCS) -> list[str]:
    """Copy the sample knowledge base's entry files (no index pages); return their ids."""
    ids = []
    for folder in ENTRY_DIRS:
        target = root / "docs" / folder
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((source / folder).glob("*.md")):
            if path.name.lower() in ("index.md", "readme.md"):
                continue
            shutil.copyfile(path, target / path.name)
            found = _ID.match(path.name)
            if found:
                ids.append(found.group(1))
    return ids


def _prepare(root: Path) -> None:
    """Make ``root`` ready for a fresh corpus; refuse a folder that holds someone else's docs."""
    docs = root / "docs"
    if docs.exists() and not (root / MANIFEST).exists():
        raise FileExistsError(
            f"{root} already has a docs/ folder that this generator did not write"
        )
    for folder in ENTRY_DIRS:
        shutil.rmtree(docs / folder, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)


def generate(root: Path, seed: int = 7) -> None:
    """Write the benchmark workspace under ``root``; corpus.json says what each entry is about."""
    from kb.scaffold import mkdocs_yml

    root = Path(root)
    _prepare(root)
    (root / "mkdocs.yml").write_text(mkdocs_yml("Relevance benchmark corpus", "en"), "utf-8")
    sample = copy_sample(root)
    entries = _Generator(root, random.Random(seed)).run()
    data = {"seed": seed, "sample": sorted(sample), "entries": dict(sorted(entries.items()))}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    (root / MANIFEST).write_text(text, encoding="utf-8")


def _item(rng: random.Random, project: Project) -> tuple[str, str, str]:
    items = ITEMS[project.project_type]
    if project.system_code == "plc":  # a PLC project's late hardware is usually its PLC
        return items[rng.choice((0, 0, 1))]
    return rng.choice(items)


class _Generator:
    """Writes the generated entries of one corpus and records what each is about."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.plan = _Plan(rng)
        self.writers = {lang: Writer(rng, lang) for lang in ("en", "zh")}
        self.manifest: dict[str, dict] = {}
        # SOP ids come first, so that lessons can cite the SOP they changed.
        self.sops = {(key, lang): self.plan.next_id("SOP") for key, lang in self.plan.sop_topics()}

    def run(self) -> dict[str, dict]:
        """Write every entry; return the manifest: id -> what the entry is about, and where."""
        for project in PROJECTS:
            self.project(project)
        for (key, lang), sop_id in self.sops.items():
            lessons = [
                i for i, m in self.manifest.items() if m["topic"] == key and m["type"] == "lesson"
            ]
            self.sop(sop_id, BY_KEY[key], lang, lessons)
        return self.manifest

    def _save(self, folder, etype, meta, sections, lang, topics, project, item) -> None:
        title, entry_id = meta["title"], meta["id"]
        rel = f"docs/{folder}/{entry_id}-{slugify(title)}.md"
        text = front_matter(meta) + "\n\n" + body(title, etype, lang, sections).rstrip() + "\n"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.manifest[entry_id] = {
            "type": etype,
            "lang": lang,
            "topic": topics[0],
            "also": list(topics[1:]),
            "project": project.name if project else "",
            "project_type": project.project_type if project else "",
            "system": project.system_code if project else "",
            "item": item[0] if item else "",
            "path": rel,
        }

    def project(self, project: Project) -> None:
        """A project's lessons and risk cases, then the retrospective that lists them."""
        rng, plan = self.rng, self.plan
        topics = plan.topics_for(project)
        per_topic = [topics[0], topics[0], topics[1], topics[rng.choice((1, 2))], topics[2]]
        dates = _dates(rng)
        retro_id = plan.next_id("RETRO")
        children = []
        for key in per_topic:
            etype = rng.choice(("lesson", "risk"))
            children.append((plan.next_id("LL" if etype == "lesson" else "RISK"), etype, key))
            plan.load[key] += 1
        plan.load[topics[0]] += 1
        for entry_id, etype, key in children:
            related = [c[0] for c in children if c[2] == key and c[0] != entry_id][:1]
            self.child(project, entry_id, etype, key, retro_id, dates[3], related)
        self.retrospective(project, retro_id, topics, [c[0] for c in children], dates)

    def child(self, project, entry_id, etype, key, retro_id, retro_date, related) -> None:
        """One lesson or risk case of a project, about one topic."""
        rng, lang = self.rng, project.lang
        writer = self.writers[lang]
        topic = BY_KEY[key]
        w = getattr(topic, lang)
        item = _item(rng, project)
        slots = writer.slots(project, item)
        delay, cost = int(slots["delay"]), rng.randrange(10, 300) * 1000
        slots["cost"] = cost_text(lang, cost, slots.money_unit)
        date = min(retro_date + dt.timedelta(days=rng.randint(1, 21)), LAST_DATE)
        meta: dict = {
            "id": entry_id,
            "type": etype,
            "title": "",
            "date": date,
            "owner": rng.choice(OWNERS[lang]),
            "status": rng.choice(["approved"] * 6 + ["in-review"]),
            "tags": [project.system_code, project.project_type],
            **({"related": related} if related else {}),
            "project": project.name,
        }
        if etype == "lesson":
            sop_id = self.sops.get((key, lang)) or next(
                v for (k, _), v in self.sops.items() if k == key
            )
            cites_sop = rng.random() < 0.4
            other = rng.choice([p.name for p in PROJECTS if p.lang == lang and p != project])
            evidence = writer.evidence(
                w, slots, sop_id if cites_sop else None, other, min(date.year + 1, 2026)
            )
            positive = rng.random() < 0.15
            meta["title"], sections = writer.lesson(
                w, slots, project.description, positive, evidence
            )
            meta.update(
                category=topic.lesson_category,
                phase=rng.choice(PHASES),
                impact="positive" if positive else "negative",
                source=retro_id,
                **({"sops": [sop_id]} if cites_sop else {}),
            )
        else:
            occurred = rng.random() < 0.65
            meta["title"], sections, trigger = writer.risk(w, slots, occurred)
            meta.update(
                category=topic.risk_category,
                probability=rng.randint(2, 5),
                impact=rng.randint(2, 5),
                trigger=trigger,
                response=rng.choice(RESPONSES),
                occurred=occurred,
                **({"schedule_impact_days": delay, "cost_impact": cost} if occurred else {}),
                risk_owner=rng.choice(OWNERS[lang]),
                source=retro_id,
            )
        folder = "lessons" if etype == "lesson" else "risks"
        self._save(folder, etype, meta, sections, lang, [key], project, item)

    def retrospective(self, project, retro_id, topics, children, dates) -> None:
        """A project's retrospective: mainly about its first topic, partly about the others."""
        rng, lang = self.rng, project.lang
        writer = self.writers[lang]
        kickoff, planned_end, actual_end, retro_date = dates
        item = _item(rng, project)
        slots = writer.slots(project, item)
        headline = writer.one(getattr(BY_KEY[topics[0]], lang).headlines, slots, capital=False)
        if rng.random() < 0.6:
            title = f"{project.name}: {headline}" if lang == "en" else f"{project.name}：{headline}"
        else:
            title = f"{project.name} retrospective" if lang == "en" else f"{project.name}复盘"
        planned = rng.randrange(300, 6000) * 1000
        actual = round(planned * (1 + rng.uniform(-0.05, 0.35)) / 1000) * 1000
        variance = (actual - planned) / planned * 100
        story = writer.retrospective_story(
            topics, slots, project.description, dates, headline, (actual, planned)
        )
        actions = []
        for key in topics:
            due = retro_date + dt.timedelta(days=rng.randint(30, 420))
            status = (
                "open" if due > dt.date(2026, 12, 31) else rng.choice(["done"] * 4 + ["dropped"])
            )
            action = writer.one(getattr(BY_KEY[key], lang).actions, slots)
            actions.append(
                {"action": action, "owner": rng.choice(OWNERS[lang]), "due": due, "status": status}
            )
        sections = writer.retrospective_sections(story, actions, children, slots)
        slip = (actual_end - planned_end).days
        meta = {
            "id": retro_id,
            "type": "retrospective",
            "title": title,
            "date": min(retro_date, LAST_DATE),
            "owner": rng.choice(OWNERS[lang]),
            "status": rng.choice(["approved"] * 6 + ["in-review"]),
            "tags": [project.system_code, project.project_type],
            "related": children,
            "project": project.name,
            "project_type": project.project_type,
            "phase": rng.choice(["whole-project"] * 4 + ["executing"]),
            "participants": rng.sample(OWNERS[lang], rng.randint(4, 6)),
            "outcome": "partially-succeeded" if slip > 45 or variance > 25 else "succeeded",
            "planned_end": planned_end,
            "actual_end": actual_end,
            "budget": {"planned": planned, "actual": actual, "currency": slots.money_unit},
            "root_causes": list(dict.fromkeys(BY_KEY[k].root_cause for k in topics)),
            "actions": actions,
        }
        self._save("retrospectives", "retrospective", meta, sections, lang, topics, project, item)

    def sop(self, sop_id: str, topic: Topic, lang: str, lessons: list[str]) -> None:
        """A PMO-wide SOP that prevents one topic's problem."""
        rng, writer = self.rng, self.writers[lang]
        system, legacy, partner, client, equipment = SOP_TEXT[lang]["generic"]
        generic = Project(
            "", topic.project_types[0], lang, "", system, legacy, partner, client, "", ""
        )
        slots = writer.slots(generic, ("", equipment, equipment))
        w = getattr(topic, lang)
        title = writer.one(w.sop_titles, slots)
        date = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randint(0, 600))
        effective = date + dt.timedelta(days=rng.randint(7, 21))
        version = rng.choice(["1.0", "1.0", "1.1"])
        revised = effective + dt.timedelta(days=rng.randint(60, 200)) if version == "1.1" else None
        cited = lessons[0] if lessons else "-"
        sections = writer.sop_sections(topic, slots, effective, revised, cited)
        meta = {
            "id": sop_id,
            "type": "sop",
            "title": title,
            "date": date,
            "owner": rng.choice(OWNERS[lang]),
            "status": "approved",
            "tags": ["pmo-standard"],
            **({"related": lessons[:3]} if lessons else {}),
            "version": version,
            "effective": effective,
            "review_due": effective + dt.timedelta(days=730),
        }
        self._save("sops", "sop", meta, sections, lang, [topic.key], None, None)


def load_manifest(root: Path) -> dict:
    """What ``generate`` wrote to corpus.json: the seed, the sample ids and each generated entry."""
    return json.loads((Path(root) / MANIFEST).read_text(encoding="utf-8"))


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit("usage: python -m benchmarks.relevance.corpus DIR [SEED]")
    root = Path(argv[0])
    try:
        generate(root, int(argv[1]) if len(argv) > 1 else 7)
    except FileExistsError as exc:
        raise SystemExit(str(exc)) from None
    data = load_manifest(root)
    entries = data["entries"]
    zh = sum(e["lang"] == "zh" for e in entries.values())
    print(
        f"wrote {len(entries)} generated entries ({zh} in Chinese) and "
        f"{len(data['sample'])} sample entries to {root}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
