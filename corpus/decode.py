"""From HTTP body bytes to text: content types, binary sniffing, charsets.

Web pages lie about their encoding. `decode_text` walks a chain (byte-order mark, valid UTF-8,
the HTTP header's charset, the ``<meta>`` tag's, resiliparse's detector) and says which link
decoded the page and what the page declared, so a statistic can find the pages whose declaration
was wrong; a page none of them decodes cleanly is decoded with replacement characters and kept
only if those stay rare. The extracted text is normalised once, by the extractor
(`corpus.text.normalise_text`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from resiliparse.parse.encoding import detect_encoding

from formats import documents

HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml", "text/xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_\-:.]+)", re.IGNORECASE)
_BINARY_BYTES = bytes(range(0, 9)) + bytes(range(14, 32))
# replacement characters allowed in a page decoded leniently (a few broken bytes in a long page)
MAX_REPLACEMENT_RATIO = 0.01
BINARY_SNIFF_BYTES = 4096
META_SNIFF_BYTES = 4096
DETECT_BYTES = 65536
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
    """Python's name for a text encoding; None for unknown names and for bytes-to-bytes codecs
    (a page declaring ``charset=base64`` or ``zlib`` names no way to read text)."""
    if not name:
        return None
    try:
        info = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _ascii_compatible(name: str) -> bool:
    try:
        return "<a>".encode(name) == b"<a>"
    except (UnicodeError, LookupError):
        return False


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    charset: str
    source: str
    """The link of the chain that gave ``charset``: bom, http, meta, utf-8 (valid UTF-8 whatever was
    declared), detected, or lenient (UTF-8 with a few replaced bytes)."""
    declared: str
    """What the page declared, ``http=<codec> meta=<codec>`` (a name no codec knows is kept as
    written after ``?``: ``http=?x-unknown``)."""


def declared_charsets(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """``(where, name)`` pairs: the HTTP header's charset, then the ``<meta>`` tag's; ``name`` is
    Python's codec name, or the declared name after ``?`` when no codec has it."""
    found = []
    m = _HEADER_CHARSET.search(content_type or "")
    if m:
        found.append(("http", _codec(m.group(1)) or "?" + m.group(1)[:40]))
    m = _META_CHARSET.search(body[:META_SNIFF_BYTES])
    if m:
        name = m.group(1).decode("ascii", "replace")
        found.append(("meta", _codec(name) or "?" + name[:40]))
    return found


def _bom(body: bytes) -> str | None:
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return None


def decode_text(content_type: str, body: bytes) -> DecodedText | None:
    """The body as text and the chain that chose its charset, or None when nothing decodes it.

    The chain, first that decodes wins: a byte-order mark; valid UTF-8 (which a page in any other
    declared charset almost never is once it has non-ASCII bytes, while servers that declare
    ISO-8859-1 over UTF-8 are common, and a single-byte decode never fails, so it would turn them
    into mojibake); the HTTP header's charset; the ``<meta>`` tag's; resiliparse's detector; and
    last UTF-8 with replacement characters, kept only when those stay rare.
    """
    declared = declared_charsets(content_type, body)
    said = " ".join(f"{where}={name}" for where, name in declared)
    bom = _bom(body)
    if bom is not None:
        try:
            return DecodedText(body.decode(bom), bom, "bom", said)
        except UnicodeDecodeError:
            pass
    known = [(where, name) for where, name in declared if not name.startswith("?")]
    if body.isascii():
        # every ASCII-compatible charset reads these bytes alike; report the one declared
        for where, name in known:
            if _ascii_compatible(name):
                return DecodedText(body.decode("ascii"), name, where, said)
        return DecodedText(body.decode("ascii"), "utf-8", "utf-8", said)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        where = next((w for w, name in known if name == "utf-8"), "utf-8")
        return DecodedText(text, "utf-8", where, said)
    candidates = [*known, ("detected", _codec(detect_encoding(body[:DETECT_BYTES])) or "")]
    for where, name in candidates:
        if not name or name == "utf-8":
            continue
        try:
            return DecodedText(body.decode(name), name, where, said)
        except (UnicodeDecodeError, LookupError):
            continue
    text = body.decode("utf-8", errors="replace")
    if text.count("\ufffd") > MAX_REPLACEMENT_RATIO * max(len(text), 1):
        return None
    return DecodedText(text, "utf-8-lenient", "lenient", said)


def decode_body(content_type: str, body: bytes) -> tuple[str, str] | None:
    """``(text, charset)`` or None when no charset decodes the body acceptably (`decode_text`
    without the chain)."""
    decoded = decode_text(content_type, body)
    return None if decoded is None else (decoded.text, decoded.charset)


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
