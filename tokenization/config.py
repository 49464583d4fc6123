"""The tokenizer config (`configs/tokenizer.yaml`), validated at start-up.

Everything that changes the trained model's bytes lives here, including the trainer's thread
count: SentencePiece's unigram trainer gives different models for different thread counts (its
BPE trainer does not), so the count is pinned by the config instead of read from the machine.
The validated config is saved beside the model as ``tokenizer_training.json``; it also says where
BOS and EOS go, so `tokenization.encode` and `tokenization.export` read one answer from the
tokenizer folder and the exported tokenizer frames documents as the token shards do.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from common.config import StrictModel


class SampleConfig(StrictModel):
    """Which documents the tokenizer learns from: a seeded, domain-balanced sample.

    Each domain contributes the documents with the smallest ``xxh64(seed, id)`` (a bottom-k
    sample): uniform, independent of shard order and worker count, and the same on every run.
    """

    seed: int = Field(0, ge=0)
    max_documents_per_domain: int = Field(20_000, gt=0)
    """Documents drawn per domain; small domains contribute everything they have."""
    max_chars_per_domain: int = Field(20_000_000, gt=0)
    """Stop adding a domain's sampled documents past this many characters. Applied in hash order
    to Stage 1's ``n_chars`` before any text is read, so the sample's memory is bounded by the
    caps, not by the corpus; ``tokenizer_training.json`` records which cap stopped each domain."""


class TokenizerConfig(StrictModel):
    model_type: Literal["bpe", "unigram"] = "bpe"
    vocab_size: int = Field(3000, gt=0)
    """Demo default: a few hundred documents (1-2 MB) support a few thousand pieces; Llama uses
    32000 on trillions of tokens. Too large a value for the corpus fails with the largest size
    SentencePiece can reach."""
    character_coverage: float = Field(0.9995, gt=0, le=1)
    """Share of characters covered by single-character pieces; the rarest fall back to bytes
    (SentencePiece's recommendation for languages with small alphabets)."""
    byte_fallback: bool = True
    """Unknown characters become UTF-8 byte pieces instead of <unk>, so encoding is lossless."""
    split_digits: bool = True
    """One piece per digit, as in Llama and PaLM: arithmetic sees digits, not arbitrary chunks."""
    normalization: Literal["identity", "nfkc", "nmt_nfkc", "nfkc_cf", "nmt_nfkc_cf"] = "identity"
    """``identity`` keeps text byte-exact (code, maths); the NFKC rules fold compatibility forms."""
    remove_extra_whitespaces: bool = False
    """False keeps indentation and blank lines, which carry meaning in code."""
    add_dummy_prefix: bool = True
    allow_whitespace_only_pieces: bool = True
    max_sentence_length: int = Field(16_384, ge=64)
    """Bytes per training chunk; documents are cut at line breaks into chunks of at most this."""
    unk_id: int = Field(0, ge=0)
    bos_id: int = Field(1, ge=-1)
    eos_id: int = Field(2, ge=0)
    pad_id: int = Field(3, ge=0)
    """The packer pads the last partial sequence of each domain with this id (docs/formats.md)."""
    add_bos: bool = True
    """BOS before every document, as Llama's tokenizer does: the first token of a document is
    then always predicted from the same context, wherever packing puts it."""
    add_eos: bool = True
    """EOS after every document: the model learns where a document ends."""
    num_threads: int = Field(2, gt=0)
    sample: SampleConfig = Field(default_factory=SampleConfig)

    @model_validator(mode="after")
    def _distinct_special_ids(self) -> TokenizerConfig:
        if not (self.add_bos or self.add_eos):
            # a document needs a token of its own: packing and the segment ids count on it
            raise ValueError("add_bos and add_eos are both false: documents would run together")
        if self.add_bos and self.bos_id < 0:
            raise ValueError("add_bos: true needs a BOS piece (bos_id >= 0)")
        ids = {"unk_id": self.unk_id, "bos_id": self.bos_id, "eos_id": self.eos_id, "pad_id": self.pad_id}
        used = {k: v for k, v in ids.items() if v >= 0}
        if len(set(used.values())) != len(used):
            raise ValueError(f"special ids must be distinct: {used}")
        top = max(used.values())
        if top >= len(used):
            # SentencePiece places special pieces first; a gap would leave ids without a piece.
            raise ValueError(f"special ids must be 0..{len(used) - 1} (one each), got {used}")
        specials = len(used) + (256 if self.byte_fallback else 0)
        if self.vocab_size <= specials:
            raise ValueError(
                f"vocab_size: {self.vocab_size} leaves no room for learned pieces "
                f"({specials} ids are special or byte-fallback pieces)"
            )
        return self
