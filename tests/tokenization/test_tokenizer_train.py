"""Tokenizer training: deterministic bytes, settings that reach the model, a seeded sample."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sentencepiece as spm
import xxhash

from common.config import load_config, parse_config
from common.errors import ConfigError
from tests.tokenization.tok_textmaker import write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.train import (
    MODEL_FILE,
    TRAINING_RECORD_FILE,
    VOCAB_FILE,
    TokenizerTrainingError,
    main,
    sample_documents,
    train_tokenizer,
    training_chunks,
)

DOCS = {"web": 120, "code": 40, "math": 40, "dialog": 30}


def small_config(**overrides: object) -> TokenizerConfig:
    return parse_config({"vocab_size": 500, **overrides}, TokenizerConfig, "<test>")


@pytest.fixture(scope="module")
def clean_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clean")
    write_clean_output(root, DOCS, shards_per_domain=3, seed=1)
    return root


@pytest.mark.parametrize("model_type", ["bpe", "unigram"])
def test_training_twice_gives_identical_model_vocab_and_config_bytes(
    clean_out: Path, tmp_path: Path, model_type: str
):
    config = small_config(model_type=model_type)
    train_tokenizer(clean_out, tmp_path / "a", config)
    train_tokenizer(clean_out, tmp_path / "b", config)
    for name in (MODEL_FILE, VOCAB_FILE, TRAINING_RECORD_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / "a" / MODEL_FILE))
    assert sp.get_piece_size() == 500
    vocab = (tmp_path / "a" / VOCAB_FILE).read_text(encoding="utf-8").splitlines()
    assert len(vocab) == 500 and vocab[2].split("\t")[0] == sp.id_to_piece(2)


def test_config_settings_reach_the_trained_model(clean_out: Path, tmp_path: Path):
    train_tokenizer(clean_out, tmp_path, small_config())
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / MODEL_FILE))
    assert (sp.unk_id(), sp.bos_id(), sp.eos_id(), sp.pad_id()) == (0, 1, 2, 3)
    # split_digits: every digit is its own piece
    digits = [p for p in sp.encode("year 98765", out_type=str) if any(c.isdigit() for c in p)]
    assert digits == ["9", "8", "7", "6", "5"]
    # byte_fallback: a character never seen in training becomes bytes, not <unk>, and round-trips
    text = "kanji 漢字 and\n    indented code"
    ids = sp.encode(text)
    assert sp.unk_id() not in ids
    assert "<0xE6>" in sp.encode("漢", out_type=str)
    assert sp.decode(ids) == text


def test_byte_fallback_off_maps_unseen_characters_to_unk(clean_out: Path, tmp_path: Path):
    train_tokenizer(clean_out, tmp_path, small_config(byte_fallback=False, vocab_size=300))
    sp = spm.SentencePieceProcessor(model_file=str(tmp_path / MODEL_FILE))
    assert sp.unk_id() in sp.encode("漢")


def test_vocab_too_large_for_the_corpus_says_how_large_it_may_be(clean_out: Path, tmp_path: Path):
    with pytest.raises(
        TokenizerTrainingError, match=r"vocab_size 60000 is too large for this corpus.*vocab_size <= \d+"
    ):
        train_tokenizer(clean_out, tmp_path, small_config(vocab_size=60000))
    assert not (tmp_path / MODEL_FILE).exists()


def test_sample_is_seeded_capped_per_domain_and_independent_of_sharding(clean_out: Path, tmp_path: Path):
    config = small_config(sample={"seed": 3, "max_documents_per_domain": 25})
    first = sample_documents(clean_out, config)
    assert {d: s.documents for d, s in first.domains.items()} == {d: min(n, 25) for d, n in DOCS.items()}
    assert first.texts == sample_documents(clean_out, config).texts

    other_seed = sample_documents(clean_out, small_config(sample={"seed": 4, "max_documents_per_domain": 25}))
    assert set(other_seed.texts) != set(first.texts)

    resharded = tmp_path / "resharded"  # same documents, spread over 5 shards instead of 3
    write_clean_output(resharded, DOCS, shards_per_domain=5, seed=1)
    assert sample_documents(resharded, config).texts == first.texts


def test_sample_stops_at_the_character_cap(clean_out: Path):
    sample = sample_documents(clean_out, small_config(sample={"max_chars_per_domain": 2000}))
    for stats in sample.domains.values():
        assert 0 < stats.chars <= 2000 or stats.documents == 1


def test_training_chunks_cut_at_line_breaks_within_the_byte_limit_and_lose_nothing():
    text = "first line\n" + "é" * 40 + "\n\n    indented\nlast"
    chunks = list(training_chunks([text], max_bytes=32))
    assert "".join(chunks) == text
    assert all(len(c.encode("utf-8")) <= 32 for c in chunks)
    assert "first line\n" in chunks


def test_config_errors_name_the_key(tmp_path: Path):
    bad = tmp_path / "tok.yaml"
    bad.write_text("vocab_sise: 1000\n")
    with pytest.raises(ConfigError, match="vocab_sise"):
        load_config(bad, TokenizerConfig)
    bad.write_text("model_type: wordpiece\n")
    with pytest.raises(ConfigError, match="model_type"):
        load_config(bad, TokenizerConfig)
    bad.write_text("eos_id: 3\npad_id: 3\n")
    with pytest.raises(ConfigError, match="special ids must be distinct"):
        load_config(bad, TokenizerConfig)


def test_shipped_tokenizer_config_is_valid():
    config = load_config(Path(__file__).parents[2] / "configs" / "tokenizer.yaml", TokenizerConfig)
    assert config.model_type == "bpe" and config.byte_fallback and config.split_digits


def test_cli_reports_a_missing_stage1_manifest_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (tmp_path / "clean").mkdir()
    assert main(["--input", str(tmp_path / "clean"), "--output", str(tmp_path / "tok")]) == 2
    err = capsys.readouterr().err
    assert "manifest.json" in err and "not a completed Stage 1 output" in err


def _bottom_k(clean_out: Path, domain: str, seed: int) -> list[tuple[int, str, int]]:
    """(hash, id, characters) of a domain's documents in hash order, read straight from Parquet."""
    rows = []
    for path in sorted((clean_out / "parquet" / domain).glob("*.parquet")):
        table = pq.read_table(path, columns=["id", "text"])
        for doc_id, text in zip(
            table.column("id").to_pylist(), table.column("text").to_pylist(), strict=True
        ):
            rows.append((xxhash.xxh64_intdigest(doc_id.encode(), seed=seed), doc_id, len(text)))
    return sorted(rows)


@pytest.mark.parametrize(("cap_docs", "cap_chars"), [(30, 4000), (35, 10**9)], ids=["chars", "documents"])
def test_sample_is_the_hash_order_prefix_within_both_caps_and_is_recorded(
    clean_out: Path, tmp_path: Path, cap_docs: int, cap_chars: int
):
    config = small_config(
        sample={"seed": 9, "max_documents_per_domain": cap_docs, "max_chars_per_domain": cap_chars}
    )
    sample = sample_documents(clean_out, config)
    expected_ids = []
    for domain in sorted(DOCS):
        chosen, chars = [], 0
        for _, doc_id, n in _bottom_k(clean_out, domain, seed=9)[:cap_docs]:
            if chosen and chars + n > cap_chars:
                break
            chosen.append(doc_id)
            chars += n
        expected_ids += chosen
        stats = sample.domains[domain]
        assert (stats.documents, stats.chars) == (len(chosen), chars)
        if len(chosen) < min(cap_docs, DOCS[domain]):
            assert stats.capped_by == "chars"
        else:
            assert stats.capped_by == ("documents" if DOCS[domain] > cap_docs else "")
    assert sample.ids == expected_ids
    info = train_tokenizer(clean_out, tmp_path, config)
    record = json.loads((tmp_path / TRAINING_RECORD_FILE).read_text())
    assert record == json.loads(json.dumps(info))
    assert record["sample"]["digest"] == xxhash.xxh64_hexdigest("\n".join(expected_ids).encode())
    assert record["config"]["add_bos"] is True and record["config"]["add_eos"] is True
