"""The HTML report: one self-contained file drawn from the report document (`corpus.stats.report`)
or the comparison (`corpus.stats.compare`), charts inline as SVG, no script, no network.

Examples sit in ``<details>`` under the number they explain, so the page opens on the tables
and each number's documents are one click away.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from corpus.stats import svg
from corpus.stats.svg import fmt

_CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:1280px}
h2{margin-top:1.6em;border-bottom:1px solid #ddd}nav a{margin-right:.8em}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:3px 7px;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}
.plots{display:flex;flex-wrap:wrap;gap:10px}.plot{border:1px solid #eee;padding:4px}
.score{border:1px solid #eee;padding:4px;width:372px}.score details{font-size:90%}
.problem{color:#b00}.note{color:#665}
details{margin:.2em 0}summary{cursor:pointer;color:#245}
.ex{border-left:3px solid #ccc;margin:.4em 0 .4em .4em;padding:.1em .5em;font-size:90%}
.ex.kept{border-color:#2a9d6f}.ex.dropped{border-color:#d1603d}
.ex .url{color:#245;word-break:break-all}.ex code{font-size:90%}
.ex pre{white-space:pre-wrap;margin:.2em 0;background:#f8f8f8;padding:.3em;font-size:95%}
.up{color:#2a7}.down{color:#c33}
table.paragraphs pre{white-space:pre-wrap;margin:0;max-width:900px;font-size:90%}
"""


def _e(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _cell(v: Any) -> str:
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return f"<td>{_e('-' if v is None else v)}</td>"
    return f"<td class='n'>{fmt(v)}</td>"


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(c if isinstance(c, _Raw) else _cell(c) for c in row) + "</tr>" for row in rows
    )
    return f"<table class='{cls}'><tr>{head}</tr>{body}</table>"


class _Raw(str):
    """A table cell already rendered as ``<td>``."""


def _change(a: int, b: int) -> _Raw:
    d = b - a
    cls = "up" if d > 0 else "down" if d < 0 else ""
    return _Raw(f"<td class='n {cls}'>{d:+,}</td>")


def decided(ex: dict[str, Any]) -> str:
    d = ex.get("decided_by") or {}
    if "duplicate_of" in d:
        url = d.get("duplicate_of_url")
        return f"copy of <code>{_e(d['duplicate_of'])}</code>" + (f" ({_e(url)})" if url else "")
    if "score" in d:
        bound = "drops outside" if d["bound"] == "in" else d["bound"]
        lead = "closest to its threshold: " if d.get("closest") else ""
        return f"{lead}<code>{_e(d['score'])}</code> = {_e(fmt_value(d['value']))} ({bound} {_e(d['threshold'])})"
    if "detail" in d:
        return _e(d["detail"])
    return ""


def fmt_value(v: Any) -> str:
    return fmt(v) if isinstance(v, int | float) else str(v)


def example(ex: dict[str, Any]) -> str:
    side = "kept" if ex["outcome"] == "kept" else "dropped"
    meta = " · ".join(_e(x) for x in (ex["domain"], ex["lang"], f"{fmt(ex['chars'])} chars") if x)
    text = (
        f"<pre>{_e(chr(10).join(ex['text']))}</pre>"
        if ex["text"]
        else "<div class='note'>(text not kept by this run)</div>"
        if ex["text"] is None
        else ""
    )
    return (
        f"<div class='ex {side}' data-id='{_e(ex['id'])}'><b>{_e(ex['outcome'])}</b> <code>{_e(ex['id'])}</code> "
        f"{meta}<div class='url'>{_e(ex['url'])}</div><div class='why'>{decided(ex)}</div>{text}</div>"
    )


def examples(items: Sequence[dict[str, Any]], label: str) -> str:
    if not items:
        return f"<div class='note'>no {_e(label)}</div>"
    return (
        f"<details><summary>{len(items)} {_e(label)}</summary>{''.join(example(x) for x in items)}</details>"
    )


def _page(title: str, body: list[str]) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<style>{_CSS}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )


def _problems(report: dict[str, Any]) -> list[str]:
    out = []
    if report["problems"]:
        items = "".join(f"<li class='problem'>{_e(p)}</li>" for p in report["problems"])
        out.append(f"<h2 id='problems'>Problems</h2><ul>{items}</ul>")
    if report["notes"]:
        out.append("<ul>" + "".join(f"<li class='note'>{_e(n)}</li>" for n in report["notes"]) + "</ul>")
    return out


def _funnel_chart(funnel: list[dict[str, Any]], title: str) -> str:
    def color(step: str) -> str:
        return svg.KEPT if step == "kept" else svg.READ if step == "records read" else svg.DROPPED

    return svg.hbars([(s["step"], s["documents"], color(s["step"])) for s in funnel], title)


def render(report: dict[str, Any]) -> str:
    run = report["run"]
    body = [
        f"<h1>Corpus statistics</h1><p><b>{_e(run['path'])}</b>: {fmt(run['records'])} records read from "
        f"{fmt(run['inputs'])} input files, {fmt(run['kept'])} kept; config {_e(run['config_hash'])}"
        + (f"; re-decided from <b>{_e(run['redecided_from'])}</b>" if run["redecided_from"] else "")
        + "</p>",
        "<nav>"
        + "".join(
            f"<a href='#{a}'>{t}</a>"
            for a, t in (
                ("funnel", "funnel"),
                ("domains", "domains"),
                ("reasons", "drop reasons"),
                ("scores", "scores"),
                ("dedup", "duplicates"),
                ("hosts", "hosts"),
                ("languages", "languages"),
                ("tokens", "tokens"),
                ("paragraphs", "paragraphs"),
                ("shards", "shards"),
            )
        )
        + "</nav>",
        *_problems(report),
        "<h2 id='funnel'>Funnel</h2>",
        f"<div class='plot'>{_funnel_chart(report['funnel'], 'Records read, drops per reason, kept')}</div>",
        *_domains(report),
        *_reasons(report),
        *_scores(report),
        *_dedup(report),
        *_hosts(report),
        "<h2 id='languages'>Languages</h2>",
        table(
            ["language", "kept", "dropped"],
            [[r["lang"], r["kept"], r["dropped"]] for r in report["languages"]],
        ),
        *_tokens(report),
        *_paragraphs(report),
        *_shards(report),
    ]
    return _page(f"headwater stats: {run['path']}", body)


def _domains(report: dict[str, Any]) -> list[str]:
    ds = report["domains"]
    chart = svg.columns(
        [d["domain"] for d in ds],
        [("kept", [d["kept"] for d in ds], svg.KEPT), ("dropped", [d["dropped"] for d in ds], svg.DROPPED)],
        "Documents per domain",
    )
    rows = [
        [
            d["domain"],
            d["kept"],
            d["dropped"],
            d["kept_chars"],
            d["tokens"],
            d["mean_chars"],
            d["p10_chars"],
            d["median_chars"],
            d["p90_chars"],
            _Raw(
                "<td>"
                + examples(d["examples"]["kept"], "kept examples")
                + examples(d["examples"]["dropped"], "dropped examples")
                + "</td>"
            ),
        ]
        for d in ds
    ]
    headers = [
        "domain",
        "kept",
        "dropped",
        "kept chars",
        "tokens",
        "mean chars",
        "p10",
        "median",
        "p90",
        "examples",
    ]
    return ["<h2 id='domains'>Domains</h2>", f"<div class='plot'>{chart}</div>", table(headers, rows)]


def _reasons(report: dict[str, Any]) -> list[str]:
    domains = [d["domain"] for d in report["domains"]]
    rows = [
        [
            r["reason"],
            *[r["per_domain"].get(d, 0) for d in domains],
            r["documents"],
            _Raw(f"<td class='n'>{100 * r['share']:.2f}%</td>"),
            _Raw("<td>" + examples(r["examples"], "examples") + "</td>"),
        ]
        for r in report["reasons"]
    ]
    return [
        "<h2 id='reasons'>Drops per reason</h2>",
        table(["reason", *domains, "total", "of records", "examples"], rows),
    ]


_HISTOGRAM_SERIES = (
    ("kept", "kept", svg.KEPT),
    ("dropped_here", "dropped by a rule on this score", svg.DROPPED),
    ("dropped_elsewhere", "dropped for another reason", svg.DROPPED_OTHER),
)


def _scores(report: dict[str, Any]) -> list[str]:
    cards = []
    for h in report["scores"]:
        if not h["edges"]:
            continue
        series = [(name, h["counts"][key], color) for key, name, color in _HISTOGRAM_SERIES]
        marks = [(t["value"], f"{t['bound']} {fmt(t['value'])}") for t in h["thresholds"]]
        chart = svg.histogram(h["edges"], series, marks, h["score"])
        facts = f"{fmt(h['documents'])} documents; min {fmt(h['min'])}, median {fmt(h['median'])}, max {fmt(h['max'])}"
        if h["below"] or h["above"]:
            facts += f"; edge bins hold {fmt(h['below'])} below and {fmt(h['above'])} above the range"
        if h["nonfinite"]:
            facts += f"; {fmt(h['nonfinite'])} not finite (not shown)"
        near = "".join(
            f"<div>near {_e(n['reason'])} ({n['bound']} {fmt(n['value'])}):</div>"
            + examples(n["inside"], "kept nearest the threshold")
            + examples(n["outside"], "dropped by it nearest the threshold")
            for n in h["near"]
        )
        cards.append(
            f"<div class='score' data-score='{_e(h['score'])}'>{chart}<div class='note'>{facts}</div>{near}</div>"
        )
    return [
        "<h2 id='scores'>Score histograms</h2>",
        "<p class='note'>Every stored score of every document, kept and dropped; dashed lines are the "
        "thresholds of the run's config. Under each: the kept documents nearest a threshold and the "
        "documents its rule dropped nearest it.</p>",
        f"<div>{svg.legend([(name, color) for _, name, color in _HISTOGRAM_SERIES])}</div>",
        f"<div class='plots' id='histograms'>{''.join(cards)}</div>",
    ]


def _dedup(report: dict[str, Any]) -> list[str]:
    out = ["<h2 id='dedup'>Duplicates</h2>"]
    if not report["dedup"]:
        return [*out, "<p class='note'>no duplicates dropped</p>"]
    for d in report["dedup"]:
        out.append(
            f"<h3>{_e(d['reason'])}: {fmt(d['copies'])} copies dropped from {fmt(d['clusters'])} clusters</h3>"
        )
        out.append(
            table(
                ["cluster size (kept + copies)", "clusters"],
                [[s["size"], s["clusters"]] for s in d["sizes"]],
            )
        )
        out.append(
            table(
                ["largest clusters: kept id", "kept URL", "size", "one copy's URL"],
                [[r["kept_id"], r["kept_url"], r["size"], r["copy_url"]] for r in d["largest"]],
            )
        )
    return out


def _hosts(report: dict[str, Any]) -> list[str]:
    h = report["hosts"]
    return [
        f"<h2 id='hosts'>Hosts</h2><p class='note'>{fmt(h['distinct'])} distinct hosts</p>",
        "<div class='plots'>",
        table(
            ["top hosts kept", "kept", "dropped"], [[r["host"], r["kept"], r["dropped"]] for r in h["kept"]]
        ),
        table(
            ["top hosts dropped", "dropped", "kept", "main reason", "documents"],
            [
                [r["host"], r["dropped"], r["kept"], r["main_reason"], r["main_reason_documents"]]
                for r in h["dropped"]
            ],
        ),
        "</div>",
    ]


def _tokens(report: dict[str, Any]) -> list[str]:
    t = report["tokens"]
    if t is None:
        return ["<h2 id='tokens'>Tokens</h2><p class='note'>no token folder given (--tokens)</p>"]
    rows = [
        [
            d["domain"],
            d["documents"],
            d["tokens"],
            d["tokens_per_document"],
            d["sequences"],
            d["padding"],
            _Raw(f"<td class='n'>{100 * d['fill']:.2f}%</td>" if d["fill"] is not None else "<td>-</td>"),
        ]
        for d in t["domains"]
    ]
    return [
        f"<h2 id='tokens'>Tokens</h2><p>{_e(t['path'])}: {fmt(t['tokens'])} tokens, sequences of "
        f"{fmt(t['seq_len'])}, vocabulary {fmt(t['vocab_size'])}"
        + (f", sequence fill {100 * t['fill']:.2f}%" if t["fill"] is not None else "")
        + "</p>",
        table(["domain", "documents", "tokens", "tokens per document", "sequences", "padding", "fill"], rows),
    ]


def _paragraphs(report: dict[str, Any]) -> list[str]:
    out = [
        "<h2 id='paragraphs'>Paragraphs removed most often</h2>",
        f"<p class='note'>{_e(report['paragraphs_note'])}</p>",
    ]
    p = report["paragraphs"]
    if p and p["most_removed"]:
        rows = [
            [_Raw(f"<td><pre>{_e(r['text'])}</pre></td>"), r["documents"], r["removed"]]
            for r in p["most_removed"]
        ]
        out.append(table(["paragraph", "documents holding it", "removed from"], rows, "paragraphs"))
    return out


def _shards(report: dict[str, Any]) -> list[str]:
    rows = [
        [s["path"], s["documents"], s["chars"], s["file_bytes"], s["text_bytes"], s["text_bytes_on_disk"]]
        for s in report["shards"]
    ]
    return [
        "<h2 id='shards'>Shards</h2>",
        table(["shard", "documents", "chars", "file bytes", "text bytes", "text bytes on disk"], rows),
    ]


def render_comparison(cmp: dict[str, Any]) -> str:
    a, b = cmp["a"], cmp["b"]

    def who(s: dict[str, Any], name: str) -> str:
        extra = f", re-decided from {_e(s['redecided_from'])}" if s["redecided_from"] else ""
        return f"<li><b>{name}</b>: {_e(s['path'])} (config {_e(s['config_hash'])}{extra}): {fmt(s['kept'])} of {fmt(s['records'])} kept</li>"

    body = [
        "<h1>Two runs side by side</h1>",
        f"<ul>{who(a, 'A')}{who(b, 'B')}</ul>",
        *_problems(cmp),
        "<h2 id='thresholds'>Thresholds that differ</h2>",
        table(
            ["rule", "bound", "A", "B"],
            [[t["reason"], t["bound"], t["a"], t["b"]] for t in cmp["thresholds_changed"]],
        )
        if cmp["thresholds_changed"]
        else "<p class='note'>none (or a config was not recorded)</p>",
        "<h2 id='funnel'>Funnels</h2><div class='plots'>",
        f"<div class='plot'>{_funnel_chart(a['funnel'], 'A: ' + a['path'])}</div>",
        f"<div class='plot'>{_funnel_chart(b['funnel'], 'B: ' + b['path'])}</div></div>",
        table(
            ["outcome", "A", "B", "change"],
            [[r["step"], r["a"], r["b"], _change(r["a"], r["b"])] for r in cmp["funnel"]],
        ),
        "<h2 id='domains'>Per domain</h2>",
        f"<div class='plot'>{_domain_compare_chart(cmp)}</div>",
        table(
            ["domain", "kept A", "kept B", "change", "dropped A", "dropped B", "per reason (A → B)"],
            [
                [
                    d["domain"],
                    d["kept_a"],
                    d["kept_b"],
                    _change(d["kept_a"], d["kept_b"]),
                    d["dropped_a"],
                    d["dropped_b"],
                    "; ".join(f"{r} {x:,} → {y:,}" for r, (x, y) in d["reasons"].items() if x != y) or "same",
                ]
                for d in cmp["domains"]
            ],
        ),
        "<h2 id='transitions'>Documents whose outcome changed</h2>",
        table(
            ["outcome in A", "outcome in B", "documents"],
            [[t["a"], t["b"], t["documents"]] for t in cmp["transitions"]],
        ),
        f"<p>only in A: {fmt(cmp['only_in_a'])}; only in B: {fmt(cmp['only_in_b'])}</p>",
        *_flip_section(cmp["kept_in_a_only"], "kept-a", "Kept by A, dropped by B"),
        *_flip_section(cmp["kept_in_b_only"], "kept-b", "Kept by B, dropped by A"),
    ]
    return _page(f"headwater stats: {a['path']} vs {b['path']}", body)


def _domain_compare_chart(cmp: dict[str, Any]) -> str:
    ds = cmp["domains"]
    series = [
        ("kept by A", [d["kept_a"] for d in ds], svg.KEPT),
        ("kept by B", [d["kept_b"] for d in ds], svg.OTHER_RUN),
    ]
    return svg.columns([d["domain"] for d in ds], series, "Kept per domain", stacked=False)


def _flip_section(side: dict[str, Any], anchor: str, title: str) -> list[str]:
    out = [f"<h2 id='{anchor}'>{_e(title)}: {fmt(side['documents'])}</h2>"]
    if not side["by_reason"]:
        return [*out, "<p class='note'>none</p>"]
    rows = [
        [
            g["reason"],
            g["documents"],
            ", ".join(f"{d} {n:,}" for d, n in g["per_domain"].items()),
            _Raw("<td>" + examples(g["examples"], "examples") + "</td>"),
        ]
        for g in side["by_reason"]
    ]
    return [*out, table(["reason (run that dropped)", "documents", "per domain", "examples"], rows)]
