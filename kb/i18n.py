"""The text people read, one catalog per language: ``kb/locale/<lang>.yml``.

Why YAML catalogs and not gettext: kb's text is mostly labels looked up by a stable key (an
allowed value, a field, a section, a register column), not English sentences used as msgids, so
a key per message reads better than a msgid; a YAML catalog needs no compile step (no ``.mo``
files to build at install time or forget to rebuild), a translator edits one plain file per
language with the key beside the text, and a test can check that every key is in every catalog.

A message may name values (``{count} retrospectives``) filled in with ``str.format``. A message
that depends on a count is a mapping of plural forms, ``one`` and ``other``; a catalog says which
counts take ``one`` in ``meta.plural_one`` (``[1]`` in English, none in Chinese). Adding a
language is one new catalog here (plus its entry templates in ``templates/<lang>/``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

__all__ = ["DEFAULT", "LANGUAGES", "catalog", "has", "labels", "text"]

LOCALE_DIR = Path(__file__).with_name("locale")
DEFAULT = "en"
PLURAL_FORMS = frozenset({"one", "other"})


def _languages() -> tuple[str, ...]:
    found = sorted(p.stem for p in LOCALE_DIR.glob("*.yml"))
    return (DEFAULT, *(lang for lang in found if lang != DEFAULT))


LANGUAGES: tuple[str, ...] = _languages()


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not set(value) <= PLURAL_FORMS:
            flat.update(_flatten(value, name + "."))
        elif isinstance(value, Mapping):
            flat[name] = {str(k): str(v) for k, v in value.items()}
        elif isinstance(value, list):
            flat[name] = value
        else:
            flat[name] = "" if value is None else str(value)
    return flat


@functools.cache
def catalog(lang: str) -> dict[str, Any]:
    """Every message of ``lang``'s catalog by its dotted key (``value.draft``); empty if none."""
    path = LOCALE_DIR / f"{lang}.yml"
    if not path.is_file():
        return {}
    return _flatten(yaml.safe_load(path.read_text("utf-8")) or {})


def _language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def has(key: str, lang: str | None = DEFAULT) -> bool:
    """True when ``lang``'s catalog (the default one when ``lang`` has none) holds ``key``."""
    return key in catalog(_language(lang))


def _form(lang: str, count: object) -> str:
    ones = catalog(lang).get("meta.plural_one") or []
    return "one" if count in ones else "other"


def text(key: str, lang: str | None = DEFAULT, default: str | None = None, **values: Any) -> str:
    """The message ``key`` in ``lang``, with ``values`` filled in; the plural form for ``count``.

    An unknown language reads the default catalog. A key missing from the catalogs gives
    ``default`` when one is given (a workspace's own field or value has no catalog entry) and
    raises KeyError otherwise: a typo in a key must not pass silently.
    """
    lang = _language(lang)
    message = catalog(lang).get(key)
    if message is None:
        message = catalog(DEFAULT).get(key)
    if message is None:
        if default is None:
            raise KeyError(f"no message {key!r} in the {lang} catalog")
        return default
    if isinstance(message, dict):
        message = message.get(_form(lang, values.get("count"))) or message["other"]
    return message.format(**values) if values else message


def labels(key: str) -> list[str]:
    """The message ``key`` in every language, for reading input written in any of them."""
    found = (catalog(lang).get(key) for lang in LANGUAGES)
    return [m for m in found if isinstance(m, str) and m]
