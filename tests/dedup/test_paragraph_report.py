"""corpus.stats shows what paragraph dedup removed: the manifest's counts, the paragraphs removed
most often (escaped in the HTML), and a note when a run recorded none."""

from __future__ import annotations

from pathlib import Path

from corpus.policy import write_redecision
from corpus.stats import build_report
from corpus.stats.html import render
from formats.clean_manifest import ParagraphDedupCounts, RepeatedParagraph, write_clean_manifest
from formats.documents import Document
from tests.stats.stage1 import clean_config, write_run

COUNTS = ParagraphDedupCounts(
    documents=4,
    paragraphs=40,
    chars=4000,
    repeated=2,
    documents_changed=3,
    documents_dropped=1,
    paragraphs_removed=5,
    chars_removed=500,
    most_removed=[
        RepeatedParagraph(text="Subscribe <now> & save", documents=4, removed=3),
        RepeatedParagraph(text="Share this", documents=2, removed=2),
    ],
)


def _run(root: Path, counts: ParagraphDedupCounts | None) -> Path:
    docs = [
        Document(
            id=f"d{i}",
            url=f"https://example.com/{i}",
            domain="web",
            lang="en",
            text=f"Line {i}.",
            scores={
                "language.en": 0.9,
                "gopher_quality.word_count": 80.0,
                "paragraph_dedup.removed": float(i),
            },
        )
        for i in range(4)
    ]
    manifest = write_run(root, docs)
    write_clean_manifest(str(root), manifest.model_copy(update={"paragraph_dedup": counts}))
    return root


def test_the_report_lists_the_paragraphs_removed_most_often_with_the_counts(tmp_path):
    report = build_report(str(_run(tmp_path / "run", COUNTS)))
    p = report["paragraphs"]
    assert [(r["text"], r["documents"], r["removed"]) for r in p["most_removed"]] == [
        ("Subscribe <now> & save", 4, 3),
        ("Share this", 2, 2),
    ]
    assert p["chars_removed_share"] == 500 / 4000
    assert report["paragraphs_note"].startswith(
        "5 of 40 paragraphs (12.50% of their characters) removed from 3"
    )
    assert "1 documents were left too short" in report["paragraphs_note"]
    page = render(report)
    section = page[page.index("<h2 id='paragraphs'>") : page.index("<h2 id='shards'>")]
    assert (
        "<pre>Subscribe &lt;now&gt; &amp; save</pre></td><td class='n'>4</td><td class='n'>3</td>" in section
    )
    assert any(s["score"] == "paragraph_dedup.removed" for s in report["scores"])  # histogram drawn


def test_a_run_without_paragraph_dedup_says_so(tmp_path):
    report = build_report(str(_run(tmp_path / "run", None)))
    assert report["paragraphs"] is None
    assert "did not record paragraph dedup" in report["paragraphs_note"]
    assert "<table class='paragraphs'>" not in render(report)


def test_a_redecision_shows_the_paragraphs_of_the_run_it_redecided(tmp_path):
    source = _run(tmp_path / "run", COUNTS)
    write_redecision(str(source), clean_config(), str(tmp_path / "re"))
    report = build_report(str(tmp_path / "re"))
    assert report["paragraphs"]["paragraphs_removed"] == 5
    assert f"(in {source}, re-decided here)" in report["paragraphs_note"]
