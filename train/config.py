"""The training config (`configs/train.yaml`), validated at start-up.

One typed file decides a run: model size (a preset, optionally adjusted), optimizer, LR schedule,
batch shape, length, precision, ZeRO stage, attention backend, data loading, checkpoints, logging
and the seed. A wrong key or value fails here, naming the key, before DeepSpeed starts. The
DeepSpeed JSON is generated from this (`train.engine.deepspeed_config`), never written by hand.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from common.config import StrictModel, stable_hash
from common.errors import ConfigError
from train.model import LlamaConfig, flash_available

Preset = Literal["tiny", "small", "1b", "7b"]

PRESETS: dict[str, dict[str, Any]] = {
    # Tests and the demo: a few seconds on a CPU core.
    "tiny": {"dim": 64, "n_layers": 2, "n_heads": 4, "n_kv_heads": 2, "ffn_dim": 192},
    # About 25M non-embedding parameters: a quick real run on one GPU.
    "small": {"dim": 512, "n_layers": 8, "n_heads": 8, "n_kv_heads": 4, "ffn_dim": 1408},
    # Llama 3.2 1B shape (dim 2048, 16 layers, 32 query / 8 key-value heads, FFN 8192).
    "1b": {
        "dim": 2048,
        "n_layers": 16,
        "n_heads": 32,
        "n_kv_heads": 8,
        "ffn_dim": 8192,
        "rope_theta": 500000.0,
    },
    # Llama 2 7B shape (dim 4096, 32 layers, 32 heads, FFN 11008).
    "7b": {"dim": 4096, "n_layers": 32, "n_heads": 32, "n_kv_heads": 32, "ffn_dim": 11008},
}
SHAPE_KEYS = ("dim", "n_layers", "n_heads", "n_kv_heads", "ffn_dim", "rope_theta")
"""The `LlamaConfig` fields a preset sets and `ModelConfig` may replace."""


class ModelConfig(StrictModel):
    preset: Preset = "tiny"
    """Named size; the fields below, when set, replace the preset's value."""
    dim: int | None = Field(None, gt=0)
    n_layers: int | None = Field(None, gt=0)
    n_heads: int | None = Field(None, gt=0)
    n_kv_heads: int | None = Field(None, gt=0)
    ffn_dim: int | None = Field(None, gt=0)
    rope_theta: float | None = Field(None, gt=0)
    vocab_size: int | None = Field(None, gt=0)
    """None: the tokenizer's vocabulary size from the token shards' manifest. Set it larger to pad
    the embedding table (e.g. to a multiple of 64 for GPU efficiency), never smaller."""
    attention: Literal["auto", "sdpa", "flash"] = "auto"
    """auto: flash-attn when it is installed, CUDA is present and the run computes in bf16, else
    torch SDPA."""
    document_masking: bool = True
    """Tokens attend only within their own document of a packed sequence."""

    def resolve(self, data_vocab_size: int, max_seq_len: int, precision: str = "fp32") -> LlamaConfig:
        """The concrete model config for data with this vocabulary and sequence length, computing
        in ``precision`` (flash-attn runs in bf16/fp16 only)."""
        vocab = self.vocab_size or data_vocab_size
        if vocab < data_vocab_size:
            raise ConfigError(
                f"model.vocab_size: {vocab} is smaller than the tokenizer's vocabulary ({data_vocab_size})"
            )
        return LlamaConfig(
            vocab_size=vocab,
            max_seq_len=max_seq_len,
            attention=resolve_attention(self.attention, precision, flash_available()),
            document_masking=self.document_masking,
            **self.shape(),
        )

    def shape(self) -> dict[str, Any]:
        """The preset's shape, with the fields set here in place of its values."""
        overrides = {key: getattr(self, key) for key in SHAPE_KEYS if getattr(self, key) is not None}
        return {**PRESETS[self.preset], **overrides}

    @model_validator(mode="after")
    def _shape_is_consistent(self) -> ModelConfig:
        # The model's own checks (head counts, rotary head dim), run at load so a bad shape names
        # its key before anything starts; vocabulary and length are only known from the data.
        LlamaConfig(vocab_size=1, max_seq_len=1, **self.shape())
        return self


def resolve_attention(setting: str, precision: str, flash_installed: bool) -> Literal["sdpa", "flash"]:
    """Pick the attention backend. flash-attn computes in bf16/fp16 only, so ``auto`` takes it
    only for a bf16 run on CUDA with the package installed; asking for it where it cannot run is
    a start-up error rather than a failure in the first forward pass."""
    if setting == "auto":
        return "flash" if flash_installed and precision == "bf16" else "sdpa"
    if setting == "flash":
        if not flash_installed:
            raise ConfigError(
                "model.attention: 'flash' needs the flash-attn package (pyproject extra `gpu`) and a CUDA device"
            )
        if precision != "bf16":
            raise ConfigError(
                f"model.attention: 'flash' computes in bf16 only, but this run's precision is {precision}; "
                f"set precision: bf16 or attention: sdpa"
            )
    return setting  # type: ignore[return-value]


class OptimizerConfig(StrictModel):
    """AdamW with the usual LLM-pretraining values (Llama, OLMo 2: beta2 0.95, eps 1e-8, wd 0.1)."""

    lr: float = Field(3e-4, gt=0)
    """Peak learning rate, reached at the end of warmup."""
    beta1: float = Field(0.9, ge=0, lt=1)
    beta2: float = Field(0.95, ge=0, lt=1)
    eps: float = Field(1e-8, gt=0)
    weight_decay: float = Field(0.1, ge=0)
    """Applied to matrices only; norms, biases and embeddings are not decayed (OLMo 2)."""
    grad_clip: float = Field(1.0, gt=0)
    """Global gradient-norm clipping (DeepSpeed `gradient_clipping`)."""


class ScheduleConfig(StrictModel):
    warmup_steps: int = Field(100, ge=0)
    """Linear warmup from lr/warmup_steps to the peak."""
    min_lr_ratio: float = Field(0.1, ge=0, le=1)
    """Cosine decay ends at this fraction of the peak at the last step (Llama: 10%)."""


class BatchConfig(StrictModel):
    micro_batch_size: int = Field(8, gt=0)
    """Sequences per device per forward pass."""
    grad_accum_steps: int = Field(1, gt=0)
    """Micro-batches per optimizer step; global batch = micro x accum x devices."""


class DataConfig(StrictModel):
    num_workers: int = Field(0, ge=0)
    """DataLoader worker processes; 0 reads in the training process (enough for token shards)."""


class SpeedConfig(StrictModel):
    """Switches that change how fast a step runs, not what it computes (up to float rounding):
    they may change between a run and its resumption. ``auto`` turns a switch on where it helps."""

    compile: bool | Literal["auto"] = "auto"
    """torch.compile each transformer block; auto: on CUDA (inductor fuses the norms, rotary and
    SwiGLU element-wise work), off on CPU, where compiling costs more than it saves on short runs."""
    activation_checkpointing: bool = False
    """Recompute each block's activations in the backward pass: about a third more compute for
    activation memory of one block. Off by default: turn it on when a micro-batch does not fit."""
    fused_adamw: bool | Literal["auto"] = "auto"
    """torch AdamW's fused CUDA kernel (one launch for every parameter); auto: on CUDA."""
    deterministic: bool = False
    """Bitwise repeatable GPU runs: flash-attn's deterministic backward and torch's deterministic
    algorithms, at some speed. CPU runs are deterministic anyway."""


class StabilityConfig(StrictModel):
    """Loss-spike handling (OLMo-core's skip-step optimizer, PaLM's rollback). A step is skipped
    -- its update not applied, its batch not trained on again -- when its loss or gradient norm is
    not finite, or more than ``sigma`` standard deviations above the mean of the previous
    ``window`` steps. ``rollback_skips`` skips within ``window`` steps roll the run back to the
    last checkpoint while the data goes on, so the batches since that checkpoint are passed over."""

    skip_spikes: bool = True
    """Off: only non-finite steps are skipped."""
    window: int = Field(128, gt=1)
    """Steps of loss / grad-norm history (OLMo-core SkipStepOptimizer: rolling_interval_length 128)."""
    sigma: float = Field(6.0, gt=0)
    """Threshold in standard deviations above the window's mean (OLMo-core: sigma_factor 6)."""
    min_history: int = Field(64, gt=1)
    """No spike test before this many steps of history (OLMo-core: max(20, window // 2))."""
    rollback_skips: int = Field(4, ge=0)
    """Skips within the last ``window`` steps that trigger a rollback; 0 never rolls back.
    (llm-foundry's kill-loss-spike callback acts after a spike persists for more than 4 steps.)"""
    rollback_skip_batches: int = Field(0, ge=0)
    """Global batches passed over after a rollback, beyond those since the checkpoint
    (PaLM, arXiv 2204.02311 §5.1, restarted ~100 steps earlier and skipped ~200-500 batches)."""

    @model_validator(mode="after")
    def _history_fits(self) -> StabilityConfig:
        if self.min_history > self.window:
            raise ValueError(f"min_history ({self.min_history}) must not exceed window ({self.window})")
        return self


class MetricsConfig(StrictModel):
    tensorboard: bool = True
    """Also write TensorBoard event files under the run's ``tensorboard/`` folder."""
    peak_tflops: float | None = Field(None, gt=0)
    """Peak dense bf16 TFLOP/s per device for MFU; None: from the table in `train.flops` by the
    GPU's name (no MFU on CPU, where there is no meaningful peak)."""


class EvalConfig(StrictModel):
    """Held-out perplexity per domain during training (`train.evaluate.HeldoutEvaluator`)."""

    interval: int = Field(0, ge=0)
    """Evaluate every this many steps and after the last; 0: never during training."""
    heldout: str | None = None
    """The held-out split (``SPLIT/heldout`` of ``python -m mixer split``); None: the split's
    ``heldout`` beside the training tokens when they are a split's ``train`` side."""
    max_sequences: int | None = Field(64, gt=0)
    """Held-out rows per domain scored each time (the first ones, always the same); None: all."""
    micro_batch_size: int | None = Field(None, gt=0)
    """Rows per forward pass; None: the training micro-batch size."""


class CheckpointConfig(StrictModel):
    dir: str = "checkpoints"
    """Relative paths are under the run's output directory."""
    interval: int = Field(0, ge=0)
    """Save every this many steps; 0 saves only at the end. The last step is always saved."""
    keep: int = Field(2, gt=0)
    """Complete checkpoints kept; older ones are deleted after a newer one is complete."""


class TrainConfig(StrictModel):
    model: ModelConfig = Field(default_factory=ModelConfig)
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    batch: BatchConfig = Field(default_factory=BatchConfig)
    data: DataConfig = Field(default_factory=DataConfig)
    speed: SpeedConfig = Field(default_factory=SpeedConfig)
    stability: StabilityConfig = Field(default_factory=StabilityConfig)
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)
    checkpoint: CheckpointConfig = Field(default_factory=CheckpointConfig)
    eval: EvalConfig = Field(default_factory=EvalConfig)
    steps: int | None = Field(None, gt=0)
    """Optimizer steps of the whole run; the LR schedule spans them. None: the steps that draw
    the mix plan's token budget once with the global batch (`MixPlan.optimizer_steps`)."""
    precision: Literal["auto", "bf16", "fp32"] = "auto"
    """auto: bf16 on a GPU that supports it, fp32 otherwise (CPU)."""
    zero_stage: Literal[0, 1, 2, 3] = 3
    log_interval: int = Field(10, gt=0)
    """Steps between log lines; metrics.jsonl gets every step."""
    out_dir: str = "out/train"
    seed: int = Field(1234, ge=0)
    """Seeds model init and the Python/NumPy/torch RNGs (the data order has the mix's own seed)."""

    @model_validator(mode="after")
    def _warmup_fits(self) -> TrainConfig:
        if self.steps is not None:
            check_warmup(self.schedule.warmup_steps, self.steps)
        return self

    def run_identity(self) -> dict[str, Any]:
        """The settings that decide the trajectory (weights, batches, losses). Checkpoint cadence,
        logging, evaluation, worker count, speed switches and the output path may change between a run and
        its resumption."""
        dump = self.model_dump(mode="json")
        for key in ("checkpoint", "data", "speed", "metrics", "eval", "log_interval", "out_dir"):
            dump.pop(key)
        return dump

    def hash(self) -> str:
        return stable_hash(self.run_identity())


def check_warmup(warmup_steps: int, steps: int) -> None:
    if warmup_steps >= steps:
        raise ConfigError(f"schedule.warmup_steps ({warmup_steps}) must be below steps ({steps})")
