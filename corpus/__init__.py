"""Document logic of headwater: records, WARC reading, extraction, filters, dedup, shards, stats.

Nothing here imports Beam, torch or DeepSpeed: the same code runs in a unit test, a notebook and
inside any Beam runner.
"""
