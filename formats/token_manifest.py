"""Stage 2's ``TOK/manifest.json``: the token shards per domain, read by the mixer and the trainer.

Written last by ``tokenization.encode``, so its presence means every domain's MDS dataset is
complete. ``seq_len``, ``vocab_size``, the special ids and each domain's counts are the contract;
``tokenizer`` and ``source`` say what made the tokens.
"""

from __future__ import annotations

from pydantic import Field

from formats.manifest_io import ManifestModel, read_model, write_model

TOKEN_MANIFEST_VERSION = 1
TOKENIZER_MODEL_FILE = "tokenizer.model"


class DomainTokens(ManifestModel):
    documents: int = Field(ge=0)
    tokens: int = Field(ge=0)
    """Document tokens including each document's EOS, excluding padding."""
    sequences: int = Field(ge=0)
    """Packed samples of exactly ``seq_len`` tokens (the last one padded)."""
    padding: int = Field(0, ge=0)
    shards: int = Field(0, ge=0)
    """Stage 1 Parquet shards read for this domain."""


class TokenizerRef(ManifestModel):
    model: str = TOKENIZER_MODEL_FILE
    sha256: str = ""


class SourceRef(ManifestModel):
    config_hash: str = ""
    """The Stage 1 run's config hash."""


class TokenManifest(ManifestModel):
    version: int = TOKEN_MANIFEST_VERSION
    seq_len: int = Field(gt=0)
    vocab_size: int = Field(gt=0)
    eos_id: int = Field(ge=0)
    pad_id: int = Field(ge=0)
    bos_id: int = Field(-1, ge=-1)
    add_bos: bool = False
    """Whether each document starts with ``bos_id``; a manifest without the key predates BOS."""
    add_eos: bool = True
    """Whether each document ends with ``eos_id``."""
    tokenizer: TokenizerRef = Field(default_factory=TokenizerRef)
    source: SourceRef = Field(default_factory=SourceRef)
    domains: dict[str, DomainTokens]


def read_token_manifest(tokens_dir: str) -> TokenManifest:
    """``tokens_dir/manifest.json``; a `ManifestError` names the file and the key."""
    return read_model(
        str(tokens_dir), TokenManifest, "a completed Stage 2 output", "python -m tokenization.encode"
    )


def write_token_manifest(tokens_dir: str, manifest: TokenManifest) -> str:
    return write_model(str(tokens_dir), manifest, sort_keys=True)
