"""Encoding and packing: the docs/formats.md layout, BOS/EOS framing, lossless round trip,
byte-identical reruns."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
import sentencepiece as spm

from common.config import parse_config
from common.errors import InputError
from common.streaming import import_streaming, release_dataset_shared_memory
from formats.token_manifest import read_token_manifest
from tests.tokenization.tok_textmaker import write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.encode import encode_corpus, main
from tokenization.packing import SequencePacker, frame_documents
from tokenization.train import MODEL_FILE, TRAINING_RECORD_FILE, VOCAB_FILE, train_tokenizer

DOCS = {"web": 90, "code": 30, "math": 25, "books": 0}
SEQ_LEN = 64
BOS, EOS, PAD = 1, 2, 3


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, list[str]]]:
    """A Stage 1 output, its texts in reading order, and a trained tokenizer directory."""
    clean = tmp_path_factory.mktemp("clean")
    texts = write_clean_output(clean, DOCS, shards_per_domain=3, seed=2)
    tok = tmp_path_factory.mktemp("tokenizer")
    train_tokenizer(clean, tok, parse_config({"vocab_size": 400}, TokenizerConfig))
    return clean, tok, texts


def _tok_dir(tokenizer_dir: Path, dest: Path) -> Path:
    dest.mkdir(parents=True)
    shutil.copy(tokenizer_dir / MODEL_FILE, dest / MODEL_FILE)
    return dest


def _read_samples(domain_dir: Path) -> list[dict[str, np.ndarray]]:
    """Every sample of an MDS dataset, in order, through mosaicml-streaming's own reader."""
    streaming = import_streaming()
    ds = streaming.StreamingDataset(local=str(domain_dir), shuffle=False, batch_size=1)
    try:
        return [ds[i] for i in range(ds.size)]
    finally:
        release_dataset_shared_memory(ds)
        del ds


def test_packer_appends_eos_numbers_segments_and_pads_the_last_sequence():
    packer = SequencePacker(seq_len=4, eos_id=EOS, pad_id=PAD)
    tokens, segments = packer.add(np.array([10, 11, 12, 20, 30, 31, 32, 33, 34]), np.array([3, 1, 5]))
    # documents with EOS: [10 11 12 E] [20 E] [30 31 32 33 34 E] = 12 tokens = 3 full sequences
    assert tokens.tolist() == [[10, 11, 12, EOS], [20, EOS, 30, 31], [32, 33, 34, EOS]]
    assert segments.tolist() == [[0, 0, 0, 0], [0, 0, 1, 1], [0, 0, 0, 0]]
    tokens, segments = packer.add(np.array([40, 50, 51]), np.array([1, 2]))
    assert (
        tokens.shape == (1, 4)
        and tokens.tolist() == [[40, EOS, 50, 51]]
        and segments.tolist() == [[0, 0, 1, 1]]
    )
    tokens, segments = packer.finish()
    assert tokens.tolist() == [[EOS, PAD, PAD, PAD]] and segments.tolist() == [[0, -1, -1, -1]]
    assert (packer.stats.documents, packer.stats.tokens, packer.stats.sequences, packer.stats.padding) == (
        5,
        17,
        5,
        3,
    )


def test_packer_frames_each_document_with_bos_and_eos_in_its_own_segment():
    packer = SequencePacker(seq_len=5, eos_id=EOS, pad_id=PAD, bos_id=BOS)
    tokens, segments = packer.add(np.array([10, 11, 20, 30, 31, 32]), np.array([2, 1, 3]))
    # [B 10 11 E] [B 20 E] [B 30 31 32 E] = 4 + 3 + 5 = 12 tokens: two full rows of 5, 2 left
    assert tokens.tolist() == [[BOS, 10, 11, EOS, BOS], [20, EOS, BOS, 30, 31]]
    assert segments.tolist() == [[0, 0, 0, 0, 1], [0, 0, 1, 1, 1]]
    tokens, segments = packer.finish()
    assert tokens.tolist() == [[32, EOS, PAD, PAD, PAD]] and segments.tolist() == [[0, 0, -1, -1, -1]]
    assert (packer.stats.documents, packer.stats.tokens, packer.stats.padding) == (3, 12, 3)


def test_framing_puts_bos_before_and_eos_after_every_document_including_empty_ones():
    lengths = np.array([3, 0, 1, 2])
    tokens = np.arange(10, 16, dtype=np.int32)
    docs = np.split(tokens, np.cumsum(lengths)[:-1])
    for bos, eos in ((BOS, EOS), (BOS, None), (None, EOS)):
        framed, framed_lengths = frame_documents(tokens, lengths, bos, eos)
        expected = [
            ([bos] if bos is not None else []) + d.tolist() + ([eos] if eos is not None else []) for d in docs
        ]
        assert framed.dtype == np.int32 and framed.tolist() == [t for d in expected for t in d]
        assert framed_lengths.tolist() == [len(d) for d in expected]
    with pytest.raises(ValueError, match="needs BOS or EOS"):
        SequencePacker(seq_len=4, eos_id=None, pad_id=PAD, bos_id=None)


def test_packing_does_not_depend_on_how_documents_are_batched():
    rng = np.random.default_rng(0)
    lengths = rng.integers(0, 40, size=50)
    tokens = rng.integers(10, 1000, size=int(lengths.sum()))

    def pack(splits: list[int]) -> tuple[np.ndarray, np.ndarray]:
        packer, outs, start = SequencePacker(16, EOS, PAD, BOS), [], 0
        bounds = np.concatenate([[0], np.cumsum(lengths)])
        for end in [*splits, len(lengths)]:
            outs.append(packer.add(tokens[bounds[start] : bounds[end]], lengths[start:end]))
            start = end
        outs.append(packer.finish())
        return np.concatenate([o[0] for o in outs]), np.concatenate([o[1] for o in outs])

    one = pack([])
    many = pack([1, 2, 17, 30, 49])
    assert np.array_equal(one[0], many[0]) and np.array_equal(one[1], many[1])


def test_encoded_shards_decode_back_to_every_document_in_reading_order(corpus, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # streaming's file locks stay in the test's dir
    clean, tok, texts = corpus
    out = _tok_dir(tok, tmp_path / "tok")
    manifest = encode_corpus(clean, out, seq_len=SEQ_LEN, workers=1)
    sp = spm.SentencePieceProcessor(model_file=str(out / MODEL_FILE))

    for domain in ("web", "code", "math"):
        samples = _read_samples(out / domain)
        assert len(samples) == manifest.domains[domain].sequences
        stream = []
        for s in samples:
            tokens, segments = s["tokens"], s["segments"]
            assert tokens.dtype == np.int32 and segments.dtype == np.int32
            assert tokens.shape == segments.shape == (SEQ_LEN,)
            real = segments >= 0
            assert np.all(tokens[~real] == PAD) and np.all(real[: real.sum()])  # padding only at the end
            # a new segment starts at each BOS, and only there (text never yields a BOS)
            bos_at = np.flatnonzero(tokens[real] == BOS)
            starts = np.flatnonzero(np.diff(segments[real]) != 0) + 1
            assert starts.tolist() == [i for i in bos_at if i > 0]
            stream.extend(tokens[real].tolist())
        # the stream is [BOS ids EOS] per document, and the ids are SentencePiece's own encoding
        docs = np.split(np.array(stream), np.flatnonzero(np.array(stream) == BOS)[1:])
        assert len(docs) == len(texts[domain])
        for doc, text in zip(docs, texts[domain], strict=True):
            assert doc[0] == BOS and doc[-1] == EOS
            assert doc[1:-1].tolist() == sp.encode(text)
            assert sp.decode(doc[1:-1].tolist()) == text
        d = manifest.domains[domain]
        assert d.documents == len(texts[domain]) and d.tokens == len(stream)
        assert d.sequences == -(-d.tokens // SEQ_LEN) and d.padding == d.sequences * SEQ_LEN - d.tokens

    assert manifest.domains["books"].documents == 0 and not (out / "books").exists()
    on_disk = json.loads((out / "manifest.json").read_text())
    assert {
        k: on_disk[k] for k in ("seq_len", "vocab_size", "bos_id", "eos_id", "pad_id", "add_bos", "add_eos")
    } == {
        "seq_len": SEQ_LEN,
        "vocab_size": 400,
        "bos_id": BOS,
        "eos_id": EOS,
        "pad_id": PAD,
        "add_bos": True,
        "add_eos": True,
    }
    assert read_token_manifest(out) == manifest


def test_encoding_is_byte_identical_across_reruns_and_worker_counts(corpus, tmp_path: Path):
    clean, tok, _ = corpus
    one = _tok_dir(tok, tmp_path / "one")
    two = _tok_dir(tok, tmp_path / "two")
    encode_corpus(clean, one, seq_len=SEQ_LEN, workers=1, shard_bytes=4096)
    encode_corpus(clean, two, seq_len=SEQ_LEN, workers=2, shard_bytes=4096)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first = files(one)
    assert len([f for f in first if f.startswith("web/shard.")]) > 1  # several MDS shards per domain
    assert first == files(two)
    encode_corpus(clean, one, seq_len=SEQ_LEN, workers=2, shard_bytes=4096)  # rerun over its own output
    assert files(one) == first


def test_a_tokenizer_from_elsewhere_is_copied_into_the_token_directory(corpus, tmp_path: Path):
    clean, tok, _ = corpus
    encode_corpus(clean, tmp_path / "out", seq_len=SEQ_LEN, workers=1, tokenizer=tok / MODEL_FILE)
    for name in (MODEL_FILE, VOCAB_FILE, TRAINING_RECORD_FILE):
        assert (tmp_path / "out" / name).read_bytes() == (tok / name).read_bytes()
    assert (tmp_path / "out" / "manifest.json").is_file()


def test_a_missing_shard_is_an_error_naming_the_file(corpus, tmp_path: Path):
    clean, tok, _ = corpus
    broken = tmp_path / "clean"
    shutil.copytree(clean, broken)
    victim = sorted((broken / "parquet" / "code").glob("*.parquet"))[1]
    victim.unlink()
    with pytest.raises(InputError, match=f"{victim}.*missing"):
        encode_corpus(broken, _tok_dir(tok, tmp_path / "tok"), seq_len=SEQ_LEN)
    assert not (tmp_path / "tok" / "manifest.json").exists()


def test_a_corrupt_shard_is_an_error_naming_the_file_even_in_a_worker(corpus, tmp_path: Path):
    clean, tok, _ = corpus
    broken = tmp_path / "clean"
    shutil.copytree(clean, broken)
    victim = sorted((broken / "parquet" / "math").glob("*.parquet"))[0]
    victim.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputError, match=f"{victim}: unreadable Parquet shard"):
        encode_corpus(broken, _tok_dir(tok, tmp_path / "tok"), seq_len=SEQ_LEN, workers=2)


def test_a_shard_with_fewer_documents_than_the_manifest_says_is_an_error(corpus, tmp_path: Path):
    clean, tok, _ = corpus
    broken = tmp_path / "clean"
    shutil.copytree(clean, broken)
    manifest = json.loads((broken / "manifest.json").read_text())
    manifest["shards"][0]["documents"] += 1
    (broken / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InputError, match=r"holds \d+ documents but the Stage 1 manifest says"):
        encode_corpus(broken, _tok_dir(tok, tmp_path / "tok"), seq_len=SEQ_LEN)


def test_cli_without_a_trained_tokenizer_exits_2_and_says_what_to_run(corpus, tmp_path: Path, capsys):
    clean, _, _ = corpus
    assert main(["--input", str(clean), "--output", str(tmp_path / "tok"), "--workers", "1"]) == 2
    assert "run python -m tokenization.train first" in capsys.readouterr().err


def test_the_training_record_says_where_bos_and_eos_go(corpus, tmp_path: Path):
    clean, _, texts = corpus
    tok = tmp_path / "tok"
    train_tokenizer(clean, tok, parse_config({"vocab_size": 400, "add_bos": False}, TokenizerConfig))
    manifest = encode_corpus(clean, tok, seq_len=SEQ_LEN, workers=1)
    assert (manifest.add_bos, manifest.add_eos) == (False, True)
    first = _read_samples(tok / "math")[0]["tokens"]
    sp = spm.SentencePieceProcessor(model_file=str(tok / MODEL_FILE))
    ids = sp.encode(texts["math"][0])
    expected = [*ids, EOS][:SEQ_LEN]
    assert first[: len(expected)].tolist() == expected and BOS not in first.tolist()

    record = json.loads((tok / TRAINING_RECORD_FILE).read_text())
    record["config"]["add_eos"] = "sometimes"
    (tok / TRAINING_RECORD_FILE).write_text(json.dumps(record))
    with pytest.raises(
        InputError, match=rf"{TRAINING_RECORD_FILE}: config: add_eos: Input should be a valid boolean"
    ):
        encode_corpus(clean, tok, seq_len=SEQ_LEN, workers=1)
