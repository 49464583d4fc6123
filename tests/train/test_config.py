"""The training config: typed, validated at start-up, and the only source of the DeepSpeed JSON."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import torch

from common.config import load_config
from common.errors import ConfigError
from train.config import PRESETS, TrainConfig, resolve_attention
from train.engine import deepspeed_config, param_groups, resolve_precision
from train.model import Llama, LlamaConfig, flash_available
from train.schedule import lr_multiplier

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "train.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_config_loads():
    cfg = load_config(REPO / "configs" / "train.yaml", TrainConfig)
    assert cfg.zero_stage == 3
    assert cfg.model.document_masking


def test_deepspeed_config_is_generated_from_the_typed_config():
    cfg = load_config(None, TrainConfig, {"batch": {"micro_batch_size": 4, "grad_accum_steps": 3}})
    ds = deepspeed_config(cfg, world_size=2, precision="bf16")
    assert ds["zero_optimization"]["stage"] == 3
    assert ds["gradient_clipping"] == 1.0
    assert ds["train_micro_batch_size_per_gpu"] == 4
    assert ds["gradient_accumulation_steps"] == 3
    assert ds["train_batch_size"] == 4 * 3 * 2
    assert ds["bf16"] == {"enabled": True}
    assert ds["zero_allow_untested_optimizer"] is True
    assert deepspeed_config(cfg, 1, "fp32")["bf16"] == {"enabled": False}


def test_deepspeed_config_follows_changed_settings():
    cfg = load_config(None, TrainConfig, {"zero_stage": 1, "optimizer": {"grad_clip": 0.5}})
    ds = deepspeed_config(cfg, world_size=1, precision="fp32")
    assert ds["zero_optimization"]["stage"] == 1
    assert ds["gradient_clipping"] == 0.5


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("optimizer:\n  lrr: 0.1\n", "optimizer.lrr"),
        ("stepz: 10\n", "stepz"),
        ("model:\n  preset: huge\n", "model.preset"),
        ("zero_stage: 4\n", "zero_stage"),
        ("batch:\n  micro_batch_size: 0\n", "batch.micro_batch_size"),
    ],
)
def test_bad_key_or_value_fails_at_start_up_naming_it(tmp_path: Path, text: str, key: str):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, TrainConfig)
    assert f"{path}: {key}" in str(err.value)


def test_warmup_longer_than_the_run_is_refused():
    with pytest.raises(ConfigError, match="warmup_steps"):
        load_config(None, TrainConfig, {"steps": 10, "schedule": {"warmup_steps": 10}})


def test_inconsistent_model_shape_is_refused_at_load():
    with pytest.raises(ConfigError, match="n_kv_heads"):
        load_config(None, TrainConfig, {"model": {"preset": "tiny", "n_kv_heads": 3}})


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_every_preset_resolves_to_a_valid_model_config(preset: str):
    cfg = load_config(None, TrainConfig, {"model": {"preset": preset, "attention": "sdpa"}})
    model_cfg = cfg.model.resolve(data_vocab_size=32000, max_seq_len=2048)
    assert isinstance(model_cfg, LlamaConfig)
    assert model_cfg.dim == PRESETS[preset]["dim"]


def test_preset_fields_can_be_overridden():
    cfg = load_config(None, TrainConfig, {"model": {"preset": "tiny", "dim": 128, "n_layers": 3}})
    model_cfg = cfg.model.resolve(data_vocab_size=100, max_seq_len=64)
    assert (model_cfg.dim, model_cfg.n_layers, model_cfg.n_heads) == (128, 3, PRESETS["tiny"]["n_heads"])


def test_vocab_smaller_than_the_tokenizer_is_refused():
    cfg = load_config(None, TrainConfig, {"model": {"vocab_size": 10}})
    with pytest.raises(ConfigError, match=r"model\.vocab_size"):
        cfg.model.resolve(data_vocab_size=64, max_seq_len=32)


@pytest.mark.skipif(flash_available(), reason="flash-attn runs here")
def test_flash_attention_where_it_cannot_run_is_a_start_up_error():
    cfg = load_config(None, TrainConfig, {"model": {"attention": "flash"}})
    with pytest.raises(ConfigError, match=r"model\.attention"):
        cfg.model.resolve(data_vocab_size=64, max_seq_len=32)


@pytest.mark.parametrize("installed", [True, False])
def test_auto_attention_takes_flash_only_for_bf16_where_it_is_installed(installed: bool):
    assert resolve_attention("auto", "fp32", flash_installed=installed) == "sdpa"
    assert resolve_attention("auto", "bf16", flash_installed=installed) == ("flash" if installed else "sdpa")


def test_flash_attention_asked_for_in_fp32_is_a_start_up_error_naming_both():
    with pytest.raises(ConfigError, match=r"model\.attention: 'flash' computes in bf16 only.*fp32"):
        resolve_attention("flash", "fp32", flash_installed=True)
    assert resolve_attention("flash", "bf16", flash_installed=True) == "flash"


def test_steps_default_to_the_plan_and_speed_switches_stay_out_of_the_identity():
    base = load_config(None, TrainConfig)
    assert base.steps is None
    assert base.hash() == load_config(None, TrainConfig, {"speed": {"compile": False}}).hash()
    assert base.hash() != load_config(None, TrainConfig, {"stability": {"sigma": 5.0}}).hash()


def test_the_deepspeed_launchers_local_rank_argument_is_accepted(tmp_path: Path):
    from train.__main__ import parse_args

    args = parse_args(["--local_rank=3", "--mix", "mix.yaml", "--output", str(tmp_path)])
    assert (args.mix, args.output) == (Path("mix.yaml"), tmp_path)


def test_auto_precision_is_fp32_on_cpu():
    assert resolve_precision("auto", torch.device("cpu")) == "fp32"
    assert resolve_precision("bf16", torch.device("cpu")) == "bf16"


def test_run_identity_ignores_checkpoint_cadence_but_not_the_learning_rate():
    base = load_config(None, TrainConfig)
    assert base.hash() == load_config(None, TrainConfig, {"checkpoint": {"interval": 3}}).hash()
    assert base.hash() != load_config(None, TrainConfig, {"optimizer": {"lr": 1e-3}}).hash()


def test_schedule_warms_up_linearly_then_decays_to_the_floor():
    lrs = [lr_multiplier(s, warmup_steps=4, total_steps=20, min_ratio=0.1) for s in range(20)]
    assert lrs[:4] == pytest.approx([0.25, 0.5, 0.75, 1.0])
    assert lrs[4] == pytest.approx(1.0)
    assert lrs[-1] == pytest.approx(0.1)
    assert all(a >= b for a, b in itertools.pairwise(lrs[4:]))


def test_norms_and_embeddings_are_not_weight_decayed():
    model = Llama(
        LlamaConfig(vocab_size=16, max_seq_len=8, dim=16, n_layers=1, n_heads=2, n_kv_heads=1, ffn_dim=32)
    )
    decay, no_decay = param_groups(model, 0.1)
    names = {id(p): n for n, p in model.named_parameters()}
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    no_decay_names = {names[id(p)] for p in no_decay["params"]}
    assert "tok_embeddings.weight" in no_decay_names
    assert all(n.endswith("norm.weight") or n == "tok_embeddings.weight" for n in no_decay_names)
    assert "layers.0.attention.wq.weight" in {names[id(p)] for p in decay["params"]}
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(model.parameters()))


def test_defaults_are_the_documented_optimizer_values():
    opt = TrainConfig().optimizer
    assert (opt.beta1, opt.beta2, opt.eps, opt.weight_decay, opt.grad_clip) == (0.9, 0.95, 1e-8, 0.1, 1.0)
