"""What real crawls hold, read as the server sent it: bare-LF and mixed heads, folded headers,
Content-Type twice, WARC-Truncated payloads, bodies still chunked or compressed, charsets that lie.

Each record is spelt out byte by byte (`tests.hostile.crafted`), read by the WARC reader and
cleaned by the real cleaner; the expected text and charset come from how the record was built.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import brotli
import pytest

from common.config import parse_config
from corpus.cleaner import Cleaner
from corpus.config import CleanConfig
from corpus.warc import iter_records
from formats import documents
from tests.hostile import crafted

SENTENCE = "The old stone bridge near the village was built by masons who came from the north."
PARAGRAPHS = [f"{SENTENCE} This is paragraph {i} of the page, and it goes on for a while." for i in range(6)]


def page(charset_meta: str | None = None, text: list[str] = PARAGRAPHS) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    body = "".join(f"<p>{p}</p>" for p in text)
    return f"<html><head>{meta}<title>Bridge</title></head><body><article>{body}</article></body></html>"


def _config(**limits) -> CleanConfig:
    return parse_config({"limits": limits, "filters": []}, CleanConfig, "test")


@pytest.fixture(scope="module")
def cleaner():
    with Cleaner(_config()) as c:
        yield c


def _read(tmp_path: Path, *blocks: bytes, extra=()) -> list:
    data = b"".join(
        crafted.member(crafted.warc_record(f"http://q.example/{i}", crafted.record_id(i), b, extra=extra))
        for i, b in enumerate(blocks)
    )
    path = tmp_path / "q.warc.gz"
    path.write_bytes(data)
    return list(iter_records(lambda: path.open("rb"), str(path)))


def _clean(cleaner, tmp_path, *blocks, extra=()):
    return [cleaner.clean(r) for r in _read(tmp_path, *blocks, extra=extra)]


@pytest.mark.parametrize("eol", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_a_head_ending_in_bare_lf_is_found_and_its_charset_used(cleaner, tmp_path, eol):
    html = page().replace("bridge", "bridge café")
    block = crafted.http_block(
        "200 OK", [("Content-Type", "text/html; charset=iso-8859-1")], html.encode("latin-1"), eol
    )
    (doc,) = _clean(cleaner, tmp_path, block)
    assert doc.kept, (doc.drop_reason, doc.drop_detail)
    assert "bridge café" in doc.text
    assert (doc.charset, doc.charset_source) == ("iso8859-1", "http")


def test_mixed_line_endings_and_folded_headers_are_read(cleaner, tmp_path):
    head = b"HTTP/1.1 200 OK\r\nServer: old\nContent-Type: text/html;\r\n charset=windows-1252\nX-A: b\r\n\n"
    html = page().replace("north", "north – “quoted”")
    (raw,) = _read(tmp_path, head + html.encode("cp1252"))
    assert raw.error is None and raw.http_status == 200
    assert raw.content_type.replace(" ", "") == "text/html;charset=windows-1252"
    doc = cleaner.clean(raw)
    assert doc.kept and "north – “quoted”" in doc.text
    assert (doc.charset, doc.charset_source) == ("cp1252", "http")


def test_duplicate_content_type_follows_the_browser_rule(cleaner, tmp_path):
    html = page().replace("bridge", "brücke").encode("latin-1")
    headers = [("Content-Type", "text/html; charset=iso-8859-1"), ("Content-Type", "text/html")]
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", headers, html))
    assert doc.kept and "brücke" in doc.text and doc.charset == "iso8859-1"
    headers = [("Content-Type", "text/html"), ("Content-Type", "application/pdf")]
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", headers, page().encode()))
    assert doc.drop_reason == documents.NOT_HTML


@pytest.mark.parametrize("choice", ["extract", "drop"])
def test_warc_truncated_is_extracted_or_dropped_as_the_config_says(tmp_path, choice):
    cut = page().encode()[: len(page()) * 2 // 3]  # the crawler's size limit hit mid-page
    block = crafted.http_block("200 OK", [("Content-Type", "text/html")], cut)
    with Cleaner(_config(truncated=choice)) as c:
        (doc,) = _clean(c, tmp_path, block, extra=[("WARC-Truncated", "length")])
    if choice == "extract":
        assert doc.kept and PARAGRAPHS[0] in doc.text
    else:
        assert (doc.drop_reason, doc.drop_detail) == (documents.TRUNCATED_PAYLOAD, "WARC-Truncated: length")


def _chunked(data: bytes, size: int, eol: bytes = b"\r\n") -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x" % len(p) + eol + p + eol for p in parts) + b"0" + eol + eol


CODERS = {
    "gzip": lambda b: gzip.compress(b, mtime=0),
    "deflate": zlib.compress,
    "deflate-raw": lambda b: zlib.compress(b, wbits=-15),
    "br": brotli.compress,
}


@pytest.mark.parametrize("coding", sorted(CODERS))
@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "chunked"])
def test_content_and_transfer_encodings_are_decoded(cleaner, tmp_path, coding, chunked):
    html = page().encode()
    body = CODERS[coding](html)
    name = coding.removesuffix("-raw")
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", name)]
    if chunked:
        body = _chunked(body, 37, b"\n" if coding == "br" else b"\r\n")
        headers.append(("Transfer-Encoding", "chunked"))
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", headers, body))
    assert doc.kept, (doc.drop_reason, doc.drop_detail)
    assert all(p in doc.text for p in PARAGRAPHS)
    assert doc.content_coding == ("chunked " if chunked else "") + name
    assert doc.html_bytes == len(html)


def test_a_body_stored_decoded_under_its_coding_header_is_the_page(cleaner, tmp_path):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", headers, page().encode()))
    assert doc.kept and doc.content_coding == ""


def test_a_compressed_stream_cut_short_is_a_truncated_payload(tmp_path):
    body = gzip.compress(page().encode(), mtime=0)
    block = crafted.http_block(
        "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], body[:-60]
    )
    with Cleaner(_config(truncated="drop")) as c:
        (doc,) = _clean(c, tmp_path, block)
    assert doc.drop_reason == documents.TRUNCATED_PAYLOAD and "gzip stream ends early" in doc.drop_detail
    with Cleaner(_config(truncated="extract")) as c:
        (doc,) = _clean(c, tmp_path, block)
    assert doc.kept and SENTENCE in doc.text  # what arrived, not the whole page


def test_garbage_under_a_coding_header_is_undecodable_not_a_crash(cleaner, tmp_path):
    headers = [("Content-Type", "text/html"), ("Content-Encoding", "br")]
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", headers, bytes(range(256)) * 8))
    assert doc.drop_reason == documents.UNDECODABLE and "Content-Encoding br" in doc.drop_detail


def test_the_charset_chain_is_recorded_when_the_header_lies(cleaner, tmp_path):
    html = page(charset_meta="utf-8").replace("bridge", "Brücke").encode("utf-8")
    block = crafted.http_block("200 OK", [("Content-Type", "text/html; charset=iso-8859-1")], html)
    (doc,) = _clean(cleaner, tmp_path, block)
    # valid UTF-8 wins over the header's ISO-8859-1 (which would turn "ü" into "Ã¼")
    assert "Brücke" in doc.text and "Ã" not in doc.text
    assert (doc.charset, doc.charset_source, doc.charset_declared) == (
        "utf-8",
        "meta",
        "http=iso8859-1 meta=utf-8",
    )


def test_the_charset_chain_falls_back_to_the_meta_tag_and_detection(cleaner, tmp_path):
    text = [p.replace("bridge", "мост через реку") for p in PARAGRAPHS]
    html = page(charset_meta="windows-1251", text=text).encode("cp1251")
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", [("Content-Type", "text/html")], html))
    assert "мост через реку" in doc.text
    assert (doc.charset, doc.charset_source, doc.charset_declared) == ("cp1251", "meta", "meta=cp1251")
    bare = page(text=text).encode("cp1251")
    (doc,) = _clean(cleaner, tmp_path, crafted.http_block("200 OK", [("Content-Type", "text/html")], bare))
    assert "мост через реку" in doc.text and doc.charset_source == "detected"


def test_a_bom_outranks_every_declaration(cleaner, tmp_path):
    html = page(charset_meta="iso-8859-1").replace("bridge", "Brücke")
    body = html.encode("utf-16")  # BOM first
    block = crafted.http_block("200 OK", [("Content-Type", "text/html; charset=iso-8859-1")], body)
    (doc,) = _clean(cleaner, tmp_path, block)
    assert "Brücke" in doc.text and (doc.charset, doc.charset_source) == ("utf-16", "bom")


def test_a_head_that_never_ends_is_a_corrupt_record_not_a_hang(tmp_path):
    block = b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * 200_000
    (raw,) = _read(tmp_path, block)
    assert raw.error is not None and "does not end within 65536 bytes" in raw.error
