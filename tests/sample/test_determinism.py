"""Same seed and arguments, same bytes: no wall clock, no hash randomisation, gzip mtime 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from devkit.sample import generate_sample
from tests.sample.conftest import REPO

SMALL = {"pages": 48, "files": 2, "giant_bytes": 20_000}


def _files(d: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir())}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    generate_sample(tmp_path / "a", seed=11, **SMALL)
    generate_sample(tmp_path / "b", seed=11, **SMALL)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert sorted(a) == ["crawl-00000.warc.gz", "crawl-00001.warc.gz", "ground_truth.jsonl"]
    assert a == b


def test_different_seed_gives_different_files(tmp_path: Path) -> None:
    generate_sample(tmp_path / "a", seed=11, **SMALL)
    generate_sample(tmp_path / "b", seed=12, **SMALL)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    for name in a:
        assert a[name] != b[name], name


def test_cli_in_another_hash_seed_writes_what_the_api_writes(tmp_path: Path) -> None:
    generate_sample(tmp_path / "api", seed=5, **SMALL)
    env = {**os.environ, "PYTHONHASHSEED": "12345"}  # set iteration order must not leak into the output
    argv = [
        "--output",
        str(tmp_path / "cli"),
        "--seed",
        "5",
        "--pages",
        "48",
        "--files",
        "2",
        "--giant-bytes",
        "20000",
    ]
    subprocess.run(
        [sys.executable, "-m", "devkit.sample", *argv, "-q"],
        check=True,
        cwd=REPO,
        env=env,
    )
    assert _files(tmp_path / "api") == _files(tmp_path / "cli")


def test_regenerating_into_a_directory_removes_stale_crawl_files(tmp_path: Path) -> None:
    generate_sample(tmp_path, seed=3, pages=48, files=3, giant_bytes=20_000)
    generate_sample(tmp_path, seed=3, **SMALL)
    assert sorted(p.name for p in tmp_path.glob("crawl-*.warc.gz")) == [
        "crawl-00000.warc.gz",
        "crawl-00001.warc.gz",
    ]


def test_gzip_members_carry_no_timestamp_or_file_name(small_sample) -> None:
    for t in small_sample.truth:
        data = (small_sample.dir / t.file).read_bytes()
        header = data[t.offset : t.offset + 10]
        assert header[:3] == b"\x1f\x8b\x08", f"{t.file}@{t.offset} is not a gzip member"
        assert header[3] & 0x08 == 0, "FNAME flag set"
        assert header[4:8] == b"\0\0\0\0", "non-zero gzip mtime"


def test_records_are_dated_in_crawl_order_from_the_seeded_clock(small_sample) -> None:
    dates = [t.warc_date for t in small_sample.truth]
    assert dates == sorted(dates), "records are written in crawl order"
    assert all(d.startswith(("2024-", "2025-")) for d in dates)
