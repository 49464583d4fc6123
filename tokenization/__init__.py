"""Stage 2: SentencePiece tokenizer training and encoding of cleaned text into packed token shards.

`tokenization.train` learns a tokenizer from a seeded sample of the Stage 1 Parquet shards;
`tokenization.encode` turns every kept document into token ids and packs them into fixed-length
MDS samples that the mixer (Stage 3) and the trainer read. Layouts: docs/formats.md.
"""
