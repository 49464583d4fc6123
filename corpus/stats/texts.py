"""The text of a few chosen documents, looked up by id.

Stage 1's ``attributes/`` hold no text: a kept document's text is in its domain's Parquet shards,
a dropped one's in ``dropped/`` when the run kept dropped text (``policy.keep_dropped_text``), and
a re-decision's in the run it re-decided. A file is searched by its id column first; only the row
groups holding a wanted id are decoded, and of those only the id, URL and text columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from tqdm import tqdm

from common import storage
from corpus.stats.runs import Run

FIRST_LINES = 3
BATCH_ROWS = 4096
LINE_CHARS = 160


@dataclass(frozen=True)
class Found:
    url: str
    text: str
    where: str
    """The file the text came from, relative to its run."""


def first_lines(text: str, lines: int = FIRST_LINES, chars: int = LINE_CHARS) -> list[str]:
    """The first non-empty lines, each cut at ``chars`` characters (with an ellipsis)."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            out.append(line if len(line) <= chars else line[: chars - 1] + "…")
            if len(out) == lines:
                break
    return out


def find_rows(run: Run, rel: str, ids: set[str], columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of ``run``'s Parquet file ``rel`` whose id is in ``ids``, with ``columns``. The
    id column is read whole; of the others, only the row groups holding a match."""
    path = storage.join(run.path, rel)
    fs, p = storage.filesystem(path)
    try:
        f = pq.ParquetFile(p, filesystem=fs)
        hits = pc.is_in(f.read(columns=["id"]).column("id"), value_set=pa.array(sorted(ids), pa.string()))
    except Exception as err:
        run.problems.append(
            f"{rel}: cannot read, examples from it are incomplete ({type(err).__name__}: {err})"
        )
        return []
    rows = np.flatnonzero(hits.to_numpy(zero_copy_only=False))
    if rows.size == 0:
        return []
    starts = np.cumsum([0] + [f.metadata.row_group(g).num_rows for g in range(f.num_row_groups)])
    groups = np.searchsorted(starts, rows, side="right") - 1
    out = []
    for g in np.unique(groups):
        wanted = rows[groups == g] - starts[g]
        seen = 0  # decoded in batches: memory stays at a batch whatever the row group's size
        for batch in f.iter_batches(batch_size=BATCH_ROWS, row_groups=[int(g)], columns=list(columns)):
            local = wanted[(wanted >= seen) & (wanted < seen + batch.num_rows)] - seen
            if local.size:
                out += batch.take(pa.array(local)).to_pylist()
            seen += batch.num_rows
    return out


def fetch(run: Run, wanted: Mapping[str, str | None]) -> dict[str, Found]:
    """``{id: Found}`` for the ids of ``wanted`` (id -> its domain, or None when unknown) that
    ``run`` (or the run it re-decided) holds the text of."""
    found: dict[str, Found] = {}
    left = set(wanted)
    domains = set(wanted.values())
    shards = [s.path for s in run.manifest.shards_of("parquet") if None in domains or s.domain in domains]
    files = [*shards, *run.manifest.dropped_text]
    for rel in tqdm(files, desc="example text", unit="file", disable=len(files) < 16):
        if not left:
            break
        for r in find_rows(run, rel, left, ["id", "url", "text"]):
            found[r["id"]] = Found(url=r["url"], text=r["text"] or "", where=rel)
            left.discard(r["id"])
    if left and run.source is not None:
        found.update(fetch(run.source, {i: wanted[i] for i in left}))
    return found
