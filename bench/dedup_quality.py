"""Precision and recall of near dedup against pairs whose truth the code under test does not compute.

    python bench/dedup_quality.py                       # Beam NearDedup, config defaults
    python bench/dedup_quality.py --engine reference    # the single-machine union-find twin
    python bench/dedup_quality.py --bands 20 --rows 5 --threshold 0.8 --verify none

The corpus (seeded, `devkit.synthetic`): ``--pairs`` edited pairs with shingle Jaccard uniform in
[threshold, 1], as many with Jaccard uniform in [0, threshold) (edited copies that share less),
and as many unrelated documents. Two truths label each pair:

- **edit similarity** (the headline): the normalised Levenshtein similarity of the two texts'
  characters (`rapidfuzz.distance.Levenshtein.normalized_similarity`), a pair being a duplicate
  when at least ``--edit-threshold`` of its characters survive. Neither shingles nor hashes are
  involved, so the verifier cannot agree with it by construction;
- **shingle Jaccard** (for reference): exact Jaccard of the two texts' word-5-gram sets, the very
  quantity an exact verifier thresholds: its precision is near 1.0 by construction.

A pair counts as found when both documents end in the same component (one marked a duplicate of
the other, or both of the same third one). A document merged with any document outside its own
pair (an unrelated one included) is a false merge and counts against precision.

Printed and stored (bench/results/dedup_quality.json with ``--results``): precision and recall
under each truth, and the detection rate per edit-similarity and per Jaccard bin beside the LSH
S-curve ``1 - (1 - s**r)**b``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus.config import DedupConfig, MinHashConfig
from corpus.dedup import collision_probability
from devkit.near_dedup_reference import reference_near_dedup
from devkit.synthetic import TextGenerator, near_duplicate_pair
from formats.documents import Document


def make_corpus(n_pairs: int, threshold: float, seed: int, median_words: int):
    gen = TextGenerator(seed)
    rng = np.random.default_rng(seed)
    pairs = []
    targets = np.concatenate([rng.uniform(threshold, 1.0, n_pairs), rng.uniform(0.0, threshold, n_pairs)])
    lengths = gen.lengths(2 * n_pairs, median=median_words, sigma=0.4, lo=60)
    for i, (target, n_words) in enumerate(zip(targets, lengths, strict=True)):
        pair = near_duplicate_pair(gen, int(n_words), float(target))
        pairs.append((f"p{i:06d}a", f"p{i:06d}b", pair))
    singles = gen.corpus(n_pairs, median=median_words, sigma=0.4)
    docs = [Document(id=a, url="", domain="web", text=p.a) for a, _, p in pairs]
    docs += [Document(id=b, url="", domain="web", text=p.b) for _, b, p in pairs]
    docs += [Document(id=f"u{i:06d}", url="", domain="web", text=t) for i, t in enumerate(singles)]
    return pairs, docs


def run_reference(docs: list[Document], config: MinHashConfig) -> dict[str, str]:
    return reference_near_dedup([d.id for d in docs], [d.text for d in docs], config)


def run_beam(docs: list[Document], config: MinHashConfig) -> dict[str, str]:
    """NearDedup on the FnApiRunner; the marks come back through a JSON-lines file."""
    import json
    import tempfile

    import apache_beam as beam
    from apache_beam.runners.portability.fn_api_runner import FnApiRunner

    from pipelines.dedup import NearDedup

    with tempfile.TemporaryDirectory() as tmp:
        with beam.Pipeline(runner=FnApiRunner()) as p:
            _ = (
                p
                | beam.Create(docs, reshuffle=False)
                | NearDedup(DedupConfig(exact=False, minhash=config))
                | beam.Filter(lambda d: d.drop_reason is not None)
                | beam.Map(lambda d: json.dumps([d.id, d.drop_detail]))
                | beam.io.WriteToText(f"{tmp}/marks", file_name_suffix=".jsonl")
            )
        marks: dict[str, str] = {}
        for path in Path(tmp).glob("marks*.jsonl"):
            for line in path.read_text().splitlines():
                doc_id, kept = json.loads(line)
                marks[doc_id] = kept
    return marks


def group_of(pairs) -> Callable[[str], object]:
    """Each document's own group: its pair for a paired document, itself for an unrelated one
    (so merging two unrelated documents is a false merge, not ``None == None``)."""
    pair_of = {}
    for a, b, _ in pairs:
        pair_of[a] = pair_of[b] = (a, b)
    return lambda x: pair_of.get(x, x)


def edit_similarities(pairs) -> np.ndarray:
    """Character-level normalised Levenshtein similarity of each pair (1 = identical)."""
    from rapidfuzz.distance import Levenshtein

    return np.array([Levenshtein.normalized_similarity(p.a, p.b) for _, _, p in pairs])


def evaluate(pairs, marks: dict[str, str], truth: np.ndarray, cut: float) -> dict:
    """Precision and recall of the found pairs against ``truth >= cut``.

    A false merge (a document marked a duplicate of one outside its pair) counts as a false
    positive whatever the truth says about the pairs involved.
    """

    def root(x: str) -> str:
        seen = set()
        while x in marks and x not in seen:
            seen.add(x)
            x = marks[x]
        return x

    group = group_of(pairs)
    false_merges = sum(1 for x, kept in marks.items() if group(x) != group(kept))
    found = np.array([root(a) == root(b) for a, b, _ in pairs])
    positive = truth >= cut
    tp = int(np.sum(found & positive))
    fp = int(np.sum(found & ~positive))
    pos = int(positive.sum())
    return {
        "pairs": len(pairs),
        "positives": pos,
        "tp": tp,
        "fp": fp,
        "false_merges": false_merges,
        "precision": tp / max(1, tp + fp + false_merges),
        "recall": tp / max(1, pos),
        "found": found,
    }


def bins(
    values: np.ndarray, found: np.ndarray, edges: np.ndarray
) -> list[tuple[float, float, int, float, float]]:
    """(lo, hi, pairs, found rate, mean value) per non-empty bin, the last bin closed."""
    out = []
    for lo, hi in itertools.pairwise(edges):
        m = (values >= lo) & ((values < hi) if hi < edges[-1] else (values <= hi))
        if m.any():
            out.append(
                (float(lo), float(hi), int(m.sum()), float(np.mean(found[m])), float(np.mean(values[m])))
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1000, help="positive pairs (as many negatives, singles)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--words", type=int, default=300, help="median document length in words")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--bands", type=int, default=None)
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--verify", choices=("exact", "signature", "none"), default=None)
    ap.add_argument(
        "--edit-threshold", type=float, default=0.9, help="edit similarity from which a pair is a duplicate"
    )
    ap.add_argument("--engine", choices=("beam", "reference"), default="beam")
    ap.add_argument("--results", action="store_true", help="store bench/results/dedup_quality.json")
    args = ap.parse_args(argv)

    overrides = {}
    for key in ("threshold", "bands", "rows", "verify"):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    config = MinHashConfig(**overrides)
    bands, rows = config.lsh_params()
    t0 = time.perf_counter()
    pairs, docs = make_corpus(args.pairs, config.threshold, args.seed, args.words)
    edit = edit_similarities(pairs)
    jac = np.array([p.jaccard for _, _, p in pairs])
    t1 = time.perf_counter()
    marks = (run_beam if args.engine == "beam" else run_reference)(docs, config)
    t2 = time.perf_counter()
    by_edit = evaluate(pairs, marks, edit, args.edit_threshold)
    by_jac = evaluate(pairs, marks, jac, config.threshold)

    setting = (
        f"{bands} bands x {rows} rows, shingles of {config.shingle_size} words, "
        f"threshold {config.threshold}, verify {config.verify}, engine {args.engine}"
    )
    print(f"near dedup quality: {setting}")
    print(
        f"corpus: {len(docs)} documents ({len(pairs)} pairs, {len(docs) - 2 * len(pairs)} unrelated), "
        f"made in {t1 - t0:.1f} s; dedup {t2 - t1:.1f} s"
    )
    rows_out = []
    for label, r in (
        (f"edit similarity >= {args.edit_threshold}", by_edit),
        (f"shingle Jaccard >= {config.threshold} (what the verifier computes)", by_jac),
    ):
        rows_out.append(
            [
                label,
                r["positives"],
                r["tp"],
                r["fp"],
                r["false_merges"],
                f"{r['precision']:.4f}",
                f"{r['recall']:.4f}",
            ]
        )
    cols = [
        "truth",
        "duplicate pairs",
        "found",
        "found, not duplicates",
        "false merges",
        "precision",
        "recall",
    ]
    print(" | ".join(cols))
    for row in rows_out:
        print(" | ".join(str(c) for c in row))
    found = by_edit["found"]
    edit_bins = bins(edit, found, np.round(np.arange(0.0, 1.0001, 0.05), 2))
    jac_bins = bins(jac, found, np.round(np.arange(0.0, 1.0001, 0.05), 2))
    print(f"\n{'edit-similarity bin':<20}{'pairs':>7}{'found':>8}")
    for lo, hi, n, rate, _ in edit_bins:
        print(f"[{lo:.2f}, {hi:.2f}{')' if hi < 1 else ']'}      {n:>7}{rate:>8.3f}")
    print(f"\n{'Jaccard bin':<14}{'pairs':>7}{'found':>8}{'LSH S-curve':>13}")
    for lo, hi, n, rate, mid in jac_bins:
        print(
            f"[{lo:.2f}, {hi:.2f}{')' if hi < 1 else ']'}  {n:>7}{rate:>8.3f}"
            f"{collision_probability(mid, bands, rows):>13.3f}"
        )
    if args.results:
        from harness import write_result

        bin_rows = [
            [f"[{lo:.2f}, {hi:.2f}{')' if hi < 1 else ']'}", n, f"{rate:.3f}"]
            for lo, hi, n, rate, _ in edit_bins
        ]
        write_result(
            "dedup_quality",
            [
                {
                    "id": "dedup-quality",
                    "columns": cols,
                    "rows": rows_out,
                    "note": f"{len(docs)} documents; {setting}; dedup {t2 - t1:.1f} s wall.",
                },
                {
                    "id": "dedup-quality-bins",
                    "columns": ["edit similarity", "pairs", "found"],
                    "rows": bin_rows,
                },
            ],
            {"edit": edit, "jaccard": jac, "found": found, "seconds": t2 - t1},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
