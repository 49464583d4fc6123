"""Reading WARC files into `RawRecord`s, surviving corrupt records.

FastWARC parses the records (several times faster than warcio, per FineWeb's measurement in
docs/benchmarks.md). CommonCrawl writes one gzip member per record, so a corrupt or truncated member only
spoils that record: when FastWARC raises, we look for the next gzip member (or, in an
uncompressed file, the next ``WARC/1.`` header) that parses, report the bytes in between as one
``corrupt_record`` at the offset where they start, and carry on from there. Every response record
comes out as a `RawRecord`; unreadable stretches come out as `RawRecord`s with ``error`` set, so
the caller counts them instead of losing them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from formats.documents import RawRecord

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 20
_ALL_TYPES = WarcRecordType.any_type


def document_id(raw: str) -> str:
    """``<urn:uuid:abc>`` -> ``abc``; ids stay stable across runs and runners."""
    rid = raw.strip().strip("<>")
    return rid.removeprefix("urn:uuid:")


def _to_raw(record, source: str) -> RawRecord:
    headers = record.headers
    http = record.http_headers
    status = http.status_code if http is not None else 0
    content_type = (http.get("Content-Type", "") if http is not None else "") or ""
    body = record.reader.read()
    error = None
    if headers.get("Content-Length") is None:
        error = "record header has no Content-Length (truncated or malformed header)"
    elif record.record_type == WarcRecordType.response and not record.is_http_parsed:
        error = "response record without a parsable HTTP header"
    elif len(body) < record.content_length:
        # the member ended early: FastWARC hands back what it had without complaint
        error = f"truncated record: {len(body)} of {record.content_length} payload bytes"
    return RawRecord(
        source=source,
        offset=int(record.stream_pos),
        record_id=document_id(headers.get("WARC-Record-ID", "")) or f"{source}@{record.stream_pos}",
        url=(headers.get("WARC-Target-URI", "") or "").strip().strip("<>"),
        date=headers.get("WARC-Date", "") or "",
        http_status=int(status or 0),
        content_type=content_type,
        body=body,
        error=error,
    )


def _candidates(stream: BinaryIO, start: int) -> Iterator[int]:
    """Offsets >= start where a gzip member or a plain WARC record may begin, in order."""
    pos = start
    keep = max(len(GZIP_MAGIC), len(WARC_MAGIC)) - 1
    tail = b""
    while True:
        stream.seek(pos)
        chunk = stream.read(_SCAN_CHUNK)
        if not chunk:
            return
        data = tail + chunk
        base = pos - len(tail)
        hits = set()
        for magic in (GZIP_MAGIC, WARC_MAGIC):
            i = data.find(magic)
            while i != -1:
                if base + i >= start:
                    hits.add(base + i)
                i = data.find(magic, i + 1)
        for hit in sorted(hits):
            yield hit
            start = hit + 1  # a match in the carried tail is not yielded twice
        tail = data[-keep:]
        pos += len(chunk)


def _first_readable(stream: BinaryIO, start: int) -> int | None:
    """The first offset >= start from which a WARC record can be read, or None."""
    for offset in _candidates(stream, start):
        if _parses_at(stream, offset):
            return offset
    return None


def iter_records(
    open_stream: Callable[[], BinaryIO],
    source: str,
    record_types: WarcRecordType = WarcRecordType.response,
) -> Iterator[RawRecord]:
    """Yield every record of the wanted types, and one error record per unreadable stretch.

    ``open_stream`` returns a fresh seekable binary stream (a local file or a Beam/GCS file);
    it is reopened after an error because a broken decompressor cannot be resumed.
    """
    start = 0
    while True:
        last_good: int | None = None  # offset of the last record read completely
        current: int | None = None  # offset of the record being read when an error hit
        with open_stream() as stream:
            stream.seek(start)
            try:
                for record in ArchiveIterator(stream, record_types=_ALL_TYPES, parse_http=True):
                    current = int(record.stream_pos)  # absolute, even after a seek
                    raw = _to_raw(record, source) if record.record_type & record_types else None
                    last_good, current = current, None
                    if raw is not None:
                        raw.offset = last_good
                        yield raw
                return
            except Exception as err:
                failure = err
        with open_stream() as stream:
            bad_at = current if current is not None else _first_bad(stream, last_good, start)
            resume = _first_readable(stream, bad_at + 1)
        detail = f"{type(failure).__name__}: {failure}"
        log.warning("%s: unreadable WARC data at byte %d (%s)", source, bad_at, detail)
        yield RawRecord(source=source, offset=bad_at, record_id=f"{source}@{bad_at}", url="", error=detail)
        if resume is None:
            return
        start = resume


def _first_bad(stream: BinaryIO, last_good: int | None, start: int) -> int:
    """Where the broken stretch begins, when it broke between records.

    The last good record was read completely, so the failure is in a later member: the first
    record start after it that does not parse on its own. Without any good record the break
    is where reading started.
    """
    if last_good is None:
        return start
    for offset in _candidates(stream, last_good + 1):
        if not _parses_at(stream, offset):
            return offset
    return last_good + 1


def _parses_at(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    try:
        for record in ArchiveIterator(stream, record_types=_ALL_TYPES, parse_http=False):
            return len(record.reader.read()) >= record.content_length
    except Exception:
        return False
    return False
