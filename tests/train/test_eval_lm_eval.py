"""The lm-evaluation-harness task definitions we write read our JSONL and score as train.tasks
does: the harness's ``hf`` model on the export gives our acc, acc_norm and perplexity.

lm-eval is an optional extra (``pip install -e '.[eval]'``): without it this module is skipped."""

from __future__ import annotations

import pytest
import torch

from devkit.toy_tasks import last_word_task, multiple_choice_task, toy_world, word_tokenizer
from formats.tasks import read_task, write_task
from train.export import export_model
from train.model import Llama, LlamaConfig
from train.tasks import Scorer, score_task
from train.tasks_lm_eval import write_lm_eval_tasks

lm_eval = pytest.importorskip(
    "lm_eval", reason="lm-eval is not installed (optional extra: pip install -e '.[eval]')"
)


def test_harness_scores_our_task_files_as_we_do(tmp_path):
    world = toy_world(n_entities=24, seed=4)
    tok = word_tokenizer(world)
    tok.save_pretrained(str(tmp_path / "tok"))
    torch.manual_seed(1)
    model = Llama(
        LlamaConfig(
            vocab_size=len(tok), max_seq_len=16, dim=32, n_heads=4, n_kv_heads=2, ffn_dim=64, init_std=0.3
        )
    )
    model.eval()
    hf_dir = export_model(model, tmp_path / "hf", tmp_path / "tok")
    files = [
        write_task(tmp_path / "toymc.jsonl", multiple_choice_task(world)),
        write_task(tmp_path / "toylw.jsonl", last_word_task(world)),
    ]
    names = write_lm_eval_tasks(files, tmp_path / "lm_eval")
    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    results = simple_evaluate(
        model="hf",
        model_args=f"pretrained={hf_dir},dtype=float32",
        tasks=names,
        task_manager=TaskManager(include_path=str(tmp_path / "lm_eval")),
        batch_size=8,
        device="cpu",
    )["results"]
    scorer = Scorer(lambda t, s: model(t, s)[0], tok, 16, 8, bos_id=None)
    ours = {f.stem: score_task(read_task(f), scorer) for f in files}
    mc, lw = results["headwater_toymc"], results["headwater_toylw"]
    assert mc["acc,none"] == pytest.approx(ours["toymc"].acc)
    assert mc["acc_norm,none"] == pytest.approx(ours["toymc"].acc_norm)
    assert lw["acc,none"] == pytest.approx(ours["toylw"].acc)
    assert lw["perplexity,none"] == pytest.approx(ours["toylw"].perplexity, rel=1e-4)
