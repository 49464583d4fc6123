"""A trainable quality classifier: fastText on text a team brings, and the card that says what it is.

DCLM (Li et al. 2024) found its largest single quality gain in a fastText classifier trained on
reference text (OpenHermes-2.5 and ELI5) against random crawl, keeping the best-scoring tenth of
the crawl; FineWeb-Edu's classifier did the same for its corpus. ``python -m corpus.quality
train`` trains such a model on positives and negatives a team brings (JSONL or our Parquet
shards), reports held-out precision and recall, and writes the model with a card (data, sizes,
metrics, hashes, the score distribution percentiles are read against). The ``quality_model``
filter (`corpus.filters.quality_model`) scores every document with it; its thresholds are
percentiles in the cleaning config, so a team re-decides with ``python -m corpus.policy``
without scoring again. Nothing is downloaded: the model is whatever the team trained.

- `texts`: reading the texts (JSONL, Parquet, a Stage 1 output), with the hashes of what was read;
- `card`: the card's typed model;
- `model`: the text a model sees, loading a trained model and scoring with it;
- `train`: the split, the training and the held-out metrics.
"""
