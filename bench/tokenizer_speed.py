"""Encoding speed per core: our encoder against Hugging Face `tokenizers` on the same model.

    python bench/tokenizer_speed.py [--tokenizer TOK/tokenizer.model] [--input CLEAN_OUT]

Ours is what `tokenization.encode` runs in each worker (`tokenization.encoder.encode_texts`:
SentencePiece's batch encoder on one thread, ids flattened into an int32 array). The peer is
the same trained model converted to a `tokenizers.Tokenizer` the way transformers'
LlamaConverter builds one (vocab and merges from `SentencePieceExtractor`, byte fallback,
"▁" normalizer), pinned to one thread. Both encode the same texts in one run; the script prints
tokens/s per core, the ratio and how many documents got identical ids.

Text: the Stage 1 Parquet shards of ``--input`` if given, else the 181 hand-made article bodies
of ../shared/data/article-extraction-benchmark (real English web text). Without
``--tokenizer`` a tokenizer is trained on that text with configs/tokenizer.yaml first.
"""

from __future__ import annotations

import os

# One core for the peer: its Rust thread pool reads these once, at first use.
os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sentencepiece as spm
from tokenizers import Tokenizer, decoders, normalizers
from tokenizers.models import BPE, Unigram
from transformers.convert_slow_tokenizer import SentencePieceExtractor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.config import load_config  # noqa: E402
from tokenization.config import TokenizerConfig  # noqa: E402
from tokenization.encoder import encode_texts, load_processor  # noqa: E402
from tokenization.sources import find_shards, iter_text_batches  # noqa: E402
from tokenization.train import train_model  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "data" / "article-extraction-benchmark" / "ground-truth.json"


def load_texts(clean_out: str | None) -> tuple[list[str], str]:
    if clean_out:
        texts = [
            t
            for shards in find_shards(clean_out).values()
            for s in shards
            for b in iter_text_batches(s)
            for t in b
        ]
        return texts, f"Stage 1 shards of {clean_out}"
    if ARTICLES.is_file():
        gt = json.loads(ARTICLES.read_text(encoding="utf-8"))
        return [v["articleBody"] for v in gt.values() if v.get("articleBody")], str(
            ARTICLES.relative_to(ROOT.parent)
        )
    sys.exit(f"no text: pass --input CLEAN_OUT ({ARTICLES} is not here)")


def hf_tokenizer(model_file: str, sp: spm.SentencePieceProcessor) -> Tokenizer:
    """The SentencePiece model as a `tokenizers.Tokenizer`, built as LlamaConverter does.

    transformers' converter itself parses the model with protobuf, whose generated module in the
    pinned sentencepiece wheel needs a newer protobuf runtime than ours; the extractor below reads
    the same pieces through SentencePiece instead.
    """
    unk = sp.id_to_piece(sp.unk_id())
    if _is_unigram(sp):
        vocab = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
        tok = Tokenizer(Unigram(vocab, unk_id=sp.unk_id(), byte_fallback=True))
    else:
        vocab, merges = SentencePieceExtractor(model_file).extract()
        tok = Tokenizer(BPE(vocab, merges, unk_token=unk, fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    return tok


def _is_unigram(sp: spm.SentencePieceProcessor) -> bool:
    # The model type sits in the protobuf we cannot parse (see above); the scores tell it apart:
    # BPE pieces score minus their merge rank (whole numbers), unigram pieces a log probability.
    return any(sp.get_score(i) != int(sp.get_score(i)) for i in range(sp.get_piece_size()))


def best_time(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokenizer", help="SentencePiece model (default: train one on the text)")
    parser.add_argument("--input", help="Stage 1 output to read text from")
    parser.add_argument("--config", default=str(ROOT / "configs" / "tokenizer.yaml"))
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds per encoder (best is kept)")
    args = parser.parse_args()

    texts, where = load_texts(args.input)
    if args.tokenizer:
        model_file = args.tokenizer
    else:
        model_file = str(Path(os.environ.get("TMPDIR", "/tmp")) / "bench_tokenizer_speed.model")
        Path(model_file).write_bytes(train_model(texts, load_config(args.config, TokenizerConfig)))
    sp = load_processor(Path(model_file).read_bytes())
    hf = hf_tokenizer(model_file, sp)
    chars = sum(len(t) for t in texts)

    ours_ids = [list(x) for x in sp.encode(texts, num_threads=1)]
    hf_ids = [e.ids for e in hf.encode_batch(texts, add_special_tokens=False)]
    same = sum(a == b for a, b in zip(ours_ids, hf_ids, strict=True))
    tokens = sum(len(x) for x in ours_ids)

    ours = best_time(lambda: encode_texts(sp, texts), args.rounds)
    peer = best_time(lambda: [e.ids for e in hf.encode_batch(texts, add_special_tokens=False)], args.rounds)
    peer_fast = None
    if hasattr(hf, "encode_batch_fast"):
        peer_fast = best_time(
            lambda: [e.ids for e in hf.encode_batch_fast(texts, add_special_tokens=False)], args.rounds
        )

    print(f"text: {len(texts)} documents, {chars:,} chars from {where}")
    print(
        f"model: {model_file} ({sp.get_piece_size()} pieces); {tokens:,} tokens; best of {args.rounds} rounds"
    )
    print(
        f"identical ids: {same}/{len(texts)} documents ({statistics.mean(len(x) for x in ours_ids):.0f} tokens/doc)"
    )
    print(f"{'encoder':<44} {'tokens/s/core':>14}")
    print(f"{'ours (SentencePiece batch, 1 thread)':<44} {tokens / ours:>14,.0f}")
    print(f"{'HF tokenizers encode_batch (1 thread)':<44} {tokens / peer:>14,.0f}")
    if peer_fast:
        print(f"{'HF tokenizers encode_batch_fast (1 thread)':<44} {tokens / peer_fast:>14,.0f}")
    print(f"ratio ours / HF encode_batch: {peer / ours:.2f}x")
    if peer_fast:
        print(f"ratio ours / HF encode_batch_fast: {peer_fast / ours:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
