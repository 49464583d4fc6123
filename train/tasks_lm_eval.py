"""lm-evaluation-harness task definitions over our local task files (optional extra ``eval``).

``python -m train.tasks_lm_eval --tasks T.jsonl ... --output DIR [--tokenizer HF_DIR]`` writes one
task YAML per file (``headwater_<name>``), reading the JSONL where it lies (the harness's ``json``
dataset builder: nothing is downloaded), with the prompts and metrics `train.tasks` computes:
multiple choice as ``output_type: multiple_choice`` (``acc``, ``acc_norm``), last word as
``loglikelihood`` of ``" " + target`` (``acc``, ``perplexity``), as the harness's own
lambada_openai.

Our models saw every document after BOS, and `train.tasks` scores so. The harness adds special
tokens only through the tokenizer's own ``add_special_tokens``, and our exported tokenizer frames
a document as Stage 2 does, BOS *and* EOS: an EOS after every context would be scored as part of
it. With ``--tokenizer``, DIR/tokenizer gets a copy whose config turns EOS off, for
``--model_args pretrained=HF,tokenizer=DIR/tokenizer,add_bos_token=True``; the command prints the
whole ``lm_eval`` line. ``--run HF`` runs the harness here instead (its ``hf`` model on CPU or
CUDA), after the torchvision repair of `common.streaming` (the ``lm_eval`` command itself fails
importing transformers' models where torchvision's wheel does not match a CPU torch), and writes
DIR/results.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import yaml

from common.cli import command
from common.errors import InputError
from formats.tasks import CONTINUATION_DELIMITER, read_task

PREFIX = "headwater_"


def task_definition(path: Path) -> dict[str, object]:
    task = read_task(path)  # a bad file fails here, naming the line, not inside the harness
    common = {
        "task": PREFIX + task.name,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(path.resolve())}},
        "test_split": "test",
        "doc_to_text": "{{context}}",
        "metadata": {"version": 1.0},
    }
    if task.kind == "multiple_choice":
        return {
            **common,
            "output_type": "multiple_choice",
            "doc_to_choice": "{{choices}}",
            "doc_to_target": "{{label}}",
            "target_delimiter": CONTINUATION_DELIMITER,
            "metric_list": [
                {"metric": "acc", "aggregation": "mean", "higher_is_better": True},
                {"metric": "acc_norm", "aggregation": "mean", "higher_is_better": True},
            ],
        }
    return {
        **common,
        "output_type": "loglikelihood",
        "doc_to_target": "{{'" + CONTINUATION_DELIMITER + "' + target}}",
        "metric_list": [
            {"metric": "perplexity", "aggregation": "perplexity", "higher_is_better": False},
            {"metric": "acc", "aggregation": "mean", "higher_is_better": True},
        ],
    }


def write_lm_eval_tasks(tasks: list[Path], output: Path, tokenizer: Path | None = None) -> list[str]:
    """Task YAMLs for the harness's ``--include_path output``; returns the task names."""
    output.mkdir(parents=True, exist_ok=True)
    names = []
    for path in tasks:
        definition = task_definition(Path(path))
        (output / f"{definition['task']}.yaml").write_text(yaml.safe_dump(definition, sort_keys=False))
        names.append(str(definition["task"]))
    if tokenizer is not None:
        config_path = tokenizer / "tokenizer_config.json"
        if not config_path.is_file():
            raise InputError(f"{config_path}: not found (a folder python -m tokenization.export wrote?)")
        target = output / "tokenizer"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(tokenizer, target, ignore=shutil.ignore_patterns("*.safetensors*", "config.json"))
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["add_eos_token"] = False
        (target / "tokenizer_config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return names


@command()
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m train.tasks_lm_eval", description=__doc__.split("\n\n")[0])
    p.add_argument("--tasks", type=Path, nargs="+", required=True, help="task JSONL files (formats.tasks)")
    p.add_argument("--output", type=Path, required=True, help="folder for the YAMLs (--include_path)")
    p.add_argument("--tokenizer", type=Path, default=None, help="the export (or its tokenizer folder)")
    p.add_argument("--run", type=Path, default=None, metavar="HF", help="run the harness on this export")
    p.add_argument("--batch-size", type=int, default=8)
    args = p.parse_args(argv)
    names = write_lm_eval_tasks(args.tasks, args.output, args.tokenizer)
    if args.run is not None:
        return _run(args.run, names, args.output, args.tokenizer is not None, args.batch_size)
    model = "pretrained=HF_DIR"
    if args.tokenizer is not None:
        model += f",tokenizer={args.output / 'tokenizer'},add_bos_token=True"
    print(f"lm_eval --model hf --model_args {model} --include_path {args.output} --tasks {','.join(names)}")
    return 0


def _run(model: Path, names: list[str], output: Path, bos: bool, batch_size: int) -> int:
    from common.streaming import import_streaming

    import_streaming()  # repairs the torchvision import transformers' model classes go through
    try:
        from lm_eval import simple_evaluate
        from lm_eval.tasks import TaskManager
        from lm_eval.utils import make_table
    except ImportError:
        raise InputError("lm-eval is not installed (optional extra: pip install -e '.[eval]')") from None
    import torch

    model_args = f"pretrained={model},dtype=float32"
    if bos:
        model_args += f",tokenizer={output / 'tokenizer'},add_bos_token=True"
    results = simple_evaluate(
        model="hf",
        model_args=model_args,
        tasks=names,
        task_manager=TaskManager(include_path=str(output)),
        batch_size=batch_size,
        device="cuda" if torch.cuda.is_available() else "cpu",
    )
    print(make_table(results))
    (output / "results.json").write_text(json.dumps(results["results"], indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
