"""corpus.stats: per-domain and per-shard numbers, drop reasons, a self-contained report, and
missing shards named while the rest is still summarised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from corpus.stats import collect
from corpus.stats.__main__ import main
from formats.clean_manifest import CleanManifest
from formats.documents import Document
from tests.stage1_output import write_stage1_output


def _write_output(out: Path) -> CleanManifest:
    """A small Stage 1 output written with Stage 1's own writers: 2 domains, kept and dropped."""
    docs = [
        Document(
            id=f"w{i}",
            url=f"https://news.example.com/{i}",
            domain="web",
            text="word " * (10 + i),
            lang="en",
            scores={"language.en": 0.9, "gopher_quality.word_count": 10.0 + i},
        )
        for i in range(6)
    ] + [
        Document(
            id=f"b{i}",
            url=f"https://www.gutenberg.org/{i}",
            domain="books",
            text="chapter " * 40,
            lang="en",
            scores={"language.en": 0.95},
        )
        for i in range(3)
    ]
    dropped = [
        Document(
            id="d1", url="https://x.example.com/de", domain="web", lang="de", scores={"language.de": 0.97}
        ).drop("language.language"),
        Document(id="d2", url="https://x.example.com/pdf", domain="web").drop("not_html"),
    ]
    return write_stage1_output(out, docs + dropped, config_hash="abc")


def test_domains_shards_and_reasons_add_up(tmp_path):
    _write_output(tmp_path)
    stats = collect(str(tmp_path))
    assert stats.domains["web"].documents == 6 and stats.domains["books"].documents == 3
    assert stats.domains["web"].dropped == {"language.language": 1, "not_html": 1}
    assert stats.domains["books"].text_bytes == len("chapter " * 40) * 3
    assert stats.funnel[0] == ("records read", 11) and stats.funnel[-1] == ("kept", 9)
    assert stats.languages == {"en": 9, "de": 1}
    assert len(stats.scores["gopher_quality.word_count"]["kept"]) == 6
    assert not stats.problems


def test_a_missing_shard_is_named_and_the_rest_summarised(tmp_path, capsys):
    _write_output(tmp_path)
    (tmp_path / "parquet/books/part-00000-of-00001.parquet").unlink()
    assert main(["--input", str(tmp_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any("parquet/books/part-00000-of-00001.parquet" in p for p in report["problems"])
    assert report["domains"]["web"]["documents"] == 6


def test_the_html_report_has_plots_and_needs_no_network(tmp_path):
    _write_output(tmp_path)
    html_path = tmp_path / "report.html"
    assert main(["--input", str(tmp_path), "--html", str(html_path)]) == 0
    page = html_path.read_text()
    assert page.count("<svg") >= 3  # funnel, domains, one histogram per score
    assert "language.language" in page and "gopher_quality.word_count" in page
    assert not re.search(r"""(src|href)=["']?https?://""", page)


def test_a_folder_without_a_manifest_is_a_clear_error(tmp_path, capsys):
    assert main(["--input", str(tmp_path)]) == 2
    assert "manifest.json: not found" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["{not json", "[1, 2]"])
def test_a_broken_manifest_is_a_clear_error(tmp_path, capsys, bad):
    (tmp_path / "manifest.json").write_text(bad)
    assert main(["--input", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err
