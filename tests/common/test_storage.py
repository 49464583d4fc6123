"""Outputs appear whole or not at all: files and folders are written beside their place, then moved."""

from __future__ import annotations

import pytest

from common import storage


def test_a_staged_folder_replaces_the_old_one_only_when_complete(tmp_path):
    final = tmp_path / "domain"
    final.mkdir()
    (final / "old.mds").write_text("old")
    with pytest.raises(RuntimeError), storage.staged_dir(final) as staged:
        (staged / "new.mds").write_text("half")
        raise RuntimeError("killed mid-write")
    assert sorted(p.name for p in final.iterdir()) == ["old.mds"]
    with storage.staged_dir(final) as staged:
        (staged / "new.mds").write_text("new")
    assert sorted(p.name for p in final.iterdir()) == ["new.mds"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["domain"], "no staging debris left"


def test_without_replace_the_first_complete_folder_wins(tmp_path):
    final = tmp_path / "model"
    with (
        storage.staged_dir(final, replace=False) as first,
        storage.staged_dir(final, replace=False) as second,
    ):
        (first / "lm.arpa").write_text("first")
        (second / "lm.arpa").write_text("second")
    assert (final / "lm.arpa").read_text() == "second"  # the inner block completed first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_a_crash_leaves_temporaries_that_the_next_run_removes(tmp_path):
    with storage.atomic_output(str(tmp_path / "a.parquet")) as out:
        out.write(b"complete")
    (tmp_path / f"b.parquet.1234{storage.TMP_SUFFIX}").write_bytes(b"half")
    staged = tmp_path / f".mds.5678{storage.TMP_SUFFIX}"
    staged.mkdir()
    (staged / "shard.00000.mds").write_bytes(b"half")
    assert storage.remove_stale_temporaries(str(tmp_path)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet"]
    assert (tmp_path / "a.parquet").read_bytes() == b"complete"
