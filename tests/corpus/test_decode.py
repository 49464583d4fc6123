"""Bodies become text only when they are HTML, textual and decodable; each failure has a reason."""

from __future__ import annotations

import codecs

from corpus.decode import check_body, decode_body, decode_text, is_html, looks_binary
from formats import documents

CAP = 1000


def test_non_200_status_is_dropped_before_anything_else():
    assert check_body("text/html", 404, b"<html>not found</html>", CAP) == documents.HTTP_STATUS
    assert check_body("text/html", 301, b"<html>moved</html>", CAP) == documents.HTTP_STATUS


def test_empty_and_oversized_bodies_have_their_own_reasons():
    assert check_body("text/html", 200, b"   \n", CAP) == documents.EMPTY_PAGE
    assert check_body("text/html", 200, b"<html>" + b"a" * CAP + b"</html>", CAP) == documents.TOO_LARGE
    assert check_body("text/html", 200, b"<html>" + b"a" * (CAP - 20) + b"</html>", CAP) is None


def test_content_type_decides_html_and_an_undeclared_type_is_sniffed():
    assert check_body("application/pdf", 200, b"%PDF-1.4 ...", CAP) == documents.NOT_HTML
    assert check_body("image/jpeg", 200, b"\xff\xd8\xff\xe0", CAP) == documents.NOT_HTML
    assert is_html("application/xhtml+xml; charset=utf-8", b"<html/>")
    assert is_html("", b"  <!DOCTYPE html><html></html>")
    assert not is_html("", b"just some words")


def test_binary_bytes_under_an_html_type_are_binary_content():
    body = bytes(range(256)) * 8
    assert looks_binary(body)
    assert check_body("text/html", 200, body, 10_000) == documents.BINARY_CONTENT
    assert not looks_binary("<html><p>Grüße aus Köln</p></html>".encode())


def test_declared_latin1_page_decodes_to_the_right_characters():
    body = "<html><p>Café crème, déjà vu, naïve façade.</p></html>".encode("latin-1")
    text, charset = decode_body("text/html; charset=ISO-8859-1", body)
    assert "Café crème, déjà vu" in text
    assert charset == codecs.lookup("latin-1").name


def test_meta_charset_is_used_when_the_header_has_none():
    body = '<html><head><meta charset="windows-1252"></head><p>“quoted” – dash</p></html>'.encode("cp1252")
    text, charset = decode_body("text/html", body)
    assert "“quoted” – dash" in text
    assert charset == "cp1252"


def test_a_wrong_declared_charset_falls_back_to_one_that_decodes():
    body = "<html><p>Ünïcödé text in UTF-8 and a declaration that lies.</p></html>".encode()
    text, _ = decode_body("text/html; charset=ascii", body)
    assert "Ünïcödé" in text


def test_utf16_with_bom_decodes():
    body = codecs.BOM_UTF16_LE + "<html><p>wide text</p></html>".encode("utf-16-le")
    assert check_body("text/html", 200, body, CAP) is None
    text, charset = decode_body("text/html", body)
    assert "wide text" in text and charset == "utf-16"


def test_a_declared_bytes_to_bytes_codec_is_not_used_to_read_text():
    body = "<html>caf\u00e9</html>".encode("latin-1")
    decoded = decode_text("text/html; charset=base64", body)
    assert decoded is not None and decoded.text == "<html>caf\u00e9</html>"
    assert decoded.declared == "http=?base64" and decoded.source == "detected"
