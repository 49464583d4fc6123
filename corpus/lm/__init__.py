"""N-gram language models for the perplexity filter: a trainer, KenLM scoring, built-in models.

`corpus.lm.kneser_ney` trains interpolated modified Kneser-Ney models and writes ARPA files,
`corpus.lm.model` scores documents CCNet's way with KenLM, `corpus.lm.builtin` builds and caches
the models trained on the reference text shipped in ``corpus/data/lm``, and ``python -m
corpus.lm`` calibrates cutoffs and trains models for other languages.
"""
