"""Statistics of a cleaning run: what a data team opens first.

`collect` reads a run's ``manifest.json`` (exact counts per domain and reason), its shards
(documents, bytes, lengths per shard, read from Parquet columns without loading whole rows) and
its ``attributes/`` (every score of every document, for histograms), plus a token folder's
manifest when given. Missing or unreadable shards are reported by name; the rest is still
summarised.
"""

from corpus.stats.collect import RunStats, collect

__all__ = ["RunStats", "collect"]
