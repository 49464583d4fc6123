"""The Beam cleaning pipeline, run for real on small WARC files (FnApiRunner, in process)."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from common.errors import OutputConflict
from corpus.dedup.paragraphs import EXAMPLE_CHARS
from devkit.sample import TruthRecord, generate_sample, read_truth
from formats.clean_manifest import CleanManifest
from pipelines import clean
from pipelines.options import OptionsError, parse_args

pytestmark = pytest.mark.slow  # whole Beam runs over a generated crawl

ROOT = Path(__file__).resolve().parents[2]

QUALITY_FILTERS = ("gopher_repetition", "gopher_quality", "c4", "fineweb", "perplexity")


def make_crawl(folder: Path, pages: int, files: int, seed: int = 11) -> list[TruthRecord]:
    """A generated sample crawl (devkit.sample) and its ground truth."""
    generate_sample(folder, seed=seed, pages=pages, files=files, giant_bytes=6_000_000)
    return read_truth(folder / "ground_truth.jsonl")


def expected_outcome(t: TruthRecord) -> str:
    """The exact reason (or "kept") where the ground truth fixes one; else "quality" or "toxic"."""
    if t.expect == "keep":
        return "kept"
    return t.reason if t.reason is not None else t.expect


def observed_outcome(reason: str | None, expected: str) -> str:
    """A run's reason in the ground truth's terms: exact where the truth is exact."""
    if expected == "keep_or_toxic" and (reason is None or reason.startswith("toxicity.")):
        return expected
    if reason is None:
        return "kept"
    if expected == "quality" and reason.split(".")[0] in QUALITY_FILTERS:
        return "quality"
    if expected == "toxic" and reason.startswith("toxicity."):
        return "toxic"
    return reason


def run_clean(inputs: str, out: Path, *extra: str) -> CleanManifest:
    return clean.run(["--input", inputs, "--output", str(out), "--runner=FnApiRunner", *extra])


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> tuple[Path, list[TruthRecord]]:
    folder = tmp_path_factory.mktemp("crawl")
    return folder, make_crawl(folder, pages=160, files=3)


@pytest.fixture(scope="module")
def first_run(crawl, tmp_path_factory) -> tuple[Path, CleanManifest]:
    out = tmp_path_factory.mktemp("run") / "out"
    return out, run_clean(str(crawl[0] / "*.warc.gz"), out)


def test_every_record_ends_where_the_ground_truth_says(crawl, first_run):
    _, truth = crawl
    out, manifest = first_run
    attributes = pa.concat_tables([pq.read_table(out / rel) for rel in manifest.attributes])
    by_position = {
        (Path(src).name, off): reason
        for src, off, reason in zip(
            attributes["source"].to_pylist(),
            attributes["offset"].to_pylist(),
            attributes["drop_reason"].to_pylist(),
            strict=True,
        )
    }
    assert len(by_position) == len(truth) == manifest.counts.records
    wrong = [
        (t.kind, t.url, by_position[(t.file, t.offset)])
        for t in truth
        if observed_outcome(by_position[(t.file, t.offset)], expected_outcome(t)) != expected_outcome(t)
    ]
    assert not wrong


def test_counts_per_reason_match_the_ground_truth(crawl, first_run):
    _, truth = crawl
    _, manifest = first_run
    expected = Counter(expected_outcome(t) for t in truth)
    observed = Counter({"kept": manifest.counts.kept})
    for reason, n in manifest.counts.dropped.items():
        category = "toxic" if reason.startswith("toxicity.") else reason
        if reason.split(".")[0] in QUALITY_FILTERS and reason not in expected:
            category = "quality"
        observed[category] += n
    # bad-words rants are kept or dropped as toxic: only their sum with the certain ones is fixed
    uncertain = expected.pop("keep_or_toxic", 0)
    assert observed["kept"] + observed["toxic"] == expected["kept"] + expected["toxic"] + uncertain
    certain = ("kept", "toxic")
    assert {k: v for k, v in observed.items() if k not in certain and v} == {
        k: v for k, v in expected.items() if k not in certain and v
    }
    assert sum(d.kept for d in manifest.domains.values()) == manifest.counts.kept
    for kind in (
        "exact_dup",
        "near_dup",
        "other_lang",
        "bad_words",
        "toxic",
        "spam",
        "truncated",
        "non_html",
    ):
        assert any(t.kind == kind for t in truth), f"the sample has no {kind} record"


def test_kept_documents_land_in_parquet_and_mds_shards_per_domain(first_run):
    out, manifest = first_run
    parquet = manifest.shards_of("parquet")
    assert {s.domain for s in parquet} == {"web", "books", "code", "encyclopedia", "dialog", "math"}
    rows = sum(pq.read_table(out / s.path).num_rows for s in parquet)
    assert rows == manifest.counts.kept
    for domain in {s.domain for s in parquet}:
        index = json.loads((out / "mds" / domain / "index.json").read_text())
        assert sum(s["samples"] for s in index["shards"]) == manifest.domains[domain].kept
    table = pq.read_table(out / parquet[0].path)
    assert table.column_names[:4] == ["id", "url", "domain", "lang"]
    assert table["id"].to_pylist() == sorted(table["id"].to_pylist())


def test_broken_records_go_to_the_dead_letters_with_file_and_offset(crawl, first_run):
    out, manifest = first_run
    lines = [
        json.loads(line) for rel in manifest.errors for line in (out / rel).read_text().splitlines() if line
    ]
    truncated = [t for t in crawl[1] if t.kind == "truncated"]
    assert [(Path(e["source"]).name, e["offset"]) for e in lines] == [(t.file, t.offset) for t in truncated]
    for line in lines:
        assert (
            line["reason"] == "corrupt_record" and line["source"].endswith(".warc.gz") and line["offset"] > 0
        )


def test_second_run_gives_byte_identical_shards(crawl, first_run, tmp_path):
    out1, _ = first_run
    out2 = tmp_path / "again"
    run_clean(str(crawl[0] / "*.warc.gz"), out2)
    assert _tree(out1) == _tree(out2)


def test_output_of_another_config_is_refused(crawl, first_run, tmp_path):
    out, _ = first_run
    other = tmp_path / "other.yaml"
    other.write_text((ROOT / "configs/clean.yaml").read_text().replace("min_score: 0.65", "min_score: 0.7"))
    with pytest.raises(OutputConflict, match="different config"):
        run_clean(str(crawl[0] / "*.warc.gz"), out, "--config", str(other))


def test_a_run_killed_midway_resumes_to_the_same_output(tmp_path, first_run):
    crawl = tmp_path / "crawl"
    make_crawl(crawl, pages=300, files=6)
    reference = tmp_path / "reference"
    run_clean(str(crawl / "*.warc.gz"), reference)

    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "pipelines.clean",
        "--input",
        str(crawl / "*.warc.gz"),
        "--output",
        str(out),
        "--runner=FnApiRunner",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    work = out / "_work" / "docs"
    deadline = time.time() + 120
    while time.time() < deadline and not (
        work.exists() and any(p.suffix == ".parquet" for p in work.iterdir())
    ):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (out / "manifest.json").exists(), "the run finished before it could be killed"
    finished = {p.name: p.stat().st_mtime_ns for p in work.iterdir() if p.suffix == ".parquet"}
    assert finished

    run_clean(str(crawl / "*.warc.gz"), out)
    for name, mtime in finished.items():
        assert (work / name).stat().st_mtime_ns == mtime, "a finished input file was cleaned again"
    assert _tree(out) == _tree(reference)


def test_dataflow_runner_without_required_options_fails_at_start():
    with pytest.raises(OptionsError, match="--project"):
        parse_args(["--input", "x", "--output", "y", "--runner=DataflowRunner", "--region", "r"])
    with pytest.raises(OptionsError, match="gs://"):
        parse_args(
            [
                "--input",
                "x",
                "--output",
                "y",
                "--runner=DataflowRunner",
                "--project",
                "p",
                "--region",
                "r",
                "--temp_location",
                "/tmp/x",
                "--setup_file",
                "./setup.py",
            ]
        )


def test_paths_file_lists_inputs_and_a_missing_file_is_counted_not_fatal(crawl, first_run, tmp_path):
    folder, _ = crawl
    names = sorted(p.name for p in folder.glob("*.warc.gz"))
    paths = tmp_path / "warc.paths.gz"
    paths.write_bytes(gzip.compress(("\n".join([*names, "does-not-exist.warc.gz"]) + "\n").encode()))
    manifest = run_clean(str(paths), tmp_path / "out", "--paths-prefix", str(folder))
    assert manifest.counts.dropped["unreadable_file"] == 1
    assert manifest.counts.kept == first_run[1].counts.kept
    assert manifest.counts.records == first_run[1].counts.records + 1


def test_keep_dropped_text_writes_every_dropped_document_that_had_text(crawl, first_run, tmp_path):
    config = tmp_path / "keep.yaml"
    clean_yaml = (ROOT / "configs/clean.yaml").read_text()
    assert "policy:\n  score_all: true\n" in clean_yaml
    config.write_text(clean_yaml.replace("policy:\n", "policy:\n  keep_dropped_text: true\n"))
    manifest = run_clean(str(crawl[0] / "*.warc.gz"), tmp_path / "out", "--config", str(config))
    assert manifest.counts == first_run[1].counts  # the same decisions, only more written
    attributes = pa.concat_tables([pq.read_table(tmp_path / "out" / rel) for rel in manifest.attributes])
    expected = {
        doc_id: reason
        for doc_id, reason, n_chars in zip(
            attributes["id"].to_pylist(),
            attributes["drop_reason"].to_pylist(),
            attributes["n_chars"].to_pylist(),
            strict=True,
        )
        if reason is not None and n_chars > 0
    }
    dropped = pa.concat_tables([pq.read_table(tmp_path / "out" / rel) for rel in manifest.dropped_text])
    assert dict(zip(dropped["id"].to_pylist(), dropped["drop_reason"].to_pylist(), strict=True)) == expected
    assert {r.split(".")[0] for r in expected.values()} >= {"duplicate_exact", "language", "toxicity"}
    assert all(dropped["text"].to_pylist())
    assert first_run[1].dropped_text == [] and not (first_run[0] / "dropped").exists()


def _tree(root: Path) -> dict[str, bytes]:
    """Every output file except the run's own bookkeeping, by relative path."""
    files = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith("_work/"):
            files[rel] = p.read_bytes()
    return files


def test_policy_redecides_stored_scores_without_rescoring(first_run, tmp_path):
    from common.config import load_config
    from corpus.config import CleanConfig
    from corpus.policy import redecide

    out, manifest = first_run
    same = redecide(str(out), load_config(ROOT / "configs/clean.yaml", CleanConfig))
    assert same["after"] == same["before"]
    assert same["before"]["kept"] == manifest.counts.kept

    strict = tmp_path / "strict.yaml"
    strict.write_text((ROOT / "configs/clean.yaml").read_text().replace("min_score: 0.65", "min_score: 0.95"))
    changed = redecide(str(out), load_config(strict, CleanConfig))
    assert 0 < changed["after"].get("kept", 0) < changed["before"]["kept"]
    moved = changed["before"]["kept"] - changed["after"]["kept"]
    assert changed["after"]["language.language"] - changed["before"]["language.language"] >= moved
    for reason in ("corrupt_record", "not_html", "duplicate_exact", "duplicate_near"):
        assert changed["after"].get(reason) == changed["before"].get(reason)


def test_policy_cli_prints_the_change_per_outcome_and_names_a_bad_config(first_run, tmp_path, capsys):
    from corpus.policy import main as policy_main

    out, manifest = first_run
    strict = tmp_path / "strict.yaml"
    strict.write_text((ROOT / "configs/clean.yaml").read_text().replace("min_score: 0.65", "min_score: 0.95"))
    assert policy_main(["--input", str(out), "--config", str(strict)]) == 0
    table = capsys.readouterr().out
    kept_row = next(line for line in table.splitlines() if " kept " in line)
    assert f"{manifest.counts.kept:,}" in kept_row and "-" in kept_row.split()[-2]

    bad = tmp_path / "bad.yaml"
    bad.write_text("filters:\n  - name: language\n    min_scor: 0.9\n")
    assert policy_main(["--input", str(out), "--config", str(bad)]) == 2
    assert "filters[0].language.min_scor: Extra inputs are not permitted" in capsys.readouterr().err
    assert policy_main(["--input", str(tmp_path / "nowhere"), "--config", str(strict)]) == 2
    assert "nowhere: folder not found" in capsys.readouterr().err


def test_paragraphs_repeated_across_the_crawl_stay_in_one_kept_document(first_run):
    out, manifest = first_run
    summary = manifest.paragraph_dedup
    assert summary is not None and summary.paragraphs_removed > 0 and summary.most_removed
    shards = pa.concat_tables([pq.read_table(out / s.path) for s in manifest.shards_of("parquet")])
    cut = EXAMPLE_CHARS  # the manifest shows the start of a long paragraph
    kept_lines = [
        {line[:cut] for line in text.split("\n")}
        for text, domain in zip(shards["text"].to_pylist(), shards["domain"].to_pylist(), strict=True)
        if domain != "code"
    ]
    attributes = pa.concat_tables([pq.read_table(out / rel) for rel in manifest.attributes])
    before = {
        d: r for d, r in zip(attributes["id"].to_pylist(), attributes["drop_reason"].to_pylist(), strict=True)
    }
    work = pa.concat_tables([pq.read_table(p) for p in sorted((out / "_work" / "docs").glob("*.parquet"))])
    candidates = [  # what paragraph dedup saw: kept by the filters, not a duplicate document
        {line[:cut] for line in text.split("\n")}
        for doc_id, text, reason, domain in zip(
            work["id"].to_pylist(),
            work["text"].to_pylist(),
            work["drop_reason"].to_pylist(),
            work["domain"].to_pylist(),
            strict=True,
        )
        if reason is None and domain != "code" and before[doc_id] not in ("duplicate_exact", "duplicate_near")
    ]
    top = summary.most_removed[0]
    assert sum(top.text in lines for lines in candidates) >= 2  # exact copies were on several pages
    for r in summary.most_removed:
        assert sum(r.text in lines for lines in kept_lines) <= 1, r.text  # one page keeps its copy

    # the manifest's counts agree with every document's stored removal scores
    removed = [dict(s or []).get("paragraph_dedup.removed", 0.0) for s in attributes["scores"].to_pylist()]
    assert sum(removed) == summary.paragraphs_removed
    assert sum(r > 0 for r in removed) == summary.documents_changed
    assert manifest.counts.dropped.get("duplicate_paragraphs", 0) == summary.documents_dropped
