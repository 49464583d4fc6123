"""The broken and unusual records are what their kind says, as the pipeline's decoder sees them."""

from __future__ import annotations

import codecs

from corpus.decode import check_body, decode_body
from devkit.sample import generate_sample, read_truth


def test_latin1_pages_declare_their_charset_and_decode_with_it(default_sample) -> None:
    pages = default_sample.of_kind("latin1")
    charsets = set()
    for t in pages:
        body = default_sample.http_body(t)
        charset = t.content_type.split("charset=")[1].lower()
        charsets.add(charset)
        assert f'<meta charset="{charset}">'.encode() in body.lower()
        text = body.decode(charset)
        accented = {c for c in t.text if c.isalpha() and ord(c) > 127}
        assert accented and all(c in text for c in accented), "accented letters survive the encoding"
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise AssertionError(f"{t.url}: a Latin-1 page must not also be valid UTF-8")
        assert decode_body(t.content_type, body) == (text, codecs.lookup(charset).name)
    assert charsets == {"iso-8859-1", "windows-1252"}


def test_windows_1252_page_uses_bytes_latin1_lacks(default_sample) -> None:
    (t,) = [t for t in default_sample.of_kind("latin1") if "windows-1252" in t.content_type]
    body = default_sample.http_body(t)
    assert b"\x92" in body or b"\x93" in body, "curly quotes live at 0x91-0x94 in windows-1252 only"


def test_undecodable_pages_decode_with_no_plausible_charset(default_sample) -> None:
    for t in default_sample.of_kind("undecodable"):
        body = default_sample.http_body(t)
        assert b"\0" not in body, "broken text, not a binary file"
        for charset in ("utf-8", "windows-1252"):
            try:
                body.decode(charset)
            except UnicodeDecodeError:
                continue
            raise AssertionError(f"{t.url} decodes as {charset}")
        assert decode_body(t.content_type, body) is None


def test_non_html_records_carry_pdf_and_jpeg_bodies(default_sample) -> None:
    kinds = set()
    for t in default_sample.of_kind("non_html"):
        body = default_sample.http_body(t)
        if t.content_type == "application/pdf":
            assert body.startswith(b"%PDF-1.") and body.rstrip().endswith(b"%%EOF")
        else:
            assert t.content_type == "image/jpeg"
            assert body.startswith(b"\xff\xd8\xff") and body.endswith(b"\xff\xd9")
        kinds.add(t.content_type)
        assert check_body(t.content_type, t.http_status, body, 5_000_000) == "not_html"
    assert kinds == {"application/pdf", "image/jpeg"}


def test_error_redirect_and_empty_records(default_sample) -> None:
    for t in default_sample.of_kind("http_error"):
        assert t.http_status == 404
    for t in default_sample.of_kind("redirect"):
        assert t.http_status == 301
        head = default_sample.member(t).split(b"\r\n\r\n", 2)[1]
        assert b"\r\nLocation: https://" in head
    for t in default_sample.of_kind("empty"):
        assert t.http_status == 200 and t.body_bytes == 0
        assert default_sample.http_body(t) == b""


def test_giant_page_exceeds_the_default_cap_and_every_other_page_stays_far_below(
    default_sample, clean_config
) -> None:
    cap = clean_config.limits.max_body_bytes
    (giant,) = default_sample.of_kind("giant")
    assert giant.body_bytes > cap
    assert default_sample.http_body(giant).rstrip().endswith(b"</html>")
    others = [t.body_bytes for t in default_sample.truth if t.kind != "giant"]
    assert max(others) < 250_000, "a test can put its byte cap anywhere between the two"


def test_giant_bytes_sets_the_size_of_the_giant_page(tmp_path) -> None:
    summary = generate_sample(tmp_path, seed=2, pages=30, files=1, giant_bytes=30_000)
    (giant,) = [t for t in read_truth(summary.truth_path) if t.kind == "giant"]
    assert 30_000 <= giant.body_bytes < 31_000


def test_pages_declare_utf8_in_the_header_or_only_in_meta(default_sample) -> None:
    types = {t.content_type for t in default_sample.of_kind("good")}
    assert types == {"text/html; charset=utf-8", "text/html"}, (
        "some pages declare their charset in <meta> only"
    )
    for t in default_sample.of_kind("good")[:50]:
        assert b'<meta charset="utf-8">' in default_sample.http_body(t)
