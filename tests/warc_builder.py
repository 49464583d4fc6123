"""Writing small WARC files for tests with warcio (a real WARC writer, independent of our reader)."""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    record_id: str | None = None


def record_bytes(page: Page, gzip_member: bool = True) -> bytes:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip_member)
    headers = StatusAndHeaders(page.status, [("Content-Type", page.content_type)], protocol="HTTP/1.1")
    warc_headers = {"WARC-Record-ID": f"<urn:uuid:{page.record_id}>"} if page.record_id else None
    record = writer.create_warc_record(
        page.url,
        "response",
        payload=io.BytesIO(page.body),
        http_headers=headers,
        warc_headers_dict=warc_headers,
    )
    writer.write_record(record)
    return buf.getvalue()


def html_page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright 2024. Privacy policy. Terms of use.</footer></body></html>"
    ).encode()


def write_warc(path, members: list[bytes]) -> list[int]:
    """Write members back to back; returns each member's offset."""
    offsets, pos = [], 0
    with open(path, "wb") as f:
        for m in members:
            offsets.append(pos)
            f.write(m)
            pos += len(m)
    return offsets


def truncate_member(member: bytes) -> bytes:
    """Cut a gzip member in half: its decompression fails, the next member is intact."""
    assert member[:2] == b"\x1f\x8b"
    return member[: len(member) // 2]


def gunzip(member: bytes) -> bytes:
    return gzip.decompress(member)
