"""The report's charts as inline SVG: bars are rectangles, so a chart is a few kilobytes, costs
microseconds, and needs no script or network to open.

matplotlib drew the first version of these plots, and its per-chart time and size made the
report's cost grow with the number of scores (docs/benchmarks.md, Statistics): bars are simple
enough to write here. Each bar carries its count (``data-n``) and a title, so a test or a
reader's tooltip can check a chart against the numbers beside it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

KEPT = "#2a9d6f"
DROPPED = "#d1603d"
DROPPED_OTHER = "#e9b87a"
READ = "#4f77aa"
OTHER_RUN = "#8a6bbf"
FONT = "font-family='system-ui,sans-serif' font-size='11'"


def fmt(x: float | int | None) -> str:
    """Counts with thousands separators; other numbers with 4 significant digits."""
    if x is None:
        return "-"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e15):
        return f"{int(x):,}"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)


def _open(width: float, height: float, title: str, kind: str) -> str:
    return (
        f"<svg class='chart {kind}' xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' "
        f"height='{height:.0f}' viewBox='0 0 {width:.0f} {height:.0f}' role='img' "
        f"aria-label='{_esc(title)}'><title>{_esc(title)}</title>"
    )


def _bar(x: float, y: float, w: float, h: float, color: str, n: int, tip: str) -> str:
    return (
        f"<rect class='bar' x='{x:.1f}' y='{y:.1f}' width='{max(w, 0):.1f}' height='{max(h, 0):.1f}' "
        f"fill='{color}' data-n='{n}'><title>{_esc(tip)}</title></rect>"
    )


def hbars(rows: Sequence[tuple[str, int, str]], title: str, width: int = 720) -> str:
    """One horizontal bar per (label, value, colour), top to bottom: the funnel."""
    label_w, row_h, top = 250, 18, 22
    height = top + row_h * len(rows) + 6
    vmax = max([*(v for _, v, _ in rows), 1])
    scale = (width - label_w - 80) / vmax
    out = [
        _open(width, height, title, "hbars"),
        f"<text x='0' y='13' {FONT} font-weight='600'>{_esc(title)}</text>",
    ]
    for i, (label, value, color) in enumerate(rows):
        y = top + i * row_h
        out.append(f"<text x='{label_w - 6}' y='{y + 12}' text-anchor='end' {FONT}>{_esc(label[:40])}</text>")
        out.append(_bar(label_w, y + 2, value * scale, row_h - 4, color, value, f"{label}: {fmt(value)}"))
        out.append(f"<text x='{label_w + value * scale + 4:.1f}' y='{y + 12}' {FONT}>{fmt(value)}</text>")
    out.append("</svg>")
    return "".join(out)


def columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], str]],
    title: str,
    stacked: bool = True,
    width: int = 720,
) -> str:
    """Columns per category, the series stacked (kept over dropped) or side by side (run A beside
    run B), with a legend."""
    height, top, bottom, left = 240, 34, 40, 60
    n = len(categories)
    if stacked:
        vmax = max([*(sum(s[1][i] for s in series) for i in range(n)), 1])
    else:
        vmax = max([*(v for s in series for v in s[1]), 1])
    plot_h = height - top - bottom
    slot = (width - left - 10) / max(n, 1)
    out = [
        _open(width, height, title, "columns"),
        f"<text x='0' y='13' {FONT} font-weight='600'>{_esc(title)}</text>",
    ]
    out += _legend([(name, color) for name, _, color in series], left, 28)
    out.append(f"<text x='{left - 6}' y='{top + 8}' text-anchor='end' {FONT}>{fmt(vmax)}</text>")
    out.append(f"<line x1='{left}' y1='{top + plot_h}' x2='{width - 10}' y2='{top + plot_h}' stroke='#999'/>")
    bar_w = slot * 0.7 / (1 if stacked else len(series))
    for i, cat in enumerate(categories):
        x = left + i * slot + slot * 0.15
        y = top + plot_h
        for k, (name, values, color) in enumerate(series):
            h = values[i] / vmax * plot_h
            if stacked:
                y -= h
                out.append(_bar(x, y, bar_w, h, color, values[i], f"{cat} {name}: {fmt(values[i])}"))
            else:
                out.append(
                    _bar(x + k * bar_w, y - h, bar_w, h, color, values[i], f"{cat} {name}: {fmt(values[i])}")
                )
        out.append(
            f"<text x='{x + slot * 0.35:.1f}' y='{top + plot_h + 14}' text-anchor='middle' {FONT}>{_esc(cat)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def legend(items: Sequence[tuple[str, str]], title: str = "legend") -> str:
    """(name, colour) swatches in a row, as one small chart."""
    width = 10 + sum(24 + 6.5 * len(name) for name, _ in items)
    return _open(width, 16, title, "legend") + "".join(_legend(items, 0, 12)) + "</svg>"


def _legend(items: Sequence[tuple[str, str]], x: float, y: float) -> list[str]:
    out = []
    for name, color in items:
        out.append(f"<rect x='{x:.0f}' y='{y - 9}' width='10' height='10' fill='{color}'/>")
        out.append(f"<text x='{x + 14:.0f}' y='{y}' {FONT}>{_esc(name)}</text>")
        x += 24 + 6.5 * len(name)
    return out


def histogram(
    edges: Sequence[float],
    series: Sequence[tuple[str, Sequence[int], str]],
    thresholds: Sequence[tuple[float, str]],
    title: str,
    width: int = 360,
    height: int = 200,
) -> str:
    """Stacked bins (one series per outcome; the page shows their `legend` once) with the run's
    thresholds as dashed lines; a threshold beyond the data is named under the axis instead."""
    top, bottom, left, right = 24, 30, 44, 8
    nb = len(edges) - 1
    totals = [sum(s[1][i] for s in series) for i in range(nb)]
    vmax = max([*totals, 1])
    plot_w, plot_h = width - left - right, height - top - bottom
    lo, hi = edges[0], edges[-1]
    span = (hi - lo) or 1.0

    def xpos(v: float) -> float:
        return left + (v - lo) / span * plot_w

    out = [
        _open(width, height, title, "histogram"),
        f"<text x='0' y='12' {FONT} font-weight='600'>{_esc(title)}</text>",
    ]
    out.append(f"<text x='{left - 4}' y='{top + 8}' text-anchor='end' {FONT}>{fmt(vmax)}</text>")
    out.append(
        f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' stroke='#999'/>"
    )
    for i in range(nb):
        x0, x1 = xpos(edges[i]), xpos(edges[i + 1])
        y = top + plot_h
        for name, counts, color in series:
            if counts[i]:
                h = counts[i] / vmax * plot_h
                y -= h
                tip = f"{name}: {fmt(counts[i])} in [{fmt(edges[i])}, {fmt(edges[i + 1])})"
                out.append(_bar(x0, y, max(x1 - x0 - 0.5, 0.5), h, color, counts[i], tip))
    for v in _ticks(lo, hi):
        out.append(
            f"<text x='{xpos(v):.1f}' y='{top + plot_h + 13}' text-anchor='middle' {FONT}>{fmt(v)}</text>"
        )
    for value, label in thresholds:
        if lo <= value <= hi:
            x = xpos(value)
            out.append(
                f"<line class='threshold' x1='{x:.1f}' y1='{top - 2}' x2='{x:.1f}' y2='{top + plot_h}' "
                f"stroke='#222' stroke-dasharray='4 3'><title>{_esc(label)}</title></line>"
            )
            out.append(f"<text x='{x + 3:.1f}' y='{top + 8}' {FONT}>{_esc(label)}</text>")
        else:
            out.append(
                f"<text class='threshold-off' x='{left + plot_w}' y='{height - 2}' text-anchor='end' "
                f"{FONT}>{_esc(label)} (beyond the data)</text>"
            )
    out.append("</svg>")
    return "".join(out)


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    """About ``n`` round values inside [lo, hi]."""
    if hi <= lo:
        return [lo]
    raw = (hi - lo) / n
    step = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * step:
            step *= m
            break
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 10) for k in range(int((hi - first) / step) + 1)]
