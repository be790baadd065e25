"""Reading JSON: the list of objects `kb export --format json` writes, one object per entry.

Keys are column keys (``id``, ``title``, ``budget_planned``, ``response_text``), values are typed
(numbers, yes/no as true/false, lists, action items as objects). The objects become the rows of a
sheet whose headers are the keys, in the order they first appear, so the import maps, checks and
plans them as it does a CSV file's rows. Rows are numbered by object, the first being row 1.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kb import i18n
from kb.errors import KbError
from kb.tabular.limits import ImportLimits, capped

JSON_SUFFIXES = (".json",)


def _found(value: Any, lang: str) -> str:
    """What a JSON value is, as a message names it: an object, a list, a string, ..."""
    if isinstance(value, dict):
        kind = "object"
    elif isinstance(value, list):
        kind = "list"
    elif value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "bool"
    elif isinstance(value, (int, float)):
        kind = "number"
    else:
        kind = "string"
    return i18n.text(f"import.json_{kind}", lang)


def read_json(
    path: Path, limits: ImportLimits, lang: str = i18n.DEFAULT
) -> tuple[list[tuple[int, list[Any]]], str]:
    """The header row (numbered 0) and one row per object of a JSON export, and how it was
    read; KbError, naming the file and where, for text that is no JSON list of objects."""
    limits.check_size(path.name, path.stat().st_size)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise KbError(i18n.text("import.json_not_utf8", lang, file=path.name)) from None
    except json.JSONDecodeError as exc:
        raise KbError(
            i18n.text(
                "import.json_bad",
                lang,
                file=path.name,
                line=exc.lineno,
                column=exc.colno,
                reason=exc.msg,
            )
        ) from None
    if not isinstance(data, list):
        raise KbError(
            i18n.text("import.json_shape", lang, file=path.name, found=_found(data, lang))
        )
    if not data:
        raise KbError(i18n.text("import.json_empty", lang, file=path.name))
    keys: dict[str, None] = {}
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            message = i18n.text(
                "import.json_item", lang, file=path.name, number=number, found=_found(item, lang)
            )
            raise KbError(message)
        keys.update(dict.fromkeys(str(k) for k in item))
    headers = list(keys)
    rows = ((number, [item.get(k) for k in headers]) for number, item in enumerate(data, start=1))
    grid = [
        (0, list(headers)),
        *capped(rows, path.name, i18n.text("import.the_file", lang), limits),
    ]
    return grid, i18n.text("import.json_how", lang, count=len(data))
