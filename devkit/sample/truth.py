"""The ground truth of a sample crawl: what each response record is and what the pipeline must do.

``ground_truth.jsonl`` has one JSON object per response record, in file and offset order::

    {"file": "crawl-00000.warc.gz", "offset": 1234, "record_id": "0190f1c2-...",
     "url": "...", "domain": "web", "kind": "good", "expect": "keep",
     "duplicate_of": null, "lang": "en", "text": "...", "reason": null, ...}

``kind`` says what the generator made; ``expect`` what a cleaning run with ``configs/clean.yaml``
does with it (`EXPECT`); ``reason`` names the drop reason where one reason is certain (the
the pre-filter drop reasons (formats.documents), ``duplicate_exact``/``duplicate_near``, ``language.language``) and is null where any of several
rules may fire first (spam, boilerplate, toxic) or none need (bad words: ``keep_or_toxic``). Duplicates name the record they copy in ``duplicate_of``; the original's record id sorts
before its copies' (record ids are time-ordered UUIDs) and it comes first in crawl order.

``record_id`` is the UUID of the response's ``WARC-Record-ID`` without ``<urn:uuid:`` and ``>``,
which is the document id `corpus.warc` reads from it, so a run's ``attributes/`` join on it.
``offset`` is the byte offset of the record's gzip member in ``file``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from formats import documents

KINDS = (
    "good",
    "exact_dup",
    "near_dup",
    "spam",
    "boilerplate",
    "other_lang",
    "bad_words",
    "toxic",
    "truncated",
    "undecodable",
    "latin1",
    "non_html",
    "http_error",
    "redirect",
    "empty",
    "giant",
)

BROKEN_KINDS = ("truncated", "undecodable", "latin1", "non_html", "http_error", "redirect", "empty", "giant")
"""The "broken records" share of the sample (latin1 is in it although it is valid and kept)."""

EXPECTS = ("keep", "duplicate", "quality", "language", "keep_or_toxic", "toxic", "broken")

EXPECT = {
    "good": "keep",
    "latin1": "keep",
    "exact_dup": "duplicate",
    "near_dup": "duplicate",
    "spam": "quality",
    "boilerplate": "quality",
    "other_lang": "language",
    # C4's bad-words rule is off by default (its drops on real pages were benign, docs/benchmarks.md):
    # a rant is kept unless the toxicity filter drops it, which depends on its words.
    "bad_words": "keep_or_toxic",
    "toxic": "toxic",
    "truncated": "broken",
    "undecodable": "broken",
    "non_html": "broken",
    "http_error": "broken",
    "redirect": "broken",
    "empty": "broken",
    "giant": "broken",
}

REASON: dict[str, str | None] = {
    "good": None,
    "latin1": None,
    "exact_dup": documents.DUPLICATE_EXACT,
    "near_dup": documents.DUPLICATE_NEAR,
    "spam": None,
    "boilerplate": None,
    "other_lang": "language.language",
    "bad_words": None,
    "toxic": None,
    "truncated": documents.CORRUPT_RECORD,
    "undecodable": documents.UNDECODABLE,
    "non_html": documents.NOT_HTML,
    "http_error": documents.HTTP_STATUS,
    "redirect": documents.HTTP_STATUS,
    "empty": documents.EMPTY_PAGE,
    "giant": documents.TOO_LARGE,
}
"""The drop reason a run with the default config records, where exactly one can apply."""


@dataclass(slots=True)
class TruthRecord:
    """One line of ``ground_truth.jsonl``; the first ten fields are the published contract."""

    file: str
    offset: int
    record_id: str
    url: str
    domain: str
    kind: str
    expect: str
    duplicate_of: str | None
    lang: str | None
    text: str | None
    reason: str | None = None
    genre: str | None = None
    http_status: int = 200
    content_type: str = ""
    body_bytes: int = 0
    """Length of the HTTP body, so a test can set the byte cap between good pages and the giant one."""
    warc_date: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"record {self.record_id}: unknown kind {self.kind!r}")
        if self.expect != EXPECT[self.kind]:
            raise ValueError(
                f"record {self.record_id}: kind {self.kind} expects {EXPECT[self.kind]}, not {self.expect}"
            )
        if (self.kind in ("exact_dup", "near_dup")) != (self.duplicate_of is not None):
            raise ValueError(f"record {self.record_id}: duplicate_of must be set exactly for duplicates")

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


_FIELDS = {f.name for f in fields(TruthRecord)}


def write_truth(path: Path, records: Iterable[TruthRecord]) -> int:
    """Write the ground truth as JSON lines; returns the number of lines."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for rec in records:
            out.write(rec.to_json() + "\n")
            n += 1
    return n


def read_truth(path: str | Path) -> list[TruthRecord]:
    """Read ``ground_truth.jsonl``; a malformed line raises an error naming the file and line."""
    return list(iter_truth(path))


def iter_truth(path: str | Path) -> Iterator[TruthRecord]:
    path = Path(path)
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                unknown = set(data) - _FIELDS
                if unknown:
                    raise ValueError(f"unknown keys {sorted(unknown)}")
                yield TruthRecord(**data)
            except (ValueError, TypeError) as err:
                raise ValueError(f"{path}:{lineno}: bad ground-truth line: {err}") from None
