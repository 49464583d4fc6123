"""The output folder is claimed once per run; another run's files are never mixed in."""

from __future__ import annotations

import pytest

from common.errors import OutputConflict
from corpus import manifest as mf
from formats.clean_manifest import KEPT


def test_empty_folder_is_claimed_and_the_same_run_resumes(tmp_path):
    out = str(tmp_path / "out")
    assert mf.claim_output(out, "abc", ["a.warc.gz"], overwrite=False) is False
    (tmp_path / "out" / "_work" / "docs").mkdir(parents=True)
    (tmp_path / "out" / "_work" / "docs" / "x.parquet.1234.inprogress").write_bytes(b"partial")
    assert mf.claim_output(out, "abc", ["a.warc.gz"], overwrite=False) is True
    assert not (tmp_path / "out" / "_work" / "docs" / "x.parquet.1234.inprogress").exists()


def test_a_different_config_is_refused_unless_overwrite(tmp_path):
    out = str(tmp_path / "out")
    mf.claim_output(out, "abc", ["a.warc.gz"], overwrite=False)
    (tmp_path / "out" / "parquet").mkdir()
    with pytest.raises(OutputConflict, match="different config"):
        mf.claim_output(out, "def", ["a.warc.gz"], overwrite=False)
    with pytest.raises(OutputConflict, match="different input list"):
        mf.claim_output(out, "abc", ["b.warc.gz"], overwrite=False)
    assert mf.claim_output(out, "def", ["a.warc.gz"], overwrite=True) is False
    assert not (tmp_path / "out" / "parquet").exists()


def test_a_folder_with_foreign_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputConflict, match="not empty"):
        mf.claim_output(str(tmp_path), "abc", ["a"], overwrite=False)
    assert (tmp_path / "notes.txt").exists()


def test_summary_counts_every_document_once():
    counts = mf.new_counts()
    mf.add_count(counts, "web", KEPT, 3, 300)
    mf.add_count(counts, "web", "language.language", 2, 0)
    mf.add_count(counts, "code", "corrupt_record", 1, 0)
    merged = mf.merge_counts([counts, counts])
    summary = mf.build_manifest("abc", ["a.warc.gz"], merged, [], [], []).model_dump()
    assert summary["counts"] == {
        "records": 12,
        "kept": 6,
        "dropped": {"corrupt_record": 2, "language.language": 4},
    }
    assert summary["domains"]["web"] == {"kept": 6, "kept_chars": 600, "dropped": {"language.language": 4}}
