"""The Hugging Face export: transformers loads it offline (model and tokenizer) and its logits
are ours to 1e-4 in fp32, on packed document-masked rows that HF sees one document at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch

from tests.tokenization.tok_textmaker import write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.export import export_tokenizer
from tokenization.train import train_tokenizer
from train.evaluate import load_model
from train.export import export_model, hf_name, load_export, packed_batch
from train.model import Llama, LlamaConfig

TOLERANCE = 1e-4


def _model(vocab: int) -> Llama:
    """GQA, untied output, a non-default RMSNorm eps and RoPE theta, weights large enough that a
    wrong mapping shows, norm weights away from 1 so the norms' mapping shows too."""
    torch.manual_seed(3)
    cfg = LlamaConfig(
        vocab_size=vocab, max_seq_len=64, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=96,
        norm_eps=1e-6, rope_theta=5000.0, init_std=0.15,
    )  # fmt: skip
    model = Llama(cfg)
    with torch.no_grad():
        for p in model.parameters():
            if p.ndim == 1:
                p.uniform_(0.5, 1.5)
    return model.eval()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Llama, Path]:
    root = tmp_path_factory.mktemp("export")
    write_clean_output(root / "clean", {"web": 40, "code": 20}, seed=5)
    train_tokenizer(root / "clean", root / "tok", TokenizerConfig.model_validate({"vocab_size": 400}))
    hf_tok = export_tokenizer(root / "tok", root / "hf-tokenizer")
    model = _model(400)
    return model, export_model(model, root / "hf", hf_tok, max_shard_size="200KB")


def _hf(folder: Path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(
        str(folder), local_files_only=True, dtype=torch.float32, attn_implementation="eager"
    ).eval()


def _max_diff(model: Llama, hf, tokens: torch.Tensor, segments: torch.Tensor) -> tuple[float, int]:
    with torch.no_grad():
        ours, _ = model(tokens, segments)
        worst, docs = 0.0, 0
        for r in range(tokens.shape[0]):
            for doc in set(segments[r].tolist()) - {-1}:
                where = torch.nonzero(segments[r] == doc).flatten()
                theirs = hf(input_ids=tokens[r, where][None]).logits[0]
                worst = max(worst, float((ours[r, where] - theirs).abs().max()))
                docs += 1
    return worst, docs


def test_transformers_loads_the_export_offline_with_its_tokenizer(exported, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from transformers import AutoTokenizer, LlamaForCausalLM

    _, folder = exported
    hf = _hf(folder)
    assert isinstance(hf, LlamaForCausalLM)
    assert (folder / "model.safetensors.index.json").is_file()  # sharded above max_shard_size
    config = json.loads((folder / "config.json").read_text())
    assert (config["rms_norm_eps"], config["rope_theta"], config["tie_word_embeddings"]) == (
        1e-6,
        5000.0,
        False,
    )
    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    ids = tok("a short test sentence")["input_ids"]
    assert ids[0] == config["bos_token_id"] and ids[-1] == config["eos_token_id"]
    assert max(ids) < config["vocab_size"]


def test_export_logits_match_ours_on_packed_document_masked_rows(exported):
    model, folder = exported
    tokens, segments = packed_batch(model.cfg.vocab_size, rows=3, width=64, seed=1)
    assert segments.max() >= 2 and (segments == -1).any()  # several documents a row, padding
    diff, docs = _max_diff(model, _hf(folder), tokens, segments)
    assert docs >= 6
    assert diff < TOLERANCE
    with torch.no_grad():
        scale = float(model(tokens, segments)[0].abs().max())
    assert scale > 1.0  # logits large enough that a wrong mapping could not hide below 1e-4


def test_a_wrong_convention_would_be_caught(exported, tmp_path):
    """The check can fail: the same weights with HF told another RoPE theta, or with q and k
    permuted as for Meta's interleaved checkpoints, differ far beyond the tolerance."""
    model, folder = exported
    tokens, segments = packed_batch(model.cfg.vocab_size, rows=2, width=64, seed=2)
    hf = _hf(folder)
    hf.config.rope_theta = 10000.0
    hf.model.rotary_emb = type(hf.model.rotary_emb)(hf.config)
    assert _max_diff(model, hf, tokens, segments)[0] > 100 * TOLERANCE
    hf = _hf(folder)
    with torch.no_grad():
        for layer in hf.model.layers:
            w = layer.self_attn.q_proj.weight
            heads = w.view(model.cfg.n_heads, 2, model.cfg.head_dim // 2, -1)  # halves -> interleaved
            w.copy_(heads.transpose(1, 2).reshape_as(w))
    assert _max_diff(model, hf, tokens, segments)[0] > 100 * TOLERANCE


def test_export_reads_back_as_the_same_model(exported):
    model, folder = exported
    again = load_model(folder)  # the consolidated form train.evaluate accepts
    assert again.cfg.rope_theta == model.cfg.rope_theta and again.cfg.norm_eps == model.cfg.norm_eps
    for name, p in model.state_dict().items():
        assert torch.equal(p, again.state_dict()[name]), name
    assert load_export(folder).cfg == again.cfg
    assert hf_name("layers.1.feed_forward.w1.weight") == "model.layers.1.mlp.gate_proj.weight"
