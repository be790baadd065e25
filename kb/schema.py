"""Entry types, their fields and allowed values: the one declarative schema.

`kb new` prompts from it, `kb check` validates against it, the search index and the site read
their fields from it. An organization extends it from mkdocs.yml (see ``Schema.customized``)
without touching code. ``validate_fields`` returns problems and never prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb import i18n
from kb.fields import (
    ACTION_STATUSES,
    FieldIssue,
    Kind,
    about,
    closest,
    kind_of,
    say,
    shown_choice,
    spoken,
)

__all__ = ["ACTION_STATUSES", "FieldIssue", "closest"]  # re-exported for the layers above

# Kinds of field value. Kept as plain strings so a field table reads like documentation.
TEXT = "text"  # a single-line string
LONGTEXT = "longtext"  # a string that may span lines
INT = "int"
NUMBER = "number"
DATE = "date"
BOOL = "bool"
CHOICE = "choice"  # one of ``choices``
CHOICES = "choices"  # a list, each one of ``choices``
LIST = "list"  # a list of strings
REF = "ref"  # one entry id
REFS = "refs"  # a list of entry ids
BUDGET = "budget"  # {planned, actual, currency}
ACTIONS = "actions"  # [{action, owner, due, status}], + id, done, note, verified, evidence, reason

STATUSES = ("draft", "in-review", "approved", "superseded", "retired")
PROJECT_TYPES = (
    "it-implementation",
    "manufacturing",
    "engineering",
    "r-and-d",
    "customer-implementation",
    "infrastructure",
    "organizational-change",
)
OUTCOMES = ("succeeded", "partially-succeeded", "failed", "cancelled")
KNOWLEDGE_AREAS = (
    "integration",
    "scope",
    "schedule",
    "cost",
    "quality",
    "resource",
    "communications",
    "risk",
    "procurement",
    "stakeholder",
)
PHASES = ("initiating", "planning", "executing", "monitoring-controlling", "closing")
RETRO_PHASES = (*PHASES, "whole-project")
ROOT_CAUSES = (
    "requirements",
    "estimation",
    "planning",
    "resourcing",
    "skills",
    "vendor",
    "technical",
    "data",
    "communication",
    "stakeholder",
    "governance",
    "quality",
    "external",
)
RISK_CATEGORIES = (
    "technical",
    "requirements",
    "schedule",
    "cost",
    "resource",
    "vendor",
    "data",
    "stakeholder",
    "quality",
    "regulatory",
    "safety",
    "external",
)
THREAT_RESPONSES = ("avoid", "mitigate", "transfer", "accept", "escalate")
OPPORTUNITY_RESPONSES = ("exploit", "share", "enhance")


@dataclass(frozen=True)
class Field:
    """One front-matter field of an entry type."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    hint_key: str = ""  # the hint a prompt shows: hint.field.<hint_key> in kb/locale
    prompt: bool = False  # asked for by `kb new` even when optional
    ref_type: str = ""  # for references: the entry type the id must name, if only one

    def label(self, lang: str = "en") -> str:
        """The field's name as people read it in ``lang`` (kb/locale); a workspace's own field,
        which has no catalog entry, reads as its name in title case."""
        words = " ".join(w.capitalize() for w in self.name.split("_"))
        return i18n.text(f"field.{self.name}", lang, default=words)

    def hint(self, lang: str = "en") -> str:
        """What a prompt says of the field in ``lang``, beside its label; empty for none."""
        return i18n.text(f"hint.field.{self.hint_key}", lang) if self.hint_key else ""

    @property
    def model(self) -> Kind:
        """What the field's kind means: reading, checking, showing its values (kb.fields)."""
        return kind_of(self.kind)

    @property
    def is_list(self) -> bool:
        """True for fields whose value is a YAML list."""
        return self.model.is_list


@dataclass(frozen=True)
class Section:
    """A body section a template writes and readers (brief, site) look for."""

    key: str

    def heading(self, lang: str = "en") -> str:
        """The heading in ``lang`` (kb/locale)."""
        return i18n.text(f"section.{self.key}", lang)

    def headings(self) -> tuple[str, ...]:
        """The heading in every language, for matching."""
        return tuple(self.heading(lang) for lang in i18n.LANGUAGES)


@dataclass(frozen=True)
class EntryType:
    """An entry type: retrospective, lesson, risk case or SOP."""

    name: str
    prefix: str
    section_dir: str
    aliases: tuple[str, ...]
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The type's name as people read it in ``lang`` (kb/locale)."""
        return i18n.text(f"type.{self.name}", lang)

    def field(self, name: str) -> Field | None:
        """The field called ``name``, or None."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    @property
    def required(self) -> list[Field]:
        """Fields that must be present."""
        return [f for f in self.fields if f.required]

    @property
    def reference_fields(self) -> list[Field]:
        """Fields whose values are ids of other entries (``id`` itself excluded)."""
        return [f for f in self.fields if f.model.is_reference and f.name != "id"]


COMMON_FIELDS = (
    Field("id", REF, required=True, hint_key="id"),
    Field("type", CHOICE, required=True, hint_key="type"),
    Field("title", TEXT, required=True, hint_key="title"),
    Field("date", DATE, required=True, hint_key="date"),
    Field("owner", TEXT, required=True, hint_key="owner"),
    Field("status", CHOICE, required=True, choices=STATUSES, hint_key="status"),
    Field("updated", DATE, hint_key="updated"),
    Field("tags", LIST, hint_key="tags"),
    Field("related", REFS, hint_key="related"),
    Field("project", TEXT, hint_key="project"),
)

# Lessons and risk cases both point back at the retrospective that produced them.
SOURCE_FIELD = Field(
    "source",
    REF,
    prompt=True,
    ref_type="retrospective",
    hint_key="source",
)

BUILTIN_TYPES: tuple[EntryType, ...] = (
    EntryType(
        name="retrospective",
        prefix="RETRO",
        section_dir="retrospectives",
        aliases=("retro", "post-mortem", "postmortem", "pm"),
        fields=(
            *COMMON_FIELDS[:-1],
            Field("project", TEXT, required=True, hint_key="project_reviewed"),
            Field("project_type", CHOICE, required=True, choices=PROJECT_TYPES),
            Field("phase", CHOICE, required=True, choices=RETRO_PHASES, hint_key="phase_reviewed"),
            Field("participants", LIST, hint_key="participants"),
            Field("outcome", CHOICE, required=True, choices=OUTCOMES),
            Field("planned_end", DATE, prompt=True, hint_key="planned_end"),
            Field("actual_end", DATE, prompt=True, hint_key="actual_end"),
            Field("budget", BUDGET, hint_key="budget"),
            Field("root_causes", CHOICES, choices=ROOT_CAUSES, hint_key="root_causes"),
            Field("actions", ACTIONS, hint_key="actions"),
        ),
        sections=(
            Section("summary"),
            Section("timeline"),
            Section("went_well"),
            Section("went_wrong"),
            Section("root_causes"),
            Section("actions"),
        ),
    ),
    EntryType(
        name="lesson",
        prefix="LL",
        section_dir="lessons",
        aliases=("ll", "lessons", "lesson-learned"),
        fields=(
            *COMMON_FIELDS,
            Field(
                "category",
                CHOICE,
                required=True,
                choices=KNOWLEDGE_AREAS,
                hint_key="knowledge_area",
            ),
            Field("phase", CHOICE, required=True, choices=PHASES, hint_key="phase"),
            Field("impact", CHOICE, required=True, choices=("positive", "negative")),
            SOURCE_FIELD,
            Field("sops", REFS, ref_type="sop", hint_key="sops"),
        ),
        sections=(
            Section("driving_event"),
            Section("lesson"),
            Section("recommendation"),
            Section("evidence"),
        ),
    ),
    EntryType(
        name="risk",
        prefix="RISK",
        section_dir="risks",
        aliases=("risk-case", "riskcase", "rc"),
        fields=(
            *COMMON_FIELDS,
            Field("category", CHOICE, required=True, choices=RISK_CATEGORIES),
            Field("kind", CHOICE, choices=("threat", "opportunity"), hint_key="kind"),
            Field("probability", INT, required=True, minimum=1, maximum=5, hint_key="probability"),
            Field("impact", INT, required=True, minimum=1, maximum=5, hint_key="impact_score"),
            Field("trigger", LONGTEXT, required=True, hint_key="trigger"),
            Field(
                "response", CHOICE, required=True, choices=THREAT_RESPONSES + OPPORTUNITY_RESPONSES
            ),
            Field("occurred", BOOL, required=True, hint_key="occurred"),
            Field("schedule_impact_days", INT, minimum=0, hint_key="schedule_impact_days"),
            Field("cost_impact", NUMBER, hint_key="cost_impact"),
            Field("risk_owner", TEXT, hint_key="risk_owner"),
            SOURCE_FIELD,
        ),
        sections=(
            Section("description"),
            Section("what_happened"),
            Section("response"),
            Section("recommendation"),
        ),
    ),
    EntryType(
        name="sop",
        prefix="SOP",
        section_dir="sops",
        aliases=("procedure", "standard-operating-procedure"),
        fields=(
            *COMMON_FIELDS,
            Field("version", TEXT, required=True, hint_key="version"),
            Field("effective", DATE, required=True, hint_key="effective"),
            Field("review_due", DATE, required=True, hint_key="review_due"),
            Field("supersedes", REF, ref_type="sop", hint_key="supersedes"),
        ),
        sections=(
            Section("purpose"),
            Section("scope"),
            Section("roles"),
            Section("procedure"),
            Section("records"),
            Section("revisions"),
        ),
    ),
)


@dataclass(frozen=True)
class Schema:
    """The entry types in force for one workspace."""

    types: tuple[EntryType, ...] = BUILTIN_TYPES

    def names(self) -> list[str]:
        """Canonical type names."""
        return [t.name for t in self.types]

    def get(self, name: str) -> EntryType | None:
        """The type for a canonical name, an alias or its label in any language (``经验教训``),
        any case; None for none."""
        key = (name or "").strip().lower()
        for t in self.types:
            if key == t.name or key in t.aliases:
                return t
        for t in self.types:
            if any(key == label.casefold() for label in i18n.labels(f"type.{t.name}")):
                return t
        return None

    def reference_field_names(self) -> list[str]:
        """Names of every field, in any type, whose values are ids of other entries."""
        return sorted({f.name for t in self.types for f in t.reference_fields})

    def by_prefix(self, entry_id: str) -> EntryType | None:
        """The type whose id prefix ``entry_id`` carries."""
        prefix = entry_id.rsplit("-", 1)[0]
        for t in self.types:
            if t.prefix == prefix:
                return t
        return None

    def customized(
        self,
        *,
        prefixes: Mapping[str, str] | None = None,
        allowed_values: Mapping[str, Iterable[str]] | None = None,
        required_fields: Mapping[str, Iterable[str]] | None = None,
        extra_fields: Mapping[str, Iterable[str]] | None = None,
    ) -> Schema:
        """A copy with an organization's id prefixes, extra allowed values, required fields and
        extra (optional, text) fields."""
        prefixes = prefixes or {}
        allowed_values = allowed_values or {}
        required_fields = required_fields or {}
        extra_fields = extra_fields or {}
        new_types = []
        for t in self.types:
            fields = []
            required = set(required_fields.get(t.name, ()))
            for f in t.fields:
                extra = tuple(v for v in allowed_values.get(f.name, ()) if v not in f.choices)
                if f.choices and extra:
                    f = dataclasses.replace(f, choices=f.choices + extra)
                if f.name in required:
                    f = dataclasses.replace(f, required=True)
                fields.append(f)
            known = {f.name for f in fields}
            for name in sorted(required - known):
                fields.append(Field(name, TEXT, required=True, hint_key="workspace_required"))
            known |= required
            for name in dict.fromkeys(extra_fields.get(t.name, ())):
                if name not in known:
                    fields.append(Field(name, LONGTEXT, hint_key="workspace_field"))
            new_types.append(
                dataclasses.replace(t, prefix=prefixes.get(t.name, t.prefix), fields=tuple(fields))
            )
        return Schema(types=tuple(new_types))


def risk_score(probability: object, impact: object) -> int | None:
    """Probability x impact, or None when either is not a number."""
    if isinstance(probability, int) and isinstance(impact, int):
        return probability * impact
    return None


def as_date(value: object) -> dt.date | None:
    """A date from a YAML date or an ISO string; None when it is neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def check_value(f: Field, value: object) -> list[FieldIssue]:
    """Problems with one field's value as stored in front matter; empty when it is valid."""
    return f.model.check(f, value)


def validate_fields(etype: EntryType, meta: Mapping[str, object]) -> list[FieldIssue]:
    """Every schema problem in one entry's front matter (references are checked elsewhere)."""
    issues: list[FieldIssue] = []
    for f in etype.fields:
        if f.name not in meta:
            if f.required:
                msg = about(f.name) + say("required_missing")
                issues.append(FieldIssue(f.name, msg, code="missing"))
            continue
        if f.name == "type":
            continue
        issues.extend(check_value(f, meta[f.name]))
    issues.extend(unknown_field_issues(etype, meta))
    if etype.name == "risk":
        issues.extend(_risk_consistency(meta))
    return issues


# Keys MkDocs and Material read from a page's front matter: not kb fields, but not unknown.
PAGE_KEYS = frozenset({"hide", "template", "description", "icon", "subtitle", "search", "comments"})


def unknown_field(etype: EntryType, name: str) -> str:
    """The message for a field ``etype`` does not have, with the nearest one it has (in the
    language spoken, ``kb.fields.speaking``)."""
    lang = spoken()
    hint = closest(name, [f.name for f in etype.fields])
    shown = etype.name if say("show") == "key" else etype.label(lang)
    return (
        say("about_key", name=name)
        + i18n.text("cli.unknown_field", lang, type=shown, name=repr(name))
        + (i18n.text("cli.ref_hint", lang, hint=hint) if hint else "")
        + i18n.text("cli.declare_extra", lang)
    )


def unknown_field_issues(etype: EntryType, meta: Mapping[str, object]) -> list[FieldIssue]:
    """A warning for each front-matter key that is no field of the type (nor a page key)."""
    names = {f.name for f in etype.fields} | PAGE_KEYS
    return [
        FieldIssue(str(k), unknown_field(etype, str(k)), level="warning", code="unknown-field")
        for k in meta
        if k not in names
    ]


def _risk_consistency(meta: Mapping[str, object]) -> list[FieldIssue]:
    kind = meta.get("kind", "threat")
    response = meta.get("response")
    shown = repr(shown_choice(str(response)))
    if kind == "threat" and response in OPPORTUNITY_RESPONSES:
        msg = about("response") + say("opportunity_response", response=shown)
        return [FieldIssue("response", msg, level="warning", code="response-kind")]
    if kind == "opportunity" and response in ("avoid", "mitigate", "transfer"):
        msg = about("response") + say("threat_response", response=shown)
        return [FieldIssue("response", msg, level="warning", code="response-kind")]
    return []
