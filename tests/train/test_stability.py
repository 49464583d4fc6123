"""Loss spikes: the skip rule against numbers worked out by hand, and real runs with a corrupt
batch injected: its update is never applied, and a cluster of them rolls the run back to its
last checkpoint while the data goes on."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import pytest
import torch

from common.config import load_config
from tests.train.conftest import SEQ_LEN, tiny_config, write_mix
from train.config import StabilityConfig
from train.data import DataSource, TokenLoader, source_from_mix
from train.loop import ROLLBACKS_FILE, TrainingDiverged, train
from train.metrics import read_metrics
from train.stability import SpikeGuard

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")
ACCUM = 2  # tiny_config's micro-batches per step


def guard(**overrides: object) -> SpikeGuard:
    return SpikeGuard(load_config(None, StabilityConfig, {"window": 8, "min_history": 4, **overrides}))


def test_a_loss_more_than_sigma_deviations_above_the_window_mean_is_a_spike():
    g = guard(sigma=3.0)
    history = [2.0, 2.2, 1.8, 2.1, 1.9]
    for step, loss in enumerate(history, 1):
        g.record(step, loss, 1.0 + step / 100, skipped=False)
    mean, std = statistics.mean(history), statistics.stdev(history)
    assert g.verdict(mean + 2.99 * std, 1.0) is None
    reason = g.verdict(mean + 3.01 * std, 1.0)
    assert reason is not None and reason.startswith("loss") and "3.0 sigma" in reason
    assert g.verdict(mean - 10 * std, 1.0) is None  # a drop is no spike


def test_a_grad_norm_spike_alone_is_enough():
    g = guard()
    for step in range(1, 6):
        g.record(step, 2.0 + step / 100, 1.0 + step / 100, skipped=False)
    reason = g.verdict(2.03, 5.0)
    assert reason is not None and reason.startswith("grad norm")


def test_no_spike_test_before_the_minimum_history_but_non_finite_always_skips():
    g = guard(min_history=4)
    for step in range(1, 4):
        g.record(step, 2.0, 1.0 + step / 100, skipped=False)
    assert g.verdict(100.0, 100.0) is None  # 3 steps of history: too few to judge
    assert g.verdict(math.nan, 1.0) == "loss nan is not finite"
    assert g.verdict(2.0, math.inf) == "grad norm inf is not finite"
    assert load_config(None, StabilityConfig, {"skip_spikes": False}).skip_spikes is False


def test_skipped_steps_stay_out_of_the_history_and_roll_back_after_k_within_the_window():
    g = guard(window=4, min_history=2, rollback_skips=2)
    for step in range(1, 5):
        g.record(step, 1.0 + step / 100, 1.0, skipped=False)
    g.record(5, 9.0, 1.0, skipped=True)
    assert list(g.losses) == [1.01, 1.02, 1.03, 1.04]
    assert not g.should_roll_back()
    for step in range(6, 9):  # the skip at 5 leaves the 4-step window after step 8
        g.record(step, 1.0, 1.0, skipped=False)
    g.record(9, 9.0, 1.0, skipped=True)
    assert not g.should_roll_back()
    g.record(10, 9.0, 1.0, skipped=True)
    assert g.should_roll_back()
    restored = guard(window=4, min_history=2, rollback_skips=2)
    restored.load_state_dict(json.loads(json.dumps(g.state_dict())))  # what a checkpoint holds
    assert restored.state_dict() == g.state_dict()


def test_minimum_history_longer_than_the_window_is_refused():
    with pytest.raises(ValueError, match="min_history"):
        load_config(None, StabilityConfig, {"window": 8, "min_history": 9})


# -- real runs with a corrupt batch ----------------------------------------------------------


def corrupting_loader(steps: set[int]) -> type[TokenLoader]:
    """The real loader, except that the micro-batches of ``steps`` get random labels: data that
    has nothing to do with the pattern the model learns (as a broken shard would)."""

    class Corrupting(TokenLoader):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.drawn = 0

        def next_batch(self):  # type: ignore[no-untyped-def]
            batch = super().next_batch()
            self.drawn += 1
            step = (self.drawn - 1) // ACCUM + 1
            if batch is not None and step in steps:
                rng = torch.Generator().manual_seed(step)
                batch.labels = torch.randint(2, 64, batch.labels.shape, generator=rng)
            return batch

    return Corrupting


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, token_dir: Path) -> DataSource:
    # 300 sequences: 37 full steps of 8, room for a run of 30 steps and a rollback's passed-over batches
    mix = write_mix(
        tmp_path_factory.mktemp("mix") / "mix.yaml", token_dir, {"web": 0.7, "books": 0.3}, 300 * SEQ_LEN
    )
    return source_from_mix(mix)


def spike_config(**overrides: object):  # type: ignore[no-untyped-def]
    return tiny_config(
        steps=30,
        stability={"window": 8, "min_history": 8, "rollback_skips": 2},
        checkpoint={"interval": 10},
        **overrides,
    )


def optimizer_steps_taken(checkpoint: Path) -> int:
    state = torch.load(checkpoint / "zero_pp_rank_0_mp_rank_00_optim_states.pt", weights_only=False)
    adam = state["optimizer_state_dict"]["optimizer_state_dict"]["state"]
    return int(next(iter(adam.values()))["step"])


def test_a_corrupt_batch_is_skipped_before_its_update(
    source: DataSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("train.loop.TokenLoader", corrupting_loader({20}))
    result = train(spike_config(), source, tmp_path)
    records = read_metrics(result.metrics)
    skipped = {r["step"]: r["skipped"] for r in records if r["skipped"]}
    assert list(skipped) == [20] and "sigma above the mean" in skipped[20]
    assert records[19]["loss"] > 3 * records[18]["loss"]  # it was a spike
    # Adam took 29 steps: the skipped one changed neither weights nor moments nor its count
    assert optimizer_steps_taken(result.checkpoint) == 29
    assert records[20]["loss"] < 1.5 * records[18]["loss"]  # the next step goes on as before
    assert not (tmp_path / ROLLBACKS_FILE).exists()


def test_a_cluster_of_corrupt_batches_rolls_back_to_the_checkpoint_and_passes_them_over(
    source: DataSource, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("train.loop.TokenLoader", corrupting_loader({22, 23}))
    result = train(spike_config(), source, tmp_path)
    (rollback,) = [json.loads(line) for line in (tmp_path / ROLLBACKS_FILE).read_text().splitlines()]
    assert (rollback["from_step"], rollback["to_step"], rollback["skipped_steps"]) == (23, 20, [22, 23])
    records = read_metrics(result.metrics)
    assert [r["step"] for r in records] == list(range(1, 31))  # one curve: 21.. again after the rollback
    assert not any(r["skipped"] for r in records)
    assert optimizer_steps_taken(result.checkpoint) == 30
    # the data went on: 30 steps trained on 33 steps' batches, none drawn twice
    assert result.tokens_seen == 33 * 8 * (SEQ_LEN - 1)


def test_blown_up_weights_skip_every_step_and_stop_without_a_checkpoint_to_return_to(
    source: DataSource, tmp_path: Path
):
    cfg = spike_config(optimizer={"lr": 1e30}, schedule={"warmup_steps": 1})
    with pytest.raises(TrainingDiverged, match=r"step 3: 2 skipped steps \(2, 3\)"):
        train(cfg, source, tmp_path)
    records = read_metrics(tmp_path / "metrics.jsonl")
    assert records[0]["skipped"] is None
    assert all("not finite" in r["skipped"] for r in records[1:])
