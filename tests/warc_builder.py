"""Small WARC files for tests, written by `devkit.warc` (warcio, independent of our reader)."""

from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from devkit.warc import response


@dataclass
class Page:
    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    record_id: str | None = None


def record_bytes(page: Page, gzip_member: bool = True) -> bytes:
    """One response record; without a ``record_id`` the page gets one derived from its URL."""
    record_id = page.record_id or str(uuid.uuid5(uuid.NAMESPACE_URL, page.url))
    return response(
        page.url,
        page.status,
        [("Content-Type", page.content_type)],
        page.body,
        record_id=record_id,
        date=datetime(2024, 1, 1, tzinfo=UTC),
        gzip=gzip_member,
    )


def html_page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>Copyright 2024. Privacy policy. Terms of use.</footer></body></html>"
    ).encode()


def gunzip(member: bytes) -> bytes:
    return gzip.decompress(member)
