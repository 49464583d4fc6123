"""End to end through DeepSpeed ZeRO-3 on CPU, one rank: the loss falls, checkpoints are complete,
a run stopped and resumed sees the same batches and the same losses as one never stopped, the
steps follow from the mix plan and every domain gives what the plan says, and the metrics reach
TensorBoard.

The DeepSpeed runs are shared by the tests of this module (one engine start each, about two
seconds once DeepSpeed's comm op is compiled and cached)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from common.errors import ConfigError, OutputConflict
from tests.train.conftest import SEQ_LEN, VOCAB, tiny_config, write_mix
from train.checkpoint import LATEST, META, Checkpointer
from train.data import DataSource, source_from_mix
from train.engine import init_distributed
from train.loop import TrainResult, train
from train.metrics import read_metrics

REPO = Path(__file__).resolve().parents[2]
# DeepSpeed calls torch.distributed APIs that torch marks deprecated, once per step
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")
STEPS, STOP = 10, 7


@dataclass
class Runs:
    source: DataSource
    whole: TrainResult
    """STEPS steps in one go."""
    stopped: TrainResult
    """The same run stopped after STOP steps ..."""
    resumed: TrainResult
    """... and resumed to STEPS in a new engine."""
    out: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, token_dir: Path) -> Runs:
    out = tmp_path_factory.mktemp("train")
    # the plan: 80 sequences = 10 steps of 8, and STOP is in the middle
    source = source_from_mix(write_mix(out / "mix.yaml", token_dir, {"web": 0.5, "books": 0.5}, 80 * SEQ_LEN))
    cfg = tiny_config()
    whole = train(cfg, source, out / "whole")
    stopped = train(cfg, source, out / "interrupted", stop_at=STOP)
    resumed = train(cfg, source, out / "interrupted", resume=True)
    return Runs(source, whole, stopped, resumed, out)


def test_loss_falls_well_below_guessing_on_a_learnable_pattern(runs: Runs):
    losses = [r["loss"] for r in read_metrics(runs.whole.metrics)]
    assert len(losses) == STEPS
    assert losses[0] == pytest.approx(math.log(VOCAB), abs=0.3)
    assert losses[-1] < math.log(VOCAB) - 1.5


def test_metrics_record_every_step(runs: Runs):
    records = read_metrics(runs.whole.metrics)
    assert [r["step"] for r in records] == list(range(1, STEPS + 1))
    first = records[0]
    assert first["tokens"] == 4 * 2 * (SEQ_LEN - 1)  # micro-batch x accumulation x positions
    assert records[-1]["tokens_seen"] == STEPS * first["tokens"]
    assert all(r["grad_norm"] > 0 and r["tokens_per_s"] > 0 and r["lr"] > 0 for r in records)
    assert all(r["skipped"] is None for r in records)
    assert all(r["tokens_per_s_per_device"] == r["tokens_per_s"] and r["mfu"] is None for r in records)
    assert records[1]["lr"] == pytest.approx(1e-2)  # end of the 2-step warmup
    assert records[-1]["domain_tokens"] == runs.whole.domain_tokens


def test_steps_follow_from_the_plan_and_every_domain_gives_what_it_planned(runs: Runs):
    assert runs.source.plan is not None
    assert runs.whole.step == runs.source.plan.optimizer_steps(8) == STEPS
    planned = {row.domain: row.sequences_drawn for row in runs.source.plan.rows}
    assert runs.whole.domain_sequences == planned  # one rank: nothing repeated to even out ranks


def test_a_plan_that_does_not_fill_the_last_step_ends_with_a_short_one(
    runs: Runs, token_dir: Path, tmp_path: Path
):
    # 84 sequences: 10 steps of 8 and an 11th of one micro-batch of 4
    source = source_from_mix(
        write_mix(tmp_path / "mix.yaml", token_dir, {"web": 0.5, "books": 0.5}, 84 * SEQ_LEN)
    )
    result = train(tiny_config(), source, tmp_path / "run")
    records = read_metrics(result.metrics)
    assert result.step == len(records) == 11
    assert [r["tokens"] for r in records] == [8 * (SEQ_LEN - 1)] * 10 + [4 * (SEQ_LEN - 1)]
    assert math.isfinite(records[-1]["loss"]) and records[-1]["skipped"] is None
    assert result.domain_sequences == {"web": 42, "books": 42}


def test_more_steps_than_the_plan_holds_are_refused_before_training(runs: Runs, tmp_path: Path):
    with pytest.raises(ConfigError, match=r"steps: 11 steps .* the mix plan draws 80 .* at most 10 steps"):
        train(tiny_config(steps=11), runs.source, tmp_path)
    assert not (tmp_path / "checkpoints").exists()


def test_tensorboard_gets_the_losses_of_the_jsonl(runs: Runs):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(runs.whole.metrics.parent / "tensorboard"))
    events.Reload()
    board = {e.step: e.value for e in events.Scalars("train/loss")}
    jsonl = {r["step"]: r["loss"] for r in read_metrics(runs.whole.metrics)}
    assert board.keys() == jsonl.keys()
    assert all(board[s] == pytest.approx(jsonl[s], rel=1e-6) for s in jsonl)
    assert "speed/tokens_per_s_per_device" in events.Tags()["scalars"]


def test_final_checkpoint_is_complete_and_named_latest(runs: Runs):
    ckpt = runs.whole.checkpoint
    assert ckpt.name == "step-00000010"
    assert (ckpt.parent / LATEST).read_text() == ckpt.name
    meta = json.loads((ckpt / META).read_text())
    assert meta["step"] == STEPS
    assert meta["loader"]["sample_in_epoch"] > 0
    assert meta["world_size"] == 1
    assert meta["domain_sequences"] == meta["planned_sequences"] == {"web": 40, "books": 40}
    assert list(ckpt.glob("*model_states.pt")) and list(ckpt.glob("*optim_states.pt"))
    assert not (ckpt.parent / ".staging").exists()


def test_stopped_run_ends_with_a_checkpoint_of_its_last_step(runs: Runs):
    assert runs.stopped.step == STOP
    assert runs.stopped.checkpoint.name == "step-00000007"
    assert (runs.stopped.checkpoint / META).is_file()  # kept (keep: 2) beside the final one


def test_resumed_run_sees_the_same_batches_and_losses_as_the_uninterrupted_one(runs: Runs):
    whole = read_metrics(runs.whole.metrics)
    resumed = read_metrics(runs.resumed.metrics)
    assert [r["step"] for r in resumed] == list(range(1, STEPS + 1))
    # after the resume at STOP: the batch the uninterrupted run saw next, step by step
    assert [r["batch_digest"] for r in resumed] == [r["batch_digest"] for r in whole]
    for key in ("loss", "grad_norm", "lr", "domain_tokens"):  # bit for bit
        assert [r[key] for r in resumed] == [r[key] for r in whole], key
    assert runs.resumed.tokens_seen == runs.whole.tokens_seen


def test_resume_under_changed_settings_is_refused_naming_them(runs: Runs):
    changed = tiny_config(steps=STEPS, optimizer={"lr": 2e-2})
    with pytest.raises(ConfigError, match=r"config\.optimizer\.lr \(0\.01 -> 0\.02\)"):
        train(changed, runs.source, runs.out / "interrupted", resume=True)


def test_fresh_run_over_existing_checkpoints_is_refused(runs: Runs):
    with pytest.raises(OutputConflict, match="--resume .* --overwrite"):
        train(tiny_config(steps=STEPS), runs.source, runs.out / "whole")


def test_partial_checkpoint_is_never_taken_as_complete(tmp_path: Path):
    ckpts = Checkpointer(tmp_path, keep=2, world=init_distributed())
    (tmp_path / ".staging" / "step-00000003").mkdir(parents=True)  # a save cut short by a crash
    (tmp_path / ".staging" / "step-00000003" / "zero_pp_rank_0_mp_rank_00_model_states.pt").write_bytes(b"")
    assert ckpts.latest() is None
    (tmp_path / "step-00000003").mkdir()  # a directory without its completion record
    (tmp_path / LATEST).write_text("step-00000003")
    with pytest.raises(RuntimeError, match="not a complete checkpoint"):
        ckpts.latest()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "train", *args], cwd=REPO, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_cli_trains_from_a_mix_and_prints_the_checkpoint(tmp_path: Path, mix_file: Path):
    done = run_cli(
        "--mix", str(mix_file), "--config", "configs/train.yaml", "--steps", "6", "--output", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("checkpoint: "))
    ckpt = Path(line.removeprefix("checkpoint: "))
    assert ckpt == tmp_path / "checkpoints" / "step-00000006"
    assert (ckpt / META).is_file()
    assert len(read_metrics(tmp_path / "metrics.jsonl")) == 6


def test_cli_bad_config_key_fails_at_start_up_naming_it(tmp_path: Path, mix_file: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("optimizer:\n  learning_rate: 0.1\n", encoding="utf-8")
    done = run_cli("--mix", str(mix_file), "--config", str(bad), "--output", str(tmp_path / "run"))
    assert done.returncode == 2
    assert f"{bad}: optimizer.learning_rate" in done.stderr
    assert not (tmp_path / "run").exists()


def test_overwrite_replaces_an_earlier_runs_checkpoints(runs: Runs, tmp_path: Path):
    shutil.copytree(runs.whole.checkpoint.parent, tmp_path / "checkpoints")
    shutil.copy(runs.whole.metrics, tmp_path / "metrics.jsonl")
    redo = train(tiny_config(steps=STEPS), runs.source, tmp_path, stop_at=1, overwrite=True)
    assert redo.checkpoint == tmp_path / "checkpoints" / "step-00000001"
    assert sorted(p.name for p in (tmp_path / "checkpoints").glob("step-*")) == ["step-00000001"]
    assert [r["step"] for r in read_metrics(redo.metrics)] == [1]


def test_bf16_zero3_trains_with_finite_falling_loss(runs: Runs, tmp_path: Path):
    # bf16 is what `precision: auto` picks on GPUs; DeepSpeed runs it on CPU too
    result = train(tiny_config(steps=4, precision="bf16"), runs.source, tmp_path)
    losses = [r["loss"] for r in read_metrics(result.metrics)]
    assert all(math.isfinite(x) for x in losses)
    assert losses[-1] < losses[0] - 0.5


@pytest.mark.slow
def test_compile_and_activation_checkpointing_change_the_speed_not_the_losses(runs: Runs, tmp_path: Path):
    # DeepSpeed's engine.compile() over ZeRO-3 with recomputed blocks, on CPU (inductor): the
    # same curve as the eager run within float rounding of fused kernels
    fast = train(
        tiny_config(speed={"compile": True, "activation_checkpointing": True}), runs.source, tmp_path / "fast"
    )
    eager = [r["loss"] for r in read_metrics(runs.whole.metrics)]
    compiled = [r["loss"] for r in read_metrics(fast.metrics)]
    assert compiled == pytest.approx(eager, rel=1e-5)
