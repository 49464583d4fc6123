"""FLOPs per token, MFU and the planning table, checked against counts made another way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from common.config import load_config
from tests.train.conftest import SEQ_LEN
from train.config import TrainConfig
from train.data import source_from_mix
from train.flops import flops_per_token, non_embedding_params, peak_tflops, throughput
from train.model import Llama, LlamaConfig
from train.plan import plan_rows

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("kv_heads", [2, 4])
def test_parameter_count_of_the_formula_is_the_models(kv_heads: int):
    cfg = LlamaConfig(
        vocab_size=96, max_seq_len=16, dim=32, n_layers=3, n_heads=4, n_kv_heads=kv_heads, ffn_dim=80
    )
    model = Llama(cfg)
    counted = sum(p.numel() for name, p in model.named_parameters() if name != "tok_embeddings.weight")
    assert non_embedding_params(cfg) == counted == model.num_params()


def test_flops_per_token_is_6n_plus_attention_and_mfu_divides_by_the_peak():
    cfg = LlamaConfig(
        vocab_size=128, max_seq_len=64, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=160
    )
    n = Llama(cfg).num_params()
    assert flops_per_token(cfg, 64) == 6 * n + 12 * 2 * 4 * 16 * 64
    speed = throughput(tokens=8_000, seconds=2.0, devices=4, flops=1e12, peak=500.0)
    assert speed.tokens_per_s_per_device == 1_000
    assert speed.tflops_per_device == pytest.approx(1_000.0)
    assert speed.mfu == pytest.approx(2.0)
    assert throughput(8_000, 2.0, 4, 1e12, None).mfu is None


def test_peak_table_knows_the_h100_variants_apart():
    assert peak_tflops("NVIDIA H100 80GB HBM3") == 989.0
    assert peak_tflops("NVIDIA H100 PCIe") == 756.0
    assert peak_tflops("NVIDIA H200") == 989.0
    assert peak_tflops("NVIDIA A100-SXM4-80GB") == 312.0
    assert peak_tflops("Tesla T4") is None


def test_plan_rows_give_the_trainers_steps_and_hours_at_an_mfu(mix_file: Path):
    cfg = load_config(None, TrainConfig, {"model": {"preset": "tiny"}, "batch": {"micro_batch_size": 4}})
    source = source_from_mix(mix_file)  # 96 sequences
    one, eight = plan_rows(cfg, source, [1, 8], [0.5], peak_tflops=1000.0)
    assert (one.global_batch, one.steps, eight.global_batch, eight.steps) == (4, 24, 32, 3)
    assert one.tokens == 24 * 4 * (SEQ_LEN - 1)
    flops = flops_per_token(
        LlamaConfig(vocab_size=64, max_seq_len=SEQ_LEN - 1, **cfg.model.shape()), SEQ_LEN - 1
    )
    assert one.hours[0.5] == pytest.approx(one.tokens * flops / (1000e12 * 0.5) / 3600)


def test_plan_command_prints_the_table(mix_file: Path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "train",
            "plan",
            "--mix",
            str(mix_file),
            "--config",
            "configs/train.yaml",
            "--gpus",
            "1",
            "8",
            "--mfu",
            "0.4",
            "--gpu",
            "H200",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "FLOPs per token" in done.stdout and "989 TFLOP/s" in done.stdout
    rows = [line.split() for line in done.stdout.splitlines() if line.strip()[:1].isdigit()]
    assert [(r[0], r[1], r[2]) for r in rows] == [("1", "16", "6"), ("8", "128", "1")]
