"""Reading WARC files into `RawRecord`s, surviving corrupt records.

FastWARC parses the records (several times faster than warcio, per FineWeb's measurement in
docs/benchmarks.md). CommonCrawl writes one gzip member per record, so a corrupt or truncated member only
spoils that record: when FastWARC raises, we look for the next gzip member (or, in an
uncompressed file, the next ``WARC/1.`` header) that parses, report the bytes in between as one
``corrupt_record`` at the offset where they start, and carry on from there. Every response record
comes out as a `RawRecord`; unreadable stretches come out as `RawRecord`s with ``error`` set, so
the caller counts them instead of losing them.

Memory follows the caps, never the record: at most the HTTP head cap plus the body cap plus one
byte of a record is read into memory, whatever its Content-Length says or its gzip member inflates
to (`_to_raw`). The HTTP head is parsed by `corpus.http`, which accepts what crawls really hold
(bare-LF line ends, folded headers); FastWARC's own HTTP parser misses a head that ends in bare LF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import BinaryIO

from fastwarc.warc import ArchiveIterator, WarcRecordType

from corpus.http import HttpHeadError, parse_head
from formats.documents import RawRecord

log = logging.getLogger(__name__)

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
_SCAN_CHUNK = 1 << 20
_ALL_TYPES = WarcRecordType.any_type
MAX_BODY_BYTES = 5_000_000
"""The default of ``limits.max_body_bytes`` (`corpus.config.LimitsConfig` reads it from here)."""
MAX_HEAD_BYTES = 65_536
"""The default of ``limits.max_http_head_bytes``: nginx's largest default head is 32 KiB."""


def document_id(raw: str) -> str:
    """``<urn:uuid:abc>`` -> ``abc``; ids stay stable across runs and runners."""
    rid = raw.strip().strip("<>")
    return rid.removeprefix("urn:uuid:")


def _to_raw(record, source: str, max_body_bytes: int, max_head_bytes: int) -> RawRecord:
    """One record, reading at most the head cap plus the body cap plus one byte of it.

    The rest of the block is skipped unread (FastWARC's ``consume``, in buffer-sized steps), so a
    record that declares, or inflates to, gigabytes costs the caps; counting what was skipped
    still tells a complete block from a member that ended early.
    """
    headers = record.headers
    declared = record.content_length
    block = record.reader.read(min(declared, max_head_bytes + max_body_bytes + 1))
    read = len(block) + record.reader.consume()
    raw = RawRecord(
        source=source,
        offset=int(record.stream_pos),
        record_id=document_id(headers.get("WARC-Record-ID", "")) or f"{source}@{record.stream_pos}",
        url=(headers.get("WARC-Target-URI", "") or "").strip().strip("<>"),
        date=headers.get("WARC-Date", "") or "",
        truncated=(headers.get("WARC-Truncated", "") or "").strip().lower(),
    )
    if headers.get("Content-Length") is None:
        raw.error = "record header has no Content-Length (truncated or malformed header)"
        return raw
    if read < declared:
        # the member ended early: FastWARC hands back what it had without complaint
        raw.error = f"truncated record: {read} of {declared} payload bytes"
        return raw
    try:
        head = parse_head(block, max_head_bytes)
    except HttpHeadError as err:
        raw.error = f"response record without a readable HTTP head: {err}"
        return raw
    raw.http_status = head.status
    raw.content_type = head.content_type
    raw.transfer_encoding = head.codings("Transfer-Encoding")
    raw.content_encoding = head.codings("Content-Encoding")
    raw.payload_bytes = declared - head.length
    raw.body = block[head.length : head.length + max_body_bytes + 1]
    return raw


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
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    max_head_bytes: int = MAX_HEAD_BYTES,
) -> Iterator[RawRecord]:
    """Yield every record of the wanted types, and one error record per unreadable stretch.

    ``open_stream`` returns a fresh seekable binary stream (a local file or a Beam/GCS file);
    it is reopened after an error because a broken decompressor cannot be resumed. A record's
    HTTP body is read up to ``max_body_bytes`` + 1 bytes (the cleaner drops a longer one as
    ``too_large``), its head up to ``max_head_bytes``; the caps are the cleaning config's
    ``limits``, and the defaults are its defaults.
    """
    start = 0
    while True:
        last_good: int | None = None  # offset of the last record read completely
        current: int | None = None  # offset of the record being read when an error hit
        with open_stream() as stream:
            stream.seek(start)
            try:
                for record in ArchiveIterator(stream, record_types=_ALL_TYPES, parse_http=False):
                    current = int(record.stream_pos)  # absolute, even after a seek
                    wanted = record.record_type & record_types
                    raw = _to_raw(record, source, max_body_bytes, max_head_bytes) if wanted else None
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
            return record.reader.consume() >= record.content_length
    except Exception:
        return False
    return False
