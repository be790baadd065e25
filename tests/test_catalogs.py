"""The catalogs: every key in every language, and every label the schema shows comes from them."""

from __future__ import annotations

import string

import pytest

from kb import i18n
from kb.fields import value_label
from kb.schema import BUILTIN_TYPES


def test_there_are_two_languages_english_first():
    assert i18n.LANGUAGES[:1] == ("en",)
    assert "zh" in i18n.LANGUAGES


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_key_is_in_every_catalog(lang):
    keys = set(i18n.catalog(lang))
    for other in i18n.LANGUAGES:
        missing = sorted(set(i18n.catalog(other)) - keys)
        assert not missing, f"{lang}.yml lacks {len(missing)} key(s) of {other}.yml: {missing}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_key_was_read_as_yes_or_no(lang):
    # YAML reads an unquoted yes/no key as a boolean: "yes": must be quoted
    assert not [k for k in i18n.catalog(lang) if {"True", "False"} & set(k.split("."))]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_message_is_empty(lang):
    empty = [k for k, v in i18n.catalog(lang).items() if v in ("", {}) and k != "meta.plural_one"]
    assert not empty


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_plural_messages_have_an_other_form(lang):
    plurals = {k: v for k, v in i18n.catalog(lang).items() if isinstance(v, dict)}
    assert all("other" in forms for forms in plurals.values()), plurals


def _placeholders(message) -> set[str]:
    forms = message.values() if isinstance(message, dict) else [message]
    forms = [f for f in forms if isinstance(f, str)]  # meta.plural_one is a list of counts
    return {name for form in forms for _, name, _, _ in string.Formatter().parse(form) if name}


@pytest.mark.parametrize("lang", i18n.LANGUAGES[1:])
def test_every_translation_names_the_same_values(lang):
    english = i18n.catalog("en")
    differ = [
        key
        for key, message in i18n.catalog(lang).items()
        if key in english and _placeholders(message) != _placeholders(english[key])
    ]
    assert not differ


def _schema_keys():
    for t in BUILTIN_TYPES:
        yield f"type.{t.name}"
        for f in t.fields:
            yield f"field.{f.name}"
            yield from (f"value.{c}" for c in f.choices)
        yield from (f"section.{s.key}" for s in t.sections)


@pytest.mark.parametrize("key", sorted(set(_schema_keys())))
def test_every_schema_label_is_in_the_catalogs(key):
    assert all(i18n.has(key, lang) for lang in i18n.LANGUAGES), key


def test_labels_read_from_the_catalog_of_the_language():
    retro = BUILTIN_TYPES[0]
    assert retro.label("zh") == "项目复盘"
    assert retro.label() == "Retrospective"
    assert retro.field("project_type").label("zh") == "项目类型"
    assert [s.heading("zh") for s in retro.sections][:2] == ["概述", "时间线"]
    assert value_label("partially-succeeded", "zh") == "部分成功"
    assert value_label("r-and-d") == "R&D"


def test_unknown_language_and_unknown_values_fall_back():
    assert value_label("draft", "fr") == "Draft"
    assert value_label("a-workspace-value", "zh") == "a-workspace-value"
    with pytest.raises(KeyError):
        i18n.text("no.such.key", "en")


def test_plural_forms_follow_the_catalog(monkeypatch):
    monkeypatch.setitem(
        i18n.catalog("en"), "x.n", {"one": "{count} match", "other": "{count} matches"}
    )
    monkeypatch.setitem(i18n.catalog("zh"), "x.n", {"other": "{count} 条"})
    assert i18n.text("x.n", "en", count=1) == "1 match"
    assert i18n.text("x.n", "en", count=2) == "2 matches"
    assert i18n.text("x.n", "en", count=0) == "0 matches"
    assert i18n.text("x.n", "zh", count=1) == "1 条"


def test_the_schema_page_shows_every_label_and_the_languages_page_is_linked():
    from pathlib import Path

    guide = Path(__file__).resolve().parents[1] / "docs" / "guide"
    schema = (guide / "schema.md").read_text("utf-8")
    for lang in i18n.LANGUAGES:
        for key, message in i18n.catalog(lang).items():
            if key.split(".")[0] in ("type", "field", "value"):
                assert f" {message} |" in schema, (lang, key)
    assert "(languages.md)" in (guide / "index.md").read_text("utf-8")
