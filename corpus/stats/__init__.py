"""Statistics of a cleaning run: what a data team opens first.

`build_report` gathers one run's numbers into one JSON-able document (exact counts from the
manifest, checked against ``attributes/``; scores, lengths, languages, hosts and duplicate
clusters from one streamed pass over ``attributes/``; shard sizes from Parquet footers; a few
example documents behind every number, with their text from the shards); `build_comparison` sets
two runs (or a run and a `corpus.policy` re-decision) side by side. The HTML, the terminal tables
and ``--json`` are drawn from these documents. Missing or damaged files are named; the rest is
still summarised.
"""

from corpus.stats.compare import build_comparison
from corpus.stats.report import build_report

__all__ = ["build_comparison", "build_report"]
