"""MinHash: shingling and the signature step apart, ours against rensa and datasketch at their best.

    python bench/minhash.py                       # 5,000 generated documents, 128 permutations
    python bench/minhash.py --docs 10000 --rounds 5 --results

Every contender starts from the same precomputed 32-bit shingle hashes (word 5-grams,
`corpus.dedup.shingling.shingle_hashes`), on one core (rensa's Rayon pool pinned to one thread),
so the headline table compares the signature step and nothing else:

- ours: `MinHasher.signatures_from_hashes` (numpy);
- rensa's fastest entry points, fed the hashes in the layout each wants (built before timing):
  ``RMinHash.digest_matrix_from_flat_token_hashes`` (flat buffer + offsets), its Rho-sketch
  variant ``..._rho`` and ``CMinHash.digests64_from_token_hash_sets``; the last two are other
  sketches (a densified one-permutation sketch, C-MinHash) whose Jaccard estimates differ from
  classic MinHash, and are labelled so;
- datasketch as its documentation recommends for speed: ``update_batch`` with a cheap
  ``hashfunc`` (identity over the precomputed ints), the permutations computed once and passed
  in (``permutations=``), a warm-up run first. Its signatures are checked bit-identical to ours.

Shingling is its own table: ours (numpy over a batch) against the Python strings of
`corpus.dedup.shingling.shingles` that a user of rensa or datasketch would hash. A last table is
from text to signature, ours against rensa given our shingle hashes.

Each table's contenders run in ``--rounds`` alternating rounds (order reversed every other
round, one warm-up first); reported: median docs per CPU-second with the spread (min-max over
rounds), wall seconds beside CPU seconds, and ours against each peer as the median of the
per-round ratios. ``--results`` stores bench/results/minhash.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one core for rensa, like everyone else

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Runs, alternate, ratio_summary, spread, summary, write_result

from corpus.dedup import MinHasher, shingles
from corpus.dedup.shingling import shingle_hashes
from devkit.synthetic import TextGenerator


def table(
    title: str, n: int, runs: dict[str, Runs], ours: str, labels: dict[str, str]
) -> tuple[list[str], list[list[str]], dict]:
    """Rows of docs/CPU-s (median, spread), wall and CPU seconds, and ours / each other row."""
    cols = [title, "docs/CPU-s, median (min-max)", "CPU s", "wall s", "ours is (median of rounds)"]
    rows, raw = [], {}
    for name, r in runs.items():
        rate = summary([n / s for s in r.cpu])
        ratio = ratio_summary(runs[ours].cpu, r.cpu)
        rows.append(
            [
                labels.get(name, name),
                spread(rate, ",.0f"),
                f"{statistics.median(r.cpu):.3f}",
                f"{statistics.median(r.wall):.3f}",
                "1.00x" if name == ours else f"{spread(ratio)}x",
            ]
        )
        raw[name] = {"cpu_s": r.cpu, "wall_s": r.wall}
    return cols, rows, raw


def print_table(cols: list[str], rows: list[list[str]]) -> None:
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(row))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--perms", type=int, default=128)
    ap.add_argument("--words", type=int, default=250, help="median words per document (log-normal)")
    ap.add_argument("--batch", type=int, default=512, help="documents per MinHasher.signatures call")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--results", action="store_true", help="store bench/results/minhash.json")
    args = ap.parse_args(argv)

    import rensa
    from datasketch import MinHash

    texts = TextGenerator(args.seed).corpus(args.docs, median=args.words)
    n, k = len(texts), args.perms
    hasher = MinHasher(num_perm=k, seed=1)
    hashes, offsets = shingle_hashes(texts, hasher.shingle_size)
    n_shingles = int(offsets[-1])

    # every peer's input in the layout it wants, built before any timing
    flat64, offsets64 = hashes.astype(np.uint64), offsets.astype(np.uint64)
    per_doc = [hashes[offsets[i] : offsets[i + 1]] for i in range(n)]
    per_doc_ints = [row.tolist() for row in per_doc]
    template = MinHash(num_perm=k, seed=1, scheme="affine32")

    def datasketch_doc(ints: list[int]) -> np.ndarray:
        m = MinHash(num_perm=k, seed=1, hashfunc=int, permutations=template.permutations, scheme="affine32")
        m.update_batch(ints)
        return m.hashvalues

    step: dict[str, Callable[[], object]] = {
        "ours": lambda: hasher.signatures_from_hashes(hashes, offsets),
        "rensa_flat": lambda: rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat64, offsets64, k, 1),
        "rensa_flat_rho": lambda: rensa.RMinHash.digest_matrix_from_flat_token_hashes_rho(
            flat64, offsets64, k, 1
        ),
        "rensa_cminhash": lambda: rensa.CMinHash.digests64_from_token_hash_sets(per_doc_ints, k, 1),
        "datasketch": lambda: [datasketch_doc(ints) for ints in per_doc_ints],
    }
    step_labels = {
        "ours": "ours `MinHasher.signatures_from_hashes`",
        "rensa_flat": "rensa `RMinHash.digest_matrix_from_flat_token_hashes`",
        "rensa_flat_rho": "rensa `..._flat_token_hashes_rho` (Rho sketch: estimates differ)",
        "rensa_cminhash": "rensa `CMinHash.digests64_from_token_hash_sets` (C-MinHash: estimates differ)",
        "datasketch": "datasketch `update_batch`, identity hashfunc, shared permutations",
    }
    # datasketch over the same hashes is the same hash family: the signatures must be identical
    ours_sig = hasher.signatures_from_hashes(hashes, offsets)
    ds_sig = np.array([datasketch_doc(per_doc_ints[i]) for i in range(min(n, 200))], dtype=np.uint32)
    if not np.array_equal(ours_sig[: len(ds_sig)], ds_sig):
        raise SystemExit("ours and datasketch disagree on the same shingle hashes: the comparison is void")

    shingling = {
        "ours": lambda: [shingle_hashes(texts[i : i + args.batch], 5) for i in range(0, n, args.batch)],
        "python": lambda: [shingles(t) for t in texts],
    }
    shingling_labels = {
        "ours": "ours `shingle_hashes` (numpy, batches of 512)",
        "python": "Python strings (`shingles`), what a peer is fed",
    }

    def rensa_from_text() -> None:
        for i in range(0, n, args.batch):
            h, o = shingle_hashes(texts[i : i + args.batch], 5)
            rensa.RMinHash.digest_matrix_from_flat_token_hashes(
                h.astype(np.uint64), o.astype(np.uint64), k, 1
            )

    from_text = {
        "ours": lambda: [hasher.signatures(texts[i : i + args.batch]) for i in range(0, n, args.batch)],
        "rensa": rensa_from_text,
    }
    from_text_labels = {
        "ours": "ours `MinHasher.signatures` (text in)",
        "rensa": "our `shingle_hashes` + rensa flat hashes",
    }

    results, tables = {}, []
    for tid, title, contenders, labels in (
        ("minhash-step", "signature step, same shingle hashes", step, step_labels),
        ("minhash-shingling", "shingling", shingling, shingling_labels),
        ("minhash-from-text", "text to signature", from_text, from_text_labels),
    ):
        runs = alternate(contenders, args.rounds, warmup=True)
        cols, rows, raw = table(title, n, runs, "ours", labels)
        print_table(cols, rows)
        results[tid] = raw
        tables.append({"id": tid, "columns": cols, "rows": rows})

    setting = (
        f"{n:,} documents, {n_shingles / n:.0f} shingles/doc on average (word 5-grams), {k} permutations, "
        f"one core, {args.rounds} alternating rounds after a warm-up"
    )
    print(setting)
    tables[0]["note"] = setting + "; datasketch's signatures checked identical to ours."
    if args.results:
        write_result("minhash", tables, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
