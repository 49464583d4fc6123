"""Score every main-text extractor on the article-extraction benchmark, in one run.

    python bench/extraction.py [--data ../shared/data/article-extraction-benchmark] [--rounds 3]

Prints, per extractor: precision, recall and F1 with the benchmark's own metric
(`devkit.extraction_metric`), pages/s in-process on one core, and both as ratios against
trafilatura with precision favoured (FineWeb's extractor) measured in the same run; the F1
difference comes with a 95% bootstrap interval over pages, as the benchmark reports its
scores. Then the cost of the per-page time limit: the default extractor run in its child
process (`ProcessExtractor`) against the same extractor in-process, page by page.

Timing passes are interleaved (every extractor once per round, best round kept) so that load
from other processes on a shared machine hits all candidates alike.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.extract import DEFAULT_EXTRACTOR, EXTRACTORS, InProcessExtractor, ProcessExtractor
from corpus.extract.extractors import needs_fallback, normalise_text, resiliparse_tuned
from devkit.extraction_metric import PageCounts, aggregate, page_counts

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"
REFERENCE = "trafilatura_precision"


def fineweb_trafilatura(html: str) -> str:
    """DataTrove's exact call (deduplicate=True): a bench-only peer, see extractors.py on why the
    registry leaves deduplication off."""
    import trafilatura

    return normalise_text(
        trafilatura.extract(html, favor_precision=True, include_comments=False, deduplicate=True)
    )


def load_benchmark(data: Path) -> tuple[list[str], dict[str, str], dict[str, str]]:
    truth_path = data / "ground-truth.json"
    if not truth_path.is_file():
        sys.exit(f"{truth_path}: not found (pass --data to the article-extraction-benchmark folder)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    keys = sorted(truth)
    pages = {}
    for key in keys:
        path = data / "html" / f"{key}.html.gz"
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                pages[key] = f.read()
        except OSError as err:
            sys.exit(f"{path}: cannot read page for ground-truth key {key}: {err}")
    bodies = {key: truth[key].get("articleBody", "") or "" for key in keys}
    return keys, pages, bodies


def bootstrap_diff(a: list[PageCounts], b: list[PageCounts], n: int, seed: int = 0) -> float:
    """Half-width of the 95% interval of F1(a) - F1(b) over pages resampled with replacement."""
    rng = random.Random(seed)
    diffs = []
    for _ in range(n):
        idx = [rng.randrange(len(a)) for _ in range(len(a))]
        diffs.append(aggregate(a[i] for i in idx).f1 - aggregate(b[i] for i in idx).f1)
    return 1.96 * statistics.stdev(diffs)


def fresh(raw: list[bytes]) -> list[str]:
    """New str objects for a pass: CPython caches a str's UTF-8 form once a C extension asks for
    it, so re-using the same objects would hide the encode every real page pays (about 10% of
    resiliparse's time on these pages). In the pipeline each page is a freshly decoded str."""
    return [b.decode("utf-8") for b in raw]


def time_pass(fn: Callable[[str], str], raw: list[bytes]) -> tuple[float, float]:
    """(CPU seconds of this thread, wall seconds) for one pass over the pages."""
    pages = fresh(raw)
    cpu, wall = time.thread_time(), time.perf_counter()
    for html in pages:
        fn(html)
    return time.thread_time() - cpu, time.perf_counter() - wall


def _proc_cpu_s(pid: int) -> float | None:
    """User+system CPU seconds of a live process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_overhead(name: str, raw: list[bytes], rounds: int, timeout_s: float) -> dict[str, float]:
    """Per-page cost of the child process against the same extractor in-process.

    Pages alternate between the two modes so both see the same machine load. Wall time is what
    one page waits; CPU time (the parent thread's plus the child's, from /proc) is what a fully
    loaded worker pays. On an oversubscribed machine the wall figure is inflated by the
    scheduler: the child is woken once per page and queues behind other processes, while the
    in-process call keeps running in a thread that was already on a core.
    """
    inproc = InProcessExtractor(name)
    wall_diffs: list[float] = []
    wall = {"in_process": 0.0, "child": 0.0}
    cpu = {"in_process": 0.0, "parent": 0.0}
    with ProcessExtractor(name, timeout_s) as child:
        child.extract(raw[0].decode("utf-8"))  # start-up and warm-up are not per-page costs
        (pid,) = child.pids
        child_cpu_start = _proc_cpu_s(pid)
        for _ in tqdm(range(rounds), desc=f"overhead {name}", file=sys.stderr):
            for a, b in zip(fresh(raw), fresh(raw), strict=True):
                c0, t0 = time.thread_time(), time.perf_counter()
                inproc.extract(a)
                c1, t1 = time.thread_time(), time.perf_counter()
                child.extract(b)
                c2, t2 = time.thread_time(), time.perf_counter()
                wall["in_process"] += t1 - t0
                wall["child"] += t2 - t1
                cpu["in_process"] += c1 - c0
                cpu["parent"] += c2 - c1
                wall_diffs.append((t2 - t1) - (t1 - t0))
        child_cpu_end = _proc_cpu_s(pid)
        restarts = child.restarts
    n = rounds * len(raw)
    out = {
        "in_process_ms": wall["in_process"] / n * 1e3,
        "child_ms": wall["child"] / n * 1e3,
        "median_wall_overhead_us": statistics.median(wall_diffs) * 1e6,
        "restarts": restarts,
        "cpu_overhead_us": float("nan"),
        "cpu_in_process_ms": cpu["in_process"] / n * 1e3,
    }
    if child_cpu_start is not None and child_cpu_end is not None:
        child_cpu = child_cpu_end - child_cpu_start
        out["cpu_overhead_us"] = (cpu["parent"] + child_cpu - cpu["in_process"]) / n * 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3, help="timing passes per extractor (best kept)")
    parser.add_argument("--overhead-rounds", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--extractors", nargs="*", help="subset of registry names (default: all)")
    args = parser.parse_args()

    keys, pages, bodies = load_benchmark(args.data)
    html = [pages[k] for k in keys]
    raw = [h.encode("utf-8") for h in html]
    candidates: dict[str, Callable[[str], str]] = {
        name: info.fn for name, info in EXTRACTORS.items() if not args.extractors or name in args.extractors
    }
    candidates.setdefault(REFERENCE, EXTRACTORS[REFERENCE].fn)
    candidates["fineweb_trafilatura*"] = fineweb_trafilatura

    # Quality: one scoring pass per extractor (outputs are deterministic).
    counts: dict[str, list[PageCounts]] = {}
    for name, fn in candidates.items():
        outputs = [fn(h) for h in tqdm(html, desc=f"score {name}", file=sys.stderr, leave=False)]
        counts[name] = [page_counts(bodies[k], out) for k, out in zip(keys, outputs, strict=True)]

    # Speed: interleaved timing rounds, best kept. Pages/s is per CPU-second of the extracting
    # thread, which other processes on a shared machine barely disturb; wall pages/s beside it.
    best_cpu = dict.fromkeys(candidates, float("inf"))
    best_wall = dict.fromkeys(candidates, float("inf"))
    for _ in tqdm(range(args.rounds), desc="timing rounds", file=sys.stderr):
        for name, fn in candidates.items():
            cpu, wall = time_pass(fn, raw)
            best_cpu[name] = min(best_cpu[name], cpu)
            best_wall[name] = min(best_wall[name], wall)

    n = len(html)
    ref_scores = aggregate(counts[REFERENCE])
    print(f"article-extraction-benchmark: {n} pages, best of {args.rounds} interleaved passes, one thread")
    header = (
        f"{'extractor':24} {'precision':>9} {'recall':>7} {'F1':>7} {'pages/s':>8} {'wall p/s':>8} "
        f"{'F1 - ref (95% CI)':>19} {'speed x ref':>11}"
    )
    print(header)
    print("-" * len(header))
    for name in candidates:
        s = aggregate(counts[name])
        ci = bootstrap_diff(counts[name], counts[REFERENCE], args.bootstrap) if name != REFERENCE else 0.0
        diff = f"{s.f1 - ref_scores.f1:+.4f} ± {ci:.4f}"
        print(
            f"{name:24} {s.precision:9.4f} {s.recall:7.4f} {s.f1:7.4f} {n / best_cpu[name]:8.1f} "
            f"{n / best_wall[name]:8.1f} {diff:>19} {best_cpu[REFERENCE] / best_cpu[name]:10.2f}x"
        )
    print(
        f"ref = {REFERENCE}; pages/s = per CPU-second of the extracting thread; "
        "* = DataTrove's call with deduplicate=True (order-dependent, bench only)"
    )

    routed = sum(needs_fallback(resiliparse_tuned(h)) for h in html)
    print(f"hybrid: {routed}/{len(html)} pages ({routed / len(html):.0%}) fell back to trafilatura_fast")

    print()
    print("per-page time limit: child process vs in-process, same pages alternating")
    for name in dict.fromkeys([DEFAULT_EXTRACTOR, "resiliparse_tuned"]):
        o = process_overhead(name, raw, args.overhead_rounds, timeout_s=10.0)
        print(
            f"{name:24} wall: in-process {o['in_process_ms']:.3f} ms/page, child {o['child_ms']:.3f} ms/page "
            f"(median overhead {o['median_wall_overhead_us']:.0f} us/page); CPU: in-process "
            f"{o['cpu_in_process_ms']:.3f} ms/page, overhead {o['cpu_overhead_us']:.0f} us/page "
            f"({o['cpu_overhead_us'] / 1e3 / o['cpu_in_process_ms']:+.1%}); restarts {o['restarts']}"
        )


if __name__ == "__main__":
    main()
