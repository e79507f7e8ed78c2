"""Small horizontal bar charts as inline SVG, for PDFs (WeasyPrint renders SVG; no JavaScript there)."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 230
BAR_WIDTH = 260
COLOUR = "#9b1c1c"


def bar_chart_svg(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """One bar per (label, value); labels and the title are escaped."""
    peak = max((value for _label, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + 28
    width = LABEL_WIDTH + BAR_WIDTH + 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f'<text x="0" y="14" font-size="11" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 24 + index * (BAR_HEIGHT + GAP)
        length = round(BAR_WIDTH * value / peak)
        short = label if len(label) <= 42 else label[:41] + "…"
        parts.append(f'<text x="0" y="{y + 13}" font-size="9">{escape(short)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 13}" font-size="9">{value}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece of text above is escaped
