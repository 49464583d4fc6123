"""The benchmark tooling: the results-to-docs report, alternating rounds and dedup quality's
scoring, each checked against figures worked out by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import dedup_quality  # noqa: E402
import harness  # noqa: E402
import report  # noqa: E402


def _pairs(n: int) -> list[tuple[str, str, SimpleNamespace]]:
    return [(f"p{i}a", f"p{i}b", SimpleNamespace(a="", b="", jaccard=1.0)) for i in range(n)]


def test_merging_two_unrelated_documents_counts_as_a_false_merge():
    # one true pair found, and u1 wrongly merged into u0: 1 true positive, 1 false merge
    r = dedup_quality.evaluate(_pairs(1), {"u1": "u0", "p0b": "p0a"}, np.array([1.0]), 0.9)
    assert (r["tp"], r["fp"], r["false_merges"]) == (1, 0, 1)
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(1.0)


def test_a_pair_found_below_the_truth_cut_is_a_false_positive_and_a_miss_lowers_recall():
    pairs = _pairs(3)
    truth = np.array([0.95, 0.5, 0.99])  # pair 1 is not a duplicate by the truth
    marks = {"p0b": "p0a", "p1b": "p1a"}  # pairs 0 and 1 found, pair 2 missed
    r = dedup_quality.evaluate(pairs, marks, truth, 0.9)
    assert (r["positives"], r["tp"], r["fp"], r["false_merges"]) == (2, 1, 1, 0)
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(0.5)


def test_a_document_merged_with_another_pair_is_a_false_merge():
    r = dedup_quality.evaluate(_pairs(2), {"p1a": "p0a"}, np.array([1.0, 1.0]), 0.9)
    assert r["false_merges"] == 1
    assert r["tp"] == 0


def test_alternate_reverses_the_order_every_other_round():
    calls: list[str] = []
    runs = harness.alternate({"ours": lambda: calls.append("ours"), "peer": lambda: calls.append("peer")}, 4)
    assert calls == ["ours", "peer", "peer", "ours", "ours", "peer", "peer", "ours"]
    assert len(runs["ours"].wall) == len(runs["peer"].cpu) == 4


def test_ratio_summary_pairs_rounds_and_says_how_much_faster_ours_is():
    s = harness.ratio_summary([1.0, 2.0, 4.0], [3.0, 2.0, 2.0])
    assert (s["median"], s["min"], s["max"], s["n"]) == (1.0, 0.5, 3.0, 3)


def _results(folder: Path, rows: list[list[str]]) -> None:
    meta = {"command": "python bench/x.py", "commit": "abc", "date": "d", "cpus": 2, "load_avg_1m_end": 1.0}
    table = {"id": "x-table", "columns": ["name", "ours is"], "rows": rows}
    (folder / "x.json").write_text(json.dumps({"bench": "x", "meta": meta, "tables": [table]}))


def test_report_rewrites_only_what_lies_between_the_markers(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    _results(results, [["rensa", "0.10x"]])
    doc = tmp_path / "doc.md"
    prose = "# Title\n\nProse before.\n\n<!-- results:x-table -->\nold table\n<!-- /results:x-table -->\n\nProse after.\n"
    doc.write_text(prose)
    argv = ["--doc", str(doc), "--results", str(results)]
    assert report.main([*argv, "--check"]) == 1
    assert report.main(argv) == 0
    text = doc.read_text()
    assert text.startswith("# Title\n\nProse before.\n\n<!-- results:x-table -->\n| name | ours is |\n")
    assert "| rensa | 0.10x |" in text
    assert "old table" not in text
    assert text.endswith("<!-- /results:x-table -->\n\nProse after.\n")
    assert report.main([*argv, "--check"]) == 0


def test_claims_take_the_cell_named_by_row_and_column():
    raw = {"x-table": {"columns": ["name", "ours is"], "rows": [["datasketch", "3.8x"], ["rensa", "0.08x"]]}}
    claims = [
        {"claim": "vs rensa", "before": "0.17x", "table": "x-table", "row": "rensa", "column": "ours is"},
        {"claim": "vs nobody", "before": "9x", "table": "y-table", "row": "z", "column": "ours is"},
    ]
    lines = report.claims_table(claims, raw).splitlines()
    assert lines[2] == "| vs rensa | 0.17x | 0.08x | `x-table` |"
    assert lines[3] == "| vs nobody | 9x | not measured | `y-table` |"


def test_the_million_document_bench_generates_a_run_that_corpus_stats_reads_whole(tmp_path, capsys):
    # the bench's input must follow Stage 1's current attribute schema, or a fresh cache fails
    import stats_scale

    from corpus.stats.__main__ import main as stats_main

    run = tmp_path / "clean"
    stats_scale.generate(run, 600, seed=3, dropped_text=False)
    capsys.readouterr()
    assert stats_main(["--input", str(run), "--json", "--html", str(tmp_path / "s.html")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problems"] == []
    assert report["funnel"][0] == {"step": "records read", "documents": 600}


def test_the_second_workers_cpu_splits_into_start_up_and_what_grows_with_the_input():
    import clean_pipeline as cp

    def runs(*cpu: float) -> list:
        out = []
        for c in cpu:
            r = cp.RunResult("x", True)
            r.wall_s, r.cpu_s = c, c
            out.append(r)
        return out

    # medians: 1 worker 10, 2 workers 22 on the input; 1-page runs 5 and 13 -> 8 fixed, 4 growing
    rows = cp.startup_split(runs(9, 10, 11), runs(21, 22, 30), runs(5, 5, 6), runs(13, 12, 14))
    assert rows[0] == ["1 worker, 1-page input (start-up)", "5.0 (5.0-6.0)", "5.0 (5.0-6.0)"]
    assert rows[-1][-1] == "8.0 / 4.0"


def test_per_type_extraction_scores_leave_a_type_without_pages_empty_not_failing():
    import extraction

    from devkit.extraction_metric import WordScores

    pages = [
        extraction.Page(str(i), "", kind, "", b"") for i, kind in enumerate(["article", "article", "forum"])
    ]
    scores = [WordScores(1.0, 0.5, 0.6), WordScores(0.0, 0.5, 0.2), WordScores(0.5, 0.5, 0.5)]
    means = extraction.type_means(pages, scores)
    assert means["article"] == WordScores(0.5, 0.5, pytest.approx(0.4))
    assert means["forum"] == WordScores(0.5, 0.5, 0.5)
    assert means["product"] is None and extraction._f1(means["product"]) == "-"
    assert harness.pages_chosen(1497, 1) == "all 1,497 pages"
    assert harness.pages_chosen(100, 15) == "100 pages, every 15th"
