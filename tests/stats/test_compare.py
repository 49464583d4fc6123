"""Two runs side by side: a `corpus.policy --output` re-decision is a run the statistics read,
and ``--compare`` names the documents one run kept and the other dropped."""

from __future__ import annotations

import json

import pytest
import yaml

from common.config import load_config
from corpus.config import CleanConfig
from corpus.policy import main as policy_main
from corpus.policy import redecide
from corpus.stats import build_comparison, build_report
from corpus.stats.__main__ import main
from formats.clean_manifest import read_clean_manifest
from formats.documents import Document
from tests.stats.stage1 import by_hash, clean_config, write_run
from tests.stats.test_report import WC, corpus


@pytest.fixture
def runs(tmp_path):
    """A run (words >= 50 keep) and its re-decision with ``min_words: 60`` written by the CLI."""
    a, b = tmp_path / "a", tmp_path / "b"
    write_run(a, corpus())
    strict = tmp_path / "strict.yaml"
    strict.write_text(
        yaml.safe_dump(clean_config(**{"gopher_quality.min_words": 60}).model_dump(mode="json"))
    )
    assert policy_main(["--input", str(a), "--config", str(strict), "--output", str(b)]) == 0
    return a, b, strict


def test_a_redecision_is_a_run_that_counts_what_redecide_counts(runs):
    a, b, strict = runs
    counts = redecide(str(a), load_config(strict, CleanConfig))["after"]
    manifest = read_clean_manifest(str(b))
    assert manifest.redecided_from == str(a.resolve())
    assert manifest.counts.kept == counts["kept"] and manifest.counts.dropped[WC] == counts[WC]
    gopher = next(f for f in manifest.config["filters"] if f["name"] == "gopher_quality")
    assert gopher["min_words"] == 60 and manifest.shards == []
    report = build_report(str(b))
    assert not report["problems"]
    kept = report["domains"][-1]["examples"]["kept"]  # web: text found in the run it re-decided
    assert kept and all(e["text"] for e in kept)
    hist = next(h for h in report["scores"] if h["score"] == WC)
    assert ("min", 60.0) in {(t["bound"], t["value"]) for t in hist["thresholds"]}


def test_compare_names_the_documents_one_run_kept_and_the_other_dropped(runs):
    a, b, _ = runs
    docs = corpus()
    flipped = [d.id for d in docs if d.kept and WC in d.scores and 50 <= d.scores[WC] < 60]
    cmp = build_comparison(str(a), str(b))
    assert not cmp["problems"]
    assert cmp["kept_in_b_only"] == {"documents": 0, "by_reason": []}
    side = cmp["kept_in_a_only"]
    assert side["documents"] == len(flipped) == 5
    group = side["by_reason"][0]
    assert group["reason"] == WC and group["per_domain"] == {"web": 5}
    assert [e["id"] for e in group["examples"]] == by_hash(flipped)[:3]
    for e in group["examples"]:
        assert e["decided_by"]["threshold"] == 60 and e["text"]  # B's threshold; A's text
    assert cmp["transitions"] == [{"a": "kept", "b": WC, "documents": 5}]
    assert cmp["thresholds_changed"] == [{"reason": WC, "bound": "min", "a": 50.0, "b": 60.0}]
    funnel = {r["step"]: (r["a"], r["b"]) for r in cmp["funnel"]}
    assert funnel[WC] == (10, 15) and funnel["kept"][0] - funnel["kept"][1] == 5


def test_compare_counts_documents_present_in_only_one_run(tmp_path):
    docs = corpus()
    extra = Document(id="zz1", url="https://new.example.com/", domain="web", lang="en", text="new")
    write_run(tmp_path / "a", docs[:-1])
    write_run(tmp_path / "b", [*docs[1:], extra])
    cmp = build_comparison(str(tmp_path / "a"), str(tmp_path / "b"))
    assert (cmp["only_in_a"], cmp["only_in_b"]) == (1, 2)
    assert {"a": "(absent)", "b": "kept", "documents": 1} in cmp["transitions"]


def test_the_compare_view_shows_both_funnels_and_what_changed(runs, capsys):
    a, b, _ = runs
    assert main(["--input", str(a), "--compare", str(b), "--json"]) == 0
    cmp = json.loads(capsys.readouterr().out)
    page = (a / "compare.html").read_text()
    assert page.count("class='chart hbars'") == 2 and "class='chart columns'" in page
    for e in cmp["kept_in_a_only"]["by_reason"][0]["examples"]:
        assert e["id"] in page and e["text"][0] in page
    assert "<script" not in page


def test_a_redecision_refuses_a_folder_in_use_unless_told(runs, capsys):
    a, b, strict = runs
    assert policy_main(["--input", str(a), "--config", str(strict), "--output", str(b)]) == 2
    assert "folder is not empty" in capsys.readouterr().err
    assert policy_main(["--input", str(a), "--config", str(strict), "--output", str(b), "--overwrite"]) == 0
