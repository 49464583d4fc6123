"""The built-in models: trained at first use from the shipped reference text, then cached.

Why train at first use rather than ship the model: the 5-gram ARPA file is two orders of
magnitude larger than the gzip'd reference text (KenLM's binary format cannot be written without
``build_binary``, which the wheel lacks), and the whole build (SentencePiece + counting + ARPA)
takes seconds (docs/benchmarks.md, Perplexity). Building from source also means the shipped model is exactly what
`corpus.lm.kneser_ney` produces, so the trainer the tests check is the one in production.

The build is deterministic (single-threaded SentencePiece, dict-ordered counting), and the cache
key is a digest of the reference text, the build parameters and `BUILD_VERSION`, so a changed
text or trainer never reuses a stale model. Each build goes to a private folder that is renamed
into place (`common.storage.staged_dir`), so concurrent workers never see half a model.
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from common import storage
from common.config import stable_hash
from corpus.lm.kneser_ney import train_kneser_ney
from corpus.lm.normalize import normalize_lines
from corpus.lm.reference import read_lines, reference_path, shipped_languages

log = logging.getLogger(__name__)

BUILD_VERSION = 1  # bump when the trainer or the tokenizer set-up changes what is built
ORDER = 5  # CCNet: 5-gram KenLM models
VOCAB_SIZE = 8000
"""SentencePiece pieces. CCNet uses 65,536 on Wikipedia; ~570 KB of text supports at most ~8,600
here, and 8,000 separated held-out news from its shuffled words best among 2k/4k/8k."""
CACHE_ENV = "HEADWATER_CACHE"


@dataclass(frozen=True)
class ModelFiles:
    """A KenLM model and the SentencePiece model its training text was tokenised with."""

    kenlm: Path
    sentencepiece: Path


def cache_dir() -> Path:
    """``$HEADWATER_CACHE``, else ``$XDG_CACHE_HOME/headwater``, else ``~/.cache/headwater``."""
    if env := os.environ.get(CACHE_ENV):
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "headwater"


def _build_key(lang: str) -> str:
    params = {"version": BUILD_VERSION, "order": ORDER, "vocab_size": VOCAB_SIZE, "lang": lang}
    return stable_hash(params, reference_path(lang).read_bytes())


def train_sentencepiece(lines: list[str], vocab_size: int = VOCAB_SIZE) -> bytes:
    """A unigram SentencePiece model (serialised) over already normalised lines.

    One thread and no sentence sampling make the result the same on every machine.
    """
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buf,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a smaller text gets a smaller vocabulary instead of an error
        model_type="unigram",
        character_coverage=0.9995,
        num_threads=1,
        max_sentence_length=1 << 20,
        minloglevel=2,
    )
    return buf.getvalue()


def build_model(
    lines: list[str], out_dir: Path, order: int = ORDER, vocab_size: int = VOCAB_SIZE
) -> ModelFiles:
    """Train SentencePiece and a Kneser-Ney n-gram model on raw lines; write both to ``out_dir``."""
    import sentencepiece as spm

    normalized = normalize_lines(lines)
    if not normalized:
        raise ValueError("no non-empty lines to train a language model on")
    out_dir.mkdir(parents=True, exist_ok=True)
    sp_bytes = train_sentencepiece(normalized, vocab_size)
    files = ModelFiles(kenlm=out_dir / "lm.arpa", sentencepiece=out_dir / "sp.model")
    files.sentencepiece.write_bytes(sp_bytes)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)
    model = train_kneser_ney(sp.encode(normalized, out_type=str), order=order)
    model.write_arpa(files.kenlm)
    return files


def builtin_model(lang: str) -> ModelFiles:
    """The cached built-in model for ``lang``, built on first use.

    Falls back to the system temporary folder when the cache folder cannot be written (a
    read-only home on a cluster worker), rather than failing the run.
    """
    if lang not in shipped_languages():
        raise KeyError(
            f"no built-in language model for {lang!r} (built-in: {', '.join(shipped_languages())})"
        )
    key = _build_key(lang)
    roots = [cache_dir() / "lm", Path(tempfile.gettempdir()) / "headwater-cache" / "lm"]
    for root in roots:
        final = root / f"{lang}-{key}"
        files = ModelFiles(kenlm=final / "lm.arpa", sentencepiece=final / "sp.model")
        if files.kenlm.is_file() and files.sentencepiece.is_file():
            return files
        try:
            root.mkdir(parents=True, exist_ok=True)
            if not os.access(root, os.W_OK | os.X_OK):
                raise PermissionError(f"no write permission on {root}")
        except OSError as err:
            log.warning("language model cache %s is not writable (%s)", root, err)
            continue
        log.info("building the built-in %s language model into %s (once per cache)", lang, final)
        with storage.staged_dir(final, replace=False) as staged:  # a concurrent build may win
            build_model(list(read_lines(reference_path(lang))), staged)
        return files
    raise OSError(f"no writable cache for the {lang} language model (tried {', '.join(map(str, roots))})")
