"""The exported Hugging Face tokenizer: loads offline through transformers and encodes every
document to the ids our token shards hold, traps included."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest
import sentencepiece as spm
from tokenizers import Tokenizer

from common.config import parse_config
from tests.tokenization.tok_textmaker import write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.export import HF_FILES, ExportError, export_tokenizer, main
from tokenization.model_files import MODEL_FILE, read_tokenizer
from tokenization.parity import (
    TRAPS,
    ParityReport,
    check_texts,
    first_difference,
    load_hf_tokenizer,
    trap_texts,
    vocabulary_words,
)
from tokenization.train import train_model, train_tokenizer

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DOCS = {"web": 60, "code": 30, "math": 20, "dialog": 20}
BOS, EOS = 1, 2


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clean")
    write_clean_output(root, DOCS, shards_per_domain=2, seed=4)
    return root


def _tokenizer(root: Path, clean: Path, **config: object) -> Path:
    train_tokenizer(clean, root, parse_config({"vocab_size": 600, **config}, TokenizerConfig))
    return root


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, clean: Path) -> tuple[Path, Path]:
    """(tokenizer folder, exported Hugging Face folder)."""
    tok = _tokenizer(tmp_path_factory.mktemp("tok"), clean)
    return tok, export_tokenizer(tok, tmp_path_factory.mktemp("hf") / "hf")


@pytest.fixture(scope="module")
def hf(exported: tuple[Path, Path]):
    return load_hf_tokenizer(exported[1])


def _sp(tok: Path) -> spm.SentencePieceProcessor:
    return spm.SentencePieceProcessor(model_file=str(tok / MODEL_FILE))


def _framed(sp: spm.SentencePieceProcessor, text: str) -> list[int]:
    """The truth, from SentencePiece itself: BOS, its ids of the whole text, EOS."""
    return [BOS, *sp.encode(text), EOS]


def test_the_folder_loads_offline_as_a_llama_tokenizer_with_our_special_ids(exported, hf, monkeypatch):
    tok, folder = exported
    assert sorted(p.name for p in folder.iterdir()) == sorted(HF_FILES)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    again = load_hf_tokenizer(folder)
    sp = _sp(tok)
    for loaded in (hf, again):
        assert type(loaded).__name__ == "LlamaTokenizerFast"
        assert (loaded.bos_token_id, loaded.eos_token_id, loaded.unk_token_id, loaded.pad_token_id) == (
            sp.bos_id(),
            sp.eos_id(),
            sp.unk_id(),
            sp.pad_id(),
        )
        assert loaded.add_bos_token and loaded.add_eos_token and len(loaded) == sp.get_piece_size()
    config = json.loads((folder / "tokenizer_config.json").read_text())
    assert config["split_special_tokens"] is True and "add_prefix_space" not in config


def test_every_trap_and_generated_text_encodes_to_sentencepiece_ids_framed(exported, hf):
    tok, _ = exported
    sp = _sp(tok)
    named = trap_texts(vocabulary_words(read_tokenizer(tok)), n=400, seed=1)
    texts = [text for _, text in named]
    got = hf(texts)["input_ids"]
    wrong = [
        f"{name}: first difference at {first_difference(_framed(sp, text), ids)}"
        for (name, text), ids in zip(named, got, strict=True)
        if ids != _framed(sp, text)
    ]
    assert not wrong, wrong[:5]
    assert {name for name, _ in named} >= set(TRAPS)


@pytest.mark.parametrize("special", ["</s>", "<s>", "<unk>", "<pad>"])
def test_special_token_strings_typed_by_a_user_stay_text(exported, hf, special: str):
    tok, folder = exported
    sp = _sp(tok)
    text = f"ask {special} twice{special} "
    expected = _framed(sp, text)
    assert expected.count(BOS) == expected.count(EOS) == 1  # only the framing, never from the text
    assert hf(text)["input_ids"] == expected
    assert hf.encode(text) == expected
    assert hf.encode_plus(text)["input_ids"] == expected
    assert hf.tokenize(text) == sp.encode(text, out_type=str)
    # the raw `tokenizers` file, without transformers, encodes the same
    assert Tokenizer.from_file(str(folder / "tokenizer.json")).encode(text).ids == expected
    # transformers 4.57's batch_encode_plus ignores the saved split_special_tokens: it must be passed
    assert hf.batch_encode_plus([text], split_special_tokens=True)["input_ids"] == [expected]


def test_decoding_gives_what_sentencepiece_decodes(exported, hf):
    sp = _sp(exported[0])
    for name, text in trap_texts(n=100, seed=2):
        ids = sp.encode(text)
        assert hf.decode(_framed(sp, text), skip_special_tokens=True) == sp.decode(ids), name


def _real_texts() -> list[str]:
    texts = []
    truth = SHARED / "wcxb-dev" / "ground-truth"
    for path in sorted(truth.glob("*.json"))[::5]:
        text = (json.loads(path.read_text(encoding="utf-8")).get("ground_truth") or {}).get("main_content")
        if text:
            texts.append(text)
    articles = SHARED / "article-extraction-benchmark" / "ground-truth.json"
    if articles.is_file():
        texts += [v["articleBody"] for v in json.loads(articles.read_text(encoding="utf-8")).values()]
    html = sorted((SHARED / "wcxb-dev" / "html").glob("*.html.gz"))[:12]
    # raw markup, inline scripts and styles: long runs without spaces (their first 100k characters)
    texts += [gzip.decompress(p.read_bytes()).decode("utf-8", errors="replace")[:100_000] for p in html]
    return texts


@pytest.mark.skipif(not (SHARED / "wcxb-dev").is_dir(), reason="needs ../shared/data/wcxb-dev")
def test_real_web_text_encodes_to_our_ids(tmp_path: Path):
    texts = _real_texts()
    # trained on a quarter of the pages, compared on all of them: most words are merged pieces,
    # the rest byte fallback and unseen combinations
    tok = tmp_path / "tok"
    tok.mkdir()
    (tok / MODEL_FILE).write_bytes(
        train_model(texts[::4], parse_config({"vocab_size": 4000}, TokenizerConfig))
    )
    files = read_tokenizer(tok)
    hf = load_hf_tokenizer(export_tokenizer(tok, tmp_path / "hf"))
    report = check_texts(files, hf, ((f"real text {i}", t) for i, t in enumerate(texts)), "real text")
    assert report.documents == len(texts) > 400 and report.tokens > 1_000_000
    assert report.identical, report.summary()


def test_a_mismatch_names_the_document_and_the_first_differing_position(exported, clean, tmp_path):
    assert first_difference([5, 6, 7], [5, 6, 7]) is None
    assert first_difference([5, 6, 7], [5, 9, 7]) == 1
    assert first_difference([5, 6], [5, 6, 7]) == 2
    # break the exported tokenizer: without its merges, every document comes out different
    tok, folder = exported
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in HF_FILES:
        (broken / name).write_bytes((folder / name).read_bytes())
    data = json.loads((broken / "tokenizer.json").read_text())
    data["model"]["merges"] = []
    (broken / "tokenizer.json").write_text(json.dumps(data))
    sp = _sp(tok)
    text = "Ordinary words merge."
    report = check_texts(read_tokenizer(tok), load_hf_tokenizer(broken), [("the document", text)], "test")
    assert not report.identical and report.mismatched == 1
    # position 0 is BOS in both; they part at the first piece SentencePiece built by merging
    ids = sp.encode(text)
    first_merged = 1 + next(i for i, t in enumerate(ids) if not sp.is_byte(t) and len(sp.id_to_piece(t)) > 1)
    assert report.mismatches[0].position == first_merged
    assert f"the document: first difference at token {first_merged}" in report.summary()
    assert "0 of 1 documents (0.00%)" in report.summary()


def test_a_report_counts_every_mismatch_and_shows_the_first_few():
    report = ParityReport("many")
    for k in range(15):
        report.add(f"doc {k}", [1, 2, 3], [1, 2, 4] if k % 2 else [1, 2, 3], str)
    assert (report.documents, report.mismatched, len(report.mismatches)) == (15, 7, 7)
    assert (
        report.mismatches[0].describe()
        == "doc 1: first difference at token 2: ours ['3'] vs Hugging Face ['4']"
    )


def test_bos_and_eos_follow_the_training_record(clean, tmp_path):
    tok = _tokenizer(tmp_path / "tok", clean, add_bos=False)
    hf = load_hf_tokenizer(export_tokenizer(tok, tmp_path / "hf"))
    sp = _sp(tok)
    text = "no beginning of text marker"
    assert hf(text)["input_ids"] == [*sp.encode(text), EOS]
    assert not hf.add_bos_token and hf.add_eos_token


def test_a_model_without_byte_fallback_fuses_unknown_characters_as_sentencepiece_does(clean, tmp_path):
    tok = _tokenizer(tmp_path / "tok", clean, byte_fallback=False, vocab_size=300)
    hf = load_hf_tokenizer(export_tokenizer(tok, tmp_path / "hf"))
    sp = _sp(tok)
    rng = random.Random(3)
    texts = ["漢字漢字 and 😀😀", *(text for _, text in trap_texts(n=100, seed=5))]
    for text in texts + ["".join(rng.choices("ab 漢😀\n", k=30)) for _ in range(100)]:
        assert hf(text)["input_ids"] == _framed(sp, text), text
    assert sp.unk_id() in sp.encode("漢字漢字")


def test_models_whose_ids_cannot_be_reproduced_are_refused_naming_why(clean, tmp_path):
    unigram = _tokenizer(tmp_path / "unigram", clean, model_type="unigram")
    with pytest.raises(ExportError, match=r"model_type 'unigram': only BPE models export"):
        export_tokenizer(unigram, tmp_path / "hf")
    nfkc = _tokenizer(tmp_path / "nfkc", clean, normalization="nfkc")
    with pytest.raises(ExportError, match=r"normalises text.*normalization: identity"):
        export_tokenizer(nfkc, tmp_path / "hf")
    assert not (tmp_path / "hf").exists()


def test_cli_exports_and_checks_every_document_of_a_stage1_output(exported, clean, tmp_path, capsys):
    tok, _ = exported
    out = tmp_path / "hf"
    assert main(["--tokenizer", str(tok / MODEL_FILE), "--output", str(out), "--check", str(clean)]) == 0
    printed = capsys.readouterr().out
    documents = sum(DOCS.values())
    assert f"{documents} of {documents} documents (100.00%) encode to identical ids" in printed
    assert "trap and generated texts" in printed and sorted(p.name for p in out.iterdir()) == sorted(HF_FILES)
    assert main(["--tokenizer", str(tmp_path / "nowhere"), "--output", str(out)]) == 2
    assert "tokenizer not found" in capsys.readouterr().err
