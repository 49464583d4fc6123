"""One streamed pass over a run's ``attributes/`` (every document, kept or dropped, without text).

The pass keeps what the report needs and nothing per document beyond it: each score's values
(float32) with the outcome they belong to, kept lengths per domain, a few small string columns
for the group-bys (outcome, language, host, duplicates), and the candidate examples. Examples are
chosen deterministically: in each group, the documents with the smallest xxh64 of their id (a
stable, seed-free spread over crawl order, so the same document is picked in two runs that both
hold it); near a threshold, the nearest values on each side, ties broken the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash
from tqdm import tqdm

from common import storage
from corpus.filters.base import Filter
from corpus.stats.rules import DUPLICATES, Threshold, derives, thresholds
from corpus.stats.runs import Run

EXAMPLES = 3
"""Examples per group (reason, domain side, threshold side): enough to see a pattern, few enough
that the report stays small at any corpus size."""
BATCH_ROWS = 65_536
ROW_COLUMNS = ["id", "url", "domain", "lang", "n_chars", "drop_reason", "drop_detail", "scores"]
KEPT, DROPPED_HERE, DROPPED_ELSEWHERE = 0, 1, 2
"""Tags of a score value: its document was kept, dropped by a rule on this score, or dropped for
another reason."""
HOST_PATTERN = r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://)?(?:[^@/?#]*@)?(?P<host>[^/?#:]*)"


def id_hashes(ids: Iterable[str]) -> np.ndarray:
    return np.fromiter((xxhash.xxh64_intdigest(i.encode("utf-8")) for i in ids), dtype=np.uint64)


class Picks:
    """Per group, the ``k`` rows with the smallest (order, hash) seen so far."""

    def __init__(self, k: int = EXAMPLES) -> None:
        self.k = k
        self.groups: dict[Any, list[tuple[tuple[float, int], dict[str, Any]]]] = {}

    def offer(self, group: Any, keys: list[tuple[float, int]], rows: list[dict[str, Any]]) -> None:
        held = self.groups.setdefault(group, [])
        held.extend(zip(keys, rows, strict=True))
        held.sort(key=lambda kr: kr[0])
        del held[self.k :]

    def worst(self, group: Any) -> tuple[float, int] | None:
        """The order key a newcomer must beat, or None while the group has room."""
        held = self.groups.get(group)
        return held[-1][0] if held is not None and len(held) >= self.k else None

    def rows(self, group: Any) -> list[dict[str, Any]]:
        return [row for _, row in self.groups.get(group, [])]


def smallest_per_group(
    groups: np.ndarray, order: np.ndarray, hashes: np.ndarray, k: int
) -> Iterator[tuple[int, np.ndarray]]:
    """For each group code, the indices of its ``k`` smallest (order, hash)."""
    if len(groups) == 0:
        return
    idx = np.lexsort((hashes, order, groups))
    g = groups[idx]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    for s in starts:
        end = s + k
        stop = np.searchsorted(g, g[s], side="right")
        yield int(g[s]), idx[s : min(end, stop)]


@dataclass
class ScoreValues:
    values: list[np.ndarray] = field(default_factory=list)
    tags: list[np.ndarray] = field(default_factory=list)
    nonfinite: int = 0

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.values:
            return np.empty(0, np.float32), np.empty(0, np.uint8)
        return np.concatenate(self.values), np.concatenate(self.tags)


@dataclass
class Scan:
    rows: int = 0
    outcomes: pa.Table | None = None
    """One row per (domain, drop_reason, lang, host) group with its document count."""
    duplicates: pa.Table | None = None
    """One row per (drop_reason, kept id) with the copies' count and one copy's URL."""
    lengths: dict[str, np.ndarray] = field(default_factory=dict)
    scores: dict[str, ScoreValues] = field(default_factory=dict)
    thresholds: list[Threshold] = field(default_factory=list)
    near: Picks = field(default_factory=Picks)
    """(threshold index, "inside" | "outside") -> documents nearest the threshold."""
    reasons: Picks = field(default_factory=Picks)
    domains: Picks = field(default_factory=Picks)
    """(domain, "kept" | "dropped") -> examples."""


def _flat_scores(col: pa.Array) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """The (key, value, row) triples of a map column, for a sliced column too."""
    offsets = col.offsets.to_numpy()
    start, end = int(offsets[0]), int(offsets[-1])
    keys = col.keys.slice(start, end - start)
    values = col.items.slice(start, end - start).to_numpy(zero_copy_only=False)
    parents = np.repeat(np.arange(len(col)), np.diff(offsets))
    return keys, values, parents


def _by_key(keys: pa.Array) -> Iterator[tuple[str, np.ndarray]]:
    """For each distinct key, the positions holding it."""
    encoded = pc.dictionary_encode(keys)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    # few distinct keys: 16-bit codes make numpy's stable sort a radix sort
    order = np.argsort(
        codes.astype(np.int16 if len(encoded.dictionary) < 1 << 15 else np.int64), kind="stable"
    )
    bounds = np.r_[0, np.cumsum(np.bincount(codes, minlength=len(encoded.dictionary)))]
    for i, name in enumerate(encoded.dictionary.to_pylist()):
        yield name, order[bounds[i] : bounds[i + 1]]


def _codes(col: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """Dictionary codes of a column (-1 for null) and the values they stand for."""
    enc = pc.dictionary_encode(col)
    return pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), enc.dictionary.to_pylist()


class _Pass:
    def __init__(self, run: Run) -> None:
        self.filters: list[Filter] = run.filters
        self.derived = [f for f in self.filters if derives(f)]
        self.scan = Scan(thresholds=thresholds(self.filters))
        self.by_score: dict[str, list[int]] = {}
        for i, t in enumerate(self.scan.thresholds):
            self.by_score.setdefault(t.score, []).append(i)
        self.small: list[pa.Table] = []
        self.dups: list[pa.Table] = []
        self.lengths: dict[str, list[np.ndarray]] = {}

    def batch(self, b: pa.RecordBatch) -> None:
        self.scan.rows += b.num_rows
        reason = b.column("drop_reason")
        kept = pc.is_null(reason).to_numpy(zero_copy_only=False)
        hosts = pc.utf8_lower(pc.struct_field(pc.extract_regex(b.column("url"), HOST_PATTERN), [0]))
        self.small.append(
            pa.table(
                {"domain": b.column("domain"), "drop_reason": reason, "lang": b.column("lang"), "host": hosts}
            )
        )
        dup = pc.is_in(reason, pa.array(DUPLICATES))
        if pc.any(dup).as_py():
            self.dups.append(
                pa.Table.from_batches([b.filter(dup).select(["drop_reason", "drop_detail", "url"])])
            )
        dom, dom_names = _codes(b.column("domain"))
        n_chars = b.column("n_chars").to_numpy(zero_copy_only=False)
        for code, name in enumerate(dom_names):
            sel = kept & (dom == code)
            if sel.any():
                self.lengths.setdefault(name, []).append(n_chars[sel].astype(np.int64))
        why, why_names = _codes(reason)
        rows = _Rows(b, id_hashes(b.column("id").to_pylist()))
        self._examples(why, why_names, kept, dom, dom_names, rows)
        self._scores(b.column("scores"), why, why_names, kept, dom, dom_names, rows)

    def _examples(self, why, why_names, kept, dom, dom_names, rows: _Rows) -> None:
        dropped = np.flatnonzero(~kept)
        flat = np.zeros(len(kept))
        for code, idx in smallest_per_group(why[dropped], flat[dropped], rows.hashes[dropped], EXAMPLES):
            rows.offer(self.scan.reasons, why_names[code], dropped[idx], flat[dropped][idx])
        groups = dom.astype(np.int64) * 2 + kept
        for code, idx in smallest_per_group(groups, flat, rows.hashes, EXAMPLES):
            side = "kept" if code % 2 else "dropped"
            rows.offer(self.scan.domains, (dom_names[code // 2], side), idx, flat[idx])

    def _derived(self, per_key: dict, parents: np.ndarray, values: np.ndarray) -> None:
        """Add the metrics a filter derives from its stored scores (per document, in Python:
        only for the filters that derive one)."""
        for flt in self.derived:
            prefix = flt.name + "."
            own: dict[int, dict[str, float]] = {}
            for name, pos in per_key.items():
                if name.startswith(prefix):
                    metric = name[len(prefix) :]
                    for p, v in zip(parents[pos].tolist(), values[pos].tolist(), strict=True):
                        if p in own:
                            own[p][metric] = v
                        else:
                            own[p] = {metric: v}
            extra: dict[str, tuple[list[int], list[float]]] = {}
            derive = flt.derived
            for p, scores in own.items():
                for metric, v in derive(scores).items():
                    ps, vs = extra.setdefault(prefix + metric, ([], []))
                    ps.append(p)
                    vs.append(v)
            for name, (ps, vs) in extra.items():
                per_key.setdefault(name, (np.asarray(ps, np.int64), np.asarray(vs, np.float64)))

    def _scores(self, col, why, why_names, kept, dom, dom_names, rows: _Rows) -> None:
        keys, values, parents = _flat_scores(col)
        per_key: dict[str, Any] = dict(_by_key(keys)) if len(keys) else {}
        self._derived(per_key, parents, values)
        for name, pos in per_key.items():
            rows_of, vals = pos if isinstance(pos, tuple) else (parents[pos], values[pos])
            finite = np.isfinite(vals)
            rows_of, vals = rows_of[finite], vals[finite]
            tags = np.where(kept[rows_of], KEPT, DROPPED_ELSEWHERE).astype(np.uint8)
            mine = [i for i in self.by_score.get(name, ())]
            here = [
                why_names.index(r) for r in {self.scan.thresholds[i].reason for i in mine} if r in why_names
            ]
            if here:
                tags[np.isin(why[rows_of], here)] = DROPPED_HERE
            acc = self.scan.scores.setdefault(name, ScoreValues())
            acc.nonfinite += int(len(finite) - finite.sum())
            acc.values.append(vals.astype(np.float32))
            acc.tags.append(tags)
            for t_index in mine:
                self._near(t_index, rows_of, vals, kept, why, why_names, dom, dom_names, rows)

    def _near(self, t_index: int, rows_of, vals, kept, why, why_names, dom, dom_names, rows: _Rows) -> None:
        """Inside: kept documents nearest the threshold (what tightening it would drop first);
        outside: the documents this rule dropped nearest it (what loosening it would keep)."""
        t = self.scan.thresholds[t_index]
        skip = [i for i, d in enumerate(dom_names) if d in t.skip_domains]
        if skip:
            applies = ~np.isin(dom[rows_of], skip)
            rows_of, vals = rows_of[applies], vals[applies]
        breaks = vals < t.value if t.bound == "min" else vals > t.value
        distance = np.abs(vals - t.value)
        by_rule = why[rows_of] == (why_names.index(t.reason) if t.reason in why_names else -2)
        for side, mask in (("inside", ~breaks & kept[rows_of]), ("outside", breaks & by_rule)):
            cand, dist = rows_of[mask], distance[mask]
            worst = self.scan.near.worst((t_index, side))
            if worst is not None:  # only what could displace a held example (ties: by hash)
                wd, wh = worst
                closer = (dist < wd) | ((dist == wd) & (rows.hashes[cand] < np.uint64(wh)))
                cand, dist = cand[closer], dist[closer]
            if len(cand) > EXAMPLES:  # the k nearest and every tie with the k-th
                closer = dist <= np.partition(dist, EXAMPLES - 1)[EXAMPLES - 1]
                cand, dist = cand[closer], dist[closer]
            for _, idx in smallest_per_group(
                np.zeros(len(cand), np.int64), dist, rows.hashes[cand], EXAMPLES
            ):
                rows.offer(self.scan.near, (t_index, side), cand[idx], dist[idx])

    def finish(self) -> Scan:
        scan = self.scan
        if self.small:
            t = pa.concat_tables(self.small)
            scan.outcomes = t.group_by(
                ["domain", "drop_reason", "lang", "host"], use_threads=False
            ).aggregate([([], "count_all")])
        if self.dups:
            d = pa.concat_tables(self.dups)
            scan.duplicates = d.group_by(["drop_reason", "drop_detail"], use_threads=False).aggregate(
                [([], "count_all"), ("url", "min")]
            )
        scan.lengths = {d: np.concatenate(parts) for d, parts in sorted(self.lengths.items())}
        return scan


class _Rows:
    """One batch's rows and id hashes; a row becomes a dict only when it is offered as an example
    that beats what its group holds."""

    def __init__(self, batch: pa.RecordBatch, hashes: np.ndarray) -> None:
        self.batch = batch.select(ROW_COLUMNS)
        self.hashes = hashes
        self.cache: dict[int, dict[str, Any]] = {}

    def get(self, i: int) -> dict[str, Any]:
        if i not in self.cache:
            row = self.batch.slice(i, 1).to_pylist()[0]
            row["scores"] = dict(row["scores"] or [])
            self.cache[i] = row
        return self.cache[i]

    def offer(self, picks: Picks, group: Any, idx: np.ndarray, order: np.ndarray) -> None:
        worst = picks.worst(group)
        keys = [(float(o), int(self.hashes[i])) for o, i in zip(order, idx, strict=True)]
        chosen = [(k, int(i)) for k, i in zip(keys, idx, strict=True) if worst is None or k < worst]
        if chosen:
            picks.offer(group, [k for k, _ in chosen], [self.get(i) for _, i in chosen])


def scan_attributes(run: Run, progress: Callable[..., Any] = tqdm) -> Scan:
    """Stream every ``attributes/`` file of ``run``; an unreadable file is named in
    ``run.problems`` and the others are still summarised."""
    files = []
    total = 0
    for rel in run.manifest.attributes:
        path = storage.join(run.path, rel)
        fs, p = storage.filesystem(path)
        try:
            f = pq.ParquetFile(p, filesystem=fs)
        except Exception as err:
            run.problems.append(f"{rel}: cannot read attributes ({type(err).__name__}: {err})")
            continue
        files.append((rel, f))
        total += f.metadata.num_rows
    work = _Pass(run)
    with progress(total=total, desc="attributes", unit="doc", disable=total < 200_000) as bar:
        for rel, f in files:
            try:
                for b in f.iter_batches(batch_size=BATCH_ROWS, columns=ROW_COLUMNS):
                    work.batch(b)
                    bar.update(b.num_rows)
            except Exception as err:
                run.problems.append(f"{rel}: attributes unreadable part way ({type(err).__name__}: {err})")
    return work.finish()
