"""Shared samples: the demo's default sample (seed 1234, 600 records) is generated once per session."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.config import CleanConfig, load_clean_config
from corpus.sample import SampleSummary, TruthRecord, generate_sample, read_truth

REPO = Path(__file__).resolve().parents[2]
DEMO_SEED = 1234  # the seed `make demo` uses


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
    return load_clean_config(REPO / "configs" / "clean.yaml")


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
    """Main text of every decodable HTML record, by the configured extractor (in process)."""
    from corpus.decode import decode_body, normalize_text
    from corpus.extract import InProcessExtractor

    out = {}
    with InProcessExtractor(clean_config.extraction.extractor) as extractor:
        for t in default_sample.truth:
            if t.kind in ("truncated", "undecodable", "non_html", "empty", "giant", "redirect", "http_error"):
                continue
            decoded = decode_body(t.content_type, default_sample.http_body(t))
            assert decoded is not None, f"{t.url}: {t.kind} page does not decode"
            out[t.record_id] = normalize_text(extractor.extract(decoded[0]))
    return out
