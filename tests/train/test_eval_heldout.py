"""Held-out perplexity per domain: the batched, packed computation equals scoring each document
alone; inside training it lands in metrics.jsonl and TensorBoard on the ZeRO-3 engine, and
train.evaluate gives the same figures from the ZeRO-3 checkpoint and from the export."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F

from common.errors import InputError
from common.streaming import import_streaming
from mixer.config import HeldoutConfig
from mixer.split import split_tokens
from tests.train.conftest import tiny_config, write_mix
from train.data import source_from_mix
from train.evaluate import heldout_batches, heldout_loss, load_model, main
from train.export import export_model
from train.loop import train
from train.metrics import read_metrics
from train.model import Llama, LlamaConfig

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")
STEPS, INTERVAL = 6, 4


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory, token_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("split") / "split"
    split_tokens(token_dir, out, HeldoutConfig(share=0.25))
    return out


def _truth(model: Llama, heldout: Path, domain: str, seq_len: int) -> tuple[float, int]:
    """Each row's documents run through the model one at a time, with no mask at all; every
    position's label is the row's next token, as in training (padding scores nothing)."""
    data = import_streaming().LocalDataset(local=str(heldout / domain))
    total, count = 0.0, 0
    for i in range(len(data)):
        tokens = torch.tensor(data[i]["tokens"], dtype=torch.long)
        segments = torch.tensor(data[i]["segments"], dtype=torch.long)
        for doc in set(segments[:-1].tolist()) - {-1}:
            where = torch.nonzero(segments[:-1] == doc).flatten()
            labels = tokens[where + 1].clone()
            labels[segments[where + 1] < 0] = -100
            with torch.no_grad():
                logits, _ = model(tokens[where][None])
            total += float(F.cross_entropy(logits[0], labels, ignore_index=-100, reduction="sum"))
            count += int((labels != -100).sum())
    return total, count


def test_batched_packed_perplexity_equals_documents_scored_alone(split):
    torch.manual_seed(0)
    model = Llama(
        LlamaConfig(vocab_size=64, max_seq_len=32, dim=32, n_heads=4, n_kv_heads=2, ffn_dim=64, init_std=0.2)
    )
    model.eval()
    losses = heldout_loss(
        lambda t, s: model(t, s)[0], heldout_batches(split / "heldout", 3), torch.device("cpu")
    )
    assert set(losses) == {"web", "books"}
    for domain, got in losses.items():
        total, count = _truth(model, split / "heldout", domain, 33)
        assert got.tokens == count > 50
        assert got.loss == pytest.approx(total / count, rel=1e-5)
        assert got.perplexity == pytest.approx(math.exp(total / count), rel=1e-5)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, split: Path):
    out = tmp_path_factory.mktemp("run")
    mix = write_mix(out / "mix.yaml", split / "train", {"web": 0.67, "books": 0.33}, 48 * 33)
    # fp32 on any device: the in-training figure is compared with train.evaluate's fp32 on the CPU
    cfg = tiny_config(steps=STEPS, precision="fp32", eval={"interval": INTERVAL, "max_sequences": None})
    return train(cfg, source_from_mix(mix), out / "train"), out


def test_training_logs_heldout_perplexity_every_interval_and_at_the_end(run):
    result, _ = run
    records = read_metrics(result.metrics)
    evaluated = [r["step"] for r in records if r.get("heldout")]
    assert evaluated == [INTERVAL, STEPS]
    last = records[-1]["heldout"]
    assert set(last) == {"web", "books", "all"}
    assert last["all"]["tokens"] == last["web"]["tokens"] + last["books"]["tokens"]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    events = EventAccumulator(str(result.metrics.parent / "tensorboard"))
    events.Reload()
    web = events.Scalars("heldout/perplexity/web")
    assert [e.step for e in web] == [INTERVAL, STEPS]
    assert web[-1].value == pytest.approx(last["web"]["perplexity"], rel=1e-6)


def test_evaluate_reads_the_zero3_checkpoint_and_the_export_alike(run, split, tmp_path):
    result, _ = run
    in_training = read_metrics(result.metrics)[-1]["heldout"]
    for checkpoint in (
        result.checkpoint.parent,
        export_model(load_model(result.checkpoint), tmp_path / "hf", None),
    ):
        out = tmp_path / "results.json"
        assert (
            main(["--checkpoint", str(checkpoint), "--heldout", str(split / "heldout"), "--output", str(out)])
            == 0
        )
        got = json.loads(out.read_text())["heldout"]
        for domain, values in in_training.items():
            assert got[domain]["tokens"] == values["tokens"]
            assert got[domain]["loss"] == pytest.approx(values["loss"], rel=1e-4), (checkpoint, domain)


def test_a_missing_heldout_folder_is_named_and_no_split_trains_without(tmp_path, token_dir, caplog):
    mix = write_mix(tmp_path / "mix.yaml", token_dir, {"web": 0.67, "books": 0.33}, 48 * 33)
    missing = tmp_path / "nowhere"
    with pytest.raises(InputError, match="nowhere"):
        train(
            tiny_config(steps=3, eval={"interval": 1, "heldout": str(missing)}),
            source_from_mix(mix),
            tmp_path / "a",
        )
    result = train(tiny_config(steps=3, eval={"interval": 1}), source_from_mix(mix), tmp_path / "b")
    assert not any(r.get("heldout") for r in read_metrics(result.metrics))
    assert "no held-out perplexity in this run" in caplog.text


def test_evaluate_without_anything_to_evaluate_says_so(tmp_path):
    assert main(["--checkpoint", str(tmp_path)]) == 2


def test_checkpoint_is_found_by_run_folder_checkpoints_folder_or_step(run, tmp_path):
    result, out = run
    by_step = load_model(result.checkpoint)
    for where in (result.checkpoint.parent, out / "train"):
        again = load_model(where)
        assert all(torch.equal(p, again.state_dict()[k]) for k, p in by_step.state_dict().items())
    with pytest.raises(InputError, match="neither a training checkpoint"):
        load_model(tmp_path)


def test_a_zero0_checkpoint_loads_without_unpickling_code(tmp_path, split):
    """ZeRO-0 keeps the whole module in one file, read with weights_only=True; the truth is the
    same file read by torch's full unpickler, which evaluation must not use."""
    mix = write_mix(tmp_path / "mix.yaml", split / "train", {"web": 0.67, "books": 0.33}, 24 * 33)
    result = train(
        tiny_config(steps=3, zero_stage=0, precision="fp32"), source_from_mix(mix), tmp_path / "train"
    )
    (states,) = result.checkpoint.glob("mp_rank_*_model_states.pt")
    truth = torch.load(states, map_location="cpu", weights_only=False)["module"]
    got = load_model(result.checkpoint).state_dict()
    assert set(got) == set(truth)
    for name, tensor in truth.items():
        assert torch.equal(got[name], tensor.float()), name
