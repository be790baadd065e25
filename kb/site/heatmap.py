"""The risk case library's probability × impact heat map: 5 × 5 cells, a count in each.

Raw HTML, one table: probability from 5 (top) to 1, impact from 1 to 5 (left to right), each cell
coloured by its score band (``tables.score_band``, as the scores in the table and the cards are).
A cell with risk cases links to ``?cell=PxI``: ``assets/kb.js`` shows only those rows of the
library's table (each row carries ``data-kb-cell``), and the address keeps the choice.
"""

from __future__ import annotations

from collections import Counter

from kb import i18n
from kb.entry import Entry
from kb.site.markup import h
from kb.site.tables import score_band, text

SCALE = (1, 2, 3, 4, 5)


def cell_of(entry: Entry) -> str:
    """``"4x5"`` for a risk case of probability 4 and impact 5; '' when either is not 1 to 5."""
    p, i = entry.meta.get("probability"), entry.meta.get("impact")
    if p in SCALE and i in SCALE and not isinstance(p, bool) and not isinstance(i, bool):
        return f"{p}x{i}"
    return ""


def heat_map(lang: str, risks: list[Entry]) -> str:
    """The heat map of these risk cases; '' when none has a probability and an impact."""
    counts = Counter(c for c in (cell_of(e) for e in risks) if c)
    if not counts:
        return ""
    probability, impact = text(lang, "probability"), text(lang, "impact")
    rows = []
    for p in reversed(SCALE):
        cells = [f'<th scope="row">{p}</th>']
        for i in SCALE:
            n = counts.get(f"{p}x{i}", 0)
            css = f"kb-heat kb-heat--{score_band(p * i)}" + ("" if n else " kb-heat--none")
            label = h(i18n.text("heatmap.cell", lang, count=n, p=p, i=i))
            inner = (
                f'<a href="?cell={p}x{i}" data-kb-cell="{p}x{i}" title="{label}" '
                f'aria-label="{label}">{n}</a>'
                if n
                else f'<span title="{label}"></span>'
            )
            cells.append(f'<td class="{css}">{inner}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    heads = "".join(f'<th scope="col">{i}</th>' for i in SCALE)
    title = h(i18n.text("heatmap.title", lang))
    return (
        '<div class="kb-heatmap" data-search-exclude>\n<table class="kb-heatmap__grid">\n'
        f"<caption>{title}</caption>\n"
        f'<thead><tr><td></td><th colspan="5" scope="colgroup">{h(impact)} →</th></tr>'
        f'<tr><th scope="col">{h(probability)} ↓</th>{heads}</tr></thead>\n'
        f"<tbody>{''.join(rows)}</tbody>\n</table>\n"
        f'<p class="kb-heatmap__note">{h(i18n.text("heatmap.caption", lang))} '
        f'<a class="kb-heatmap__clear" href="?" hidden>{h(i18n.text("heatmap.clear", lang))}</a>'
        "</p>\n</div>"
    )
