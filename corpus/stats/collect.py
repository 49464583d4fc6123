"""Gathering the numbers behind the statistics table and report."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pyarrow.compute as pc
from tqdm import tqdm

from common import storage
from corpus import shards
from formats.clean_manifest import CleanManifest, ShardEntry, read_clean_manifest
from formats.documents import TEXT_COLUMN
from formats.manifest_io import ManifestError
from formats.token_manifest import TokenManifest, read_token_manifest

log = logging.getLogger(__name__)


@dataclass
class ShardStats:
    path: str
    domain: str
    documents: int
    text_bytes: int
    file_bytes: int
    mean_chars: float
    median_chars: float


@dataclass
class DomainStats:
    domain: str
    documents: int = 0
    text_bytes: int = 0
    tokens: int | None = None
    lengths: list[int] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)

    @property
    def mean_chars(self) -> float:
        return float(np.mean(self.lengths)) if self.lengths else 0.0

    @property
    def median_chars(self) -> float:
        return float(np.median(self.lengths)) if self.lengths else 0.0


@dataclass
class RunStats:
    out: str
    manifest: CleanManifest
    shards: list[ShardStats]
    domains: dict[str, DomainStats]
    problems: list[str]
    scores: dict[str, dict[str, np.ndarray]]  # score key -> {"kept": values, "dropped": values}
    languages: dict[str, int]
    token_manifest: TokenManifest | None

    @property
    def funnel(self) -> list[tuple[str, int]]:
        """Records read, then what each reason removed, in decreasing order, then kept."""
        c = self.manifest.counts
        steps = [("records read", c.records)]
        steps += sorted(c.dropped.items(), key=lambda kv: -kv[1])
        steps.append(("kept", c.kept))
        return steps


def _file_size(path: str) -> int:
    fs, p = storage.filesystem(path)
    return fs.get_file_info(p).size or 0


def _shard_stats(out: str, info: ShardEntry, problems: list[str]) -> tuple[ShardStats, list[int]] | None:
    path = storage.join(out, info.path)
    try:
        table = shards.read_parquet(path, [TEXT_COLUMN])
    except Exception as err:
        problems.append(f"{info.path}: cannot read shard ({type(err).__name__}: {err})")
        return None
    lengths = pc.utf8_length(table[TEXT_COLUMN]).to_numpy(zero_copy_only=False).astype(np.int64)
    nbytes = int(pc.sum(pc.binary_length(table[TEXT_COLUMN])).as_py() or 0)
    if table.num_rows != info.documents:
        problems.append(f"{info.path}: {table.num_rows} documents, manifest says {info.documents}")
    stats = ShardStats(
        path=info.path,
        domain=info.domain,
        documents=table.num_rows,
        text_bytes=nbytes,
        file_bytes=_file_size(path),
        mean_chars=float(lengths.mean()) if len(lengths) else 0.0,
        median_chars=float(np.median(lengths)) if len(lengths) else 0.0,
    )
    return stats, lengths.tolist()


def _attribute_scores(out: str, files: list[str], problems: list[str]) -> tuple[dict, dict]:
    scores: dict[str, dict[str, list[float]]] = {}
    languages: dict[str, int] = {}
    for rel in tqdm(files, desc="attributes", unit="file", disable=len(files) < 8):
        try:
            table = shards.read_parquet(storage.join(out, rel), ["lang", "scores", "drop_reason"])
        except Exception as err:
            problems.append(f"{rel}: cannot read attributes ({type(err).__name__}: {err})")
            continue
        for lang, score_map, reason in zip(
            table["lang"].to_pylist(),
            table["scores"].to_pylist(),
            table["drop_reason"].to_pylist(),
            strict=True,
        ):
            if lang:
                languages[lang] = languages.get(lang, 0) + 1
            side = "kept" if reason is None else "dropped"
            for key, value in score_map or []:
                scores.setdefault(key, {"kept": [], "dropped": []})[side].append(value)
    arrays = {
        k: {s: np.asarray(v, dtype=np.float64) for s, v in sides.items()} for k, sides in scores.items()
    }
    return arrays, dict(sorted(languages.items(), key=lambda kv: -kv[1]))


def collect(out: str, tokens_dir: str | None = None) -> RunStats:
    manifest = read_clean_manifest(out)
    problems: list[str] = []
    domains = {d: DomainStats(d, dropped=dict(v.dropped)) for d, v in manifest.domains.items()}
    shard_stats: list[ShardStats] = []
    parquet = manifest.shards_of("parquet")
    for info in tqdm(parquet, desc="shards", unit="shard", disable=len(parquet) < 8):
        result = _shard_stats(out, info, problems)
        if result is None:
            continue
        stats, lengths = result
        shard_stats.append(stats)
        dom = domains.setdefault(stats.domain, DomainStats(stats.domain))
        dom.documents += stats.documents
        dom.text_bytes += stats.text_bytes
        dom.lengths.extend(lengths)
    for info in manifest.shards_of("mds"):
        if not storage.exists(storage.join(out, info.path, "index.json")):
            problems.append(f"{info.path}: MDS index.json missing")
    scores, languages = _attribute_scores(out, manifest.attributes, problems)
    token_manifest = None
    if tokens_dir:
        try:
            token_manifest = read_token_manifest(tokens_dir)
        except ManifestError as err:
            problems.append(f"cannot read the token manifest: {err}")
        else:
            for d, v in token_manifest.domains.items():
                domains.setdefault(d, DomainStats(d)).tokens = v.tokens
    for p in problems:
        log.warning("%s", p)
    return RunStats(
        out, manifest, shard_stats, dict(sorted(domains.items())), problems, scores, languages, token_manifest
    )
