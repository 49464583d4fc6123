"""Precision and recall of near dedup against pairs of known Jaccard similarity.

    python bench/dedup_quality.py                       # Beam NearDedup, config defaults
    python bench/dedup_quality.py --engine reference    # the single-machine union-find twin
    python bench/dedup_quality.py --bands 20 --rows 5 --threshold 0.8 --no-verify

The corpus (seeded, `devkit.synthetic`): ``--pairs`` near-duplicate pairs with Jaccard
uniform in [threshold, 1] (they should be found), as many hard negatives with Jaccard uniform in
[0, threshold) (edited copies that should not be), and as many unrelated documents. Similarities
are exact, over the two texts' shingle sets. A pair counts as found when both documents end in
the same component (one is marked a duplicate of the other, or both of the same third one);
any document merged with a document outside its own pair is a false merge.

Printed: precision and recall over all pairs, the same over pairs at least ``--margin`` away
from the threshold (how sharp the cut is away from the boundary), and the detection rate per
Jaccard bin beside the LSH S-curve ``1 - (1 - s**r)**b``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def evaluate(pairs, marks: dict[str, str], threshold: float, margin: float):
    def root(x: str) -> str:
        return marks.get(x, x)

    pair_of = {}
    for a, b, _ in pairs:
        pair_of[a] = pair_of[b] = (a, b)
    false_merges = sum(1 for x, kept in marks.items() if pair_of.get(x) != pair_of.get(kept))
    j = np.array([p.jaccard for _, _, p in pairs])
    found = np.array([root(a) == root(b) for a, b, _ in pairs])

    def pr(mask):
        """(tp, fp, positives, precision, recall) over the pairs in ``mask``."""
        positive = (j >= threshold) & mask
        tp = int(np.sum(found & positive))
        fp = int(np.sum(found & ~positive & mask))
        pos = int(positive.sum())
        return tp, fp, pos, tp / max(1, tp + fp + false_merges), tp / max(1, pos)

    tp, fp, pos, precision, recall = pr(np.ones_like(found))
    far = np.abs(j - threshold) >= margin
    *_, precision2, recall2 = pr(far)
    return {
        "pairs": len(pairs),
        "positives": pos,
        "tp": tp,
        "fp": fp,
        "false_merges": false_merges,
        "precision": precision,
        "recall": recall,
        "far_pairs": int(far.sum()),
        "precision_far": precision2,
        "recall_far": recall2,
        "j": j,
        "found": found,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=1000, help="positive pairs (as many negatives, singles)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--words", type=int, default=300, help="median document length in words")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--bands", type=int, default=None)
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--verify", choices=("exact", "signature", "none"), default=None)
    ap.add_argument("--margin", type=float, default=0.05)
    ap.add_argument("--engine", choices=("beam", "reference"), default="beam")
    args = ap.parse_args(argv)

    overrides = {}
    for key in ("threshold", "bands", "rows", "verify"):
        if getattr(args, key) is not None:
            overrides[key] = getattr(args, key)
    config = MinHashConfig(**overrides)
    bands, rows = config.lsh_params()
    t0 = time.perf_counter()
    pairs, docs = make_corpus(args.pairs, config.threshold, args.seed, args.words)
    t1 = time.perf_counter()
    marks = (run_beam if args.engine == "beam" else run_reference)(docs, config)
    t2 = time.perf_counter()
    r = evaluate(pairs, marks, config.threshold, args.margin)

    print(
        f"near dedup quality: {bands} bands x {rows} rows, shingles of {config.shingle_size} words, "
        f"threshold {config.threshold}, verify {config.verify}, engine {args.engine}"
    )
    print(
        f"corpus: {len(docs)} documents ({r['pairs']} pairs, {r['positives']} with J >= threshold, "
        f"{len(docs) - 2 * r['pairs']} unrelated), made in {t1 - t0:.1f} s; dedup {t2 - t1:.1f} s"
    )
    print(f"{'population':<34}{'precision':>10}{'recall':>9}{'pairs':>8}")
    print(f"{'all pairs':<34}{r['precision']:>10.4f}{r['recall']:>9.4f}{r['pairs']:>8}")
    label = f"pairs with |J - threshold| >= {args.margin}"
    print(f"{label:<34}{r['precision_far']:>10.4f}{r['recall_far']:>9.4f}{r['far_pairs']:>8}")
    print(
        f"true positives {r['tp']}, false positives {r['fp']}, false merges across pairs {r['false_merges']}"
    )
    print()
    print(f"{'Jaccard bin':<14}{'pairs':>7}{'found':>8}{'LSH S-curve':>13}")
    edges = np.round(np.arange(0.0, 1.0001, 0.05), 2)
    for lo, hi in itertools.pairwise(edges):
        m = (r["j"] >= lo) & ((r["j"] < hi) if hi < 1.0 else (r["j"] <= hi))
        if not m.any():
            continue
        mid = float(np.mean(r["j"][m]))
        print(
            f"[{lo:.2f}, {hi:.2f}{')' if hi < 1 else ']'}  {int(m.sum()):>7}{np.mean(r['found'][m]):>8.3f}"
            f"{collision_probability(mid, bands, rows):>13.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
