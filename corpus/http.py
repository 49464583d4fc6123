"""HTTP responses as crawls record them: a lenient head parser and body decoding under a byte cap.

A crawl stores what the server sent, and servers send more than RFC 9112 allows: heads ending in
bare LF or a mix of CRLF and LF (older and research crawls), header lines folded onto the next,
Content-Type given twice, bodies still chunked or compressed (crawlers that store them raw). A
strict parser that misses the head's end swallows the page's own head with it and loses the
declared charset, so we find the blank line ourselves, whatever its line endings, and hand the
head to warcio's parser, which already folds continuation lines and accepts LF.

Every decoder here is given the byte cap and returns at most one byte more than it: a body that
inflates to gigabytes (gzip, deflate, or brotli, whose ratio has no practical bound) costs a
worker the cap, not the body. What decoding could not finish is said, not raised: a stream that
ends early is a truncated payload (the cleaning config decides what to do with it), a body that
is not what its header says is taken as it is when it looks like text.
"""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

import brotli
from warcio.statusandheaders import StatusAndHeadersParser

from corpus.decode import looks_binary


class HttpHeadError(ValueError):
    """The record holds no HTTP head we can read (no status line, no end within the cap)."""


@dataclass(frozen=True, slots=True)
class HttpHead:
    status: int
    headers: list[tuple[str, str]]
    length: int
    """Bytes of the head, the blank line that ends it included: the body starts there."""

    def values(self, name: str) -> list[str]:
        """Every value of header ``name`` (case-insensitive), in the order sent."""
        key = name.lower()
        return [v.strip() for k, v in self.headers if k.strip().lower() == key]

    @property
    def content_type(self) -> str:
        return content_type(self.values("Content-Type"))

    def codings(self, name: str) -> str:
        """A coding header's list (values sent twice joined, as RFC 9110 5.3 says), lower case."""
        return ", ".join(v for v in self.values(name) if v).lower()


_BLANK_LINE = re.compile(rb"\n\r?\n")
_STATUS = re.compile(r"HTTP/\S*\s+(\d{3})(?:\s|$)", re.IGNORECASE)
_PARSER = StatusAndHeadersParser([], verify=False)


def head_end(block: bytes) -> int | None:
    """Offset just past the blank line that ends the head (``\\r\\n\\r\\n``, ``\\n\\n`` or a mix),
    or None when ``block`` holds none."""
    m = _BLANK_LINE.search(block)
    return m.end() if m else None


def parse_head(block: bytes, max_head_bytes: int) -> HttpHead:
    """The head at the start of ``block`` (the record's content block, or its first bytes).

    A block that ends without a blank line is all head (a response without a body); a head that
    does not end within ``max_head_bytes`` is refused rather than searched further.
    """
    if not block[:5].upper().startswith(b"HTTP/"):
        raise HttpHeadError(f"no HTTP status line (block starts {block[:24]!r})")
    end = head_end(block[:max_head_bytes])
    if end is None:
        if len(block) > max_head_bytes:
            raise HttpHeadError(f"HTTP head does not end within {max_head_bytes} bytes")
        end = len(block)
    parsed = _PARSER.parse(io.BytesIO(block[:end]))
    m = _STATUS.match(f"{parsed.protocol} {parsed.statusline}")
    if m is None:
        raise HttpHeadError(f"unreadable HTTP status line {parsed.protocol} {parsed.statusline}"[:200])
    return HttpHead(status=int(m.group(1)), headers=list(parsed.headers), length=end)


def content_type(values: list[str]) -> str:
    """The Content-Type a browser would use when a server sends several (WHATWG Fetch, "extract a
    MIME type"): the last one with a type wins; a later one of the same type without a charset
    keeps the charset an earlier one gave."""
    chosen, essence, charset = "", "", ""
    for value in values:
        for part in value.split(","):
            mime = part.split(";", 1)[0].strip().lower()
            if "/" not in mime or mime == "*/*":
                continue
            m = re.search(r";\s*charset\s*=\s*([^;\s]+)", part, re.IGNORECASE)
            if mime != essence:
                essence, charset = mime, ""
            if m:
                charset = m.group(1).strip("\"'")
            chosen = part.strip() if m or not charset else f"{part.strip()}; charset={charset}"
    return chosen


# --- transfer and content codings ---------------------------------------------------------------

_CHUNK_SIZE = re.compile(rb"[ \t]*([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
_LINE_END = re.compile(rb"\r?\n")
GZIP_CODINGS = ("gzip", "x-gzip")


@dataclass(frozen=True, slots=True)
class Decoded:
    body: bytes
    codings: list[str]
    """The codings undone, in the order undone (``chunked`` first)."""
    problem: str = ""
    """Why the body is incomplete (a stream or chunk sequence that ends early), "" when it is not."""
    over_cap: bool = False
    error: str = ""
    """A coding we cannot undo on a body that does not look like text; the body is unusable."""


def dechunk(body: bytes) -> tuple[bytes, str] | None:
    """``(data, problem)`` of a chunked body; None when it does not start with a chunk size line
    (the crawler stored it dechunked and kept the header). Chunk lines may end in LF alone."""
    parts: list[bytes] = []
    pos = 0
    while True:
        m = _CHUNK_SIZE.match(body, pos)
        if m is None:
            return None if pos == 0 else (b"".join(parts), "chunked body: unreadable chunk size line")
        size = int(m.group(1), 16)
        if size == 0:
            return b"".join(parts), ""
        start, end = m.end(), m.end() + size
        parts.append(body[start:end])
        if end > len(body):
            return b"".join(parts), "chunked body ends inside a chunk"
        crlf = _LINE_END.match(body, end)
        pos = crlf.end() if crlf else end
        if pos >= len(body):
            return b"".join(parts), "chunked body ends without its last chunk"


def _inflate(data: bytes, wbits: int, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of a zlib/gzip/raw deflate stream (gzip members one after another
    are one body); whether the stream ended. Raises zlib.error on bytes that are not the stream."""
    out = bytearray()
    while True:
        d = zlib.decompressobj(wbits)
        out += d.decompress(data, limit - len(out))
        if not d.eof or len(out) >= limit:
            return bytes(out), d.eof
        data = d.unused_data
        if wbits != 31 or not data.startswith(b"\x1f\x8b"):
            return bytes(out), True


def _unbrotli(data: bytes, limit: int) -> tuple[bytes, bool]:
    d = brotli.Decompressor()
    out = d.process(data, output_buffer_limit=limit)
    return out[:limit], d.is_finished()


def undo_coding(coding: str, body: bytes, limit: int) -> tuple[bytes, bool]:
    """``(data, complete)``: at most ``limit`` bytes of ``body`` with one content coding undone.

    Raises ValueError for a coding we do not know, and zlib.error / brotli.error for a body
    that is not in it.
    """
    if coding in GZIP_CODINGS:
        return _inflate(body, 31, limit)
    if coding == "deflate":
        # RFC 9110 says zlib-wrapped; many servers send raw deflate, and browsers take both
        try:
            return _inflate(body, 15, limit)
        except zlib.error:
            return _inflate(body, -15, limit)
    if coding == "br":
        return _unbrotli(body, limit)
    raise ValueError(f"unsupported content coding {coding!r}")


def looks_like_markup(body: bytes) -> bool:
    """A body that starts with a tag and is not binary: the page itself, not a compressed stream
    (whose first byte is ``<`` once in 256 and whose bytes look binary)."""
    return body.lstrip(b" \t\r\n\xef\xbb\xbf")[:1] == b"<" and not looks_binary(body)


def decode_payload(body: bytes, transfer_encoding: str, content_encoding: str, max_bytes: int) -> Decoded:
    """Undo the transfer coding (chunked) and the content codings, last applied first, keeping at
    most ``max_bytes`` + 1 bytes at each step.

    A body whose header claims a coding it does not carry (stored decoded, header kept) is taken
    as it is when it looks like markup; otherwise it is an error.
    """
    limit = max_bytes + 1
    codings: list[str] = []
    problem = ""
    if "chunked" in transfer_encoding:
        dechunked = dechunk(body)
        if dechunked is not None:
            body, problem = dechunked
            codings.append("chunked")
    for coding in reversed([c.strip() for c in content_encoding.split(",")]):
        if coding in ("", "identity", "none"):
            continue
        try:
            decoded, complete = undo_coding(coding, body, limit)
        except (ValueError, zlib.error, brotli.error) as err:
            if looks_like_markup(body):
                continue  # stored decoded, header kept: the body is the page
            return Decoded(body=b"", codings=codings, error=f"Content-Encoding {coding}: {err}")
        body = decoded
        codings.append(coding)
        if len(body) > max_bytes:
            return Decoded(body=b"", codings=codings, over_cap=True)
        if not complete and not problem:
            problem = f"{coding} stream ends early"
    return Decoded(body=body, codings=codings, problem=problem, over_cap=len(body) > max_bytes)
