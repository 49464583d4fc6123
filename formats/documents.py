"""The records that flow through Stage 1, and the Arrow tables they are stored in.

Every input record becomes exactly one `Document`: kept (``drop_reason is None``) or dropped with
the first reason that applied. Dropped documents keep their scores and metadata (but not
necessarily their text), so the statistics can count and explain every drop.

The Arrow schema is derived from `Document`'s fields, so a field added here reaches the
intermediate files, the attributes and the shards without a second list to keep in step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

import pyarrow as pa

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
DUPLICATE_PARAGRAPHS = "duplicate_paragraphs"  # what paragraph dedup left fails the chain (too short)
TRUNCATED_PAYLOAD = "truncated_payload"  # WARC-Truncated (or a body that ends early), limits.truncated: drop
DOCUMENT_TIMEOUT = "document_timeout"  # extraction and filters together ran past limits.document_timeout_s

ERROR_REASONS = frozenset(
    {UNREADABLE_FILE, CORRUPT_RECORD, EXTRACTION_ERROR, EXTRACTION_TIMEOUT, DOCUMENT_TIMEOUT}
)
"""Drops that mean "something went wrong with this record", not "this page is not wanted"."""
FILTER_ERROR_SUFFIX = ".error"
"""``<filter>.error``: the filter raised on this document."""


def is_error_reason(reason: str | None) -> bool:
    """Whether a drop reason is a failure (these documents also go to the dead letters)."""
    return reason is not None and (reason in ERROR_REASONS or reason.endswith(FILTER_ERROR_SUFFIX))


@dataclass(slots=True, kw_only=True)
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
    # The HTTP body as recorded: ``body`` holds at most the byte cap plus one of its ``payload_bytes``
    # (one more than the cap says "over it" without reading the rest); still transfer- and
    # content-encoded as the two headers say; ``truncated`` is the WARC-Truncated value, if any.
    payload_bytes: int = 0
    transfer_encoding: str = ""
    content_encoding: str = ""
    truncated: str = ""
    # Set when the record could not be read; the reader still yields the record so it is counted.
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class Document:
    """A page on its way through the pipeline; ``scores`` are the filters' measurements.

    Field order is column order in every document table.
    """

    id: str
    url: str
    domain: str
    lang: str = ""
    text: str = ""
    source: str = ""
    offset: int = 0
    date: str = ""
    charset: str = ""
    # The charset chain: where ``charset`` came from (bom, http, meta, utf-8, detected, lenient) and
    # what the page declared ("http=iso8859-1 meta=utf-8"); the HTTP codings undone ("chunked gzip").
    charset_source: str = ""
    charset_declared: str = ""
    content_coding: str = ""
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


# --- Arrow tables -------------------------------------------------------------------------------

_ARROW_TYPES = {
    "str": pa.string(),
    "str | None": pa.string(),
    "int": pa.int64(),
    "dict[str, float]": pa.map_(pa.string(), pa.float64()),
}
_FIELDS = fields(Document)
_DEFAULTS = {
    f.name: (f.default if f.default is not MISSING else f.default_factory)
    for f in _FIELDS
    if f.default is not MISSING or f.default_factory is not MISSING
}


def _schema() -> pa.Schema:
    """Every `Document` field in declaration order, plus ``n_chars`` (the text's length in
    characters, stored so that statistics and readers can size a shard without reading its text)
    after ``html_bytes``."""
    columns = []
    for f in _FIELDS:
        columns.append(pa.field(f.name, _ARROW_TYPES[f.type]))
        if f.name == "html_bytes":
            columns.append(pa.field("n_chars", pa.int64()))
    return pa.schema(columns)


DOCUMENT_SCHEMA = _schema()
"""Intermediate (``_work``) files hold every column and round-trip a `Document` exactly."""
SHARD_COLUMNS = ["id", "url", "domain", "lang", "text", "source", "offset", "date", "n_chars", "scores"]
"""Columns of the Parquet shards of kept documents (``parquet/<domain>/``)."""
ATTRIBUTE_COLUMNS = [c for c in DOCUMENT_SCHEMA.names if c != "text"]
"""Columns of ``attributes/``: every document, kept or dropped, without its text."""
DROPPED_COLUMNS = [*SHARD_COLUMNS, "drop_reason", "drop_detail"]
"""Columns of ``dropped/`` (with ``policy.keep_dropped_text``): dropped documents that had text."""
MDS_COLUMNS = {"id": "str", "url": "str", "domain": "str", "lang": "str", "text": "str"}
"""Columns of the MDS shards of kept documents (``mds/<domain>/``)."""
TEXT_COLUMN = "text"
ID_COLUMN = "id"


def _column(docs: Sequence[Document], name: str) -> list[Any]:
    if name == "n_chars":
        return [len(d.text) for d in docs]
    if name == "scores":
        return [sorted(d.scores.items()) for d in docs]
    return [getattr(d, name) for d in docs]


def documents_to_table(docs: Sequence[Document], columns: Sequence[str] | None = None) -> pa.Table:
    """Columns of `DOCUMENT_SCHEMA` (or a subset, in the order given), rows in the given order."""
    schema = DOCUMENT_SCHEMA if columns is None else pa.schema([DOCUMENT_SCHEMA.field(c) for c in columns])
    return pa.table({name: _column(docs, name) for name in schema.names}, schema=schema)


def mds_row(doc: Document) -> dict[str, str]:
    """One document as an MDS sample of `MDS_COLUMNS`."""
    return {name: getattr(doc, name) for name in MDS_COLUMNS}


def table_to_documents(table: pa.Table) -> list[Document]:
    """Documents from a table of any subset of the columns; absent or null values take the
    field's default (an ``attributes/`` row comes back without its text)."""
    names = [f.name for f in _FIELDS if f.name in table.column_names]
    docs = []
    for row in table.select(names).to_pylist():
        values = {}
        for name, value in row.items():
            if value is None:
                continue
            values[name] = dict(value) if name == "scores" else value
        for name, default in _DEFAULTS.items():
            if name not in values:
                values[name] = default() if callable(default) else default
        docs.append(Document(**values))
    return docs
