"""Inline SVG charts for the dashboard: no script, no outside host, colours from the theme.

Each function returns one ``<figure>`` of raw HTML. Labels are escaped; colours come from CSS
classes (see ``assets/kb.css``) so the charts follow the light and dark palettes.
"""

from __future__ import annotations

from kb.site.markup import h


def _figure(svg: str, caption: str, summary: str) -> str:
    return (
        f'<figure class="kb-chart">{svg}'
        f"<figcaption>{h(caption)}</figcaption></figure>"
        # The numbers as text too, for screen readers and search.
        f'<p class="kb-chart-data">{h(summary)}</p>'
    )


def bar_chart(items: list[tuple[str, float]], caption: str, unit: str = "") -> str:
    """Horizontal bars, one per (label, value), largest first as given."""
    if not items:
        return ""
    row, label_w, bar_w = 24, 120, 230
    width, height = label_w + bar_w + 60, row * len(items) + 8
    top = max(v for _, v in items) or 1
    parts = [
        f'<svg class="kb-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{h(caption)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = max(2.0, bar_w * value / top)
        parts.append(
            f'<text class="kb-svg-label" x="{label_w - 8}" y="{y + 17}" '
            f'text-anchor="end">{h(label)}</text>'
            f'<rect class="kb-svg-bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" '
            f'height="{row - 8}" rx="3"><title>{h(label)}: {value:g}{h(unit)}</title></rect>'
            f'<text class="kb-svg-value" x="{label_w + w + 6:.1f}" y="{y + 17}">'
            f"{value:g}{h(unit)}</text>"
        )
    parts.append("</svg>")
    summary = ", ".join(f"{label}: {value:g}{unit}" for label, value in items)
    return _figure("".join(parts), caption, summary)


def column_chart(items: list[tuple[str, float]], caption: str, unit: str = "") -> str:
    """Vertical columns in order (a trend); negative values hang below the zero line."""
    if not items:
        return ""
    col, left, plot_h = 52, 40, 140
    width = left + col * len(items) + 16
    height = plot_h + 48
    hi = max(0.0, *(v for _, v in items))
    lo = min(0.0, *(v for _, v in items))
    span = (hi - lo) or 1
    zero = 16 + plot_h * hi / span
    parts = [
        f'<svg class="kb-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{h(caption)}" xmlns="http://www.w3.org/2000/svg">',
        f'<line class="kb-svg-axis" x1="{left}" x2="{width - 8}" y1="{zero:.1f}" y2="{zero:.1f}"/>',
        f'<text class="kb-svg-value" x="{left - 6}" y="{zero + 4:.1f}" text-anchor="end">0</text>',
    ]
    for i, (label, value) in enumerate(items):
        x = left + 8 + i * col
        bar = plot_h * abs(value) / span
        y = zero - bar if value >= 0 else zero
        cls = "kb-svg-bar" if value <= 0 else "kb-svg-bar kb-svg-bad"
        vy = y - 5 if value >= 0 else y + bar + 14
        parts.append(
            f'<rect class="{cls}" x="{x}" y="{y:.1f}" width="{col - 16}" '
            f'height="{max(bar, 1.5):.1f}" rx="3"><title>{h(label)}: {value:g}{h(unit)}</title>'
            f'</rect><text class="kb-svg-value" x="{x + (col - 16) / 2:.1f}" y="{vy:.1f}" '
            f'text-anchor="middle">{value:g}</text>'
            f'<text class="kb-svg-label" x="{x + (col - 16) / 2:.1f}" y="{height - 8}" '
            f'text-anchor="middle">{h(label)}</text>'
        )
    parts.append("</svg>")
    summary = ", ".join(f"{label}: {value:g}{unit}" for label, value in items)
    return _figure("".join(parts), caption, summary)
