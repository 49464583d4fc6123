"""The records that flow through the cleaning pipeline.

Every input record becomes exactly one `Document`: kept (``drop_reason is None``) or dropped with
the first reason that applied. Dropped documents keep their scores and metadata (but not
necessarily their text) so the statistics can count and explain every drop.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Reasons a record is dropped before any filter sees it. Filter reasons are "<filter>.<rule>".
CORRUPT_RECORD = "corrupt_record"  # the WARC record (or its gzip member) could not be parsed
UNREADABLE_FILE = "unreadable_file"  # the input file could not be opened at all
NOT_HTML = "not_html"  # the response's content type is not HTML/XHTML
HTTP_STATUS = "http_status"  # the response is not a 200 (redirects, errors)
TOO_LARGE = "too_large"  # the HTTP body is above the configured byte cap
BINARY_CONTENT = "binary_content"  # the body looks like binary data whatever its declared type
UNDECODABLE = "undecodable"  # the body cannot be decoded to text with any plausible charset
EMPTY_PAGE = "empty_page"  # the HTTP body is empty
EXTRACTION_TIMEOUT = "extraction_timeout"  # extraction took longer than the per-page limit
EXTRACTION_ERROR = "extraction_error"  # the extractor raised on this page
EXTRACTION_EMPTY = "extraction_empty"  # the extractor found no main text
DUPLICATE_EXACT = "duplicate_exact"  # same normalised text as a document kept elsewhere
DUPLICATE_NEAR = "duplicate_near"  # MinHash near-duplicate of a document kept elsewhere


@dataclass(slots=True)
class RawRecord:
    """One WARC response record as read from disk, before decoding or extraction.

    ``source`` and ``offset`` locate the record (file, byte offset of its gzip member or record
    start) so every error message and dead letter can point at it.
    """

    source: str
    offset: int
    record_id: str
    url: str
    date: str = ""
    http_status: int = 0
    content_type: str = ""
    body: bytes = b""
    # Set when the record could not be read; the reader still yields the record so it is counted.
    error: str | None = None


@dataclass(slots=True)
class Document:
    """A page on its way through the pipeline; ``scores`` are the taggers' measurements."""

    id: str
    url: str
    domain: str
    text: str = ""
    source: str = ""
    offset: int = 0
    date: str = ""
    lang: str = ""
    charset: str = ""
    html_bytes: int = 0
    scores: dict[str, float] = field(default_factory=dict)
    drop_reason: str | None = None
    # Human-readable detail for a drop (exception text, the offending value); never used to decide.
    drop_detail: str = ""

    @property
    def kept(self) -> bool:
        return self.drop_reason is None

    def drop(self, reason: str, detail: str = "") -> Document:
        """Record the first reason only: later reasons never overwrite it."""
        if self.drop_reason is None:
            self.drop_reason = reason
            self.drop_detail = detail
        return self
