"""Writing WARC records the way CommonCrawl does: one gzip member per record, reproducibly.

Every record (warcinfo, request, response) is compressed as its own gzip member, so a reader can
seek to any record's offset and a reader that loses its place (a truncated member) can
resynchronise on the next member. Members are written with gzip mtime 0 and no file name, dates
come from the sample's seed and record ids are UUIDs built from those dates and the seed, so the
same seed gives byte-identical files.

Record ids are version-7 UUIDs (48-bit millisecond timestamp first): lexicographic order is crawl
order, so an original page's id sorts before the ids of its later copies.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from corpus.warc import GZIP_MAGIC

WARC_VERSION = "WARC/1.0"
USER_AGENT = "CCBot/2.0 (https://commoncrawl.org/faq/)"


def uuid7(when_ms: int, rng: random.Random) -> str:
    """A version-7 UUID for ``when_ms`` with random bits from ``rng`` (RFC 9562 layout)."""
    if not 0 <= when_ms < 1 << 48:
        raise ValueError(f"timestamp {when_ms} ms does not fit in 48 bits")
    rand_a = rng.getrandbits(12)
    rand_b = rng.getrandbits(62)
    value = (when_ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return f"<urn:uuid:{uuid.UUID(int=value)}>"


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def warc_record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    """An uncompressed WARC record: version line, headers, Content-Length, block, two CRLFs."""
    head = [WARC_VERSION]
    head.extend(f"{k}: {v}" for k, v in headers)
    head.append(f"Content-Length: {len(block)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def gzip_member(data: bytes) -> bytes:
    """One gzip member with mtime 0: the same bytes on every run."""
    return gzip.compress(data, compresslevel=6, mtime=0)


@dataclass(frozen=True, slots=True)
class HttpResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes

    def to_bytes(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        lines.extend(f"{k}: {v}" for k, v in self.headers)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


def http_request(url: str) -> bytes:
    """The GET request CommonCrawl's crawler would have sent for ``url``."""
    rest = url.split("://", 1)[1]
    host, _, path = rest.partition("/")
    lines = [
        f"GET /{path} HTTP/1.1",
        f"Host: {host}",
        f"User-Agent: {USER_AGENT}",
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language: en-US,en;q=0.5",
        "Accept-Encoding: br,gzip",
        "Connection: Keep-Alive",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


class WarcFileWriter:
    """Accumulates the gzip members of one WARC file and knows each member's offset."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, record: bytes) -> int:
        """Append ``record`` as one gzip member; returns the member's byte offset."""
        return self.add_member(gzip_member(record))

    def add_member(self, member: bytes) -> int:
        offset = self._size
        self._parts.append(member)
        self._size += len(member)
        return offset

    def getvalue(self) -> bytes:
        return b"".join(self._parts)


def truncate_member(member: bytes, fraction: float = 0.5) -> bytes:
    """Cut a gzip member (its deflate stream and trailer) at ``fraction`` of its length.

    The cut is moved earlier, if needed, so the kept bytes contain no gzip magic after the
    member's own header: a reader resynchronising on `corpus.warc.GZIP_MAGIC` then finds the
    next real member, not a false start inside the broken one.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1), got {fraction}")
    cut = max(11, int(len(member) * fraction))
    while True:
        false_start = member.find(GZIP_MAGIC, 1, cut)
        if false_start < 0:
            return member[:cut]
        cut = false_start
        if cut <= 10:
            raise ValueError("cannot truncate this member without a false gzip header")


def block_headers(kind: str, block: bytes) -> list[tuple[str, str]]:
    """Digest and content-type headers shared by request and response records."""
    msgtype = "request" if kind == "request" else "response"
    return [
        ("Content-Type", f"application/http; msgtype={msgtype}"),
        ("WARC-Block-Digest", sha1_base32(block)),
    ]
