"""The held-out split's record, ``SPLIT/split.json``, written by ``python -m mixer split``.

``SPLIT/train`` and ``SPLIT/heldout`` are Stage 2 outputs (`formats.token_manifest`); this
record says how they were cut, so an evaluation can name the share it measured on.
"""

from __future__ import annotations

from pydantic import Field

from formats.manifest_io import ManifestModel

TRAIN_DIR = "train"
HELDOUT_DIR = "heldout"
SPLIT_FILE = "split.json"


class SplitPart(ManifestModel):
    documents: int = Field(0, ge=0)
    tokens: int = Field(0, ge=0)
    """Framed document tokens (BOS/EOS included, padding excluded)."""
    sequences: int = Field(0, ge=0)
    padding: int = Field(0, ge=0)


class SplitRecord(ManifestModel):
    source: str
    """The Stage 2 output that was split."""
    salt: str
    """Salt of the per-document hash: the same salt holds out the same documents."""
    shares: dict[str, float]
    """Requested held-out share of each domain's documents."""
    train: dict[str, SplitPart]
    heldout: dict[str, SplitPart]
