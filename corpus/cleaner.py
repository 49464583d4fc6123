"""One record in, one document out: decode, extract, score, decide.

`Cleaner` is the whole per-document path of the cleaning pipeline, free of Beam so it runs the
same in a test, a notebook or a Beam worker (`pipelines.clean` wraps it in a DoFn). Every record
produces exactly one `Document`: kept, or dropped with the first reason that applied.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from corpus.config import CleanConfig
from corpus.decode import check_body, decode_text
from corpus.domains import DomainResolver
from corpus.extract import ExtractionTimeout, make_extractor
from corpus.filters.base import Filter
from corpus.http import decode_payload
from corpus.policy import applies, build_filters, decide
from corpus.text import TextView
from formats import documents
from formats.documents import Document, RawRecord

log = logging.getLogger(__name__)


class Cleaner:
    """Holds the loaded extractor and filters; create once per worker, call `setup` once."""

    def __init__(self, config: CleanConfig) -> None:
        self.config = config
        self.filters = build_filters(config)
        self.domains = DomainResolver(config.domains)
        self._extractor = None

    def setup(self) -> None:
        self._extractor = make_extractor(self.config.extraction)
        for flt in self.filters:
            flt.setup()

    def close(self) -> None:
        if self._extractor is not None:
            self._extractor.close()
            self._extractor = None

    def __enter__(self) -> Cleaner:
        self.setup()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def clean(self, raw: RawRecord) -> Document:
        start = time.monotonic()
        limits = self.config.limits
        doc = Document(
            id=raw.record_id,
            url=raw.url,
            domain=self.domains(raw.url),
            source=raw.source,
            offset=raw.offset,
            date=raw.date,
            html_bytes=raw.payload_bytes or len(raw.body),
        )
        if raw.error is not None:
            return doc.drop(documents.CORRUPT_RECORD, raw.error)
        if raw.http_status and raw.http_status != 200:
            return doc.drop(documents.HTTP_STATUS, f"HTTP {raw.http_status}")
        if raw.truncated and limits.truncated == "drop":
            return doc.drop(documents.TRUNCATED_PAYLOAD, f"WARC-Truncated: {raw.truncated}")
        if len(raw.body) > limits.max_body_bytes:
            return doc.drop(
                documents.TOO_LARGE, f"body of {raw.payload_bytes} bytes, over {limits.max_body_bytes}"
            )
        payload = decode_payload(raw.body, raw.transfer_encoding, raw.content_encoding, limits.max_body_bytes)
        doc.content_coding = " ".join(payload.codings)
        if payload.over_cap:
            return doc.drop(
                documents.TOO_LARGE,
                f"body decodes ({doc.content_coding}) to over {limits.max_body_bytes} bytes",
            )
        if payload.error:
            return doc.drop(documents.UNDECODABLE, payload.error)
        if payload.problem and limits.truncated == "drop":
            return doc.drop(documents.TRUNCATED_PAYLOAD, payload.problem)
        body = payload.body
        if payload.codings:
            doc.html_bytes = len(body)
        reason = check_body(raw.content_type, raw.http_status, body, limits.max_body_bytes)
        if reason is not None:
            return doc.drop(reason, raw.content_type)
        decoded = decode_text(raw.content_type, body)
        if decoded is None:
            return doc.drop(documents.UNDECODABLE, raw.content_type)
        doc.charset, doc.charset_source, doc.charset_declared = (
            decoded.charset,
            decoded.source,
            decoded.declared,
        )
        if not self._extract(doc, decoded.text):
            return doc
        deadline = None if limits.document_timeout_s is None else start + limits.document_timeout_s
        score_and_decide(doc, self.filters, score_all=self.config.policy.score_all, deadline=deadline)
        return doc

    def _extract(self, doc: Document, html: str) -> bool:
        if self._extractor is None:
            raise RuntimeError(
                "Cleaner.setup() must be called before clean() (or use it as a context manager)"
            )
        try:
            text = self._extractor.extract(html, doc.url)
        except ExtractionTimeout as err:
            doc.drop(documents.EXTRACTION_TIMEOUT, str(err))
            return False
        except Exception as err:
            doc.drop(documents.EXTRACTION_ERROR, f"{type(err).__name__}: {err}")
            return False
        text = text[: self.config.limits.max_text_chars]  # normalised by the extractor
        if not text:
            doc.drop(documents.EXTRACTION_EMPTY)
            return False
        doc.text = text
        return True


def score_and_decide(
    doc: Document, filters: Sequence[Filter], *, score_all: bool = False, deadline: float | None = None
) -> None:
    """Score ``doc`` with each filter that applies to its domain, in order, and drop it at the
    first failing rule (``doc.drop_reason`` is then ``<filter>.<rule>``, ``doc.drop_detail`` what
    the filter says about why, `Filter.drop_detail`; the reason stays None when every filter keeps
    the document).

    The cleaner's chain and anything that must judge a text exactly as the pipeline does (the
    sample's tests, a notebook) go through this one loop; the verdict itself is
    `corpus.policy.decide`'s, the same that re-decides stored scores. A filter that rewrites the
    text (C4's line removal) does so before it scores, and the filters after it get a fresh
    `TextView`. Without ``score_all`` the loop stops at the first drop; with it every filter
    still records its scores for the policy to re-decide. A filter that raises drops the
    document as ``<filter>.error`` (unless an earlier rule already dropped it) and ends the loop.

    ``deadline`` (a `time.monotonic` value, the cleaner's per-document budget) is checked before
    each filter: past it, the document is dropped as ``document_timeout`` naming the filters
    still to run, and the loop ends. A filter call itself is not interrupted (tests/hostile times
    every filter on adversarial text to keep each one far inside the budget).
    """
    view = TextView(doc.text)
    for i, flt in enumerate(filters):
        if not applies(flt, doc.domain):
            continue
        if deadline is not None and (late := time.monotonic() - deadline) > 0:
            left = ", ".join(f.name for f in filters[i:] if applies(f, doc.domain))
            doc.drop(documents.DOCUMENT_TIMEOUT, f"budget exceeded by {late:.2f} s before {left}")
            return
        try:
            view = _run_filter(flt, doc, view)
        except Exception as err:
            log.exception("filter %s failed on %s (%s@%d)", flt.name, doc.id, doc.source, doc.offset)
            doc.drop(f"{flt.name}.error", f"{type(err).__name__}: {err}")
            return
        if doc.drop_reason is None and (reason := decide((flt,), doc.scores, doc.domain)) is not None:
            doc.drop(reason, flt.drop_detail(reason.removeprefix(flt.name + "."), doc))
        if doc.drop_reason is not None and not score_all:
            return


def _run_filter(flt: Filter, doc: Document, view: TextView) -> TextView:
    """One filter's rewrite (if it has one) and scores, stored on ``doc`` under its prefix;
    returns the view of the text the next filter reads."""
    rewritten = flt.rewrite(view.text)
    scores: dict[str, float] = {}
    if rewritten is not None:
        doc.text, measured = rewritten
        scores.update(measured)
        view = TextView(doc.text)
    scores.update(flt.score(doc, view))
    prefix = flt.name + "."
    doc.scores.update({prefix + k: float(v) for k, v in scores.items()})
    return view
