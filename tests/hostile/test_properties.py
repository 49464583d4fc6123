"""Arbitrary bytes and strings never raise out of a stage (hypothesis).

Each stage has its own way of saying "bad input": the WARC reader yields a record with ``error``,
the HTTP head parser raises `HttpHeadError` (which the reader turns into that record), payload
decoding returns ``error``/``problem``, charset decoding returns None, the cleaner drops with a
reason, a filter returns scores. Anything else escaping is a bug that would kill a worker and the
bundle of records with it.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import brotli
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.config import load_config
from corpus.cleaner import Cleaner, score_and_decide
from corpus.config import CleanConfig
from corpus.decode import decode_text
from corpus.http import HttpHeadError, decode_payload, parse_head
from corpus.text import TextView, normalise_text
from corpus.warc import iter_records
from formats import documents
from formats.documents import Document, RawRecord
from tests.hostile import crafted

# The suite draws the same examples on every run (derandomize), so CI cannot fail on one clone and
# pass on the next; HEADWATER_HYPOTHESIS_EXPLORE=1 draws fresh ones, for looking for new failures.
_EXPLORE = os.environ.get("HEADWATER_HYPOTHESIS_EXPLORE") == "1"
_COMMON = dict(
    deadline=None, derandomize=not _EXPLORE, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FAST = settings(max_examples=150, **_COMMON)
SLOW = settings(max_examples=100, **_COMMON)

HTML = b"<html><head><title>t</title></head><body><p>The river winds through the valley.</p></body></html>"
CODINGS = st.sampled_from(["", "gzip", "deflate", "br", "identity", "gzip, br", "x-gzip", "compress", "GZIP"])
# text that looks like what extractors return, with the characters that trip splitters
TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list(".!?…。！？\"'”’»)] \n\t\r\u2028\u0301•-#{}:/")),
    ),
    max_size=3000,
)


def _good_warc() -> bytes:
    block = crafted.http_block("200 OK", [("Content-Type", "text/html")], HTML)
    return b"".join(
        crafted.member(crafted.warc_record(f"http://p.example/{i}", crafted.record_id(i), block))
        for i in range(3)
    )


GOOD_WARC = _good_warc()


def _read_all(tmp: Path, data: bytes) -> list[RawRecord]:
    path = tmp / "x.warc.gz"
    path.write_bytes(data)
    return list(iter_records(lambda: path.open("rb"), str(path), max_body_bytes=10_000, max_head_bytes=2_000))


@FAST
@given(data=st.binary(max_size=4000))
def test_the_warc_reader_never_raises_on_arbitrary_bytes(tmp_path, data):
    for raw in _read_all(tmp_path, data):
        assert raw.error is not None or raw.http_status >= 0


@FAST
@given(
    cuts=st.lists(st.integers(0, len(GOOD_WARC) - 1), max_size=4),
    flips=st.lists(st.tuples(st.integers(0, len(GOOD_WARC) - 1), st.integers(1, 255)), max_size=6),
)
def test_the_warc_reader_never_raises_on_a_damaged_file_and_accounts_for_it(tmp_path, cuts, flips):
    data = bytearray(GOOD_WARC)
    for at, xor in flips:
        data[at] ^= xor
    for at in sorted(cuts, reverse=True):
        del data[at : at + 50]
    records = _read_all(tmp_path, bytes(data))
    if not cuts and not flips:
        assert [r.error for r in records] == [None] * 3
    # every record read whole is one of the three written, and no record comes out twice
    urls = [r.url for r in records if r.error is None]
    assert len(urls) == len(set(urls)) <= 3


@FAST
@given(block=st.binary(max_size=3000), cap=st.integers(1, 4000))
def test_the_http_head_parser_raises_only_its_own_error(block, cap):
    try:
        head = parse_head(block, cap)
    except HttpHeadError:
        return
    assert 100 <= head.status <= 999 and 0 < head.length <= len(block)
    assert isinstance(head.content_type, str)


@FAST
@given(
    head_lines=st.lists(
        st.text(st.characters(codec="latin-1", exclude_characters="\r\n"), max_size=60), max_size=8
    ),
    eols=st.lists(st.sampled_from([b"\r\n", b"\n"]), min_size=10, max_size=10),
)
def test_a_head_with_any_mix_of_line_endings_ends_where_its_blank_line_is(head_lines, eols):
    lines = [b"HTTP/1.1 200 OK"] + [b"X-H: " + line.encode("latin-1") for line in head_lines]
    head = b"".join(line + eols[i % 10] for i, line in enumerate(lines)) + eols[-1]
    parsed = parse_head(head + HTML, 65536)
    assert parsed.status == 200 and parsed.length == len(head)


@FAST
@given(
    body=st.binary(max_size=3000),
    transfer=st.sampled_from(["", "chunked", "gzip, chunked"]),
    content=CODINGS,
    cap=st.integers(1, 5000),
)
def test_payload_decoding_never_raises_and_never_returns_more_than_the_cap(body, transfer, content, cap):
    out = decode_payload(body, transfer, content, cap)
    assert out.over_cap or len(out.body) <= cap
    assert not (out.error and out.body)


@FAST
@given(
    html=st.binary(max_size=3000), coding=st.sampled_from(["gzip", "deflate", "br"]), cut=st.integers(0, 200)
)
def test_a_coded_body_cut_anywhere_decodes_to_a_prefix_of_the_page(html, coding, cut):
    coded = {"gzip": lambda b: gzip.compress(b, mtime=0), "deflate": zlib.compress, "br": brotli.compress}[
        coding
    ](html)
    kept = coded[: max(0, len(coded) - cut)]
    out = decode_payload(kept, "", coding, 10_000)
    if out.error:
        assert not kept or cut  # only a damaged stream may fail to decode
        return
    assert html.startswith(out.body) or (not kept and out.body == b"")
    if cut == 0:
        assert out.body == html and out.problem == ""


@FAST
@given(content_type=st.text(max_size=80), body=st.binary(max_size=3000))
def test_charset_decoding_never_raises(content_type, body):
    decoded = decode_text(content_type, body)
    if decoded is not None:
        assert isinstance(decoded.text, str) and decoded.source in {
            "bom",
            "http",
            "meta",
            "utf-8",
            "detected",
            "lenient",
        }


@FAST
@given(text=st.text(max_size=2000))
def test_utf8_text_decodes_to_itself_whatever_the_header_declares(text):
    for declared in ("", "text/html; charset=iso-8859-1", "text/html; charset=nonsense"):
        body = text.encode("utf-8")
        if body.startswith(b"\xef\xbb\xbf") or "\x00" in text:
            continue
        decoded = decode_text(declared, body)
        assert decoded is not None and decoded.text == text


@FAST
@given(text=st.one_of(st.none(), TEXTS))
def test_the_normaliser_never_raises_and_leaves_utf8_without_control_characters(text):
    out = normalise_text(text)
    out.encode("utf-8")  # no lone surrogate: the Parquet writer and fastText need UTF-8
    assert not any(c in out for c in "\r\x00\x0b\x0c\x1f\x7f\x85\u2028")
    assert out == out.strip() and "\n\n\n" not in out


@pytest.fixture(scope="module")
def cleaner():
    with Cleaner(load_config("configs/clean.yaml", CleanConfig)) as c:
        yield c


@SLOW
@given(text=TEXTS, domain=st.sampled_from(["web", "code", "math", "books", "dialog", "encyclopedia"]))
def test_no_filter_raises_on_arbitrary_text(cleaner, text, domain):
    for flt in cleaner.filters:
        doc = Document(id="x", url="http://a.example/", domain=domain, lang="en", text=normalise_text(text))
        score_and_decide(doc, [flt], score_all=True)
        assert not (doc.drop_reason or "").endswith(documents.FILTER_ERROR_SUFFIX), (
            flt.name,
            doc.drop_detail,
        )
    TextView(text).sentences  # the shared splits, on text as it is  # noqa: B018


@SLOW
@given(
    body=st.one_of(
        st.binary(max_size=3000),
        st.builds(lambda t: HTML.replace(b"river", t.encode("utf-8", "surrogatepass")), TEXTS),
    ),
    content_type=st.sampled_from(
        ["text/html", "text/html; charset=utf-16", "application/xhtml+xml", "text/plain", ""]
    ),
    coding=CODINGS,
    status=st.sampled_from([200, 200, 404, 0]),
)
def test_the_cleaner_turns_any_record_into_one_document(cleaner, body, content_type, coding, status):
    raw = RawRecord(
        source="s",
        offset=0,
        record_id="r",
        url="http://a.example/",
        http_status=status,
        content_type=content_type,
        body=body,
        payload_bytes=len(body),
        content_encoding=coding,
    )
    doc = cleaner.clean(raw)
    assert doc.kept or doc.drop_reason
    assert not (doc.drop_reason or "").endswith(documents.FILTER_ERROR_SUFFIX), doc.drop_detail
    assert doc.drop_reason != documents.EXTRACTION_ERROR, doc.drop_detail
