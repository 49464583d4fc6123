"""``python -m devkit.sample``: arguments, errors and the summary table."""

from __future__ import annotations

import pytest

from devkit.sample.__main__ import main


def test_cli_writes_files_and_prints_the_summary_table(tmp_path, capsys) -> None:
    assert (
        main(
            [
                "--output",
                str(tmp_path),
                "--seed",
                "3",
                "--pages",
                "40",
                "--files",
                "2",
                "--giant-bytes",
                "5000",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "40 response records in 2 WARC files" in out
    assert "exact_dup" in out and "ground truth:" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "crawl-00000.warc.gz",
        "crawl-00001.warc.gz",
        "ground_truth.jsonl",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "10"], "pages must be at least"),
        (["--files", "0"], "files must be at least 1"),
        (["--pages", "30", "--files", "9"], "at least 6 per file"),
        (["--giant-bytes", "10"], "giant_bytes must be at least"),
    ],
)
def test_bad_arguments_exit_with_a_message_naming_them(tmp_path, capsys, args, message) -> None:
    assert main(["--output", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert not list(tmp_path.glob("*.warc.gz"))
