"""A tokenizer folder: the SentencePiece model, its vocabulary listing and its training record.

``--tokenizer`` names the folder (TOK, where `tokenization.train` writes) or the model file in
it. The training record beside the model holds the config the model was trained with, and with
it where BOS and EOS go; `tokenization.encode` and `tokenization.export` both read that one
answer, so the token shards and the exported Hugging Face tokenizer frame documents alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import sentencepiece as spm

from common.config import parse_config
from common.errors import InputError
from formats.token_manifest import TOKENIZER_MODEL_FILE
from tokenization.config import TokenizerConfig

MODEL_FILE = TOKENIZER_MODEL_FILE
VOCAB_FILE = "tokenizer.vocab"
TRAINING_RECORD_FILE = "tokenizer_training.json"
"""Not ``tokenizer.json``: that is the Hugging Face file `tokenization.export` writes."""


@dataclass(frozen=True, slots=True)
class Framing:
    """The special ids around every document: ``[bos] ids [eos]`` (None: not written)."""

    bos_id: int | None
    eos_id: int | None

    @property
    def extra(self) -> int:
        """Special tokens added to each document."""
        return (self.bos_id is not None) + (self.eos_id is not None)


@dataclass(frozen=True, slots=True)
class TokenizerFiles:
    model_path: Path
    model: bytes
    config: TokenizerConfig | None
    """The training record's config; None for a model trained elsewhere (no record beside it)."""
    framing: Framing


def load_processor(model: bytes) -> spm.SentencePieceProcessor:
    return spm.SentencePieceProcessor(model_proto=model)


def model_path(path: str | Path) -> Path:
    """The model file of a tokenizer folder, or ``path`` itself when it names a file."""
    path = Path(path)
    return path / MODEL_FILE if path.is_dir() else path


def read_tokenizer(path: str | Path) -> TokenizerFiles:
    """The model and its training record; errors name the file and what to run."""
    where = model_path(path)
    try:
        model = where.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{where}: tokenizer not found (run python -m tokenization.train first)") from None
    try:
        sp = load_processor(model)
    except (RuntimeError, OSError) as err:
        raise InputError(f"{where}: not a SentencePiece model ({err})") from None
    config = _read_record(where.parent / TRAINING_RECORD_FILE)
    return TokenizerFiles(where, model, config, _framing(sp, config, where))


def _read_record(record: Path) -> TokenizerConfig | None:
    if not record.is_file():
        return None
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{record}: cannot read the training record: {err}") from None
    if not isinstance(data, dict) or "config" not in data:
        raise InputError(f"{record}: config: missing (not a training record of tokenization.train)")
    return parse_config(data["config"], TokenizerConfig, f"{record}: config", error=InputError)


def _framing(sp: spm.SentencePieceProcessor, config: TokenizerConfig | None, where: Path) -> Framing:
    """Where BOS and EOS go: the record's ``add_bos``/``add_eos``; without a record, BOS when the
    model has one and EOS always (the defaults of configs/tokenizer.yaml)."""
    add_bos = config.add_bos if config else sp.bos_id() >= 0
    add_eos = config.add_eos if config else True
    if add_bos and sp.bos_id() < 0:
        raise InputError(f"{where}: the config asks for BOS before each document but the model has no BOS")
    if add_eos and sp.eos_id() < 0:
        raise InputError(f"{where}: the config asks for EOS after each document but the model has no EOS")
    return Framing(sp.bos_id() if add_bos else None, sp.eos_id() if add_eos else None)
