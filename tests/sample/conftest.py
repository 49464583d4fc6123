"""Shared samples: the demo's default sample (seed 1234, 600 records) is generated once per session."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from common.config import load_config
from corpus.cleaner import score_and_decide
from corpus.config import CleanConfig
from corpus.filters.base import Filter
from corpus.policy import applies, build_filters
from devkit.sample import SampleSummary, TruthRecord, generate_sample, read_truth
from formats.documents import Document

REPO = Path(__file__).resolve().parents[2]
DEMO_SEED = 1234  # the seed `make demo` uses
QUALITY_FILTERS = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
"""The published quality rules the sample's texts are judged by (FineWeb's order)."""

Verdict = Callable[..., str | None]


@dataclass
class Sample:
    summary: SampleSummary
    truth: list[TruthRecord]

    @property
    def dir(self) -> Path:
        return self.summary.out_dir

    def of_kind(self, *kinds: str) -> list[TruthRecord]:
        return [t for t in self.truth if t.kind in kinds]

    def by_id(self) -> dict[str, TruthRecord]:
        return {t.record_id: t for t in self.truth}

    def member(self, t: TruthRecord) -> bytes:
        """The decompressed gzip member at the record's offset (one WARC record)."""
        data = (self.dir / t.file).read_bytes()
        dec = zlib.decompressobj(31)
        out = dec.decompress(data[t.offset :])
        assert dec.eof, f"{t.file}@{t.offset}: gzip member does not end"
        return out

    def http_body(self, t: TruthRecord) -> bytes:
        record = self.member(t)
        _, _, rest = record.partition(b"\r\n\r\n")
        _, _, body = rest.partition(b"\r\n\r\n")
        return body[: t.body_bytes]


@pytest.fixture(scope="session")
def clean_config() -> CleanConfig:
    return load_config(REPO / "configs" / "clean.yaml", CleanConfig)


@pytest.fixture(scope="session")
def quality_filters(clean_config: CleanConfig) -> list[Filter]:
    """The configured Gopher repetition, Gopher quality, C4 and FineWeb filters, set up."""
    filters = [flt for flt in build_filters(clean_config) if flt.name in QUALITY_FILTERS]
    assert tuple(flt.name for flt in filters) == QUALITY_FILTERS, "configs/clean.yaml lost a quality filter"
    for flt in filters:
        flt.setup()
    return filters


@pytest.fixture(scope="session")
def quality_verdict(clean_config: CleanConfig, quality_filters: list[Filter]) -> Verdict:
    """``verdict(text, filters=quality_filters)``: the drop reason the chain gives ``text``, or None.

    The text goes through the cleaner's own loop (`corpus.cleaner.score_and_decide`, one
    `Document` and fresh `TextView`s, C4 rewriting the text for FineWeb after it). Every text is
    judged as a page of the config's default domain, which no quality filter skips, so code and
    math pages meet every rule too: stricter than the pipeline, which spares them some.
    """
    domain = clean_config.domains.default
    assert all(applies(flt, domain) for flt in quality_filters), f"a quality filter skips {domain}"

    def verdict(text: str, filters: Sequence[Filter] = quality_filters) -> str | None:
        doc = Document(id="sample-text", url="", domain=domain, text=text)
        score_and_decide(doc, filters, score_all=clean_config.policy.score_all)
        return doc.drop_reason

    return verdict


def max_pairwise_jaccard(sets: list[set[str]]) -> tuple[float, int, int]:
    """(Jaccard, i, j) of the most similar pair, via an inverted index of the shingles.

    Only pairs that share a shingle are counted, so this is linear in the number of shared
    shingles rather than quadratic in the number of documents.
    """
    index: dict[str, list[int]] = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in index.values():
        for a in range(len(docs)):
            for b in range(a + 1, len(docs)):
                shared[(docs[a], docs[b])] += 1
    best = (0.0, -1, -1)
    for (i, j), n in shared.items():
        jac = n / (len(sets[i]) + len(sets[j]) - n)
        if jac > best[0]:
            best = (jac, i, j)
    return best


@pytest.fixture(scope="session")
def default_sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    summary = generate_sample(tmp_path_factory.mktemp("default-sample"), seed=DEMO_SEED)
    return Sample(summary, read_truth(summary.truth_path))


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    summary = generate_sample(
        tmp_path_factory.mktemp("small-sample"), seed=7, pages=60, files=2, giant_bytes=50_000
    )
    return Sample(summary, read_truth(summary.truth_path))


@pytest.fixture(scope="session")
def extracted(default_sample: Sample, clean_config: CleanConfig) -> dict[str, str]:
    """Main text of every decodable HTML record (all but the broken ones), by the configured
    extractor (in process), normalised by it as in the pipeline."""
    from corpus.decode import decode_body
    from corpus.extract import InProcessExtractor

    out = {}
    with InProcessExtractor(clean_config.extraction.extractor) as extractor:
        for t in default_sample.truth:
            if t.expect == "broken":
                continue
            decoded = decode_body(t.content_type, default_sample.http_body(t))
            assert decoded is not None, f"{t.url}: {t.kind} page does not decode"
            out[t.record_id] = extractor.extract(decoded[0])
    return out
