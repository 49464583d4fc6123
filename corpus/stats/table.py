"""The terminal view: per-domain, per-shard and per-reason tables (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from corpus.stats.collect import RunStats


def _n(x: int | float | None) -> str:
    if x is None:
        return "-"
    return f"{x:,.0f}" if isinstance(x, int) or float(x).is_integer() else f"{x:,.1f}"


def domain_table(stats: RunStats) -> Table:
    t = Table(title="Kept documents per domain")
    for col in ("domain", "documents", "tokens", "text bytes", "mean chars", "median chars", "dropped"):
        t.add_column(col, justify="left" if col == "domain" else "right", overflow="fold")
    for d in stats.domains.values():
        t.add_row(
            d.domain,
            _n(d.documents),
            _n(d.tokens),
            _n(d.text_bytes),
            _n(d.mean_chars),
            _n(d.median_chars),
            _n(sum(d.dropped.values())),
        )
    total_tokens = sum(d.tokens or 0 for d in stats.domains.values()) if stats.token_manifest else None
    t.add_row(
        "[b]total",
        _n(sum(d.documents for d in stats.domains.values())),
        _n(total_tokens),
        _n(sum(d.text_bytes for d in stats.domains.values())),
        "",
        "",
        _n(sum(sum(d.dropped.values()) for d in stats.domains.values())),
    )
    return t


def shard_table(stats: RunStats) -> Table:
    t = Table(title="Shards")
    for col in ("shard", "documents", "text bytes", "file bytes", "mean chars"):
        t.add_column(col, justify="left" if col == "shard" else "right", overflow="fold")
    for s in stats.shards:
        t.add_row(s.path, _n(s.documents), _n(s.text_bytes), _n(s.file_bytes), _n(s.mean_chars))
    return t


def reason_table(stats: RunStats) -> Table:
    domains = list(stats.domains)
    t = Table(title="Drops per reason and domain")
    t.add_column("reason", overflow="fold")
    for d in domains:
        t.add_column(d, justify="right")
    t.add_column("total", justify="right")
    reasons = sorted(stats.manifest.counts.dropped.items(), key=lambda kv: -kv[1])
    for reason, total in reasons:
        t.add_row(reason, *[_n(stats.domains[d].dropped.get(reason, 0)) for d in domains], _n(total))
    c = stats.manifest.counts
    t.add_row("[b]kept", *[_n(stats.domains[d].documents) for d in domains], _n(c.kept))
    t.add_row("[b]records", *["" for _ in domains], _n(c.records))
    return t


def print_report(stats: RunStats, console: Console | None = None) -> None:
    console = console or Console()
    console.print(domain_table(stats))
    console.print(reason_table(stats))
    console.print(shard_table(stats))
    if stats.languages:
        top = ", ".join(f"{k} {v}" for k, v in list(stats.languages.items())[:10])
        console.print(f"languages (all documents scored): {top}")
    for p in stats.problems:
        console.print(f"[red]problem:[/red] {p}")
