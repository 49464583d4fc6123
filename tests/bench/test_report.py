"""The results names and table ids that let a bench store its full-size run beside `make bench`'s
smaller one, and the page's markers they fill."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import harness  # noqa: E402


def _results(argv: list[str], default: str = "extraction") -> str | None:
    parser = argparse.ArgumentParser()
    harness.add_results_option(parser, default)
    return parser.parse_args(argv).results


def test_results_is_off_unless_asked_and_takes_the_default_name_when_given_none():
    assert _results([]) is None
    assert _results(["--results"]) == "extraction"
    assert _results(["--results", "extraction_full"]) == "extraction_full"


def test_the_default_file_keeps_its_ids_and_another_name_suffixes_them():
    assert harness.table_id("extraction-wcxb", "extraction", "extraction") == "extraction-wcxb"
    assert harness.table_id("extraction-wcxb", "extraction_full", "extraction") == "extraction-wcxb-full"
    assert harness.table_id("stats-scale", "big_run", "stats_scale") == "stats-scale-big-run"


def test_a_results_name_that_is_no_plain_file_name_is_refused():
    with pytest.raises(ValueError, match="results name"):
        harness.table_id("x", "../x", "x")


def test_every_marked_section_is_unique_and_the_full_size_runs_have_theirs():
    text = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    opened = Counter(re.findall(r"^<!-- results:([\w.-]+) -->$", text, re.MULTILINE))
    closed = Counter(re.findall(r"^<!-- /results:([\w.-]+) -->$", text, re.MULTILINE))
    assert opened == closed
    assert all(n == 1 for n in opened.values()), opened
    full = [
        harness.table_id(base, "extraction_full", "extraction")
        for base in ("extraction-wcxb", "extraction-articles", "extraction-overhead")
    ]
    full += ["extraction-policy", "filters-new", "paragraph-dedup-settings", "paragraph-dedup-top"]
    full += ["stats-scale"]
    assert set(full) <= set(opened)
    assert {"extraction-wcxb", "extraction-articles", "extraction-overhead"} <= set(opened)
