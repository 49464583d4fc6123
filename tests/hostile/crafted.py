"""Hand-assembled WARC records with the quirks real crawls hold, and records that inflate to gigabytes.

These are written byte by byte, not through warcio (`devkit.warc`), because warcio writes only
well-formed records: bare-LF heads, folded headers, a lying Content-Length, chunked or
compressed bodies have to be spelt out. Nothing here uses the reader under test.
"""

from __future__ import annotations

import gzip
import struct
import zlib
from collections.abc import Sequence

import brotli

MIB = 1 << 20
_ZEROS = b"\0" * MIB


def http_block(
    status: str, headers: Sequence[tuple[str, str] | str], body: bytes, eol: bytes = b"\r\n"
) -> bytes:
    """An HTTP response as recorded: status line, header lines (a str is written as it is, for
    folded or broken lines), a blank line, the body; every line ended by ``eol``."""
    lines = [f"HTTP/1.1 {status}".encode()]
    for h in headers:
        lines.append((h if isinstance(h, str) else f"{h[0]}: {h[1]}").encode("latin-1"))
    return eol.join(lines) + eol + eol + body


def warc_head(
    url: str,
    record_id: str,
    length: int,
    *,
    record_type: str = "response",
    extra: Sequence[tuple[str, str]] = (),
) -> bytes:
    fields = [
        ("WARC-Type", record_type),
        ("WARC-Record-ID", f"<urn:uuid:{record_id}>"),
        ("WARC-Target-URI", url),
        ("WARC-Date", "2024-01-01T00:00:00Z"),
        ("Content-Type", "application/http; msgtype=response"),
        *extra,
        ("Content-Length", str(length)),
    ]
    return b"WARC/1.0\r\n" + b"".join(f"{k}: {v}\r\n".encode() for k, v in fields) + b"\r\n"


def warc_record(url: str, record_id: str, block: bytes, *, extra: Sequence[tuple[str, str]] = ()) -> bytes:
    """One uncompressed WARC record holding ``block`` (its Content-Length is ``len(block)``)."""
    return warc_head(url, record_id, len(block), extra=extra) + block + b"\r\n\r\n"


def member(record: bytes) -> bytes:
    """A record as CommonCrawl stores it: one gzip member."""
    return gzip.compress(record, mtime=0)


def record_id(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


# --- gigabytes from megabytes --------------------------------------------------------------------


def _gf2_times(matrix: list[int], vector: int) -> int:
    out, i = 0, 0
    while vector:
        if vector & 1:
            out ^= matrix[i]
        vector >>= 1
        i += 1
    return out


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_zero_extend(crc: int, n: int) -> int:
    """``zlib.crc32(b"\\0" * n, crc)`` in O(log n) (zlib's crc32_combine), so a test can close a
    gigabyte gzip member without hashing a gigabyte."""
    crc ^= 0xFFFFFFFF  # the register zlib runs on; the shift by zero bytes is linear in it
    odd = [0xEDB88320] + [1 << i for i in range(31)]  # one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while n:
        even = _gf2_square(odd)  # first pass: one zero byte
        if n & 1:
            crc = _gf2_times(even, crc)
        n >>= 1
        if not n:
            break
        odd = _gf2_square(even)
        if n & 1:
            crc = _gf2_times(odd, crc)
        n >>= 1
    return crc ^ 0xFFFFFFFF


def _deflate_zeros(prefix: bytes, mib: int, suffix: bytes) -> bytes:
    """Raw deflate of ``prefix + mib MiB of NUL + suffix``. After a full flush a deflate stream
    starts afresh, so one compressed MiB repeated is the compressed gigabyte (about 1,000:1)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(_ZEROS) + c.flush(zlib.Z_FULL_FLUSH)
    assert block == again, "zlib's full flush no longer repeats: build the stream another way"
    return first + block * mib + c.compress(suffix) + c.flush()


def gzip_of_zeros(prefix: bytes, mib: int, suffix: bytes = b"") -> bytes:
    """A valid gzip member that inflates to ``prefix``, ``mib`` MiB of NUL bytes and ``suffix``."""
    crc = crc32_zero_extend(zlib.crc32(prefix), mib * MIB)
    crc = zlib.crc32(suffix, crc)
    size = (len(prefix) + mib * MIB + len(suffix)) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + _deflate_zeros(prefix, mib, suffix) + struct.pack("<II", crc, size)


def zlib_of_zeros(mib: int) -> bytes:
    """``Content-Encoding: deflate`` as RFC 9110 means it (zlib-wrapped) over ``mib`` MiB of NUL."""
    adler = ((mib * MIB) % 65521) << 16 | 1  # Adler-32 of n NUL bytes: a stays 1, b = n mod 65521
    return b"\x78\xda" + _deflate_zeros(b"", mib, b"") + struct.pack(">I", adler)


def brotli_of_zeros(mib: int) -> bytes:
    c = brotli.Compressor(quality=1)
    return b"".join(c.process(_ZEROS) for _ in range(mib)) + c.finish()


def inflating_record(url: str, rid: str, mib: int) -> bytes:
    """A response record, one gzip member of a few MB, whose HTML body inflates to ``mib`` MiB
    (its Content-Length says so honestly)."""
    head = http_block("200 OK", [("Content-Type", "text/html")], b"<html><body><p>")
    block_len = len(head) + mib * MIB
    return gzip_of_zeros(warc_head(url, rid, block_len) + head, mib, b"\r\n\r\n")
