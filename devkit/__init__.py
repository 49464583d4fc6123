"""Development tools, not library code: nothing under `common`, `formats` or a stage imports them.

- `sample`: the seeded sample-crawl generator behind ``make demo`` and the pipeline tests;
- `warc`: the one WARC writer (warcio) of the sample, the tests' small files and the benchmark inputs;
- `synthetic`: seeded texts and near-duplicate pairs of known Jaccard similarity;
- `near_dedup_reference`: the single-machine near dedup the Beam pipeline is checked against;
- `extraction_metric`: the word-level precision/recall/F1 the extraction benchmarks report;
- `token_source`: random packed token shards as a trainer data source, for the GPU checks and
  the training bench.

They ship in neither the wheel nor the worker image (the GPU image carries them for its checks).
"""
