"""Encode the Stage 1 shards with the trained tokenizer and pack them into token shards.

``python -m tokenization.encode --input CLEAN_OUT --output TOK [--seq-len 256] [--workers N]``

For each domain, the Parquet shards are read in sorted path order and their rows in file order;
documents are encoded, framed with BOS and EOS as the tokenizer's training record says, packed
into samples of ``seq_len`` tokens and written as one MDS dataset ``TOK/<domain>``;
``TOK/manifest.json`` is written last. Workers encode whole shards in parallel but results are
packed in shard order, so the output bytes do not depend on the worker count; at most two shards
per worker are out at a time, so memory is bounded by the shard size, not the corpus.
"""

from __future__ import annotations

import argparse
import collections
import functools
import hashlib
import itertools
import logging
import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import sentencepiece as spm
from tqdm import tqdm

from common import storage
from common.cli import command
from common.errors import ConfigError, InputError
from formats.clean_manifest import read_clean_manifest
from formats.manifest_io import manifest_path
from formats.token_manifest import DomainTokens, SourceRef, TokenizerRef, TokenManifest, write_token_manifest
from tokenization.encoder import DocumentEncoder, EncodedShard, ShardEncoder, encode_shard, init_worker
from tokenization.model_files import (
    MODEL_FILE,
    TRAINING_RECORD_FILE,
    VOCAB_FILE,
    Framing,
    load_processor,
    read_tokenizer,
)
from tokenization.packing import DEFAULT_SHARD_BYTES, write_domain
from tokenization.sources import ParquetShard, find_shards

log = logging.getLogger(__name__)

AUTO_BYTES_PER_WORKER = 16 << 20
"""Auto mode starts one worker per this much Parquet: below it, starting a process (its imports
of sentencepiece and pyarrow) costs more than it saves."""


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def auto_workers(shards: list[ParquetShard]) -> int:
    """One worker per 16 MB of input Parquet, at most one per CPU and per shard."""
    size = sum(s.path.stat().st_size for s in shards)
    return max(1, min(cpu_count(), len(shards), size // AUTO_BYTES_PER_WORKER))


def _encoded(
    shards: list[ParquetShard], make_encoder: Callable[[], ShardEncoder], workers: int
) -> Iterator[EncodedShard]:
    """Encoded shards in the order given, whatever the number of workers.

    At most two shards per worker are out at a time, encoding or done and waiting for the packer
    (``imap`` would run ahead and hold the whole corpus whenever packing is the slower side).
    """
    if workers <= 1 or len(shards) <= 1:
        encoder = make_encoder()
        for shard in shards:
            yield encode_shard(shard, encoder)
        return
    # spawn: workers import only sentencepiece and pyarrow, never torch via the parent's state.
    ctx = multiprocessing.get_context("spawn")
    workers = min(workers, len(shards))
    with ctx.Pool(workers, initializer=init_worker, initargs=(make_encoder,)) as pool:
        todo = iter(shards)
        pending = collections.deque(
            pool.apply_async(encode_shard, (shard,)) for shard in itertools.islice(todo, 2 * workers)
        )
        while pending:
            done = pending.popleft().get()
            for shard in itertools.islice(todo, 1):
                pending.append(pool.apply_async(encode_shard, (shard,)))
            yield done


def _domain_batches(encoded: Iterator[EncodedShard], progress: tqdm) -> Iterator[EncodedShard]:
    for shard in encoded:
        progress.update(1)
        yield shard


def encode_corpus(
    clean_out: str | Path,
    output: str | Path,
    seq_len: int = 256,
    workers: int | None = None,
    tokenizer: str | Path | None = None,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    encoder: Callable[[], ShardEncoder] | None = None,
) -> TokenManifest:
    """Encode every domain of a Stage 1 output into ``output``; returns the manifest written.

    ``encoder`` builds what turns texts into ids in each worker (picklable); the default is
    SentencePiece with the tokenizer's model. bench/tokenizer_speed.py runs this same pipeline
    with Hugging Face's encoder in its place.
    """
    clean_out, output = Path(clean_out), Path(output)
    if seq_len <= 0:
        raise ConfigError(f"--seq-len: must be positive, got {seq_len}")
    files = read_tokenizer(tokenizer if tokenizer else output)
    model_path, model, framing = files.model_path, files.model, files.framing
    sp = load_processor(model)
    if sp.pad_id() < 0:
        raise InputError(f"{model_path}: the tokenizer needs a PAD id to pad the last sequence")
    stage1 = read_clean_manifest(str(clean_out))
    shards_by_domain = find_shards(clean_out, stage1)
    output.mkdir(parents=True, exist_ok=True)
    _copy_tokenizer(model_path, output)
    Path(manifest_path(str(output))).unlink(missing_ok=True)  # its presence must mean "complete"

    all_shards = [s for shards in shards_by_domain.values() for s in shards]
    if workers is None:
        workers = auto_workers(all_shards)
    log.info(
        "encoding %d shards with %d worker(s); documents framed as %s",
        len(all_shards),
        workers,
        _describe(framing, sp),
    )
    encoded = _encoded(all_shards, encoder or functools.partial(DocumentEncoder, model), workers)
    domains: dict[str, DomainTokens] = {}
    with tqdm(total=len(all_shards), desc="encode", unit="shard") as progress:
        try:
            for domain, shards in shards_by_domain.items():
                batches = _domain_batches(itertools.islice(encoded, len(shards)), progress)
                domains[domain] = _write_domain(
                    output / domain, batches, len(shards), seq_len, framing, sp.pad_id(), shard_bytes
                )
        finally:
            encoded.close()

    manifest = TokenManifest(
        seq_len=seq_len,
        vocab_size=sp.get_piece_size(),
        eos_id=sp.eos_id(),
        pad_id=sp.pad_id(),
        bos_id=sp.bos_id(),
        add_bos=framing.bos_id is not None,
        add_eos=framing.eos_id is not None,
        tokenizer=TokenizerRef(sha256=hashlib.sha256(model).hexdigest()),
        source=SourceRef(config_hash=stage1.config_hash),
        domains=domains,
    )
    write_token_manifest(str(output), manifest)
    return manifest


def _describe(framing: Framing, sp: spm.SentencePieceProcessor) -> str:
    bos = f"{sp.id_to_piece(framing.bos_id)} " if framing.bos_id is not None else ""
    eos = f" {sp.id_to_piece(framing.eos_id)}" if framing.eos_id is not None else ""
    return f"{bos}ids{eos}"


def _copy_tokenizer(model_path: Path, output: Path) -> None:
    """TOK is self-contained (docs/formats.md): the model that made the ids travels with them."""
    if model_path.resolve() == (output / MODEL_FILE).resolve():
        return
    shutil.copyfile(model_path, output / MODEL_FILE)
    for name in (VOCAB_FILE, TRAINING_RECORD_FILE):
        if model_path.name == MODEL_FILE and (model_path.parent / name).is_file():
            shutil.copyfile(model_path.parent / name, output / name)


def _write_domain(
    final: Path,
    batches: Iterator[EncodedShard],
    n_shards: int,
    seq_len: int,
    framing: Framing,
    pad_id: int,
    shard_bytes: int,
) -> DomainTokens:
    """Pack one domain's encoded shards into ``final`` (replaced whole); a domain without
    documents gets no folder."""
    chars = 0

    def token_batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        nonlocal chars
        for shard in batches:
            chars += shard.chars
            yield shard.tokens, shard.lengths

    with storage.staged_dir(final) as staged:
        stats = write_domain(
            staged, token_batches(), seq_len, framing.eos_id, pad_id, shard_bytes, bos_id=framing.bos_id
        )
    if not stats.documents:
        shutil.rmtree(final)
    log.info(
        "%s: %d documents, %d chars -> %d tokens, %d sequences of %d",
        final.name,
        stats.documents,
        chars,
        stats.tokens,
        stats.sequences,
        seq_len,
    )
    return DomainTokens(
        documents=stats.documents,
        tokens=stats.tokens,
        sequences=stats.sequences,
        padding=stats.padding,
        shards=n_shards,
    )


@command()
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tokenization.encode", description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="Stage 1 output folder (CLEAN_OUT)")
    parser.add_argument("--output", required=True, help="token folder (TOK), holding tokenizer.model")
    parser.add_argument("--seq-len", type=int, default=256, help="tokens per packed sample (default 256)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="encoding processes (default: one per 16 MB of input, up to the CPUs)",
    )
    parser.add_argument(
        "--tokenizer",
        default=None,
        help="tokenizer folder or SentencePiece model (default: OUTPUT/tokenizer.model)",
    )
    args = parser.parse_args(argv)
    if args.seq_len <= 0 or (args.workers is not None and args.workers <= 0):
        parser.error("--seq-len and --workers must be positive")
    manifest = encode_corpus(args.input, args.output, args.seq_len, args.workers, args.tokenizer)
    total = sum(d.tokens for d in manifest.domains.values())
    seqs = sum(d.sequences for d in manifest.domains.values())
    print(
        f"encoded {len(manifest.domains)} domains: {total:,} tokens in {seqs:,} sequences of {manifest.seq_len}"
    )
    for name, d in manifest.domains.items():
        print(f"  {name:<13} {d.documents:>8,} docs {d.tokens:>12,} tokens {d.sequences:>9,} sequences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
