"""ParagraphDedup run for real on Beam's FnApiRunner, on documents whose repeated lines are
written out by hand, so the expected texts are spelt out below rather than computed."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import BeamAssertException, assert_that, equal_to

from common.config import parse_config
from corpus.config import CleanConfig
from formats.clean_manifest import ParagraphDedupCounts, RepeatedParagraph
from formats.documents import DUPLICATE_PARAGRAPHS, Document
from pipelines.dedup import ParagraphDedup
from pipelines.transforms import NAMESPACE

A = (
    "The river rose over the weir on Tuesday and the council closed the towpath for the week. "
    "Engineers said the old stone wall had held and that the repairs planned for the spring "
    "would go ahead as agreed with the residents of the lower town this year, as the mayor promised."
)
B = (
    "A new bakery opened on the high street last month and the queue reached the corner by eight. "
    "The owners trained in Lyon and they bake rye, spelt and a sourdough that sells out before "
    "noon on most days, the staff said on Friday morning before the doors opened again."
)
C = (
    "The library will open on Sundays from March after a vote of the town council on Monday night. "
    "Volunteers will run the reading room and the local history archive while the staff keep their "
    "hours during the week, the head librarian told the meeting in the old town hall last night."
)
SUBSCRIBE = "Subscribe to our newsletter and get the best stories of the week in your inbox"
COOKIES = "We use cookies to give you the best experience on our website and to show you ads"
APP = "Download our app for the latest news alerts from your town and the region around it"
SHORT = "The towpath reopens on Monday."


def _doc(doc_id: str, text: str, domain: str = "web", **kw) -> Document:
    return Document(id=doc_id, url=f"https://example.com/{doc_id}", domain=domain, text=text, **kw)


def corpus() -> list[Document]:
    return [
        _doc("d", f"{SHORT}\n{SUBSCRIBE}\n{COOKIES}\n{APP}"),  # 53 words, 5 without the boilerplate
        _doc("b", f"{B}\n{SUBSCRIBE.upper()}!\n{COOKIES}"),
        _doc("a", f"{A}\n{SUBSCRIBE}\n{COOKIES}"),
        _doc("c", f"{C}\n{COOKIES}\n{APP}\n{C}"),  # its own repeat is not crawl-wide boilerplate
        _doc("e", f"{A}\n{SUBSCRIBE}", drop_reason="language.language"),  # dropped: takes no part
        _doc("f", f"{SUBSCRIBE}\nreturn 0;", domain="code"),  # skipped domain
    ]


def config(**paragraphs) -> CleanConfig:
    return parse_config(
        {"filters": [{"name": "gopher_quality"}], "dedup": {"paragraphs": paragraphs}}, CleanConfig
    )


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise BeamAssertException(message)


def run(docs, cfg: CleanConfig, check, summary_check, options: PipelineOptions | None = None):
    """Run ParagraphDedup; ``check(documents)`` and ``summary_check(summaries)`` assert inside
    the pipeline (what a runner hands a callable is a pickled copy: nothing comes back out).
    Returns the counters."""
    p = BeamTestPipeline(runner=FnApiRunner(), options=options or PipelineOptions())
    out, summary = p | beam.Create(docs) | ParagraphDedup(cfg, most_removed=2)
    assert_that(out | "Count" >> beam.combiners.Count.Globally(), equal_to([len(docs)]), label="InEqualsOut")
    assert_that(out, check, label="Check")
    assert_that(summary, summary_check, label="Summary")
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]
    return {c.key.metric.name: c.committed for c in counters}


def summary_is(expected):
    def check(summaries):
        _expect(list(summaries) == [expected], f"summary {list(summaries)}, expected {expected}")

    return check


def summary_has(**fields):
    def check(summaries):
        (s,) = summaries
        got = {k: getattr(s, k) for k in fields}
        _expect(got == fields, f"summary {got}, expected {fields}")

    return check


def by_id(outputs) -> dict[str, Document]:
    return {d.id: d for d in outputs}


def check_default(outputs):
    """The expected outcome of `corpus()` under the defaults (Dolma's: the first copy stays)."""
    docs = by_id(outputs)
    _expect(docs["a"].text == f"{A}\n{SUBSCRIBE}\n{COOKIES}" and docs["a"].kept, "a keeps its copies")
    _expect(docs["b"].text == B and docs["b"].kept, f"b: {docs['b'].text!r}")
    _expect(docs["c"].text == f"{C}\n{APP}\n{C}" and docs["c"].kept, f"c: {docs['c'].text!r}")
    _expect(docs["d"].drop_reason == DUPLICATE_PARAGRAPHS, f"d: {docs['d'].drop_reason}")
    _expect(docs["d"].drop_detail.startswith("gopher_quality.word_count (5 < 50)"), docs["d"].drop_detail)
    _expect(docs["d"].text == SHORT, f"d: {docs['d'].text!r}")
    _expect(docs["e"].text == f"{A}\n{SUBSCRIBE}" and "paragraph_dedup.removed" not in docs["e"].scores, "e")
    _expect(docs["f"].text == f"{SUBSCRIBE}\nreturn 0;" and not docs["f"].scores, "f")
    removed = {i: docs[i].scores["paragraph_dedup.removed"] for i in "abcd"}
    _expect(removed == {"a": 0.0, "b": 2.0, "c": 1.0, "d": 3.0}, str(removed))
    _expect(docs["b"].scores["gopher_quality.word_count"] == len(B.split()), "b scored again")


DEFAULT_SUMMARY = ParagraphDedupCounts(
    documents=4,
    paragraphs=3 + 3 + 4 + 4,  # a, b, c (its two copies of C count), d
    chars=sum(map(len, (A, SUBSCRIBE, COOKIES, B, SUBSCRIBE + "!", COOKIES, C, C, COOKIES, APP)))
    + sum(map(len, (SHORT, SUBSCRIBE, COOKIES, APP))),  # a, b, c, d
    repeated=3,  # SUBSCRIBE (a, b, d), COOKIES (a, b, c, d), APP (c, d)
    documents_changed=3,
    documents_dropped=1,
    paragraphs_removed=6,  # b: SUBSCRIBE, COOKIES; c: COOKIES; d: SUBSCRIBE, COOKIES, APP
    chars_removed=(len(SUBSCRIBE) + 1 + len(COOKIES))
    + len(COOKIES)
    + (len(SUBSCRIBE) + len(COOKIES) + len(APP)),
    most_removed=[
        RepeatedParagraph(text=COOKIES, documents=4, removed=3),
        RepeatedParagraph(text=SUBSCRIBE.upper() + "!", documents=3, removed=2),
    ],
)


def test_repeated_paragraphs_stay_only_in_the_first_document_and_short_leftovers_drop():
    counters = run(corpus(), config(), check_default, summary_is(DEFAULT_SUMMARY))
    assert counters["dedup.paragraphs_removed"] == 6
    assert counters["dedup.paragraph_documents_dropped"] == 1


def test_the_result_does_not_depend_on_input_order_or_workers():
    options = PipelineOptions(direct_num_workers=2, direct_running_mode="multi_threading")
    run(list(reversed(corpus())), config(), check_default, summary_is(DEFAULT_SUMMARY), options)


def test_without_keep_first_every_copy_goes():
    def check(outputs):
        docs = by_id(outputs)
        _expect(docs["a"].text == A, f"a: {docs['a'].text!r}")
        _expect(docs["c"].text == f"{C}\n{C}", f"c: {docs['c'].text!r}")
        _expect(docs["d"].drop_reason == DUPLICATE_PARAGRAPHS, "d")
        _expect(docs["d"].text == SHORT, "d keeps what was left")

    most = [
        RepeatedParagraph(text=COOKIES, documents=4, removed=4),
        RepeatedParagraph(text=SUBSCRIBE.upper() + "!", documents=3, removed=3),
    ]
    run(
        corpus(),
        config(keep_first=False),
        check,
        summary_has(paragraphs_removed=2 + 2 + 2 + 3, most_removed=most),
    )


def test_a_paragraph_within_max_documents_stays_everywhere():
    def check(outputs):
        docs = by_id(outputs)
        _expect(docs["c"].text == f"{C}\n{APP}\n{C}", "APP is on two pages: kept")
        _expect(docs["b"].text == B, "SUBSCRIBE is on three pages: removed")

    run(corpus(), config(max_documents=2), check, summary_has(repeated=2))


def test_a_document_left_without_text_is_dropped():
    docs = [_doc("a", f"{A}\n{SUBSCRIBE}"), _doc("b", f"{SUBSCRIBE}\n{SUBSCRIBE.lower()}")]

    def check(outputs):
        out = by_id(outputs)["b"]
        _expect(
            out.drop_reason == DUPLICATE_PARAGRAPHS and out.drop_detail.startswith("no text left"), str(out)
        )
        _expect(out.text == "", "nothing left")

    run(docs, config(), check, summary_has(documents_dropped=1))


def test_off_passes_everything_through_and_summarises_nothing():
    docs = corpus()
    texts = sorted(d.text for d in docs)

    def check(outputs):
        _expect(sorted(d.text for d in outputs) == texts, "changed")

    run(docs, config(enabled=False), check, summary_is(None))


def test_two_kept_documents_with_one_id_are_named_not_merged():
    docs = [_doc("a", f"{A}\n{SUBSCRIBE}"), _doc("a", f"{B}\n{SUBSCRIBE}")]
    with pytest.raises(Exception, match="2 kept documents share the id 'a'"):
        run(docs, config(), lambda out: None, lambda s: None)
