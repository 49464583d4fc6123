"""The statistics of a real cleaning run (the pipeline on a generated crawl, dropped text kept):
the config the run recorded gives the thresholds, examples are the run's own documents with
their text, and a threshold change is judged with a re-decision and ``--compare``. The truth is
read from the run's files with pyarrow, apart from the code under test."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from common.config import stable_hash
from corpus.policy import main as policy_main
from corpus.stats import build_comparison, build_report
from corpus.stats.texts import first_lines
from devkit.sample import generate_sample
from formats.clean_manifest import read_clean_manifest
from tests.stats.stage1 import ROOT, by_hash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory) -> Path:
    from pipelines.clean import main as clean_main

    root = tmp_path_factory.mktemp("stats-e2e")
    generate_sample(root / "sample", seed=11, pages=120, files=2)
    config = root / "clean.yaml"
    text = (ROOT / "configs/clean.yaml").read_text()
    config.write_text(text.replace("policy:\n", "policy:\n  keep_dropped_text: true\n"))
    out = root / "clean"
    argv = ["--input", str(root / "sample" / "*.warc.gz"), "--output", str(out), "--config", str(config)]
    assert clean_main([*argv, "--runner=FnApiRunner"]) == 0
    return out


def _attributes(out: Path):
    return pq.read_table(sorted((out / "attributes").glob("*.parquet"))).combine_chunks()


def test_a_pipeline_run_records_its_config_and_the_report_draws_its_thresholds(clean_run):
    manifest = read_clean_manifest(str(clean_run))
    assert manifest.config is not None and stable_hash(manifest.config) == manifest.config_hash
    report = build_report(str(clean_run))
    assert not report["problems"]
    language = next(h for h in report["scores"] if h["score"] == "language.language")
    assert language["thresholds"] == [{"reason": "language.language", "bound": "min", "value": 0.65}]


def test_examples_are_the_runs_documents_with_their_text(clean_run):
    attributes = _attributes(clean_run)
    dropped = pq.read_table(sorted((clean_run / "dropped").glob("*.parquet"))).to_pylist()
    text_of = {r["id"]: r["text"] for r in dropped}
    report = build_report(str(clean_run))
    for reason in report["reasons"]:
        ids = attributes.filter(pc.equal(attributes["drop_reason"], reason["reason"]))["id"].to_pylist()
        assert [e["id"] for e in reason["examples"]] == by_hash(ids)[:3]
        for e in reason["examples"]:
            if e["id"] in text_of:  # filter drops and duplicates had text; broken records none
                assert e["text"] == first_lines(text_of[e["id"]])
            else:
                assert e["text"] is None
    with_text = [e for r in report["reasons"] for e in r["examples"] if e["text"]]
    assert len(with_text) >= 6


def test_a_threshold_change_is_judged_by_comparing_a_redecision(clean_run, tmp_path):
    strict = tmp_path / "strict.yaml"
    strict.write_text((ROOT / "configs/clean.yaml").read_text().replace("min_score: 0.65", "min_score: 0.95"))
    redecided = tmp_path / "redecided"
    assert policy_main(["--input", str(clean_run), "--config", str(strict), "--output", str(redecided)]) == 0
    attributes = _attributes(clean_run).to_pylist()
    expected = {
        r["id"]
        for r in attributes
        if r["drop_reason"] is None
        and (s := dict(r["scores"]))
        and s.get("language.en", 1.0) < 0.95
        and any(k.startswith("language.") for k in s)
    }
    cmp = build_comparison(str(clean_run), str(redecided))
    assert not cmp["problems"]
    side = cmp["kept_in_a_only"]
    assert side["documents"] == len(expected) > 0
    assert {g["reason"] for g in side["by_reason"]} == {"language.language"}
    assert {e["id"] for g in side["by_reason"] for e in g["examples"]} <= expected
    assert cmp["kept_in_b_only"]["documents"] == 0
