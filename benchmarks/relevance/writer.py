"""Composes the sections of generated entries from a topic's wordings and a project's details.

``Writer`` draws, for one entry, which phrasings of its topic to use and which synonym fills
each slot (``Slots``), and puts them together under the section headings of ``wording.py``.
Every choice comes from the generator's seeded random source, so the text is reproducible.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from .projects import GO_LIVE, SERVICE_PROJECTS, SYNONYMS, VENDORS, Project
from .topics import BY_KEY, Topic, Wording
from .wording import (
    EVIDENCE,
    EVIDENCE_SOP,
    FILLER,
    HEADINGS,
    IMPACT,
    NOT_OCCURRED,
    POSITIVE,
    PROJECT_TYPE_LABEL,
    ROOT_CAUSE_LABEL,
    SOP_TEXT,
    WENT_WELL,
)

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


class Slots(dict):
    """The slot values of one entry; numbers are drawn anew at each use, the rest fixed."""

    def __init__(self, rng: random.Random, lang: str, money_unit: str, **fixed: str) -> None:
        super().__init__(fixed)
        self.rng = rng
        self.lang = lang
        self.money_unit = money_unit

    def __missing__(self, key: str) -> str:
        draw = {
            "n": lambda: self.rng.randint(3, 24),
            "pct": lambda: self.rng.randint(8, 45),
            "money": lambda: money(self.rng, self.lang, self.money_unit),
        }.get(key)
        if draw is None:
            raise KeyError(key)
        return str(draw())


def money(rng: random.Random, lang: str, unit: str) -> str:
    """An amount as a PM would write it: "EUR 84,000" or "18 万元"."""
    if lang == "zh":
        return f"{rng.randint(3, 90)} 万元"
    return f"{unit} {rng.randrange(20, 400) * 1000:,}"


def cost_text(lang: str, cost: int, unit: str) -> str:
    """An amount as the entry's language writes it: "EUR 84,000" or "8 万元"."""
    return f"{cost // 10000} 万元" if lang == "zh" else f"{unit} {cost:,}"


def body(title: str, etype: str, lang: str, sections: list[str]) -> str:
    """The markdown after the front matter: the title, then each section under its heading."""
    parts = [f"# {title}"]
    for heading, text in zip(HEADINGS[etype][lang], sections, strict=True):
        parts += [f"## {heading}", text]
    return "\n\n".join(parts)


class Writer:
    """Composes the sections of one language's entries from topic wordings and project details."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang
        self.sep = "" if lang == "zh" else " "

    def slots(self, project: Project, item: tuple[str, str, str]) -> Slots:
        """One entry's words: a synonym for each slot, its project's names, its delay."""
        rng, lang = self.rng, self.lang
        synonyms = {k: rng.choice(v) for k, v in SYNONYMS[lang].items()}
        kind = "services" if project.project_type in SERVICE_PROJECTS else "equipment"
        unit = "CNY" if lang == "zh" else ("EUR", "USD")[len(project.name) % 2]
        delay = rng.randint(6, 60)  # one delay per entry, so its figures agree
        return Slots(
            rng,
            lang,
            unit,
            **synonyms,
            vendor=rng.choice(VENDORS[lang][kind]),
            delay=str(delay),
            days=str(delay),
            weeks=str(max(2, round(delay / 7))),
            golive=rng.choice(GO_LIVE[lang][project.project_type]),
            system=project.system,
            legacy=project.legacy,
            partner=project.partner,
            client=project.client,
            item=item[1] if lang == "en" else item[2],
        )

    def fill(self, text: str, slots: Slots, capital: bool = False) -> str:
        text = text.format_map(slots)
        if self.lang == "zh":  # a slot's Chinese words need no space around them
            text = _CJK_SPACE.sub("", text)
        return text[:1].upper() + text[1:] if capital else text

    def pick(self, texts: tuple[str, ...], slots: Slots, k: int = 1) -> list[str]:
        return [self.fill(t, slots, capital=True) for t in self.rng.sample(list(texts), k)]

    def one(self, texts, slots: Slots, capital: bool = True) -> str:
        return self.fill(self.rng.choice(list(texts)), slots, capital)

    def join(self, sentences: list[str]) -> str:
        return self.sep.join(sentences)

    @staticmethod
    def checklist(actions: list[str]) -> str:
        return "\n".join(f"- [ ] {a}" for a in actions)

    def evidence(self, w: Wording, slots: Slots, sop_id: str | None, other: str, year: int):
        if sop_id:
            return EVIDENCE_SOP[self.lang].format(sop=sop_id)
        noun = self.one(w.nouns, slots, capital=False)
        return self.rng.choice(EVIDENCE[self.lang]).format(other=other, year=year, noun=noun)

    def lesson(self, w: Wording, slots: Slots, description: str, positive: bool, evidence: str):
        """Title and sections of a lesson learned."""
        if positive:  # what was done right, and what it gave
            event = [
                description,
                *self.pick(w.responses, slots),
                self.one(POSITIVE[self.lang], slots),
            ]
        else:
            event = [
                description,
                *self.pick(w.events, slots, 2),
                self.one(IMPACT[self.lang], slots),
            ]
        lesson = self.pick(w.insights, slots, self.rng.randint(1, 2)) + self.pick(w.causes, slots)
        sections = [
            self.join(event),
            self.join(lesson),
            self.checklist(self.pick(w.actions, slots, 3)),
            evidence,
        ]
        return self.one(w.lesson_titles, slots), sections

    def risk(self, w: Wording, slots: Slots, occurred: bool):
        """Title, sections and early warning signs of a risk case."""
        if occurred:
            happened = ["The risk occurred." if self.lang == "en" else "风险发生了。"]
            happened += self.pick(w.events, slots) + [self.one(IMPACT[self.lang], slots)]
        else:
            happened = [
                self.one(NOT_OCCURRED[self.lang], slots),
                self.rng.choice(FILLER[self.lang]),
            ]
        sections = [
            self.one(w.risks, slots),
            self.join(happened),
            self.join(self.pick(w.responses, slots) + [self.rng.choice(FILLER[self.lang])]),
            self.checklist(self.pick(w.actions, slots, 3)),
        ]
        return self.one(w.risk_titles, slots), sections, self.one(w.triggers, slots)

    def retrospective_story(self, topics, slots, description, dates, headline, costs):
        """Summary, timeline, what went wrong and root causes of a retrospective."""
        kickoff, planned_end, actual_end, _ = dates
        words = [getattr(BY_KEY[k], self.lang) for k in topics]
        golive = slots["golive"]
        slip = (actual_end - planned_end).days
        variance = (costs[0] - costs[1]) / costs[1] * 100
        actual, planned = (cost_text(self.lang, c, slots.money_unit) for c in costs)
        nouns = [self.one(w.nouns, slots, capital=False) for w in words[:2]]
        span = (actual_end - kickoff).days
        d1, d2, d3 = (kickoff + dt.timedelta(days=span * f // 100) for f in (35, 60, 80))
        if self.lang == "en":
            when = (
                f"{slip} days after the baseline of {planned_end}"
                if slip
                else "on the planned date"
            )
            summary = [
                description,
                f"The {golive} took place on {actual_end}, {when}, and the cost came in at "
                f"{actual} against {planned} planned ({variance:+.1f} %).",
                f"Most of the trouble came from {nouns[0]}; {nouns[1]} also cost time.",
                self.one(words[0].insights, slots),
            ]
            timeline = [
                f"- {kickoff}: kick-off; baseline {golive} on {planned_end}.",
                f"- {d1}: {headline}.",
                f"- {d2}: {self.one(words[1].headlines, slots, False)}.",
                *([f"- {d3}: the steering committee approved a new plan."] if slip else []),
                f"- {actual_end}: {golive}.",
            ]
        else:
            when = f"完成，比计划（{planned_end}）晚 {slip} 天" if slip else "按计划完成"
            summary = [
                description,
                f"{golive}于 {actual_end} {when}；实际成本 {actual}，预算 {planned}"
                f"（{variance:+.1f}%）。",
                f"主要问题来自{nouns[0]}，{nouns[1]}也耽误了时间。",
                self.one(words[0].insights, slots),
            ]
            timeline = [
                f"- {kickoff}：项目启动，计划 {planned_end} {golive}。",
                f"- {d1}：{headline}。",
                f"- {d2}：{self.one(words[1].headlines, slots, False)}。",
                *([f"- {d3}：指导委员会批准调整后的计划。"] if slip else []),
                f"- {actual_end}：{golive}。",
            ]
        went_wrong = self.pick(words[0].events, slots, 2)
        went_wrong += [self.one(w.events, slots) for w in words[1:]]
        colon, labels = (": " if self.lang == "en" else "："), ROOT_CAUSE_LABEL[self.lang]
        causes = [
            f"- **{labels[BY_KEY[k].root_cause]}**{colon}{self.one(w.causes, slots)}"
            for k, w in zip(topics, words, strict=True)
        ]
        return {
            "summary": self.join(summary),
            "timeline": "\n".join(timeline),
            "went_wrong": "\n".join(f"- {s}" for s in went_wrong),
            "causes": "\n".join(causes),
        }

    def retrospective_sections(self, story, actions, children, slots) -> list[str]:
        """The six sections of a retrospective, in the schema's order."""
        done = sum(a["status"] == "done" for a in actions)
        still_open = sum(a["status"] == "open" for a in actions)
        if self.lang == "en":
            closing = (
                f"{len(actions)} action items in the front matter: {done} done, {still_open} "
                f"open. The lessons and risk cases from this review are {', '.join(children)}."
            )
        else:
            closing = (
                f"改进行动见前置元数据：{done} 项已完成，{still_open} 项进行中。"
                f"本次复盘形成的经验教训和风险案例见 {'、'.join(children)}。"
            )
        went_well = "\n".join(f"- {s}" for s in self.pick(WENT_WELL[self.lang], slots, 3))
        return [
            story["summary"],
            story["timeline"],
            went_well,
            story["went_wrong"],
            story["causes"],
            closing,
        ]

    def sop_sections(self, topic: Topic, slots, effective, revised, cited) -> list[str]:
        """The six sections of an SOP whose procedure is the topic's recommended actions."""
        text, w = SOP_TEXT[self.lang], getattr(topic, self.lang)
        labels = [PROJECT_TYPE_LABEL[self.lang][t] for t in topic.project_types]
        types = labels[0]
        if len(labels) > 1:
            types = text["list"].join(labels[:-1]) + text["and"] + labels[-1]
        if self.lang == "en" and len(labels) == len(PROJECT_TYPE_LABEL["en"]):
            types = "our"
        steps = [text["first"], *[self.fill(a, slots) for a in w.actions], text["last"]]
        revisions = [text["revisions"], f"| 1.0 | {effective} | {text['changes'][0]} | {cited} |"]
        if revised:
            revisions.append(f"| 1.1 | {revised} | {text['changes'][1]} | {cited} |")
        noun = self.one(w.nouns, slots, False)
        purpose = text["purpose"].format(noun=noun, golive=slots["golive"])
        return [
            self.join([purpose, self.one(w.insights, slots)]),
            text["scope"].format(types=types),
            text["roles"],
            "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)),
            text["records"],
            "\n".join(revisions),
        ]
