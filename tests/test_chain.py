"""The whole product on a generated crawl: sample -> clean -> tokenize -> mix -> train -> stats.

Each stage runs through its own command-line entry point, in the order `make demo` runs them,
reading only what the stage before it wrote.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from devkit.sample import generate_sample

ROOT = Path(__file__).resolve().parents[1]


def _config(tmp: Path, name: str, base: str, **changes) -> str:
    data = yaml.safe_load((ROOT / base).read_text())
    for dotted, value in changes.items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    path = tmp / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


@pytest.mark.slow
def test_every_stage_runs_on_the_output_of_the_one_before(tmp_path):
    from corpus.stats.__main__ import main as stats_main
    from mixer.__main__ import main as mixer_main
    from pipelines.clean import main as clean_main
    from tokenization.encode import main as encode_main
    from tokenization.train import main as tokenizer_main
    from train.__main__ import main as train_main

    sample, clean, tokens, run = (tmp_path / d for d in ("sample", "clean", "tokens", "train"))
    generate_sample(sample, seed=5, pages=150, files=2)
    assert (
        clean_main(["--input", str(sample / "*.warc.gz"), "--output", str(clean), "--runner=FnApiRunner"])
        == 0
    )
    manifest = json.loads((clean / "manifest.json").read_text())
    assert manifest["counts"]["records"] == 150 and 0 < manifest["counts"]["kept"] < 150

    tokenizer_config = _config(tmp_path, "tokenizer.yaml", "configs/tokenizer.yaml", vocab_size=600)
    assert tokenizer_main(["--input", str(clean), "--output", str(tokens), "--config", tokenizer_config]) == 0
    assert (
        encode_main(["--input", str(clean), "--output", str(tokens), "--seq-len", "128", "--workers", "1"])
        == 0
    )
    token_manifest = json.loads((tokens / "manifest.json").read_text())
    assert set(token_manifest["domains"]) == {"web", "books", "code", "encyclopedia", "dialog", "math"}
    for domain in token_manifest["domains"]:
        assert (tokens / domain / "index.json").exists()

    mix = _config(tmp_path, "mix.yaml", "configs/mix.yaml", tokens_dir=str(tokens), total_tokens=20_000)
    assert mixer_main(["plan", "--mix", mix]) == 0

    train_config = _config(
        tmp_path,
        "train.yaml",
        "configs/train.yaml",
        steps=4,
        **{"schedule.warmup_steps": 1, "checkpoint.interval": 2},
    )
    assert train_main(["--mix", mix, "--config", train_config, "--output", str(run), "--steps", "4"]) == 0
    steps = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    assert [s["step"] for s in steps if "loss" in s][-1] == 4
    assert (run / "checkpoints" / "latest").exists()

    html = tmp_path / "stats.html"
    assert stats_main(["--input", str(clean), "--tokens", str(tokens), "--html", str(html)]) == 0
    report = html.read_text()
    assert "<svg" in report and "Funnel" in report
    assert not re.search(r"""(src|href)=["']?https?://""", report), "the report must open without a network"
