"""Golden files for the built-in templates: what `kb new` writes, per type, in both languages."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from kb.entry import dumps, parse
from kb.scaffold import ordered_meta, render_body
from kb.schema import BUILTIN_TYPES

GOLDEN = Path(__file__).parent / "golden" / "templates"
UPDATE = os.environ.get("KB_UPDATE_GOLDEN") == "1"

TITLES = {"en": 'Cut-over {{ slipped }}: "47 days"', "zh": "数据迁移：上线延迟 {% raw %}"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("etype", BUILTIN_TYPES, ids=lambda t: t.name)
def test_builtin_template_matches_golden_file(etype, lang):
    values = {
        "id": f"{etype.prefix}-0001",
        "type": etype.name,
        "title": TITLES[lang],
        "date": dt.date(2026, 11, 2),
        "owner": "Ana Ruiz",
        "status": "draft",
        "project": "ERP roll-out",
        "version": "1.0",
        "effective": dt.date(2026, 12, 1),
    }
    meta = ordered_meta(etype, {k: v for k, v in values.items() if etype.field(k)})
    text = dumps(meta, render_body(None, etype, meta, lang))
    golden = GOLDEN / f"{lang}-{etype.name}.md"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    # and what was written reads back to the same values
    assert parse(text, golden, golden.name).meta == meta
