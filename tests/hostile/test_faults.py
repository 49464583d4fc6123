"""A disk that fills up mid-run: the run stops naming the file it could not write, leaves no half
file under a final name, and a restart completes the output byte for byte as an undisturbed run.

The fault is injected through the storage layer (``common.storage.FULL_DISK_ENV``: half the bytes
land, then ENOSPC), in a real Beam run of ``python -m pipelines.clean`` on a small generated crawl.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from common import storage
from devkit.sample import generate_sample
from pipelines import clean

pytestmark = pytest.mark.slow  # three Beam runs

ROOT = Path(__file__).resolve().parents[2]


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.relative_to(root).as_posix().startswith("_work/")
    }


def _args(crawl: Path, out: Path) -> list[str]:
    return ["--input", str(crawl / "*.warc.gz"), "--output", str(out), "--runner=FnApiRunner"]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("crawl")
    generate_sample(folder, seed=5, pages=48, files=2, giant_bytes=6_000_000)
    return folder


@pytest.fixture(scope="module")
def reference(crawl, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    clean.run(_args(crawl, out))
    return out


@pytest.mark.parametrize("where", ["parquet/*", "_work/docs/*"], ids=["shard", "work_file"])
def test_a_full_disk_stops_the_run_naming_the_path_and_a_restart_completes_it(
    crawl, reference, tmp_path, where
):
    out = tmp_path / "out"
    env = {**os.environ, storage.FULL_DISK_ENV: f"{out}/{where}"}
    failed = subprocess.run(
        [sys.executable, "-m", "pipelines.clean", *_args(crawl, out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert failed.returncode != 0
    assert "No space left on device" in failed.stderr
    assert f"{out}/{where.split('/')[0]}/" in failed.stderr  # the file it could not write, by path
    assert not (out / "manifest.json").exists()
    # nothing half-written under a final name: every Parquet file there reads whole
    leftovers = [p for p in out.rglob("*") if p.is_file()]
    assert not [p for p in leftovers if p.name.endswith(storage.TMP_SUFFIX)]
    for p in leftovers:
        if p.suffix == ".parquet":
            pq.read_table(p)

    clean.run(_args(crawl, out))
    assert _tree(out) == _tree(reference)
