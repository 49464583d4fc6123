"""The HTML report: one self-contained file (plots inlined as SVG, no network needed)."""

from __future__ import annotations

import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from corpus.stats.collect import RunStats

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
.plots{display:flex;flex-wrap:wrap;gap:12px}.plot{border:1px solid #eee}
.problem{color:#b00}
"""


def _svg(fig: plt.Figure) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]


def _funnel_plot(stats: RunStats) -> str:
    steps = stats.funnel
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(steps) + 1))
    labels = [s for s, _ in steps][::-1]
    values = [v for _, v in steps][::-1]
    colors = ["#2a7" if s == "kept" else "#57a" if s == "records read" else "#d64" for s in labels]
    ax.barh(labels, values, color=colors)
    for i, v in enumerate(values):
        ax.text(v, i, f" {v:,}", va="center", fontsize=8)
    ax.set_title("Funnel: records read, drops per reason, kept")
    return _svg(fig)


def _domain_plot(stats: RunStats) -> str:
    names = list(stats.domains)
    kept = [stats.domains[d].documents for d in names]
    dropped = [sum(stats.domains[d].dropped.values()) for d in names]
    fig, ax = plt.subplots(figsize=(7, 3))
    x = np.arange(len(names))
    ax.bar(x, kept, label="kept", color="#2a7")
    ax.bar(x, dropped, bottom=kept, label="dropped", color="#d64")
    ax.set_xticks(x, names, rotation=30)
    ax.legend()
    ax.set_title("Documents per domain")
    return _svg(fig)


def _histograms(stats: RunStats) -> list[str]:
    out = []
    for key in sorted(stats.scores):
        sides = stats.scores[key]
        values = np.concatenate([sides["kept"], sides["dropped"]])
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        lo, hi = float(values.min()), float(values.max())
        bins = np.linspace(lo, hi if hi > lo else lo + 1, 31)
        fig, ax = plt.subplots(figsize=(4, 2.6))
        for side, color in (("kept", "#2a7"), ("dropped", "#d64")):
            v = sides[side][np.isfinite(sides[side])]
            if v.size:
                ax.hist(v, bins=bins, alpha=0.6, label=f"{side} ({v.size})", color=color)
        ax.set_title(key, fontsize=9)
        ax.legend(fontsize=7)
        out.append(_svg(fig))
    return out


def _table(headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = ""
    for row in rows:
        cells = "".join(
            f'<td class="n">{v:,}</td>'
            if isinstance(v, int)
            else f'<td class="n">{v:,.1f}</td>'
            if isinstance(v, float)
            else f"<td>{html.escape(str(v))}</td>"
            for v in row
        )
        body += f"<tr>{cells}</tr>"
    return f"<table><tr>{head}</tr>{body}</table>"


def render(stats: RunStats) -> str:
    domains = list(stats.domains.values())
    domain_rows = [
        [
            d.domain,
            d.documents,
            d.tokens if d.tokens is not None else "-",
            d.text_bytes,
            d.mean_chars,
            d.median_chars,
            sum(d.dropped.values()),
        ]
        for d in domains
    ]
    reason_rows = [
        [r, *[stats.domains[d].dropped.get(r, 0) for d in stats.domains], n]
        for r, n in sorted(stats.manifest.counts.dropped.items(), key=lambda kv: -kv[1])
    ]
    shard_rows = [[s.path, s.documents, s.text_bytes, s.file_bytes, s.mean_chars] for s in stats.shards]
    c = stats.manifest.counts
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>headwater stats: {html.escape(stats.out)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Corpus statistics</h1><p>{html.escape(stats.out)}: {c.records:,} records read, "
        f"{c.kept:,} kept; config {html.escape(stats.manifest.config_hash)}</p>",
    ]
    if stats.problems:
        parts.append(
            "<h2>Problems</h2><ul>"
            + "".join(f"<li class='problem'>{html.escape(p)}</li>" for p in stats.problems)
            + "</ul>"
        )
    parts += [
        "<h2>Funnel</h2>",
        f"<div class='plot' id='funnel'>{_funnel_plot(stats)}</div>",
        "<h2>Domains</h2>",
        f"<div class='plot' id='domains'>{_domain_plot(stats)}</div>",
        _table(
            ["domain", "documents", "tokens", "text bytes", "mean chars", "median chars", "dropped"],
            domain_rows,
        ),
        "<h2>Drops per reason</h2>",
        _table(["reason", *stats.domains, "total"], reason_rows),
        "<h2>Score histograms</h2><div class='plots' id='histograms'>",
        *[f"<div class='plot'>{h}</div>" for h in _histograms(stats)],
        "</div>",
        "<h2>Languages</h2>",
        _table(["language", "documents"], [[k, v] for k, v in stats.languages.items()]),
        "<h2>Shards</h2>",
        _table(["shard", "documents", "text bytes", "file bytes", "mean chars"], shard_rows),
        "</body></html>",
    ]
    return "\n".join(parts)
