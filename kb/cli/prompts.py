"""The questions `kb new` asks on a terminal, in the language of the entry.

Each field is asked by its label with its hints; allowed values are listed by number and label,
and an answer is read by the field's kind as ``--set`` and ``kb import`` read a value (the
number of a choice and the start of one as well), so a prompt never has a parser of its own.
"""

from __future__ import annotations

import dataclasses

import click

from kb.errors import UsageError
from kb.fields import FieldError, speaking, value_label, yes_no
from kb.i18n import text as t
from kb.scaffold import reference_problems


def _ask(text: str, lang: str, default: str = "") -> str:
    """One answer, the question ending as ``lang`` ends one (``: `` or ``：``)."""

    suffix = t("prompt.suffix", lang)
    return click.prompt(text, default=default, show_default=bool(default), prompt_suffix=suffix)


def _question(f, q, lang: str, notes: list[str], choices: tuple[str, ...]) -> str:
    """What a prompt says for one question: the field's (or the part's) label, its hints, and
    the range of numbers for a choice."""

    if q.part:  # one part of a mapping, each asked in turn: its name says enough
        return t(f"prompt.part.{q.part}", lang)
    label = f.label(lang)
    if notes:
        label = t(
            "prompt.question",
            lang,
            label=label,
            notes=t("prompt.notes_separator", lang).join(notes),
        )
    return label + (f" [1-{len(choices)}]" if choices else "")


def _prompt_field(f, lang: str, default, known_ids=None):  # f: kb.schema.Field
    """Ask for one field in ``lang`` until the answer is valid (or blank, for an optional one).

    The allowed values are listed by number and label; an answer may be the number, the key,
    a label in any language or the start of one (``kb.fields`` reads it)."""

    model = f.model
    kind_hint, own = model.hint(f, lang), f.hint(lang)
    notes = [n for n in (own, "" if kind_hint in own else kind_hint) if n]
    choices = model.choices(f)
    for number, choice in enumerate(choices, 1):
        click.echo(f"  {number}. {value_label(choice, lang)}")
    while True:
        questions = model.questions(f, default, lang)
        texts = [
            _ask(
                _question(f, q, lang, notes if i == 0 else [], choices if i == 0 else ()),
                lang,
                q.default,
            )
            for i, q in enumerate(questions)
        ]
        if not texts[0].strip():
            if not f.required:
                return None
            click.echo("  " + t("prompt.required", lang, field=f.label(lang)), err=True)
            continue
        try:
            with speaking(lang):
                value = model.answer(f, texts)
                if known_ids is not None and model.is_reference:
                    problems = reference_problems(f, value, known_ids)
                    if problems:
                        raise UsageError("\n".join(problems))
            return value
        except (FieldError, UsageError) as exc:
            for line in str(exc).splitlines():  # ask again rather than fail after every prompt
                click.echo(f"  {line}", err=True)


def _prompt_actions(f, lang: str) -> list[dict]:

    actions = []
    question = t(
        "prompt.question", lang, label=t("prompt.add_action", lang), notes=t("hint.yes_no", lang)
    )
    while yes_no(_ask(question, lang, t("hint.no", lang))):
        actions += _prompt_field(dataclasses.replace(f, required=True), lang, None)
    return actions


def prompt_entry(etype, answered: set, defaults: dict, lang: str, known_ids) -> dict:
    """The answers to the prompts for the fields of ``etype`` not given on the command line
    (``answered``); ``defaults`` are offered, references checked against ``known_ids``."""
    values = {}
    for f in etype.fields:
        # date and status defaults (today, draft) are nearly always right: not asked
        if f.name in ("id", "type", "date", "status") or f.name in answered:
            continue
        if f.required or f.prompt:
            value = _prompt_field(f, lang, defaults.get(f.name), known_ids)
            if value not in (None, "", []):
                values[f.name] = value
    actions_field = etype.field("actions")
    if actions_field and "actions" not in answered and "actions" not in values:
        actions = _prompt_actions(actions_field, lang)
        if actions:
            values["actions"] = actions
    return values
