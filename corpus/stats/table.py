"""The terminal view of the report document: the tables a data team reads first (rich); the
examples and histograms are in the HTML."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from corpus.stats.svg import fmt


def _table(title: str, headers: list[str], rows: list[list[Any]]) -> Table:
    t = Table(title=title)
    for i, h in enumerate(headers):
        t.add_column(h, justify="left" if i == 0 else "right", overflow="fold")
    for row in rows:
        t.add_row(*[v if isinstance(v, str) else fmt(v) for v in row])
    return t


def print_report(report: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    domains = [d["domain"] for d in report["domains"]]
    console.print(
        _table(
            "Documents per domain",
            ["domain", "kept", "dropped", "kept chars", "tokens", "median chars"],
            [
                [d["domain"], d["kept"], d["dropped"], d["kept_chars"], d["tokens"], d["median_chars"]]
                for d in report["domains"]
            ],
        )
    )
    run = report["run"]
    rows = [
        [r["reason"], *[r["per_domain"].get(d, 0) for d in domains], r["documents"]]
        for r in report["reasons"]
    ]
    rows.append(["[b]kept", *[d["kept"] for d in report["domains"]], run["kept"]])
    rows.append(["[b]records", *["" for _ in domains], run["records"]])
    console.print(_table("Drops per reason and domain", ["reason", *domains, "total"], rows))
    for d in report["dedup"]:
        sizes = ", ".join(f"{s['clusters']:,}x{s['size']}" for s in d["sizes"][:8])
        console.print(
            f"{d['reason']}: {d['copies']:,} copies in {d['clusters']:,} clusters (clusters x size: {sizes})"
        )
    if report["paragraphs"] is not None:
        console.print(f"paragraph dedup: {report['paragraphs_note']}")
    if report["languages"]:
        top = ", ".join(f"{r['lang']} {r['kept']:,}/{r['dropped']:,}" for r in report["languages"][:10])
        console.print(f"languages (kept/dropped): {top}")
    hosts = ", ".join(
        f"{r['host']} {r['dropped']:,} ({r['main_reason']})" for r in report["hosts"]["dropped"][:5]
    )
    if hosts:
        console.print(f"most dropped hosts: {hosts}")
    if report["tokens"]:
        t = report["tokens"]
        console.print(
            f"tokens: {t['tokens']:,} in sequences of {t['seq_len']}, fill {100 * (t['fill'] or 0):.2f}%"
        )
    for n in report["notes"]:
        console.print(f"[yellow]note:[/yellow] {n}")
    for p in report["problems"]:
        console.print(f"[red]problem:[/red] {p}")


def print_comparison(cmp: dict[str, Any], console: Console | None = None) -> None:
    console = console or Console()
    a, b = cmp["a"]["path"], cmp["b"]["path"]
    console.print(
        _table(
            "Outcomes, A and B",
            ["outcome", "A", "B", "change"],
            [[r["step"], r["a"], r["b"], f"{r['b'] - r['a']:+,}"] for r in cmp["funnel"]],
        )
    )
    console.print(
        _table(
            "Kept per domain",
            ["domain", "A", "B", "change"],
            [
                [r["domain"], r["kept_a"], r["kept_b"], f"{r['kept_b'] - r['kept_a']:+,}"]
                for r in cmp["domains"]
            ],
        )
    )
    for key, label in (
        ("kept_in_a_only", f"kept by A ({a}), dropped by B"),
        ("kept_in_b_only", f"kept by B ({b}), dropped by A"),
    ):
        side = cmp[key]
        by = ", ".join(f"{g['reason']} {g['documents']:,}" for g in side["by_reason"][:8])
        console.print(f"{label}: {side['documents']:,}" + (f" ({by})" if by else ""))
    if cmp["only_in_a"] or cmp["only_in_b"]:
        console.print(f"documents in only one run: A {cmp['only_in_a']:,}, B {cmp['only_in_b']:,}")
    for p in cmp["problems"]:
        console.print(f"[red]problem:[/red] {p}")
