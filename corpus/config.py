"""The cleaning config (`configs/clean.yaml`), validated at start-up.

One file holds everything that decides what a run keeps: byte caps, the extractor and its time
limit, URL rules that assign domains, the ordered filter chain with each filter's thresholds,
the policy, dedup parameters and the output layout. Its hash goes into the run's manifest, so a
resumed run can refuse a changed config.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import AfterValidator, Field, field_validator, model_validator

import corpus.filters  # noqa: F401  (fills the registry before the union below is built)
from common.config import StrictModel, stable_hash
from corpus.dedup.paragraphs import ParagraphDedupConfig
from corpus.extract.extractors import DEFAULT_EXTRACTOR, EXTRACTORS
from corpus.filters.base import FILTERS
from corpus.warc import MAX_BODY_BYTES, MAX_HEAD_BYTES
from formats.domains import DOMAINS


class LimitsConfig(StrictModel):
    """What one record may cost a worker, and what to do with a page the crawler cut."""

    max_body_bytes: int = Field(MAX_BODY_BYTES, gt=0)
    """HTTP bodies above this, as recorded or once decompressed, are dropped as ``too_large``; the
    reader never holds more than this plus one byte of a body, whatever the record declares."""
    max_http_head_bytes: int = Field(MAX_HEAD_BYTES, gt=0)
    """An HTTP head that does not end within this is a ``corrupt_record``."""
    max_text_chars: int = Field(1_000_000, gt=0)
    """Extracted text above this is cut here; Gopher drops documents over 100k words anyway."""
    truncated: Literal["extract", "drop"] = "extract"
    """A payload the crawler cut (``WARC-Truncated``, CommonCrawl's size limit) or whose chunks
    or compressed stream end early: ``extract`` what arrived (what FineWeb/DataTrove do: the
    main text of a cut page is mostly there), or ``drop`` it as ``truncated_payload``."""
    document_timeout_s: float | None = Field(10.0, gt=0)
    """Wall-clock budget of one document from decoding to its last filter; past it, the document
    is dropped as ``document_timeout`` at the next step (extraction has its own ``timeout_s``
    inside this). Null: no budget."""


class ExtractionConfig(StrictModel):
    extractor: str = DEFAULT_EXTRACTOR
    """Main-text extractor; see `corpus.extract.EXTRACTORS` and docs/benchmarks.md."""
    timeout_s: float = Field(1.0, gt=0)
    """Per-page wall-clock limit (FineWeb uses 1 s); a slower page is ``extraction_timeout``."""

    @field_validator("extractor")
    @classmethod
    def _known_extractor(cls, value: str) -> str:
        if value not in EXTRACTORS:
            raise ValueError(f"unknown extractor {value!r} (known: {', '.join(sorted(EXTRACTORS))})")
        return value


def _known_domain(value: str) -> str:
    if value not in DOMAINS:
        raise ValueError(f"unknown domain {value!r} (known: {', '.join(DOMAINS)})")
    return value


KnownDomain = Annotated[str, AfterValidator(_known_domain)]
"""A domain of `formats.domains`, checked here so a misspelt one fails before Stage 1 starts."""


class DomainRule(StrictModel):
    domain: KnownDomain
    hosts: list[str] = Field(default_factory=list)
    """Host suffixes: ``wikipedia.org`` matches ``en.wikipedia.org``."""
    path_prefixes: list[str] = Field(default_factory=list)
    """URL path prefixes (``/math/``) that assign this domain on any host."""


class DomainsConfig(StrictModel):
    default: KnownDomain = "web"
    rules: list[DomainRule] = Field(default_factory=list)


class PolicyConfig(StrictModel):
    score_all: bool = True
    """Run every filter's scorer even after one fails, so any threshold can be changed later
    without re-scoring (Dolma's way). False stops at the first failing filter (DataTrove's way,
    cheaper); the first reason is the same either way."""
    keep_dropped_text: bool = False
    """Also write the dropped documents that had text (after extraction: filter drops and
    duplicates) to ``dropped/``, with their reason, to read what a rule removes (DataTrove's
    exclusion writer). Scores and reasons of every document are in ``attributes/`` either way."""


class MinHashConfig(StrictModel):
    enabled: bool = True
    bands: int | None = Field(14, gt=0)
    """FineWeb: 14 bands x 8 rows = 112 hashes, S-curve knee near Jaccard 0.72. Null (with
    ``rows``): chosen for ``threshold`` by datasketch's optimiser over ``num_perm`` hashes."""
    rows: int | None = Field(8, gt=0)
    num_perm: int | None = Field(None, gt=0)
    """Only with ``bands`` and ``rows`` null: the hashes the optimiser splits into bands."""
    shingle_size: int = Field(5, gt=0)
    """Word n-grams (FineWeb: 5)."""
    seed: int = 1
    """Seed of the permutations (datasketch's: the same seed gives the same signatures)."""
    threshold: float = Field(0.75, gt=0.0, lt=1.0)
    """Jaccard similarity from which two documents are near-duplicates (FineWeb targets 0.75)."""
    verify: Literal["exact", "signature", "none"] = "exact"
    """How a candidate pair (two documents sharing a band) is checked against ``threshold``:
    ``exact`` computes the Jaccard of the two shingle sets (NeMo Curator's false-positive check),
    ``signature`` uses the MinHash estimate (cheaper, blurred by +-0.04 at 112 hashes), ``none``
    links every candidate as FineWeb does. See docs/benchmarks.md (Dedup) for the trade-off."""
    max_iterations: int = Field(12, gt=0)
    """Rounds of connected-components propagation unrolled in the Beam graph."""

    @model_validator(mode="after")
    def _lsh_shape(self) -> MinHashConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("bands and rows: give both, or set both to null to optimise them")
        if self.bands is None and self.num_perm is None:
            raise ValueError("num_perm: required when bands and rows are null")
        if self.bands is not None and self.num_perm is not None and self.num_perm != self.bands * self.rows:
            raise ValueError(f"num_perm: {self.num_perm} is not bands x rows = {self.bands} x {self.rows}")
        return self

    def lsh_params(self) -> tuple[int, int]:
        """``(bands, rows)``: as configured, or datasketch's optimum for ``threshold``."""
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        from corpus.dedup.minhash import optimal_lsh_params

        return optimal_lsh_params(self.threshold, self.num_perm)


class DedupConfig(StrictModel):
    exact: bool = True
    """Drop documents whose normalised text hash was already kept."""
    minhash: MinHashConfig = Field(default_factory=MinHashConfig)
    paragraphs: ParagraphDedupConfig = Field(default_factory=ParagraphDedupConfig)
    """Remove paragraphs repeated across the kept documents (CCNet, Dolma); `corpus.dedup.paragraphs`."""


class OutputConfig(StrictModel):
    formats: list[Literal["parquet", "mds"]] = Field(default_factory=lambda: ["parquet", "mds"])
    shards_per_domain: int = Field(4, gt=0)
    """Documents of a domain are spread over this many shards by id hash."""
    mds_compression: str | None = "zstd"
    attribute_shards: int = Field(4, gt=0)
    """Every document's scores and outcome are spread over this many ``attributes/`` files."""


def _filter_union() -> Any:
    configs = tuple(cls.Config for cls in FILTERS.values())
    if len(configs) == 1:
        return configs[0]
    return Annotated[Union[configs], Field(discriminator="name")]  # noqa: UP007


FilterSpec = _filter_union()


class CleanConfig(StrictModel):
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    extraction: ExtractionConfig = Field(default_factory=ExtractionConfig)
    domains: DomainsConfig = Field(default_factory=DomainsConfig)
    filters: list[FilterSpec] = Field(default_factory=list)  # type: ignore[valid-type]
    policy: PolicyConfig = Field(default_factory=PolicyConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)

    @field_validator("filters", mode="before")
    @classmethod
    def _known_filter_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            for i, spec in enumerate(value):
                if isinstance(spec, dict) and spec.get("name") not in FILTERS:
                    known = ", ".join(sorted(FILTERS))
                    raise ValueError(f"filters[{i}]: unknown filter {spec.get('name')!r} (known: {known})")
        return value

    @model_validator(mode="after")
    def _unique_filters(self) -> CleanConfig:
        names = [f.name for f in self.filters]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"filters: each filter may appear once, repeated: {', '.join(dupes)}")
        return self

    def hash(self) -> str:
        """Stable digest of everything that changes the output (goes into the manifest)."""
        return stable_hash(self.model_dump(mode="json"))
