"""Bar charts drawn on the server as inline SVG: no script, no chart library, nothing fetched.

Only presentation attributes (no ``style``), so the office's Content-Security-Policy allows them;
every bar carries its value as text and as a tooltip, so the numbers are read, not guessed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

COLOURS = ("#b3261e", "#2f6f9f", "#1e7b34", "#c98a00", "#6b4fa0")
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 28, 48


def nice_top(largest: float) -> tuple[float, float]:
    """The top of the axis and its step: 1, 2 or 5 times a power of ten, about four steps."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and largest >= 1:
        step = 1.0
    return step * math.ceil(largest / step), step


def _number(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def bar_chart(title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *,
              width: int = 560, height: int = 240, chart_id: str = "") -> Markup:
    """Grouped bars: one group per label, one bar per series (a legend when there are several)."""
    top, step = nice_top(max((v for _, values in series for v in values), default=0))
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    group = plot_w / max(len(labels), 1)
    bar = group * 0.8 / max(len(series), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" aria-label="{escape(title)}"'
           + (f' id="{escape(chart_id)}"' if chart_id else "") + ">",
           f"<title>{escape(title)}</title>",
           f'<text x="{LEFT}" y="16" font-size="13" font-weight="bold" fill="#1d2733">{escape(title)}</text>']
    ticks = round(top / step)
    for i in range(ticks + 1):
        y = TOP + plot_h - plot_h * i / ticks
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="#d6dce3"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6673">'
                   f"{_number(step * i)}</text>")
    for g, label in enumerate(labels):
        x0 = LEFT + g * group + group * 0.1
        for s, (name, values) in enumerate(series):
            v = values[g]
            h = plot_h * v / top if top else 0
            x, y = x0 + s * bar, TOP + plot_h - h
            colour = COLOURS[s % len(COLOURS)]
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}" '
                       f'fill="{colour}" data-label="{escape(label)}" data-value="{_number(v)}">'
                       f"<title>{escape(label)} {escape(name)}: {_number(v)}</title></rect>")
            if v:
                out.append(f'<text x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" font-size="10" text-anchor="middle" '
                           f'fill="#1d2733">{_number(v)}</text>')
        out.append(f'<text x="{LEFT + g * group + group / 2:.1f}" y="{TOP + plot_h + 16}" font-size="11" '
                   f'text-anchor="middle" fill="#1d2733">{escape(label)}</text>')
    if len(series) > 1:
        x = LEFT
        for s, (name, _) in enumerate(series):
            out.append(f'<rect x="{x}" y="{height - 14}" width="10" height="10" fill="{COLOURS[s % len(COLOURS)]}"/>')
            out.append(f'<text x="{x + 14}" y="{height - 5}" font-size="11" fill="#1d2733">{escape(name)}</text>')
            x += 14 + 12 * len(name) + 16
    out.append("</svg>")
    return Markup("".join(out))
