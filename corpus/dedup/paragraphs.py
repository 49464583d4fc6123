"""Paragraph dedup across a run: the primitives `pipelines.dedup.ParagraphDedup` wires into Beam.

The cookie notice, the shop footer, the licence line of every e-book and the forum signature
survive extraction on thousands of pages, each page otherwise unique, so document dedup never
sees them. CCNet (Wenzek et al. 2020, Section 3.1) and Dolma (Soldaini et al. 2024) remove them
paragraph by paragraph across the crawl, a paragraph being a line (both split on ``"\\n"``, which
is our text layout's block: `corpus.text.normalise_text`):

- CCNet hashes each line after normalising it (lower case, digits to 0, punctuation and accents
  removed; the first 64 bits of SHA-1) and, in the paper's two-pass dedup
  (``cc_net/dedup.py: deduplicate_two_pass``), removes every line whose hash occurs more than
  once, **the first occurrence too**; a document left without lines is dropped.
- Dolma's ``dedupe.paragraphs`` keeps the **first occurrence** and marks later ones (a Bloom
  filter filled in reading order) over the raw line.

Ours counts, for each normalised line (`corpus.dedup.exact_hash`: CCNet's normalisation with NFKC
in place of accent stripping, 128 bits), the kept documents that hold it; a line held by more than
``max_documents`` documents is removed from all of them, or, with ``keep_first``, from all but
the one with the lowest id (crawl order for our UUIDv7 ids: "first" without depending on the
order a runner reads). ``max_documents: 1`` is the setting both use; ``keep_first`` picks
Dolma's (true) or CCNet's (false) behaviour. A line repeated inside one document counts once:
within-document repetition is Gopher repetition's score, not a crawl-wide boilerplate signal.

A document that lost lines is scored again by the same chain the cleaner ran
(`corpus.cleaner.score_and_decide`, the policy's `decide`): what is left may be too short for
Gopher's word count or C4's sentence count. If the chain now drops it, it is dropped as
``duplicate_paragraphs`` with the rule it broke in the detail; a document left with no line at
all is dropped the same way without scoring. The chain judges the text that will be shipped: for
a web page that is C4's rewritten text, which the rules before C4 in FineWeb's order (Gopher's)
measured only before the rewrite in the first pass. A page C4 cut close to Gopher's 50 words can
therefore drop here after losing one line (on WCXB dev the one page dropped had 354 words before
C4, 48 after it, 34 after paragraph dedup; docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from pydantic import Field, field_validator

from common.config import StrictModel
from corpus.dedup.normalize import exact_hash
from formats.documents import DUPLICATE_PARAGRAPHS, Document, is_error_reason
from formats.domains import DOMAINS

SCORE_PREFIX = "paragraph_dedup."
"""Scores of a document that went through paragraph dedup: ``removed`` (lines removed) and
``removed_chars_frac`` (their share of the text's characters), so the statistics draw them."""
EXAMPLE_CHARS = 300
"""A removed paragraph shown as an example is cut here (the manifest and the report stay small)."""


class ParagraphDedupConfig(StrictModel):
    """``dedup.paragraphs`` of the cleaning config; the defaults are Dolma's setting."""

    enabled: bool = True
    max_documents: int = Field(1, ge=1)
    """A paragraph held by more kept documents than this is repeated and removed (CCNet and
    Dolma: 1, any paragraph seen twice). Larger values remove only boilerplate that is common
    across the crawl and leave quotes shared by a few pages."""
    keep_first: bool = True
    """Keep the copy in the document with the lowest id (Dolma keeps the first occurrence); false
    removes every copy, the first too (CCNet's paper, ``deduplicate_two_pass``)."""
    skip_domains: list[str] = Field(default_factory=lambda: ["code"])
    """Domains whose documents are neither counted nor changed: in source code, ``}``, ``import
    os`` and ``return 0;`` are repeated on every page and are the content, not boilerplate."""

    @field_validator("skip_domains")
    @classmethod
    def _known_domains(cls, value: list[str]) -> list[str]:
        unknown = [d for d in value if d not in DOMAINS]
        if unknown:
            raise ValueError(f"unknown domain(s) {unknown} (known: {', '.join(DOMAINS)})")
        return value


def applies(config: ParagraphDedupConfig, doc: Document) -> bool:
    """Whether ``doc`` takes part: kept, and in a domain that is not skipped."""
    return config.enabled and doc.kept and doc.domain not in config.skip_domains


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs: its non-empty lines, stripped."""
    return [p for line in text.split("\n") if (p := line.strip())]


def paragraph_keys(text: str) -> list[bytes]:
    """The distinct keys (`exact_hash` of each paragraph) of a text, in first-seen order."""
    return list(dict.fromkeys(exact_hash(p) for p in paragraphs(text)))


def holders(ids: Iterable[str], config: ParagraphDedupConfig) -> tuple[int, str | None]:
    """For the documents holding one paragraph (their ids, each once): how many there are, and
    the id that keeps its copy when the paragraph is repeated (``keep_first``: the lowest; else
    None, every copy goes). Read once, never copied into a list (a footer line can be on
    millions of pages, and Beam's grouped values need not fit in memory)."""
    n = 0
    first: str | None = None
    for doc_id in ids:
        n += 1
        if first is None or doc_id < first:
            first = doc_id
    return n, first if config.keep_first else None


def repeated(n: int, config: ParagraphDedupConfig) -> bool:
    return n > config.max_documents


@dataclass(slots=True)
class Removal:
    """What removing the repeated paragraphs did to one text."""

    text: str
    paragraphs: int = 0
    removed: int = 0
    chars: int = 0
    removed_chars: int = 0
    examples: list[tuple[bytes, str]] = field(default_factory=list)
    """``(key, paragraph)`` for each removed key, first copy in the text, cut to EXAMPLE_CHARS."""


def remove_paragraphs(text: str, keys: set[bytes]) -> Removal:
    """The text without the paragraphs whose key is in ``keys`` (every copy in it); the others
    keep their order and are joined by one line break, the layout the chain produces."""
    kept: list[str] = []
    out = Removal(text="")
    seen: set[bytes] = set()
    for p in paragraphs(text):
        out.paragraphs += 1
        out.chars += len(p)
        key = exact_hash(p) if keys else b""
        if key in keys:
            out.removed += 1
            out.removed_chars += len(p)
            if key not in seen:
                seen.add(key)
                out.examples.append((key, p[:EXAMPLE_CHARS]))
        else:
            kept.append(p)
    out.text = "\n".join(kept) if out.removed else text
    return out


def apply(doc: Document, keys: set[bytes], rescore: Callable[[Document], None]) -> tuple[Document, Removal]:
    """``doc`` without the paragraphs of ``keys``, with its removal scores, and what was removed.

    A document that lost paragraphs is scored again by ``rescore`` (the cleaner's chain,
    `corpus.cleaner.score_and_decide` with the run's filters) and dropped as
    ``duplicate_paragraphs`` (naming the rule that now breaks) when the chain drops what is left,
    or when nothing is left; a filter that raises keeps its own ``<filter>.error`` reason. The
    input document is not changed (Beam forbids mutating an element a transform received).
    """
    removal = remove_paragraphs(doc.text, keys)
    if not removal.removed:
        return _with_scores(replace(doc, scores=dict(doc.scores)), removal), removal
    what = (
        f"removed {removal.removed} of {removal.paragraphs} paragraphs "
        f"({removal.removed_chars:,} of {removal.chars:,} chars)"
    )
    if not removal.text:
        out = _with_scores(replace(doc, text="", scores=dict(doc.scores)), removal)
        return out.drop(DUPLICATE_PARAGRAPHS, f"no text left: {what}"), removal
    trial = replace(doc, text=removal.text, scores={}, drop_reason=None, drop_detail="")
    rescore(trial)
    _with_scores(trial, removal)
    if trial.drop_reason is None or is_error_reason(trial.drop_reason):
        return trial, removal
    reason, detail = trial.drop_reason, trial.drop_detail
    trial.drop_reason, trial.drop_detail = None, ""
    why = f"{reason} ({detail})" if detail else reason
    return trial.drop(DUPLICATE_PARAGRAPHS, f"{why} after paragraph dedup: {what}"), removal


def _with_scores(doc: Document, removal: Removal) -> Document:
    doc.scores[SCORE_PREFIX + "removed"] = float(removal.removed)
    doc.scores[SCORE_PREFIX + "removed_chars_frac"] = (
        removal.removed_chars / removal.chars if removal.chars else 0.0
    )
    return doc


# --- the run's summary ---------------------------------------------------------------------------

TOTAL_FIELDS = (
    "documents",
    "paragraphs",
    "chars",
    "documents_changed",
    "documents_dropped",
    "paragraphs_removed",
    "chars_removed",
)
"""Per-document counts summed over the run (`totals`, the manifest's `ParagraphDedupCounts`)."""


def totals(doc_out: Document, removal: Removal) -> tuple[int, ...]:
    """One document's contribution to `TOTAL_FIELDS`."""
    return (
        1,
        removal.paragraphs,
        removal.chars,
        int(removal.removed > 0),
        int(doc_out.drop_reason == DUPLICATE_PARAGRAPHS),
        removal.removed,
        removal.removed_chars,
    )


def add_totals(parts: Iterable[Sequence[int]]) -> tuple[int, ...]:
    out = [0] * len(TOTAL_FIELDS)
    for part in parts:
        for i, v in enumerate(part):
            out[i] += v
    return tuple(out)


def removal_order(entry: tuple[bytes, int, int]) -> tuple[int, int, bytes]:
    """Order of the repeated paragraphs ``(key, documents holding it, copies removed)`` in the
    "removed most often" list, largest first: copies removed, then documents, then key, so every
    runner picks the same ones."""
    key, documents, removed = entry
    return removed, documents, key
