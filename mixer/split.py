"""The held-out split: documents of each domain set aside for evaluation, never trained on.

Which documents are held out is decided per document, from a hash of its framed token ids
(salted): a document lands on the same side whatever else the corpus holds, so a corpus that grows
keeps its old held-out documents held out, and an exact duplicate can never sit on both sides.
Stage 2's shards carry no Stage 1 document id, so the token ids are the document's identity here
(the same text and tokenizer give the same ids, docs/formats.md).

Documents are recovered from the packed sequences by their framing (a document ends at EOS, or
starts at BOS) and packed again, each side on its own, by the Stage 2 rule: framed documents
concatenated in order and cut into ``seq_len`` rows, segments numbered from 0 in each row, the
last row padded with ``pad_id`` and segment -1. With nothing held out, the train side is
byte-for-byte the input. ``SPLIT/train`` and ``SPLIT/heldout`` are each a complete Stage 2 output
(manifest and tokenizer files included), so the mixer and trainer read ``SPLIT/train`` as any token
directory and the evaluation reads ``SPLIT/heldout``; ``SPLIT/split.json`` records the shares.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xxhash

from common import storage
from common.errors import InputError
from common.streaming import import_streaming
from formats.heldout import HELDOUT_DIR, SPLIT_FILE, TRAIN_DIR, SplitPart, SplitRecord
from formats.manifest_io import ManifestError
from formats.token_manifest import DomainTokens, TokenManifest, read_token_manifest, write_token_manifest
from formats.token_shards import PADDING_SEGMENT, TOKEN_COLUMNS
from mixer.config import HeldoutConfig

log = logging.getLogger(__name__)

SHARD_BYTES = 1 << 26
"""MDS shard size of the split's datasets (Stage 2's default)."""
_HASH_SPACE = float(1 << 64)
TOKENIZER_FILES = ("tokenizer.model", "tokenizer.vocab", "tokenizer_training.json")


def heldout_fraction(doc: np.ndarray, salt: str) -> float:
    """The document's place in [0, 1): held out when below the domain's share."""
    return xxhash.xxh64_intdigest(np.ascontiguousarray(doc, dtype=np.int32).tobytes(), seed=_seed(salt)) / (
        _HASH_SPACE
    )


def _seed(salt: str) -> int:
    return xxhash.xxh64_intdigest(salt.encode("utf-8"))


def read_documents(domain_dir: Path, manifest: TokenManifest) -> Iterator[np.ndarray]:
    """The framed documents of one domain's token shards, in order.

    Segments restart at 0 in every row, so a row boundary is a document boundary only when the
    framing says so: the previous row ended with EOS, or this row starts with BOS."""
    streaming = import_streaming()
    if not (domain_dir / "index.json").is_file():
        raise InputError(f"{domain_dir / 'index.json'}: no MDS index; expected Stage 2 token shards here")
    data = streaming.LocalDataset(local=str(domain_dir))
    current: list[np.ndarray] = []
    for i in range(len(data)):
        sample = data[i]
        tokens = np.asarray(sample["tokens"], dtype=np.int32)
        segments = np.asarray(sample["segments"], dtype=np.int32)
        keep = segments != PADDING_SEGMENT
        tokens, segments = tokens[keep], segments[keep]
        if not len(tokens):
            continue
        starts_new = manifest.add_bos and tokens[0] == manifest.bos_id
        if current and (starts_new or (manifest.add_eos and current[-1][-1] == manifest.eos_id)):
            yield np.concatenate(current)
            current = []
        cuts = np.flatnonzero(np.diff(segments)) + 1
        pieces = np.split(tokens, cuts)
        for piece in pieces[:-1]:
            current.append(piece)
            yield np.concatenate(current)
            current = []
        current.append(pieces[-1])
    if current:
        yield np.concatenate(current)


class _Packer:
    """Framed documents -> rows of ``seq_len`` written to an MDS dataset (the Stage 2 rule)."""

    def __init__(self, out_dir: Path, seq_len: int, pad_id: int) -> None:
        streaming = import_streaming()
        self.seq_len, self.pad_id = seq_len, pad_id
        self.writer = streaming.MDSWriter(
            out=str(out_dir), columns=TOKEN_COLUMNS, compression=None, size_limit=SHARD_BYTES
        )
        self.tokens: list[np.ndarray] = []
        self.docs: list[np.ndarray] = []
        self.buffered = 0
        self.counts = {"documents": 0, "tokens": 0, "sequences": 0, "padding": 0}

    def add(self, doc: np.ndarray) -> None:
        self.tokens.append(doc)
        self.docs.append(np.full(len(doc), self.counts["documents"], dtype=np.int64))
        self.counts["documents"] += 1
        self.counts["tokens"] += len(doc)
        self.buffered += len(doc)
        if self.buffered >= 64 * self.seq_len:
            self._flush(final=False)

    def _flush(self, final: bool) -> None:
        tokens = np.concatenate(self.tokens) if self.tokens else np.empty(0, np.int32)
        docs = np.concatenate(self.docs) if self.docs else np.empty(0, np.int64)
        full = len(tokens) // self.seq_len
        cut = full * self.seq_len
        for row in range(full):
            t = tokens[row * self.seq_len : (row + 1) * self.seq_len]
            d = docs[row * self.seq_len : (row + 1) * self.seq_len]
            self._write(t, (d - d[0]).astype(np.int32))
        tokens, docs = tokens[cut:], docs[cut:]
        if final and len(tokens):
            padded = np.full(self.seq_len, self.pad_id, dtype=np.int32)
            segments = np.full(self.seq_len, PADDING_SEGMENT, dtype=np.int32)
            padded[: len(tokens)] = tokens
            segments[: len(tokens)] = docs - docs[0]
            self.counts["padding"] += self.seq_len - len(tokens)
            self._write(padded, segments)
            tokens, docs = tokens[:0], docs[:0]
        self.tokens, self.docs, self.buffered = [tokens], [docs], len(tokens)

    def _write(self, tokens: np.ndarray, segments: np.ndarray) -> None:
        self.writer.write(
            {"tokens": np.ascontiguousarray(tokens), "segments": np.ascontiguousarray(segments)}
        )
        self.counts["sequences"] += 1

    def finish(self) -> SplitPart:
        self._flush(final=True)
        self.writer.finish()
        return SplitPart(**self.counts)


@dataclass(frozen=True)
class SplitResult:
    train: Path
    heldout: Path
    record: SplitRecord


def split_tokens(tokens_dir: str | Path, output: str | Path, config: HeldoutConfig) -> SplitResult:
    """Write ``output/train`` and ``output/heldout`` from the Stage 2 output ``tokens_dir``
    (``output`` is replaced whole, atomically)."""
    tokens_dir = Path(tokens_dir).resolve()
    try:
        manifest = read_token_manifest(str(tokens_dir))
    except ManifestError as err:
        raise InputError(str(err)) from None
    record = SplitRecord(source=str(tokens_dir), salt=config.salt, shares={}, train={}, heldout={})
    with storage.staged_dir(Path(output)) as staged:
        manifests = {}
        for side in (TRAIN_DIR, HELDOUT_DIR):
            (staged / side).mkdir()
            for name in TOKENIZER_FILES:
                if (tokens_dir / name).is_file():
                    shutil.copy2(tokens_dir / name, staged / side / name)
            manifests[side] = manifest.model_copy(deep=True, update={"domains": {}})
        for domain, have in manifest.domains.items():
            share = config.share_of(domain)
            record.shares[domain] = share
            if have.sequences == 0:
                for side, part in ((TRAIN_DIR, record.train), (HELDOUT_DIR, record.heldout)):
                    part[domain] = SplitPart()
                    manifests[side].domains[domain] = DomainTokens(documents=0, tokens=0, sequences=0)
                continue
            packers = {
                side: _Packer(staged / side / domain, manifest.seq_len, manifest.pad_id)
                for side in (TRAIN_DIR, HELDOUT_DIR)
            }
            for doc in read_documents(tokens_dir / domain, manifest):
                side = HELDOUT_DIR if heldout_fraction(doc, config.salt) < share else TRAIN_DIR
                packers[side].add(doc)
            for side, part in ((TRAIN_DIR, record.train), (HELDOUT_DIR, record.heldout)):
                part[domain] = done = packers[side].finish()
                if done.documents == 0:
                    shutil.rmtree(staged / side / domain)  # Stage 2 writes no folder for an empty domain
                manifests[side].domains[domain] = DomainTokens(
                    documents=done.documents,
                    tokens=done.tokens,
                    sequences=done.sequences,
                    padding=done.padding,
                    shards=have.shards,
                )
            found = record.train[domain].documents + record.heldout[domain].documents
            if found != have.documents:
                raise InputError(
                    f"{tokens_dir / domain}: found {found} documents by their framing, the manifest says "
                    f"{have.documents} (add_bos {manifest.add_bos}, add_eos {manifest.add_eos})"
                )
            log.info(
                "%s: %d of %d documents held out (%d tokens, share %g)",
                domain,
                record.heldout[domain].documents,
                have.documents,
                record.heldout[domain].tokens,
                share,
            )
        for side in (TRAIN_DIR, HELDOUT_DIR):
            write_token_manifest(str(staged / side), manifests[side])
        storage.write_bytes(str(staged / SPLIT_FILE), record.model_dump_json(indent=2).encode("utf-8"))
    out = Path(output)
    return SplitResult(out / TRAIN_DIR, out / HELDOUT_DIR, record)
