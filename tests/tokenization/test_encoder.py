"""The document encoder: SentencePiece's own ids for whole documents, however they are cut up,
cached or batched."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pytest
import sentencepiece as spm

from common.config import parse_config
from tests.tokenization.tok_textmaker import make_text, write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.encoder import DocumentEncoder, PartCache, TokenBuffer, cacheable, split_parts
from tokenization.parity import trap_texts
from tokenization.train import train_model, training_chunks

DOMAINS = ("web", "code", "math", "dialog", "encyclopedia")


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [make_text(DOMAINS[i % len(DOMAINS)], rng) for i in range(n)]


@pytest.fixture(scope="module", params=["bpe", "unigram"])
def model(request: pytest.FixtureRequest) -> bytes:
    config = parse_config({"vocab_size": 500, "model_type": request.param}, TokenizerConfig)
    return train_model(_texts(300, seed=3), config)


def _texts_with_traps(model: bytes) -> list[str]:
    sp = spm.SentencePieceProcessor(model_proto=model)
    words = [sp.id_to_piece(i).replace("\u2581", " ") for i in range(sp.get_piece_size())]
    return [text for _, text in trap_texts(words, n=300, seed=7)] + _texts(200, seed=11)


def test_cached_encoding_equals_sentencepiece_on_whole_documents(model: bytes):
    encoder = DocumentEncoder(model)
    assert encoder.cache is not None  # a model of configs/tokenizer.yaml's kind takes the fast path
    texts = _texts_with_traps(model)
    expected = encoder.sp.encode(texts)  # the truth: SentencePiece on each whole document
    for batch in (1, 7, 512):  # the cache fills across batches; ids never depend on it
        out, lengths = TokenBuffer(16), []
        for i in range(0, len(texts), batch):
            lengths.append(encoder.encode_into(texts[i : i + batch], out))
        assert np.concatenate(lengths).tolist() == [len(ids) for ids in expected]
        assert out.array().dtype == np.int32
        assert out.array().tolist() == [t for ids in expected for t in ids]


def test_a_cache_emptied_over_and_over_gives_the_same_ids(model: bytes):
    encoder = DocumentEncoder(model)
    encoder.cache = PartCache(encoder.sp, max_parts=40, max_ids=100)
    texts = _texts_with_traps(model)
    out, lengths = TokenBuffer(16), []
    for text in texts:
        lengths.append(encoder.encode_into([text], out))
        # bounded: the limit, or one document's own parts (plus the cached lone space)
        assert len(encoder.cache) <= max(40, len(set(split_parts(text))) + 1)
    expected = encoder.sp.encode(texts)
    assert out.array().tolist() == [t for ids in expected for t in ids]
    assert np.concatenate(lengths).tolist() == [len(ids) for ids in expected]


def test_parts_are_the_text_cut_before_each_space_that_follows_a_non_space():
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(["a", "b", " ", " ", "\n", "\t", "é"]) for _ in range(rng.randint(0, 12)))
        parts = split_parts(text)
        assert " ".join(parts) == text  # nothing lost: exactly one space removed at each cut
        cuts = [i for i in range(1, len(text)) if text[i] == " " and text[i - 1] != " "]
        assert len(parts) == (len(cuts) + 1 if text else 0)


def _train_raw(texts: list[str], **options: object) -> bytes:
    """A SentencePiece model with options configs/tokenizer.yaml does not offer."""
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=training_chunks(texts, 4096),
        model_writer=out,
        vocab_size=400,
        model_type="bpe",
        byte_fallback=True,
        minloglevel=2,
        num_threads=1,
        **options,
    )
    return out.getvalue()


@pytest.mark.parametrize(
    "options",
    [
        {"split_by_whitespace": False},  # pieces such as "a▁the" cross a word start
        {"normalization_rule_name": "nfkc"},
        {"remove_extra_whitespaces": True},
    ],
    ids=["pieces across words", "nfkc", "extra whitespace removed"],
)
def test_models_that_cannot_be_cut_at_spaces_are_encoded_whole(options: dict[str, object]):
    model = _train_raw(_texts(200, seed=4), **options)
    encoder = DocumentEncoder(model)
    assert not cacheable(encoder.sp) and encoder.cache is None
    texts = _texts_with_traps(model)
    flat, lengths = encoder.encode(texts)
    expected = encoder.sp.encode(texts)
    assert flat.tolist() == [t for ids in expected for t in ids]
    assert lengths.tolist() == [len(ids) for ids in expected]


def test_a_shard_is_encoded_in_file_order(tmp_path: Path, model: bytes):
    from tokenization.encoder import encode_shard
    from tokenization.sources import find_shards

    texts = write_clean_output(tmp_path, {"web": 40}, shards_per_domain=2, seed=9)["web"]
    shards = find_shards(tmp_path)["web"]
    encoder = DocumentEncoder(model)
    encoded = [encode_shard(s, encoder) for s in shards]
    flat = np.concatenate([e.tokens for e in encoded])
    lengths = np.concatenate([e.lengths for e in encoded])
    expected = encoder.sp.encode(texts)
    assert flat.tolist() == [t for ids in expected for t in ids]
    assert lengths.tolist() == [len(ids) for ids in expected]
    assert sum(e.chars for e in encoded) == sum(map(len, texts))
