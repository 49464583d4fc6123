"""From HTTP body bytes to text: content types, binary sniffing, charsets.

Web pages lie about their encoding. We try, in order, the charset the HTTP header declares, the
one a ``<meta>`` tag declares, strict UTF-8, and resiliparse's detector; a page none of them
decodes cleanly is decoded with replacement characters and kept only if those stay rare.
The extracted text is normalised once, by the extractor (`corpus.text.normalise_text`).
"""

from __future__ import annotations

import codecs
import re

from resiliparse.parse.encoding import detect_encoding

from formats import documents

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.IGNORECASE)
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
# replacement characters allowed in a page decoded leniently (a few broken bytes in a long page)
MAX_REPLACEMENT_RATIO = 0.01
BINARY_SNIFF_BYTES = 4096
MAX_BINARY_RATIO = 0.10


def is_html(content_type: str, body: bytes) -> bool:
    """HTML by declared type; an undeclared type is sniffed from the first bytes."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime:
        return mime in HTML_TYPES
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head


def looks_binary(body: bytes) -> bool:
    """Control bytes (NUL, ESC, ...) are rare in any text encoding but common in binaries.

    UTF-16 text also has NUL bytes: it is caught by its BOM before this is asked.
    """
    head = body[:BINARY_SNIFF_BYTES]
    if not head:
        return False
    control = len(head) - len(head.translate(None, _BINARY_BYTES))
    return control / len(head) > MAX_BINARY_RATIO


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(content_type: str, body: bytes) -> list[str]:
    found = []
    m = _HEADER_CHARSET.search(content_type or "")
    if m and (c := _codec(m.group(1))):
        found.append(c)
    m = _META_CHARSET.search(body[:4096])
    if m and (c := _codec(m.group(1).decode("ascii", "ignore"))) and c not in found:
        found.append(c)
    return found


def decode_body(content_type: str, body: bytes) -> tuple[str, str] | None:
    """``(text, charset)`` or None when no charset decodes the body acceptably."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif body.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    else:
        candidates = declared_charsets(content_type, body)
    for extra in ("utf-8", _codec(detect_encoding(body[:65536]))):
        if extra and extra not in candidates:
            candidates.append(extra)
    for charset in candidates:
        try:
            return body.decode(charset), charset
        except (UnicodeDecodeError, LookupError):
            continue
    text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_RATIO * max(len(text), 1):
        return None
    return text, "utf-8-lenient"


def check_body(content_type: str, http_status: int, body: bytes, max_bytes: int) -> str | None:
    """The pre-extraction drop reason for a response, or None when it is worth decoding."""
    if http_status and http_status != 200:
        return documents.HTTP_STATUS
    if not body.strip():
        return documents.EMPTY_PAGE
    if len(body) > max_bytes:
        return documents.TOO_LARGE
    if not is_html(content_type, body):
        return documents.NOT_HTML
    if not body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and looks_binary(body):
        return documents.BINARY_CONTENT
    return None
