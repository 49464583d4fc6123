"""Two CPU ranks (gloo) through the real launchers, as a multi-GPU job runs: ``deepspeed --module
train`` and ``torchrun -m train`` train the plan, ZeRO-3 splits the parameters and optimizer
state between the ranks, and a job killed with SIGKILL mid-run and resumed goes on bit for bit as
the uninterrupted one (losses, gradient norms, the batches every rank saw), with and without
DataLoader workers. A resume with another number of ranks is refused naming both.

One uninterrupted job and, per worker count, one killed job and its resumption: five launches
shared by the tests of this module.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from common.config import load_config
from common.errors import ConfigError
from tests.train import ranks
from tests.train.conftest import SEQ_LEN, VOCAB, write_mix
from train.checkpoint import META
from train.config import TrainConfig
from train.data import source_from_mix
from train.loop import train
from train.metrics import read_metrics
from train.model import Llama

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::FutureWarning")]

SEQUENCES = 200  # 2 ranks x 4 x 2 = 16 a step: 12 full steps and a 13th of one micro-batch per rank
STEPS = 13
KILL_AFTER = 7  # a checkpoint at 5, killed after step 7 or 8: the resume redoes steps 6 on
CONFIG = """\
model: {preset: tiny}
optimizer: {lr: 0.01}
schedule: {warmup_steps: 2}
batch: {micro_batch_size: 4, grad_accum_steps: 2}
data: {num_workers: %d}
checkpoint: {interval: 5, keep: 3}
metrics: {tensorboard: false}
log_interval: 100
"""
COMPARED = ("step", "loss", "grad_norm", "lr", "batch_digest", "tokens_seen", "domain_tokens", "skipped")


@dataclass
class Jobs:
    root: Path
    mix: Path
    config: Path
    reference: Path
    killed_records: dict[int, int]
    """num_workers -> steps in metrics.jsonl when the job was killed."""
    resumed: dict[int, Path]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _config(root: Path, workers: int) -> Path:
    path = root / f"train-{workers}.yaml"
    path.write_text(CONFIG % workers, encoding="utf-8")
    return path


def _train_args(mix: Path, config: Path, out: Path, *extra: str) -> list[str]:
    return ["-m", "train", "--mix", str(mix), "--config", str(config), "--output", str(out), *extra]


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory, token_dir: Path) -> Jobs:
    root = tmp_path_factory.mktemp("ranks")
    mix = write_mix(root / "mix.yaml", token_dir, {"web": 0.5, "books": 0.5}, SEQUENCES * SEQ_LEN)
    reference = root / "reference"
    cmd = [str(ranks.BIN / "deepspeed"), "--num_gpus", "2", "--master_port", str(_free_port())]
    cmd += ["--module", *_train_args(mix, _config(root, 0), reference)[1:]]
    status = ranks.run(cmd, root / "reference-job", root / "reference.log")
    assert status == 0, ranks.tail(root / "reference.log")

    killed_records, resumed = {}, {}
    for workers in (0, 2):
        out, config = root / f"killed-{workers}", _config(root, workers)
        log = root / f"killed-{workers}.log"
        proc = ranks.start(ranks.torchrun(2, *_train_args(mix, config, out)), root, log)

        def far_enough(metrics: Path = out / "metrics.jsonl") -> bool:
            return metrics.exists() and len(metrics.read_text().splitlines()) >= KILL_AFTER

        reached = ranks.wait_until(far_enough, proc)
        ranks.kill_job(proc)
        assert reached, f"the job ended before step {KILL_AFTER}: {ranks.tail(log)}"
        killed_records[workers] = len(read_metrics(out / "metrics.jsonl"))
        log = root / f"resumed-{workers}.log"
        status = ranks.run(ranks.torchrun(2, *_train_args(mix, config, out, "--resume")), root, log)
        assert status == 0, ranks.tail(log)
        resumed[workers] = out
    return Jobs(root, mix, _config(root, 0), reference, killed_records, resumed)


def test_deepspeed_launcher_trains_the_whole_plan_on_two_ranks(jobs: Jobs):
    records = read_metrics(jobs.reference / "metrics.jsonl")
    assert [r["step"] for r in records] == list(range(1, STEPS + 1))
    assert [r["tokens"] for r in records] == [16 * (SEQ_LEN - 1)] * 12 + [8 * (SEQ_LEN - 1)]
    assert all(r["skipped"] is None for r in records)
    meta = json.loads((jobs.reference / "checkpoints" / "step-00000013" / META).read_text())
    assert meta["world_size"] == 2
    assert meta["domain_sequences"] == meta["planned_sequences"] == {"web": 100, "books": 100}
    # the node's shared streaming scratch is gone once every rank is done
    assert (jobs.root / "reference-job" / "tmp").is_dir()
    assert not list((jobs.root / "reference-job" / "tmp").glob("headwater-streaming-*"))


def test_zero3_gives_each_rank_half_of_the_parameters_and_optimizer_state(jobs: Jobs):
    cfg = load_config(jobs.config, TrainConfig)
    model = Llama(cfg.model.resolve(VOCAB, SEQ_LEN - 1))
    total = sum(p.numel() for p in model.parameters())
    ckpt = jobs.reference / "checkpoints" / "step-00000013"
    held = []
    for rank in (0, 1):
        state = torch.load(ckpt / f"zero_pp_rank_{rank}_mp_rank_00_optim_states.pt", weights_only=False)
        flat = state["optimizer_state_dict"]["fp32_flat_groups"]
        moments = state["optimizer_state_dict"]["optimizer_state_dict"]["state"]
        assert [m["exp_avg"].numel() for m in moments.values()] == [t.numel() for t in flat]
        held.append(sum(t.numel() for t in flat))
    assert held[0] == held[1]
    # each rank's partition is half, plus at most one element of padding per tensor
    assert total <= sum(held) <= total + len(list(model.parameters()))


@pytest.mark.parametrize("workers", [0, 2])
def test_a_job_killed_mid_run_and_resumed_matches_the_uninterrupted_one_bit_for_bit(jobs: Jobs, workers: int):
    assert KILL_AFTER <= jobs.killed_records[workers] < STEPS  # really killed in the middle
    reference = read_metrics(jobs.reference / "metrics.jsonl")
    resumed = read_metrics(jobs.resumed[workers] / "metrics.jsonl")
    for key in COMPARED:
        assert [r[key] for r in resumed] == [r[key] for r in reference], key


def test_resume_with_another_number_of_ranks_is_refused_naming_both(jobs: Jobs, tmp_path: Path):
    cfg = load_config(jobs.config, TrainConfig)
    with pytest.raises(ConfigError, match=r"written by 2 rank\(s\), this run has 1"):
        train(cfg, source_from_mix(jobs.mix), jobs.reference, resume=True)


OVERWRITE_SCRIPT = """
import json, sys
from pathlib import Path
from train.checkpoint import Checkpointer
from train.engine import init_distributed
from train.loop import _checkpoint_to_resume

world = init_distributed()
# rank 0 sees an earlier run's checkpoints; rank 1 (another node's view) sees an empty folder
root = Path(sys.argv[1]) if world.rank == 0 else Path(sys.argv[2])
result = _checkpoint_to_resume(Checkpointer(root, 2, world), False, True, {}, world)
import torch.distributed as dist
dist.barrier()
Path(sys.argv[3], f"rank{world.rank}.json").write_text(json.dumps(str(result)))
"""


def test_overwrite_clears_in_step_on_ranks_that_do_not_see_the_checkpoints(tmp_path: Path):
    seen, empty = tmp_path / "seen", tmp_path / "empty"
    (seen / "step-00000004").mkdir(parents=True)
    (seen / "step-00000004" / META).write_text("{}")
    (seen / "latest").write_text("step-00000004")
    empty.mkdir()
    script = tmp_path / "overwrite.py"
    script.write_text(OVERWRITE_SCRIPT, encoding="utf-8")
    log = tmp_path / "job.log"
    status = ranks.run(ranks.torchrun(2, str(script), str(seen), str(empty), str(tmp_path)), tmp_path, log)
    assert status == 0, ranks.tail(log)
    assert [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)] == ["None", "None"]
    assert not (seen / "latest").exists() and not (seen / "step-00000004").exists()
