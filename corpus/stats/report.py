"""The statistics of one run as one JSON-able document: what ``--json`` prints and what the HTML
and the terminal tables draw, so the three never disagree.

Exact counts come from the manifest (and are checked against ``attributes/``); score histograms,
lengths, languages, hosts and duplicate clusters from one streamed pass over ``attributes/``;
shard sizes from Parquet footers; text, for the few documents shown as examples, from the shards
and ``dropped/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpus.filters.base import Filter
from corpus.stats.files import check_mds, check_tables, parquet_shards
from corpus.stats.rules import DUPLICATES, deciding_score
from corpus.stats.runs import Run, open_run
from corpus.stats.scan import DROPPED_ELSEWHERE, DROPPED_HERE, KEPT, Scan, ScoreValues, scan_attributes
from corpus.stats.texts import Found, fetch, first_lines
from corpus.stats.tokens import token_summary
from formats.clean_manifest import KEPT as KEPT_OUTCOME

REPORT_VERSION = 1
BINS = 30
INTEGER_BINS = 40
"""Integer-valued scores spanning at most this many values get one bin per value."""
CLIP = 0.005
"""Histograms span the 0.5th to 99.5th percentile (widened to a threshold inside the data); the
values beyond fall into the edge bins and are counted apart."""
TOP_HOSTS = 15
LARGEST_CLUSTERS = 5
NO_PARAGRAPHS_NOTE = (
    "This run did not record paragraph dedup: dedup.paragraphs was off, or the run predates it."
)


def example(row: dict[str, Any], filters: Sequence[Filter], texts: dict[str, Found]) -> dict[str, Any]:
    """One document as the report shows it: where it is from, what happened to it, what decided
    it, and its first lines when the text is at hand (None when the run did not keep it)."""
    found = texts.get(row["id"])
    decided = deciding_score(filters, row["drop_reason"], row["scores"], row["drop_detail"] or "")
    if "duplicate_of" in decided and (kept := texts.get(decided["duplicate_of"])) is not None:
        decided["duplicate_of_url"] = kept.url
    return {
        "id": row["id"],
        "url": row["url"],
        "domain": row["domain"],
        "lang": row["lang"] or None,
        "outcome": row["drop_reason"] or KEPT_OUTCOME,
        "chars": row["n_chars"] if row["n_chars"] else (len(found.text) if found else None),
        "decided_by": decided,
        "text": first_lines(found.text) if found else None,
    }


def _histogram(name: str, acc: ScoreValues, thresholds: list[dict[str, Any]]) -> dict[str, Any]:
    values, tags = acc.arrays()
    values = values.astype(np.float64)
    out: dict[str, Any] = {"score": name, "documents": int(values.size), "nonfinite": acc.nonfinite}
    if values.size == 0:
        return {**out, "edges": [], "counts": {}, "below": 0, "above": 0, "thresholds": thresholds}
    vmin, vmax = float(values.min()), float(values.max())
    inside = [t["value"] for t in thresholds if vmin <= t["value"] <= vmax]
    if np.all(values == np.round(values)) and vmax - vmin <= INTEGER_BINS:
        edges = np.arange(vmin - 0.5, vmax + 1.5)
    else:
        lo, hi = (float(q) for q in np.quantile(values, [CLIP, 1 - CLIP]))
        lo, hi = min([lo, *inside]), max([hi, *inside])
        if hi <= lo:
            lo, hi = vmin, vmax if vmax > vmin else vmin + 1.0
        inner = [float(f"{e:.6g}") for e in np.linspace(lo, hi, BINS + 1)[1:-1]]  # short JSON
        edges = np.array([lo, *inner, hi])
    clipped = np.clip(values, edges[0], edges[-1])
    counts = {
        side: np.histogram(clipped[tags == tag], bins=edges)[0].tolist()
        for side, tag in (
            ("kept", KEPT),
            ("dropped_here", DROPPED_HERE),
            ("dropped_elsewhere", DROPPED_ELSEWHERE),
        )
    }
    return {
        **out,
        "min": vmin,
        "median": float(np.median(values)),
        "max": vmax,
        "edges": edges.tolist(),
        "counts": counts,
        "below": int((values < edges[0]).sum()),
        "above": int((values > edges[-1]).sum()),
        "thresholds": thresholds,
    }


def _group_sum(table: pa.Table, keys: list[str]) -> pa.Table:
    """``count_all`` summed per ``keys``, split into kept and dropped."""
    kept = pc.if_else(pc.is_null(table["drop_reason"]), table["count_all"], 0)
    t = (
        table.select(keys)
        .append_column("kept", kept)
        .append_column("dropped", pc.subtract(table["count_all"], kept))
    )
    return t.group_by(keys, use_threads=False).aggregate([("kept", "sum"), ("dropped", "sum")])


def _top(table: pa.Table, column: str, n: int, key: str) -> list[dict[str, Any]]:
    t = table.filter(pc.greater(table[column], 0)).sort_by([(column, "descending"), (key, "ascending")])
    return t.slice(0, n).to_pylist()


def _hosts(outcomes: pa.Table) -> dict[str, list[dict[str, Any]]]:
    per_host = _group_sum(outcomes, ["host"])
    dropped = _top(per_host, "dropped_sum", TOP_HOSTS, "host")
    names = pa.array([r["host"] for r in dropped], pa.string())
    mask = pc.and_(pc.is_in(outcomes["host"], value_set=names), pc.is_valid(outcomes["drop_reason"]))
    why = (
        outcomes.filter(mask)
        .group_by(["host", "drop_reason"], use_threads=False)
        .aggregate([("count_all", "sum")])
        .sort_by([("count_all_sum", "descending"), ("drop_reason", "ascending")])
    )
    main: dict[str, tuple[str, int]] = {}
    for r in why.to_pylist():
        main.setdefault(r["host"], (r["drop_reason"], r["count_all_sum"]))

    def row(r: dict[str, Any], with_reason: bool) -> dict[str, Any]:
        out = {"host": r["host"] or "(none)", "kept": r["kept_sum"], "dropped": r["dropped_sum"]}
        if with_reason:
            out["main_reason"], out["main_reason_documents"] = main[r["host"]]
        return out

    return {
        "kept": [row(r, False) for r in _top(per_host, "kept_sum", TOP_HOSTS, "host")],
        "dropped": [row(r, True) for r in dropped],
        "distinct": per_host.num_rows,
    }


def _languages(outcomes: pa.Table) -> list[dict[str, Any]]:
    rows = _group_sum(outcomes, ["lang"]).to_pylist()
    rows.sort(key=lambda r: (-(r["kept_sum"] + r["dropped_sum"]), r["lang"] or ""))
    return [{"lang": r["lang"] or "(none)", "kept": r["kept_sum"], "dropped": r["dropped_sum"]} for r in rows]


def _check_counts(run: Run, outcomes: pa.Table) -> None:
    """Every document of ``attributes/`` against the manifest's exact counts per domain and
    outcome: a difference means a file lost or damaged documents."""
    got = {
        (r["domain"], r["drop_reason"] or KEPT_OUTCOME): r["count_all_sum"]
        for r in outcomes.group_by(["domain", "drop_reason"], use_threads=False)
        .aggregate([("count_all", "sum")])
        .to_pylist()
    }
    want = {}
    for domain, c in run.manifest.domains.items():
        want[(domain, KEPT_OUTCOME)] = c.kept
        want.update({(domain, r): n for r, n in c.dropped.items()})
    for key in sorted(set(got) | set(want)):
        if got.get(key, 0) != want.get(key, 0):
            run.problems.append(
                f"attributes/ hold {got.get(key, 0):,} documents of {key[0]} with outcome {key[1]}, "
                f"the manifest counts {want.get(key, 0):,}"
            )


def _dedup(scan: Scan) -> tuple[list[dict[str, Any]], list[str]]:
    out, heads = [], []
    if scan.duplicates is None:
        return [], []
    for reason in DUPLICATES:
        t = scan.duplicates.filter(pc.equal(scan.duplicates["drop_reason"], reason))
        if t.num_rows == 0:
            continue
        copies = t["count_all"].to_numpy()
        sizes, clusters = np.unique(copies + 1, return_counts=True)
        largest = t.sort_by([("count_all", "descending"), ("drop_detail", "ascending")]).slice(
            0, LARGEST_CLUSTERS
        )
        rows = [
            {
                "kept_id": r["drop_detail"],
                "kept_url": None,
                "size": r["count_all"] + 1,
                "copy_url": r["url_min"],
            }
            for r in largest.to_pylist()
        ]
        heads += [r["kept_id"] for r in rows]
        out.append(
            {
                "reason": reason,
                "clusters": int(t.num_rows),
                "copies": int(copies.sum()),
                "sizes": [{"size": int(s), "clusters": int(c)} for s, c in zip(sizes, clusters, strict=True)],
                "largest": rows,
            }
        )
    return out, heads


def _paragraphs(run: Run) -> tuple[dict[str, Any] | None, str]:
    """Paragraph dedup's counts and the paragraphs removed most often, from the manifest (a
    re-decision's from the run it re-decided, whose shards hold the deduplicated text)."""
    counts = run.manifest.paragraph_dedup
    origin = ""
    if counts is None and run.source is not None:
        counts, origin = run.source.manifest.paragraph_dedup, f" (in {run.source.path}, re-decided here)"
    if counts is None:
        return None, NO_PARAGRAPHS_NOTE
    c = counts.model_dump(mode="json")
    share = c["chars_removed"] / c["chars"] if c["chars"] else 0.0
    note = (
        f"{c['paragraphs_removed']:,} of {c['paragraphs']:,} paragraphs ({100 * share:.2f}% of their characters) "
        f"removed from {c['documents_changed']:,} of {c['documents']:,} documents{origin}; "
        f"{c['repeated']:,} distinct paragraphs were repeated; {c['documents_dropped']:,} documents "
        "were left too short and dropped as duplicate_paragraphs."
    )
    return {**c, "chars_removed_share": share}, note


def _length_row(lengths: np.ndarray | None) -> dict[str, Any]:
    if lengths is None or lengths.size == 0:
        return {"mean_chars": None, "p10_chars": None, "median_chars": None, "p90_chars": None}
    p10, p50, p90 = np.quantile(lengths, [0.1, 0.5, 0.9])
    return {
        "mean_chars": float(lengths.mean()),
        "p10_chars": float(p10),
        "median_chars": float(p50),
        "p90_chars": float(p90),
    }


def build_report(path: str, tokens_dir: str | None = None) -> dict[str, Any]:
    """Everything the report shows about the run in ``path``."""
    run = open_run(path)
    shards = parquet_shards(run)
    check_mds(run)
    check_tables(run)
    scan = scan_attributes(run)
    if scan.outcomes is not None:
        _check_counts(run, scan.outcomes)
    dedup, heads = _dedup(scan)

    wanted: dict[str, str | None] = {}
    picked = [*scan.reasons.groups.values(), *scan.domains.groups.values(), *scan.near.groups.values()]
    for group in picked:
        for _, row in group:
            wanted[row["id"]] = row["domain"]
            if row["drop_reason"] in DUPLICATES and row["drop_detail"]:
                wanted.setdefault(row["drop_detail"], None)
    wanted.update({h: None for h in heads if h not in wanted})
    texts = fetch(run, wanted)
    filters = run.filters

    def examples(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [example(r, filters, texts) for r in rows]

    for d in dedup:
        for r in d["largest"]:
            r["kept_url"] = texts[r["kept_id"]].url if r["kept_id"] in texts else None

    m = run.manifest
    token_rows = token_summary(tokens_dir, m.config_hash, run.problems, run.notes) if tokens_dir else None
    tokens_of = {r["domain"]: r["tokens"] for r in token_rows["domains"]} if token_rows else {}
    domains = []
    for name, c in sorted(m.domains.items()):
        domains.append(
            {
                "domain": name,
                "kept": c.kept,
                "dropped": sum(c.dropped.values()),
                "kept_chars": c.kept_chars,
                **_length_row(scan.lengths.get(name)),
                "tokens": tokens_of.get(name),
                "examples": {
                    "kept": examples(scan.domains.rows((name, "kept"))),
                    "dropped": examples(scan.domains.rows((name, "dropped"))),
                },
            }
        )
    reasons = [
        {
            "reason": reason,
            "documents": n,
            "share": n / m.counts.records if m.counts.records else 0.0,
            "per_domain": {d: c.dropped[reason] for d, c in sorted(m.domains.items()) if reason in c.dropped},
            "examples": examples(scan.reasons.rows(reason)),
        }
        for reason, n in sorted(m.counts.dropped.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    by_score: dict[str, list[int]] = {}
    for i, t in enumerate(scan.thresholds):
        by_score.setdefault(t.score, []).append(i)
    scores = []
    for name in sorted(scan.scores):
        idx = by_score.get(name, [])
        h = _histogram(name, scan.scores[name], [scan.thresholds[i].as_json() for i in idx])
        h["near"] = [
            {
                **scan.thresholds[i].as_json(),
                "inside": examples(scan.near.rows((i, "inside"))),
                "outside": examples(scan.near.rows((i, "outside"))),
            }
            for i in idx
        ]
        scores.append(h)
    paragraphs, paragraphs_note = _paragraphs(run)
    problems = list(run.problems)
    if run.source is not None:
        problems += [f"re-decided run {run.source.path}: {p}" for p in run.source.problems]
    return {
        "kind": "headwater.stats",
        "version": REPORT_VERSION,
        "run": {
            "path": run.path,
            "config_hash": m.config_hash,
            "config_recorded": run.config is not None,
            "redecided_from": run.source.path if run.source else m.redecided_from,
            "inputs": len(m.inputs),
            "records": m.counts.records,
            "kept": m.counts.kept,
            "attribute_rows": scan.rows,
            "dropped_text_kept": run.keeps_dropped_text,
        },
        "problems": problems,
        "notes": list(run.notes),
        "funnel": [
            {"step": "records read", "documents": m.counts.records},
            *[{"step": r["reason"], "documents": r["documents"]} for r in reasons],
            {"step": KEPT_OUTCOME, "documents": m.counts.kept},
        ],
        "domains": domains,
        "reasons": reasons,
        "scores": scores,
        "dedup": dedup,
        "hosts": _hosts(scan.outcomes)
        if scan.outcomes is not None
        else {"kept": [], "dropped": [], "distinct": 0},
        "languages": _languages(scan.outcomes) if scan.outcomes is not None else [],
        "tokens": token_rows,
        "paragraphs": paragraphs,
        "paragraphs_note": paragraphs_note,
        "shards": [s.as_json() for s in shards],
    }
