"""Two runs side by side: both funnels, the change per reason and domain, the thresholds that
differ, and the documents one run kept and the other dropped, by id.

Either run may be a re-decision written by ``python -m corpus.policy --output``, so a threshold
change is judged against the run it would replace before anything is re-scored or trained on.
Outcomes are joined on document id (Arrow's hash join over the id and outcome columns of both
``attributes/``); the examples of each flip are the documents with the smallest id hash, their
deciding score from the run that dropped them and their text from the run that kept them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from common import storage
from corpus.stats.files import check_tables
from corpus.stats.report import example
from corpus.stats.rules import thresholds
from corpus.stats.runs import Run, open_run
from corpus.stats.scan import EXAMPLES, ROW_COLUMNS, id_hashes, smallest_per_group
from corpus.stats.texts import fetch, find_rows
from formats.clean_manifest import KEPT

ABSENT = "(absent)"


def _outcomes(run: Run, side: str) -> pa.Table:
    parts = []
    for rel in run.manifest.attributes:
        path = storage.join(run.path, rel)
        fs, p = storage.filesystem(path)
        try:
            parts.append(pq.read_table(p, filesystem=fs, columns=["id", "domain", "drop_reason"]))
        except Exception as err:
            run.problems.append(f"{rel}: cannot read attributes ({type(err).__name__}: {err})")
    schema = pa.schema([("id", pa.string()), ("domain", pa.string()), ("drop_reason", pa.string())])
    t = pa.concat_tables([p.cast(schema) for p in parts]) if parts else schema.empty_table()
    return pa.table(
        {
            "id": t["id"],
            f"domain_{side}": t["domain"],
            f"reason_{side}": t["drop_reason"],
            f"in_{side}": pa.array(np.ones(t.num_rows, dtype=bool)),
        }
    )


def _rows_by_id(run: Run, ids: set[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for rel in run.manifest.attributes:
        if not ids:
            break
        for r in find_rows(run, rel, ids, ROW_COLUMNS):
            r["scores"] = dict(r["scores"] or [])
            out[r["id"]] = r
            ids.discard(r["id"])
    return out


def _flips(joined: pa.Table, kept: str, dropped: str) -> list[dict[str, Any]]:
    """Documents run ``kept`` kept and run ``dropped`` dropped: per reason of the dropping run,
    their count, per-domain counts and the ids chosen as examples."""
    mask = pc.and_(
        pc.and_(pc.is_valid(joined[f"in_{kept}"]), pc.is_valid(joined[f"in_{dropped}"])),
        pc.and_(pc.is_null(joined[f"reason_{kept}"]), pc.is_valid(joined[f"reason_{dropped}"])),
    )
    t = joined.filter(mask)
    groups: list[dict[str, Any]] = []
    if t.num_rows == 0:
        return groups
    enc = pc.dictionary_encode(t[f"reason_{dropped}"]).combine_chunks()
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    names = enc.dictionary.to_pylist()
    ids = t["id"].to_pylist()
    chosen = dict(smallest_per_group(codes, np.zeros(len(codes)), id_hashes(ids), EXAMPLES))
    dom = pc.dictionary_encode(t[f"domain_{dropped}"]).combine_chunks()
    dom_codes = dom.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    dom_names = dom.dictionary.to_pylist()
    for code, name in enumerate(names):
        sel = codes == code
        per_domain = np.bincount(dom_codes[sel], minlength=len(dom_names))
        groups.append(
            {
                "reason": name,
                "documents": int(sel.sum()),
                "per_domain": {d: int(n) for d, n in sorted(zip(dom_names, per_domain, strict=True)) if n},
                "ids": [ids[i] for i in chosen.get(code, [])],
            }
        )
    groups.sort(key=lambda g: (-g["documents"], g["reason"]))
    return groups


def _changed_thresholds(a: Run, b: Run) -> list[dict[str, Any]]:
    ta = {(t.reason, t.bound): t.value for t in thresholds(a.filters)}
    tb = {(t.reason, t.bound): t.value for t in thresholds(b.filters)}
    out = []
    for key in sorted(set(ta) | set(tb)):
        if ta.get(key) != tb.get(key):
            out.append({"reason": key[0], "bound": key[1], "a": ta.get(key), "b": tb.get(key)})
    return out


def _funnel(run: Run) -> list[dict[str, Any]]:
    c = run.manifest.counts
    steps = [{"step": "records read", "documents": c.records}]
    steps += [
        {"step": r, "documents": n} for r, n in sorted(c.dropped.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return [*steps, {"step": KEPT, "documents": c.kept}]


def _summary(run: Run) -> dict[str, Any]:
    m = run.manifest
    return {
        "path": run.path,
        "config_hash": m.config_hash,
        "redecided_from": run.source.path if run.source else m.redecided_from,
        "records": m.counts.records,
        "kept": m.counts.kept,
        "funnel": _funnel(run),
    }


def build_comparison(path_a: str, path_b: str) -> dict[str, Any]:
    a, b = open_run(path_a), open_run(path_b)
    for run in (a, b):
        check_tables(run)
    ma, mb = a.manifest, b.manifest
    joined = _outcomes(a, "a").join(_outcomes(b, "b"), keys="id", join_type="full outer", use_threads=False)
    outcome = {
        s: pc.if_else(
            pc.is_null(joined[f"in_{s}"]),
            ABSENT,
            pc.coalesce(joined[f"reason_{s}"], pa.scalar(KEPT)),
        )
        for s in ("a", "b")
    }
    pairs = pa.table({"a": outcome["a"], "b": outcome["b"]})
    transitions = (
        pairs.group_by(["a", "b"], use_threads=False)
        .aggregate([([], "count_all")])
        .filter(pc.not_equal(pc.field("a"), pc.field("b")))
        .sort_by([("count_all", "descending"), ("a", "ascending"), ("b", "ascending")])
    )
    runs = {"a": a, "b": b}
    sides = {}
    for kept, dropped in (("a", "b"), ("b", "a")):
        groups = _flips(joined, kept, dropped)
        rows = _rows_by_id(runs[dropped], {i for g in groups for i in g["ids"]})
        wanted: dict[str, str | None] = {i: r["domain"] for i, r in rows.items()}
        texts = fetch(runs[kept], wanted)  # the keeping run holds the text in its shards
        texts.update(fetch(runs[dropped], {i: d for i, d in wanted.items() if i not in texts}))
        filters = runs[dropped].filters
        for g in groups:
            g["examples"] = [example(rows[i], filters, texts) for i in g.pop("ids") if i in rows]
        sides[f"kept_in_{kept}_only"] = {
            "documents": sum(g["documents"] for g in groups),
            "by_reason": groups,
        }
    reasons = sorted(set(ma.counts.dropped) | set(mb.counts.dropped))
    domains = sorted(set(ma.domains) | set(mb.domains))
    funnel = [{"step": "records read", "a": ma.counts.records, "b": mb.counts.records}]
    funnel += sorted(
        ({"step": r, "a": ma.counts.dropped.get(r, 0), "b": mb.counts.dropped.get(r, 0)} for r in reasons),
        key=lambda r: (-abs(r["b"] - r["a"]), r["step"]),
    )
    funnel.append({"step": KEPT, "a": ma.counts.kept, "b": mb.counts.kept})

    def dom(m, d):
        return m.domains.get(d)

    domain_rows = [
        {
            "domain": d,
            "kept_a": dom(ma, d).kept if dom(ma, d) else 0,
            "kept_b": dom(mb, d).kept if dom(mb, d) else 0,
            "dropped_a": sum(dom(ma, d).dropped.values()) if dom(ma, d) else 0,
            "dropped_b": sum(dom(mb, d).dropped.values()) if dom(mb, d) else 0,
            "reasons": {
                r: [
                    dom(ma, d).dropped.get(r, 0) if dom(ma, d) else 0,
                    dom(mb, d).dropped.get(r, 0) if dom(mb, d) else 0,
                ]
                for r in reasons
                if (dom(ma, d) and r in dom(ma, d).dropped) or (dom(mb, d) and r in dom(mb, d).dropped)
            },
        }
        for d in domains
    ]
    in_a = pc.sum(pc.is_valid(joined["in_a"])).as_py() or 0
    in_b = pc.sum(pc.is_valid(joined["in_b"])).as_py() or 0
    both = pc.sum(pc.and_(pc.is_valid(joined["in_a"]), pc.is_valid(joined["in_b"]))).as_py() or 0
    problems = [f"A: {p}" for p in a.problems] + [f"B: {p}" for p in b.problems]
    notes = [f"A: {n}" for n in a.notes] + [f"B: {n}" for n in b.notes]
    return {
        "kind": "headwater.stats.compare",
        "version": 1,
        "a": _summary(a),
        "b": _summary(b),
        "problems": problems,
        "notes": notes,
        "thresholds_changed": _changed_thresholds(a, b),
        "funnel": funnel,
        "domains": domain_rows,
        "transitions": [
            {"a": r["a"], "b": r["b"], "documents": r["count_all"]} for r in transitions.to_pylist()
        ],
        **sides,
        "only_in_a": int(in_a - both),
        "only_in_b": int(in_b - both),
    }
