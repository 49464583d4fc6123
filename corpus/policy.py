"""Keep or drop, decided over stored scores.

`decide` walks the configured filters in order and returns the first rule whose threshold the
document's scores break. It never runs a model, and it is the only place a verdict is reached:
the cleaner's loop asks it as the scores come in, and `redecide` asks it again over the
``scores`` column of a previous run's ``attributes/`` with a config of new thresholds (``python
-m corpus.policy``), which is how a team tunes thresholds without re-scoring and gets the answer
a fresh run would give.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence

from rich.console import Console
from rich.table import Table

from common.cli import command
from common.config import load_config
from common.storage import join
from corpus import shards
from corpus.config import CleanConfig
from corpus.filters.base import FILTERS, Filter
from formats.clean_manifest import KEPT, read_clean_manifest
from formats.documents import is_error_reason


def build_filters(config: CleanConfig) -> list[Filter]:
    """The configured chain, in order; models are loaded later by each filter's ``setup``."""
    return [FILTERS[spec.name](spec) for spec in config.filters]


def applies(flt: Filter, domain: str) -> bool:
    return domain not in flt.config.skip_domains


def decide(filters: Sequence[Filter], scores: Mapping[str, float], domain: str) -> str | None:
    """The drop reason (``<filter>.<rule>``) of the first filter, in chain order, whose rules
    ``scores`` (a document's prefixed score map) break, or None to keep.

    Filters that skip ``domain`` are passed over; a filter without scores of its own (it never
    ran on the document) drops nothing.
    """
    for flt in filters:
        if applies(flt, domain) and (rule := flt.verdict(flt.scores_of(scores))) is not None:
            return flt.reason(rule)
    return None


def redecide(out: str, config: CleanConfig) -> dict[str, dict[str, int]]:
    """Outcome counts of a finished run under ``config``'s thresholds, from stored scores only.

    Documents dropped before the filters (corrupt, not HTML, extraction ...), by a filter that
    raised (``<filter>.error``: never fully scored) and duplicates keep their reason; the others
    are re-decided. Returns ``{"before": {...}, "after": {...}}`` mapping outcome (``kept`` or
    reason) to documents.
    """
    filters = build_filters(config)
    filter_prefixes = tuple(f"{name}." for name in FILTERS)
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for rel in read_clean_manifest(out).attributes:
        table = shards.read_parquet(join(out, rel), ["domain", "scores", "drop_reason"])
        for domain, scores, reason in zip(
            table["domain"].to_pylist(),
            table["scores"].to_pylist(),
            table["drop_reason"].to_pylist(),
            strict=True,
        ):
            old = reason or KEPT
            before[old] = before.get(old, 0) + 1
            if reason is None or (reason.startswith(filter_prefixes) and not is_error_reason(reason)):
                new = decide(filters, dict(scores or []), domain) or KEPT
            else:
                new = old
            after[new] = after.get(new, 0) + 1
    return {"before": before, "after": after}


@command()
def main(argv: list[str] | None = None) -> int:
    """``python -m corpus.policy --input CLEAN_OUT --config new.yaml``: what new thresholds would
    keep and drop, from the stored scores."""
    parser = argparse.ArgumentParser(prog="python -m corpus.policy", description=main.__doc__)
    parser.add_argument("--input", required=True, help="a finished `pipelines.clean` output folder")
    parser.add_argument("--config", required=True, help="a cleaning config with the thresholds to try")
    args = parser.parse_args(argv)
    result = redecide(args.input, load_config(args.config, CleanConfig))
    table = Table(title=f"{args.input} re-decided with {args.config} (no re-scoring)")
    for col in ("outcome", "before", "after", "change"):
        table.add_column(col, justify="left" if col == "outcome" else "right")
    outcomes = sorted(set(result["before"]) | set(result["after"]), key=lambda o: (o != "kept", o))
    for o in outcomes:
        b, a = result["before"].get(o, 0), result["after"].get(o, 0)
        table.add_row(o, f"{b:,}", f"{a:,}", f"{a - b:+,}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
