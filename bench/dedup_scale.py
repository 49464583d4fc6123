"""Exact + near dedup of many generated short documents on one machine: wall time and peak RSS.

    python bench/dedup_scale.py                          # 1,000,000 documents, FnApiRunner
    python bench/dedup_scale.py --docs 50000 --runner multi_processing --workers 2

Not part of the test suite: it takes minutes. The documents are generated inside the pipeline
(one seeded shard per element), so the pipeline graph stays small whatever ``--docs`` is.
``--exact-rate`` of them are copies of an earlier document with case, spacing and punctuation
changed (exact duplicates after normalisation), ``--near-rate`` are copies with a few words
substituted (near-duplicates at Jaccard about 0.6-0.9), the rest are distinct. Each document
is labelled when it is generated: a distinct one, an original that got copies, an exact copy,
a near copy at or above the config's Jaccard threshold or one below it (the exact Jaccard of the
two texts' word-5-gram sets, `devkit.synthetic.jaccard`, computed by the generator, not by the
code under test). Printed: per label how many documents were kept and removed, so recall is
"planted copies removed / planted" and false removals are originals and distinct documents
removed; the dedup counters, wall and CPU time and the peak resident memory of this process and
of its largest worker process. ``--results`` stores bench/results/dedup_scale.json.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from harness import cpu_seconds, write_result

from corpus.config import DedupConfig, MinHashConfig
from devkit.synthetic import TextGenerator, jaccard
from formats.documents import Document
from pipelines.dedup import ExactDedup, NearDedup
from pipelines.transforms import NAMESPACE


class GenerateShard(beam.DoFn):
    """Shard ``i`` of the corpus: ``per_shard`` documents from a generator seeded with ``i``.

    Duplicates copy documents of the same shard (their originals come earlier in it), so every
    shard is reproducible on its own.
    """

    def __init__(
        self, per_shard: int, words: int, exact_rate: float, near_rate: float, threshold: float
    ) -> None:
        self.threshold = threshold
        self.per_shard = per_shard
        self.words = words
        self.exact_rate = exact_rate
        self.near_rate = near_rate
        self.gen: TextGenerator | None = None

    def setup(self) -> None:
        self.gen = TextGenerator(seed=0, vocab_size=50_000)

    def process(self, shard: int):
        gen = self.gen
        assert gen is not None
        gen.rng = np.random.default_rng(shard + 1)
        rng = np.random.default_rng(10_000_000 + shard)
        originals: list[tuple[int, list[str]]] = []  # (index in the shard, words)
        made: list[tuple[str, str]] = []  # (label, text); labels of originals are fixed below
        copied: set[int] = set()
        lengths = gen.lengths(self.per_shard, median=self.words, sigma=0.5, lo=10)
        for n_words in lengths:
            roll = rng.random()
            if originals and roll < self.exact_rate:
                at, words = originals[int(rng.integers(len(originals)))]
                text = gen.render(list(words)).upper()  # same words, other case and punctuation
                label = "exact copy"
            elif originals and roll < self.exact_rate + self.near_rate:
                at, source = originals[int(rng.integers(len(originals)))]
                words = list(source)
                for p in rng.choice(len(words), size=max(1, len(words) // 40), replace=False):
                    words[p] = gen.words(1)[0]
                text = gen.render(words)
                near = jaccard(made[at][1], text) >= self.threshold
                label = "near copy, J >= threshold" if near else "near copy, J < threshold"
            else:
                words = gen.words(int(n_words))
                originals.append((len(made), words))
                made.append(("distinct", gen.render(list(words))))
                continue
            copied.add(at)
            made.append((label, text))
        for i, (label, text) in enumerate(made):
            doc_id = f"{shard:05d}-{i:06d}"
            label = "original with copies" if i in copied else label
            yield Document(id=doc_id, url=f"https://example.com/{label}/{doc_id}", domain="web", text=text)


LABELS = (
    "distinct",
    "original with copies",
    "exact copy",
    "near copy, J >= threshold",
    "near copy, J < threshold",
)


class CountOutcome(beam.DoFn):
    """Counters, not a collected list: they reach the driver from worker processes too."""

    def process(self, doc: Document):
        label = doc.url.split("/")[3]
        Metrics.counter(NAMESPACE, f"outcome.{doc.drop_reason or 'kept'}").inc()
        Metrics.counter(NAMESPACE, f"label.{label}.{'kept' if doc.drop_reason is None else 'removed'}").inc()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--shard-size", type=int, default=5000)
    ap.add_argument("--words", type=int, default=60, help="median words per document")
    ap.add_argument("--exact-rate", type=float, default=0.05)
    ap.add_argument("--near-rate", type=float, default=0.05)
    ap.add_argument("--runner", choices=("fnapi", "multi_processing", "multi_threading"), default="fnapi")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--verify", choices=("exact", "signature", "none"), default="exact")
    ap.add_argument("--results", action="store_true", help="store bench/results/dedup_scale.json")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    shards = -(-args.docs // args.shard_size)
    per_shard = args.docs // shards
    n_docs = per_shard * shards
    if args.runner == "fnapi":
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        runner, options = FnApiRunner(), PipelineOptions([])
    else:
        runner = "DirectRunner"
        options = PipelineOptions([], direct_running_mode=args.runner, direct_num_workers=args.workers)
    config = DedupConfig(minhash=MinHashConfig(verify=args.verify))

    t0, c0 = time.perf_counter(), cpu_seconds()
    p = beam.Pipeline(runner=runner, options=options)
    _ = (
        p
        | beam.Create(list(range(shards)))
        | beam.Reshuffle()
        | beam.ParDo(
            GenerateShard(per_shard, args.words, args.exact_rate, args.near_rate, config.minhash.threshold)
        )
        | ExactDedup(config)
        | NearDedup(config)
        | beam.ParDo(CountOutcome())
    )
    result = p.run()
    result.wait_until_finish()
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    counters = {
        c.key.metric.name: c.committed
        for c in result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]
    }
    outcomes = {k.removeprefix("outcome."): v for k, v in counters.items() if k.startswith("outcome.")}
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20

    print(
        f"dedup scale: {n_docs:,} documents ({args.words} words median, {args.exact_rate:.0%} exact and "
        f"{args.near_rate:.0%} near copies), runner {args.runner}"
        + (f" x{args.workers}" if args.runner != "fnapi" else "")
        + f", verify {args.verify}"
    )
    for reason in sorted(outcomes):
        print(f"  {reason:<20}{outcomes[reason]:>12,}")
    total = sum(outcomes.values())
    print(f"  {'total out':<20}{total:>12,}  (in: {n_docs:,})")
    for name in sorted(counters):
        if name.startswith("dedup."):
            print(f"  {name:<32}{counters[name]:>12,}")
    cols = ["planted as", "documents", "kept", "removed", "removed share"]
    rows = []
    for label in LABELS:
        kept = counters.get(f"label.{label}.kept", 0)
        removed = counters.get(f"label.{label}.removed", 0)
        if kept + removed:
            rows.append(
                [
                    label,
                    f"{kept + removed:,}",
                    f"{kept:,}",
                    f"{removed:,}",
                    f"{removed / (kept + removed):.4f}",
                ]
            )
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(row))
    print(
        f"wall time {wall:,.0f} s ({n_docs / wall:,.0f} docs/s), CPU {cpu:,.0f} s (this process and waited-for children)"
    )
    print(f"peak RSS: this process {own:.2f} GiB, largest worker process {children:.2f} GiB")
    if total != n_docs:
        print("ERROR: documents lost or duplicated", file=sys.stderr)
        return 1
    if args.results:
        write_result(
            "dedup_scale",
            [
                {
                    "id": "dedup-scale",
                    "columns": cols,
                    "rows": rows,
                    "note": f"{n_docs:,} documents ({args.words} words median), runner {args.runner}, verify "
                    f"{args.verify}, threshold {config.minhash.threshold}: {wall:,.0f} s wall "
                    f"({n_docs / wall:,.0f} docs/s), {cpu:,.0f} s CPU, peak RSS {own:.2f} GiB "
                    f"(largest worker {children:.2f} GiB).",
                }
            ],
            {"counters": counters, "wall_s": wall, "cpu_s": cpu},
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
