"""The one WARC writer of the development tools (sample crawl, test files, benchmark inputs): warcio.

Records are written the way CommonCrawl writes them, one gzip member per record, so a reader can
seek to any record's offset and one that loses its place (a truncated member) can resynchronise
on the next member. warcio would stamp each record with the wall clock and a random id; here the
caller gives both, so the same inputs give the same bytes (warcio's gzip members carry no
timestamp or file name).
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpus.warc import GZIP_MAGIC

Headers = Sequence[tuple[str, str]]


def uuid7(when: datetime, rng: random.Random) -> str:
    """A version-7 UUID (RFC 9562): milliseconds of ``when`` first, then bits from ``rng``.

    Lexicographic order is time order, so a page crawled before its copies has the smaller id.
    """
    ms = int(when.timestamp() * 1000)
    value = (ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62) | rng.getrandbits(62)
    return str(uuid.UUID(int=value))


def warc_date(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record(
    record_type: str,
    url: str,
    *,
    record_id: str,
    date: datetime,
    body: bytes = b"",
    http: StatusAndHeaders | None = None,
    warc_headers: Headers = (),
    gzip: bool = True,
) -> bytes:
    """One WARC record (a gzip member unless ``gzip`` is false); warcio adds the digests."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    headers = {
        "WARC-Type": record_type,
        "WARC-Record-ID": f"<urn:uuid:{record_id}>",
        "WARC-Date": warc_date(date),
    }
    rec = writer.create_warc_record(
        url,
        record_type,
        payload=io.BytesIO(body),
        length=len(body),
        warc_headers_dict={**headers, **dict(warc_headers)},
        http_headers=http,
    )
    writer.write_record(rec)
    return out.getvalue()


def response(
    url: str,
    status: str,
    headers: Headers,
    body: bytes,
    *,
    record_id: str,
    date: datetime,
    warc_headers: Headers = (),
    gzip: bool = True,
) -> bytes:
    """A response record: ``status`` like "200 OK", ``headers`` the HTTP headers as sent."""
    http = StatusAndHeaders(status, list(headers), protocol="HTTP/1.1")
    return record(
        "response",
        url,
        record_id=record_id,
        date=date,
        body=body,
        http=http,
        warc_headers=warc_headers,
        gzip=gzip,
    )


def request(
    url: str, headers: Headers, *, record_id: str, date: datetime, warc_headers: Headers = ()
) -> bytes:
    """A GET request record for ``url`` (the Host header is added)."""
    host, _, path = url.split("://", 1)[1].partition("/")
    http = StatusAndHeaders(f"/{path} HTTP/1.1", [("Host", host), *headers], protocol="GET")
    return record("request", url, record_id=record_id, date=date, http=http, warc_headers=warc_headers)


def warcinfo(filename: str, fields: dict[str, str], *, record_id: str, date: datetime) -> bytes:
    """The warcinfo record that opens a file."""
    body = "".join(f"{k}: {v}\r\n" for k, v in fields.items()).encode()
    return record(
        "warcinfo", "", record_id=record_id, date=date, body=body, warc_headers=[("WARC-Filename", filename)]
    )


def truncate_member(member: bytes, fraction: float = 0.5) -> bytes:
    """Cut a gzip member (its deflate stream and trailer) at ``fraction`` of its length.

    The cut is moved earlier, if needed, so the kept bytes contain no gzip magic after the
    member's own header: a reader resynchronising on `corpus.warc.GZIP_MAGIC` then finds the
    next real member, not a false start inside the broken one.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be in (0, 1), got {fraction}")
    cut = max(11, int(len(member) * fraction))
    while (false_start := member.find(GZIP_MAGIC, 1, cut)) >= 0:
        if false_start <= 10:
            raise ValueError("cannot truncate this member without a false gzip header")
        cut = false_start
    return member[:cut]


def write_members(path: str | Path, members: Iterable[bytes]) -> list[int]:
    """Write records back to back into one file; returns each one's byte offset."""
    offsets, pos = [], 0
    with open(path, "wb") as f:
        for member in members:
            offsets.append(pos)
            f.write(member)
            pos += len(member)
    return offsets
