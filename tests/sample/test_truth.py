"""``ground_truth.jsonl``: its fields, its checks and its errors."""

from __future__ import annotations

import json

import pytest

from devkit.sample import TruthRecord, read_truth
from devkit.sample.truth import write_truth

CONTRACT = ["file", "offset", "record_id", "url", "domain", "kind", "expect", "duplicate_of", "lang", "text"]


def _record(**changes) -> TruthRecord:
    base = dict(
        file="crawl-00000.warc.gz",
        offset=0,
        record_id="id-1",
        url="https://x.example/",
        domain="web",
        kind="good",
        expect="keep",
        duplicate_of=None,
        lang="en",
        text="t",
    )
    return TruthRecord(**{**base, **changes})


def test_lines_start_with_the_published_fields(default_sample) -> None:
    first = json.loads(default_sample.summary.truth_path.read_text(encoding="utf-8").split("\n", 1)[0])
    assert list(first)[: len(CONTRACT)] == CONTRACT


def test_one_line_per_response_in_file_and_offset_order(default_sample) -> None:
    keys = [(t.file, t.offset) for t in default_sample.truth]
    assert keys == sorted(keys)
    assert len(set(keys)) == len(keys)
    assert len({t.record_id for t in default_sample.truth}) == len(keys)


def test_text_is_given_for_pages_with_a_generated_main_text(default_sample) -> None:
    for t in default_sample.truth:
        has_text = t.kind not in (
            "truncated",
            "undecodable",
            "non_html",
            "http_error",
            "redirect",
            "empty",
            "giant",
        )
        assert (t.text is not None) == has_text, t.kind


def test_a_kind_with_the_wrong_expectation_is_rejected() -> None:
    with pytest.raises(ValueError, match="expects keep"):
        _record(expect="quality")


def test_duplicate_of_is_required_exactly_for_copies() -> None:
    with pytest.raises(ValueError, match="duplicate_of"):
        _record(kind="exact_dup", expect="duplicate")
    with pytest.raises(ValueError, match="duplicate_of"):
        _record(duplicate_of="id-0")


def test_round_trip(tmp_path) -> None:
    path = tmp_path / "t.jsonl"
    recs = [_record(), _record(record_id="id-2", kind="exact_dup", expect="duplicate", duplicate_of="id-1")]
    assert write_truth(path, recs) == 2
    assert read_truth(path) == recs


def test_a_malformed_line_is_reported_with_its_file_and_line(tmp_path) -> None:
    path = tmp_path / "t.jsonl"
    write_truth(path, [_record()])
    with open(path, "a", encoding="utf-8") as f:
        f.write('{"file": "x", "bogus": 1}\n')
    with pytest.raises(ValueError, match=r"t\.jsonl:2: bad ground-truth line"):
        read_truth(path)
