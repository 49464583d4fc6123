"""Train the SentencePiece tokenizer on a seeded sample of the Stage 1 shards.

``python -m tokenization.train --input CLEAN_OUT --output TOK [--config configs/tokenizer.yaml]``

Writes ``TOK/tokenizer.model`` (the SentencePiece model), ``TOK/tokenizer.vocab`` (one
``piece<TAB>score`` line per id, SentencePiece's layout with control characters escaped) and
``TOK/tokenizer_training.json`` (the config it was trained with and what it saw; not named
``tokenizer.json``, the Hugging Face file a user would expect under that name). Same input and
config give the same model bytes: the sample is chosen by hashing document ids, the sentences
reach the trainer in a fixed order through an iterator (a temporary input file would put its
random name into the model), and the trainer's thread count comes from the config.
"""

from __future__ import annotations

import argparse
import heapq
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sentencepiece as spm
import xxhash
from tqdm import tqdm

from common import storage
from common.cli import command
from common.config import load_config
from common.errors import UserError
from tokenization.config import TokenizerConfig
from tokenization.model_files import MODEL_FILE, TRAINING_RECORD_FILE, VOCAB_FILE
from tokenization.sources import ParquetShard, find_shards, iter_text_batches, read_ids

log = logging.getLogger(__name__)

__all__ = ["MODEL_FILE", "TRAINING_RECORD_FILE", "VOCAB_FILE", "main", "sample_documents", "train_tokenizer"]

_TOO_HIGH = re.compile(r"Vocabulary size too high \((\d+)\)\. Please set it to a value <= (\d+)")


class TokenizerTrainingError(UserError):
    """Training cannot produce the requested model (e.g. a vocabulary larger than the corpus)."""


@dataclass
class DomainSample:
    domain: str
    documents_available: int = 0
    documents: int = 0
    chars: int = 0
    capped_by: str = ""
    """What stopped the draw: "documents" (max_documents_per_domain), "chars"
    (max_chars_per_domain), or "" when the domain gave everything it has."""


@dataclass
class Sample:
    """The training text, domain by domain, and how much of each domain it holds."""

    texts: list[str] = field(default_factory=list)
    domains: dict[str, DomainSample] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    """Document ids in the order the trainer sees their texts."""

    @property
    def documents(self) -> int:
        return len(self.texts)

    @property
    def chars(self) -> int:
        return sum(d.chars for d in self.domains.values())

    @property
    def digest(self) -> str:
        """xxh64 of the sampled ids in order: two runs drew the same sample exactly when equal."""
        return xxhash.xxh64_hexdigest("\n".join(self.ids).encode("utf-8"))


def _sample_key(seed: int, doc_id: str) -> int:
    return xxhash.xxh64_intdigest(doc_id.encode("utf-8"), seed=seed)


def _sample_keys(
    shards: list[ParquetShard], seed: int, stats: DomainSample
) -> Iterator[tuple[int, str, int, int, int]]:
    """(hash, id, shard index, row, characters) of every document of a domain, one shard's ids
    in memory at a time; counts them into ``stats``."""
    for s, shard in enumerate(tqdm(shards, desc=f"sample {stats.domain}", unit="shard", leave=False)):
        ids, sizes = read_ids(shard)
        for row, doc_id in enumerate(ids):
            stats.documents_available += 1
            yield _sample_key(seed, doc_id), doc_id, s, row, sizes[row] if sizes else 0


def sample_documents(clean_out: str | Path, config: TokenizerConfig) -> Sample:
    """A bottom-k sample by ``xxh64(seed, id)`` per domain, capped in documents and characters.

    Hashing ids rather than drawing from an RNG over rows makes the sample independent of how
    Stage 1 sharded the documents, and the same on every run. Memory is bounded by the caps,
    not the corpus: the k smallest keys are kept in a heap while the ids stream past, the
    character cap is applied to Stage 1's ``n_chars`` in hash order, and only then are the
    chosen texts read (the cap is checked again on the texts themselves).
    """
    cfg = config.sample
    sample = Sample()
    for domain, shards in find_shards(clean_out).items():
        stats = DomainSample(domain)
        keys = heapq.nsmallest(cfg.max_documents_per_domain, _sample_keys(shards, cfg.seed, stats))
        chosen, planned = [], 0
        for key in keys:
            if chosen and planned + key[4] > cfg.max_chars_per_domain:
                break
            chosen.append(key)
            planned += key[4]
        wanted: dict[int, set[int]] = {}
        for _, _, s, row, _ in chosen:
            wanted.setdefault(s, set()).add(row)
        texts = _read_rows(shards, wanted)
        for _, doc_id, s, row, _ in chosen:
            text = texts[(s, row)]
            if stats.chars + len(text) > cfg.max_chars_per_domain and stats.documents:
                break
            sample.texts.append(text)
            sample.ids.append(doc_id)
            stats.documents += 1
            stats.chars += len(text)
        if stats.documents < len(keys):
            stats.capped_by = "chars"
        elif stats.documents < stats.documents_available:
            stats.capped_by = "documents"
        sample.domains[domain] = stats
        log.info(
            "%s: %d of %d documents, %d chars%s",
            domain,
            stats.documents,
            stats.documents_available,
            stats.chars,
            f" (capped by max_{stats.capped_by}_per_domain)" if stats.capped_by else "",
        )
    log.info("sample: %d documents, %d chars, digest %s", sample.documents, sample.chars, sample.digest)
    return sample


def _read_rows(shards: list[ParquetShard], wanted: dict[int, set[int]]) -> dict[tuple[int, int], str]:
    out: dict[tuple[int, int], str] = {}
    for s, rows in sorted(wanted.items()):
        row = 0
        for batch in iter_text_batches(shards[s]):
            for text in batch:
                if row in rows:
                    out[(s, row)] = text
                row += 1
    return out


def training_chunks(texts: list[str], max_bytes: int) -> Iterator[str]:
    """Documents cut at line breaks into pieces of at most ``max_bytes`` UTF-8 bytes.

    SentencePiece silently skips training sentences longer than ``max_sentence_length``; cutting
    at line breaks keeps every document in play and keeps newlines inside the pieces so that
    ``\\n`` and indentation are learned as they appear in code and prose.
    """
    for text in texts:
        chunk: list[str] = []
        size = 0
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i < len(lines) - 1:
                line += "\n"
            n = len(line.encode("utf-8"))
            if size + n > max_bytes and chunk:
                yield "".join(chunk)
                chunk, size = [], 0
            while n > max_bytes:  # one line longer than the limit: cut it on character boundaries
                head = line.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore") or line[0]
                yield head
                line = line[len(head) :]
                n = len(line.encode("utf-8"))
            if line:
                chunk.append(line)
                size += n
        if chunk:
            yield "".join(chunk)


def trainer_arguments(config: TokenizerConfig) -> dict[str, object]:
    """The config in SentencePiece's own terms."""
    return {
        "model_type": config.model_type,
        "vocab_size": config.vocab_size,
        "character_coverage": config.character_coverage,
        "byte_fallback": config.byte_fallback,
        "split_digits": config.split_digits,
        "normalization_rule_name": config.normalization,
        "remove_extra_whitespaces": config.remove_extra_whitespaces,
        "add_dummy_prefix": config.add_dummy_prefix,
        "allow_whitespace_only_pieces": config.allow_whitespace_only_pieces,
        "max_sentence_length": config.max_sentence_length,
        "unk_id": config.unk_id,
        "bos_id": config.bos_id,
        "eos_id": config.eos_id,
        "pad_id": config.pad_id,
        "num_threads": config.num_threads,
        "input_sentence_size": 0,  # the sample is already chosen: let the trainer see all of it
        "shuffle_input_sentence": False,
        "minloglevel": 1,
    }


def train_model(texts: list[str], config: TokenizerConfig) -> bytes:
    """Serialized SentencePiece model trained on ``texts``."""
    if not texts:
        raise TokenizerTrainingError("no documents to train on: the input has no kept documents")
    out = io.BytesIO()
    try:
        spm.SentencePieceTrainer.train(
            sentence_iterator=training_chunks(texts, config.max_sentence_length),
            model_writer=out,
            **trainer_arguments(config),
        )
    except RuntimeError as err:
        msg = str(err)
        if m := _TOO_HIGH.search(msg):
            chars = sum(len(t) for t in texts)
            raise TokenizerTrainingError(
                f"vocab_size {m.group(1)} is too large for this corpus: {len(texts)} sampled documents "
                f"({chars:,} characters) support at most {m.group(2)} pieces with model_type "
                f"{config.model_type!r}; set vocab_size <= {m.group(2)} or train on more text"
            ) from None
        raise TokenizerTrainingError(f"SentencePiece training failed: {msg}") from None
    return out.getvalue()


_VOCAB_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def vocab_lines(sp: spm.SentencePieceProcessor) -> str:
    r"""``piece<TAB>score`` per id, the layout of SentencePiece's own ``.vocab`` file.

    Pieces may hold newlines and tabs (we keep them in code); SentencePiece writes them raw and
    breaks its one-line-per-id layout, so ``\\``, ``\n``, ``\r`` and ``\t`` are escaped here.
    """
    return "".join(
        f"{sp.id_to_piece(i).translate(_VOCAB_ESCAPES)}\t{sp.get_score(i):g}\n"
        for i in range(sp.get_piece_size())
    )


def train_tokenizer(clean_out: str | Path, output: str | Path, config: TokenizerConfig) -> dict:
    """Sample, train and save; returns what goes into ``tokenizer_training.json``."""
    output = Path(output)
    sample = sample_documents(clean_out, config)
    model = train_model(sample.texts, config)
    # written beside and renamed, so a crash never leaves half a model under the final name
    storage.write_bytes(str(output / MODEL_FILE), model)
    sp = spm.SentencePieceProcessor(model_proto=model)
    storage.write_bytes(str(output / VOCAB_FILE), vocab_lines(sp).encode("utf-8"))
    info = {
        "config": config.model_dump(mode="json"),
        "vocab_size": sp.get_piece_size(),
        "sample": {
            "documents": sample.documents,
            "chars": sample.chars,
            "digest": sample.digest,
            "domains": {d: asdict(s) for d, s in sample.domains.items()},
        },
    }
    storage.write_bytes(
        str(output / TRAINING_RECORD_FILE), (json.dumps(info, indent=2, sort_keys=True) + "\n").encode()
    )
    return info


@command()
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tokenization.train", description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="Stage 1 output folder (CLEAN_OUT)")
    parser.add_argument("--output", required=True, help="tokenizer and token folder (TOK)")
    parser.add_argument("--config", default=None, help="tokenizer YAML (default: built-in defaults)")
    args = parser.parse_args(argv)
    config = load_config(args.config, TokenizerConfig)
    info = train_tokenizer(args.input, args.output, config)
    s = info["sample"]
    print(
        f"trained {config.model_type} tokenizer, {info['vocab_size']} pieces, on {s['documents']} documents "
        f"({s['chars']:,} chars) -> {Path(args.output) / MODEL_FILE}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
