"""MinHash signatures per second: ours against datasketch and rensa on the same documents.

    python bench/minhash.py                 # 5,000 generated documents, 128 permutations
    python bench/minhash.py --docs 10000 --perms 112 --words 300

Every method starts from the same texts and produces 128 (``--perms``) minima over the same
word 5-gram shingles (`corpus.dedup.shingling`), on one core (rensa's Rayon pool is pinned to one
thread). Peers get their shingles the way a user of them would: as Python strings from
`corpus.dedup.shingling.shingles`. Two rows isolate the signature step from shingling: ours
(`MinHasher.signatures_from_hashes`) and rensa's fastest entry
(`RMinHash.digest_matrix_from_flat_token_hashes`), both given the same precomputed 32-bit
shingle hashes, and one row gives rensa our vectorised shingling. Times are CPU seconds of the
process (other load on a shared machine does not count), best of ``--repeat`` runs for the fast
methods, one run for datasketch.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # one core for rensa, like everyone else

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.dedup import MinHasher, shingles
from corpus.dedup.shingling import shingle_hashes
from devkit.synthetic import TextGenerator


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best CPU seconds of this process over ``repeat`` runs: other load on a shared machine
    does not count, and rensa's threads (pinned to one) would."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--perms", type=int, default=128)
    ap.add_argument("--words", type=int, default=250, help="median words per document (log-normal)")
    ap.add_argument("--batch", type=int, default=512, help="documents per MinHasher.signatures call")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--skip-datasketch", action="store_true")
    args = ap.parse_args(argv)

    import rensa
    from datasketch import MinHash

    texts = TextGenerator(args.seed).corpus(args.docs, median=args.words)
    n = len(texts)
    k = args.perms
    hasher = MinHasher(num_perm=k, seed=1)
    all_hashes, all_offsets = shingle_hashes(texts, hasher.shingle_size)
    n_shingles = int(all_offsets[-1])

    def ours() -> None:
        for i in range(0, n, args.batch):
            hasher.signatures(texts[i : i + args.batch])

    def ours_step() -> None:
        hasher.signatures_from_hashes(all_hashes, all_offsets)

    flat64 = all_hashes.astype(np.uint64)
    offsets64 = all_offsets.astype(np.uint64)

    def rensa_flat() -> None:
        rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat64, offsets64, k, 1)

    def ours_shingling_rensa_step() -> None:
        for i in range(0, n, args.batch):
            h, o = shingle_hashes(texts[i : i + args.batch], hasher.shingle_size)
            rensa.RMinHash.digest_matrix_from_flat_token_hashes(
                h.astype(np.uint64), o.astype(np.uint64), k, 1
            )

    def rensa_per_doc() -> None:
        for t in texts:
            m = rensa.RMinHash(k, 1)
            m.update(shingles(t))
            m.digest()

    def rensa_batch() -> None:
        rensa.RMinHash.digest_matrix_from_token_sets([shingles(t) for t in texts], k, 1)

    def datasketch_update() -> None:
        for t in texts:
            m = MinHash(num_perm=k, seed=1)
            for s in shingles(t):
                m.update(s.encode("utf-8"))

    def datasketch_bulk() -> None:
        MinHash.bulk([[s.encode("utf-8") for s in shingles(t)] for t in texts], num_perm=k, seed=1)

    ours()  # warm up: power tables, permutations, allocator
    results: list[tuple[str, float]] = []
    if not args.skip_datasketch:
        results.append(("datasketch MinHash.update per shingle", timed(datasketch_update, 1)))
        results.append(("datasketch MinHash.bulk", timed(datasketch_bulk, 1)))
    results.append(("rensa RMinHash per document", timed(rensa_per_doc, args.repeat)))
    results.append(("rensa digest_matrix_from_token_sets", timed(rensa_batch, args.repeat)))
    results.append(("our shingle_hashes + rensa flat hashes", timed(ours_shingling_rensa_step, args.repeat)))
    results.append(("ours MinHasher.signatures (from text)", timed(ours, args.repeat)))
    step_ours = timed(ours_step, args.repeat)
    step_rensa = timed(rensa_flat, args.repeat)

    rate = {name: n / s for name, s in results}
    print(
        f"MinHash signatures: {n} documents, {n_shingles / n:.0f} shingles/doc on average "
        f"(word 5-grams), {k} permutations, one core"
    )
    print(f"{'method (from text)':<42}{'docs/s':>10}{'ours is':>12}")
    ours_rate = rate["ours MinHasher.signatures (from text)"]
    for name, _ in results:
        print(f"{name:<42}{rate[name]:>10,.0f}{ours_rate / rate[name]:>11.1f}x")
    print()
    print(f"{'signature step only (same shingle hashes)':<42}{'docs/s':>10}{'ours is':>12}")
    print(
        f"{'rensa digest_matrix_from_flat_token_hashes':<42}{n / step_rensa:>10,.0f}{step_rensa / step_ours:>11.1f}x"
    )
    print(f"{'ours MinHasher.signatures_from_hashes':<42}{n / step_ours:>10,.0f}{1.0:>11.1f}x")
    if not args.skip_datasketch:
        base = rate["datasketch MinHash.update per shingle"]
        print(f"\nours vs datasketch update: {ours_rate / base:.1f}x (target >= 20x)")
    best_rensa = max(rate["rensa RMinHash per document"], rate["rensa digest_matrix_from_token_sets"])
    print(
        f"ours vs rensa from text, rensa shingled in Python: {ours_rate / best_rensa:.2f}x (target >= 0.5x)"
    )
    hybrid = rate["our shingle_hashes + rensa flat hashes"]
    print(f"ours vs rensa from text, rensa given our shingle hashes: {ours_rate / hybrid:.2f}x")
    print(f"ours vs rensa, signature step only: {step_rensa / step_ours:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
