"""Score every main-text extractor on WCXB dev and on the article-extraction benchmark, in one run.

    python bench/extraction.py [--data ../shared/data] [--rounds 3] [--extractors web trafilatura ...]
    python bench/extraction.py --results extraction_full     # all pages: bench/results/extraction_full.json
    python bench/extraction.py --policy configs/clean.yaml --results   # bench/results/extraction_policy.json

First table, WCXB dev (1,497 real pages of seven types, `../shared/data/wcxb-dev`): per page type
and overall, precision, recall and F1 with WCXB's own word-level metric
(`devkit.extraction_metric.word_scores`, mean over pages), the overall F1's 95% bootstrap
interval over pages, and pages per CPU-second against trafilatura with its defaults (the peer
the goal names) measured in the same run. Second table, the 181 news pages of the
article-extraction benchmark with its shingle metric. Then the cost of the per-page time limit:
the default extractor in its child process against the same extractor in-process.

``--results [NAME]`` stores the three tables as bench/results/NAME.json (``extraction``, what
``make bench`` writes at every 15th page, if NAME is left out); another NAME, such as
``extraction_full`` for the full-size run, gives the tables ids of their own
(``extraction-wcxb-full``), so both sizes have their sections in docs/benchmarks.md. With
``--policy`` the table goes to ``extraction_policy`` instead.

Timing: every extractor runs once per round, the order rotating between rounds, so load from
other processes on a shared machine hits all candidates alike; the first round's outputs are the
ones scored (they are deterministic). Pages/s is per CPU-second of the extracting thread; the
median over rounds is reported with the spread (lowest-highest), and the ratio is the median of
the per-round ratios. Without ``../shared/data`` (a user's clone) the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import add_results_option, pages_chosen, table_id, write_result

from corpus.extract import DEFAULT_EXTRACTOR, EXTRACTORS, InProcessExtractor, ProcessExtractor
from corpus.extract.extractors import normalise_text
from corpus.extract.pagetype import page_kind
from devkit.extraction_metric import (
    WordScores,
    aggregate,
    mean_word_scores,
    page_counts,
    word_scores,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
REFERENCE = "trafilatura"
"""trafilatura with its defaults: the peer the goal is stated against."""
WCXB_TYPES = ("article", "forum", "product", "collection", "listing", "service", "documentation")
RESULTS = "extraction"
"""The results file ``make bench`` writes (bench/run_all.py); other names suffix the table ids."""
POLICY_RESULTS = "extraction_policy"

ExtractFn = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    url: str
    kind: str  # WCXB page type; "article" for the article benchmark
    truth: str
    raw: bytes  # the page as UTF-8, decoded afresh for every pass (see `fresh`)


def fineweb_trafilatura(html: str, url: str = "") -> str:
    """DataTrove's exact call (deduplicate=True): a bench-only peer, see extractors.py on why the
    registry leaves deduplication off."""
    import trafilatura

    return normalise_text(
        trafilatura.extract(html, favor_precision=True, include_comments=False, deduplicate=True)
    )


def _read_page(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
        data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        sys.exit(f"{path}: cannot read the page: {err}")
    return data


def load_wcxb(data: Path) -> list[Page]:
    """WCXB's pages with their type from ``metadata.json`` (the data folder's README)."""
    meta_path = data / "metadata.json"
    try:
        files = json.loads(meta_path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError) as err:
        sys.exit(f"{meta_path}: cannot read the page list: {err}")
    pages = []
    for key in sorted(files):
        truth_path = data / "ground-truth" / f"{key}.json"
        try:
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            sys.exit(f"{truth_path}: cannot read ground truth of page {key}: {err}")
        gt = truth.get("ground_truth") or {}
        pages.append(
            Page(
                key=key,
                url=truth.get("url") or "",
                kind=files[key]["page_type"],
                truth=gt.get("main_content") or "",  # none: the page counts as empty (WCXB)
                raw=_read_page(data / "html" / f"{key}.html.gz"),
            )
        )
    return pages


def load_articles(data: Path) -> list[Page]:
    truth_path = data / "ground-truth.json"
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        sys.exit(f"{truth_path}: cannot read ground truth: {err}")
    return [
        Page(
            key=key,
            url=truth[key].get("url") or "",
            kind="article",
            truth=truth[key].get("articleBody") or "",
            raw=_read_page(data / "html" / f"{key}.html.gz"),
        )
        for key in sorted(truth)
    ]


def fresh(pages: list[Page]) -> list[str]:
    """New str objects for a pass: CPython caches a str's UTF-8 form once a C extension asks for
    it, so re-using the same objects would hide the encode every real page pays. In the pipeline
    each page is a freshly decoded str."""
    return [p.raw.decode("utf-8") for p in pages]


def cold_dedup_cache() -> None:
    """Empty trafilatura's duplicate-paragraph cache (``deduplicate=True``), so a pass never
    starts with the paragraphs of an earlier pass over the same pages marked seen: a warm cache
    drops them unprocessed and makes the FineWeb row faster, and its output shorter, than any
    first pass over a crawl. The other LRU caches only speed up; they stay as they are."""
    from trafilatura.deduplication import LRU_TEST

    LRU_TEST.clear()


def run_rounds(
    candidates: dict[str, ExtractFn], pages: list[Page], rounds: int, label: str
) -> tuple[dict[str, list[str]], dict[str, list[float]]]:
    """Outputs of the first round, and CPU seconds of every round, per extractor."""
    outputs: dict[str, list[str]] = {}
    cpu: dict[str, list[float]] = {name: [] for name in candidates}
    names = list(candidates)
    urls = [p.url for p in pages]
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in tqdm(order, desc=f"{label} round {r + 1}/{rounds}", file=sys.stderr, leave=False):
            fn = candidates[name]
            htmls = fresh(pages)
            cold_dedup_cache()
            start = time.thread_time()
            out = [fn(html, url) for html, url in zip(htmls, urls, strict=True)]
            cpu[name].append(time.thread_time() - start)
            outputs.setdefault(name, out)
    return outputs, cpu


def speed(cpu: dict[str, list[float]], n: int, name: str) -> tuple[float, float, float, float]:
    """(median pages/s, lowest, highest, median ratio to the reference in the same round)."""
    rates = [n / s for s in cpu[name]]
    ratios = [ref / s for ref, s in zip(cpu[REFERENCE], cpu[name], strict=True)]
    return statistics.median(rates), min(rates), max(rates), statistics.median(ratios)


def bootstrap_interval(values: list[float], n: int, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values`` over pages resampled with replacement."""
    import numpy as np

    rng = np.random.default_rng(seed)
    arr = np.asarray(values)
    means = arr[rng.integers(0, len(arr), size=(n, len(arr)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def type_means(pages: list[Page], scores: list[WordScores]) -> dict[str, WordScores | None]:
    """Mean word scores per WCXB page type, computed once per extractor for the printout, the
    table and its note; None for a type that none of the pages has (a sparse ``--every``)."""
    means: dict[str, WordScores | None] = {}
    for t in WCXB_TYPES:
        of_type = [s for p, s in zip(pages, scores, strict=True) if p.kind == t]
        means[t] = mean_word_scores(of_type) if of_type else None
    return means


def _f1(m: WordScores | None) -> str:
    return "-" if m is None else f"{m.f1:.3f}"


def _pr(m: WordScores | None) -> str:
    return "-" if m is None else f"{m.precision:.2f}/{m.recall:.2f}"


def wcxb_table(pages: list[Page], candidates: dict[str, ExtractFn], args: argparse.Namespace) -> dict:
    outputs, cpu = run_rounds(candidates, pages, args.rounds, "WCXB")
    n = len(pages)
    counts = Counter(p.kind for p in pages)
    print(f"WCXB dev: {n} pages ({', '.join(f'{t} {counts[t]}' for t in WCXB_TYPES)}), {args.rounds} rounds")
    print("F1 per page type (mean over pages of WCXB's word-level F1):")
    header = f"{'extractor':22}" + "".join(f"{t[:11]:>12}" for t in WCXB_TYPES) + f"{'all':>8}"
    print(header)
    print("-" * len(header))
    per_page: dict[str, list[WordScores]] = {}
    per_type: dict[str, dict[str, WordScores | None]] = {}
    for name, out in outputs.items():
        per_page[name] = [word_scores(p.truth, o) for p, o in zip(pages, out, strict=True)]
        per_type[name] = type_means(pages, per_page[name])
        print(
            f"{name:22}"
            + "".join(f"{_f1(per_type[name][t]):>12}" for t in WCXB_TYPES)
            + f"{mean_word_scores(per_page[name]).f1:8.4f}"
        )
    print("precision / recall per page type:")
    for name in outputs:
        print(f"{name:22}" + "".join(f"{_pr(per_type[name][t]):>12}" for t in WCXB_TYPES))
    print()
    header = (
        f"{'extractor':22} {'P':>6} {'R':>6} {'F1':>7} {'F1 95% CI':>15} {'F1 - ref (95% CI)':>19} "
        f"{'pages/s':>8} {'(spread)':>13} {'x ref':>6}"
    )
    print(header)
    print("-" * len(header))
    ref_f1 = [s.f1 for s in per_page[REFERENCE]]
    ref_mean = mean_word_scores(per_page[REFERENCE]).f1
    rows = []
    for name in outputs:
        f1s = [s.f1 for s in per_page[name]]
        m = mean_word_scores(per_page[name])
        low, high = bootstrap_interval(f1s, args.bootstrap)
        diff = "ref"
        if name != REFERENCE:
            diff = f"{m.f1 - ref_mean:+.3f}"
            dlow, dhigh = bootstrap_interval(
                [a - b for a, b in zip(f1s, ref_f1, strict=True)], args.bootstrap
            )
            diff += f" [{dlow:+.3f}, {dhigh:+.3f}]"
        rate, lo, hi, ratio = speed(cpu, n, name)
        print(
            f"{name:22} {m.precision:6.3f} {m.recall:6.3f} {m.f1:7.4f} {f'[{low:.3f}, {high:.3f}]':>15} "
            f"{diff:>19} {rate:8.1f} {f'({lo:.1f}-{hi:.1f})':>13} {ratio:5.2f}x"
        )
        rows.append(
            [
                name,
                f"{m.precision:.3f}",
                f"{m.recall:.3f}",
                f"{m.f1:.4f}",
                f"[{low:.3f}, {high:.3f}]",
                diff,
                *(_f1(per_type[name][t]) for t in WCXB_TYPES),
                f"{rate:.1f} ({lo:.1f}-{hi:.1f})",
                f"{ratio:.2f}x",
            ]
        )
    print(
        f"ref = {REFERENCE} (defaults); pages/s = per CPU-second of the extracting thread, median of rounds"
    )
    kinds = Counter(page_kind(p.raw.decode("utf-8"), p.url) for p in pages)
    kinds_text = ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items()))
    print(f"{DEFAULT_EXTRACTOR}'s page kinds: {kinds_text}")
    note = (
        f"WCXB dev, {pages_chosen(n, args.every)} ({', '.join(f'{t} {counts[t]:,}' for t in WCXB_TYPES)}), "
        f"{args.rounds} rounds in rotating order; the page-type columns are F1."
    )
    if DEFAULT_EXTRACTOR in per_page:
        pr = [f"{t} {_pr(per_type[DEFAULT_EXTRACTOR][t])}" for t in WCXB_TYPES]
        note += (
            f" `{DEFAULT_EXTRACTOR}` (the default) precision/recall per page type: {', '.join(pr)};"
            f" the page kinds it sees: {kinds_text}."
        )
    name = args.results or RESULTS
    return {
        "id": table_id("extraction-wcxb", name, RESULTS),
        "columns": [
            "extractor",
            "P",
            "R",
            "F1",
            "F1 95% CI",
            "F1 - trafilatura (95% CI)",
            *("docs" if t == "documentation" else t for t in WCXB_TYPES),
            "pages/CPU-s, median (min-max)",
            "x trafilatura",
        ],
        "rows": rows,
        "note": note,
    }


def article_table(pages: list[Page], candidates: dict[str, ExtractFn], args: argparse.Namespace) -> dict:
    candidates = {**candidates, "fineweb_trafilatura*": fineweb_trafilatura}
    outputs, cpu = run_rounds(candidates, pages, args.rounds, "articles")
    n = len(pages)
    print(f"article-extraction benchmark: {n} news pages, its shingle metric, {args.rounds} rounds")
    header = f"{'extractor':22} {'P':>6} {'R':>6} {'F1':>7} {'pages/s':>8} {'(spread)':>13} {'x ref':>6}"
    print(header)
    print("-" * len(header))
    rows = []
    for name, out in outputs.items():
        s = aggregate(page_counts(p.truth, o) for p, o in zip(pages, out, strict=True))
        rate, lo, hi, ratio = speed(cpu, n, name)
        print(
            f"{name:22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:7.4f} {rate:8.1f} "
            f"{f'({lo:.1f}-{hi:.1f})':>13} {ratio:5.2f}x"
        )
        rows.append(
            [
                name,
                f"{s.precision:.3f}",
                f"{s.recall:.3f}",
                f"{s.f1:.4f}",
                f"{rate:.1f} ({lo:.1f}-{hi:.1f})",
                f"{ratio:.2f}x",
            ]
        )
    note = (
        "* = DataTrove's call with deduplicate=True (order-dependent, bench only), its duplicate cache "
        "emptied before every pass (cold, as on a first pass over a crawl)"
    )
    print(note)
    return {
        "id": table_id("extraction-articles", args.results or RESULTS, RESULTS),
        "columns": ["extractor", "P", "R", "F1", "pages/CPU-s, median (min-max)", "x trafilatura"],
        "rows": rows,
        "note": f"{n} news pages, {args.rounds} rounds in rotating order. {note}.",
    }


def policy_table(pages: list[Page], config_path: Path, sample: int, every: int, name: str) -> dict:
    """What the cleaning chain of ``config_path`` drops among these real pages, rule by rule.

    Each page goes through `corpus.cleaner.Cleaner` as a WARC record would (decode, the configured
    extractor under its time limit, every filter). Two counts per rule: pages whose *first*
    reason it is (what the manifest counts), and pages whose stored scores break it at all (what
    turning every earlier rule off would leave it to drop). The sample is deterministic: the
    first pages in WCXB's own order, with the drop's detail and the start of the text.
    """
    from common.config import load_config
    from corpus.cleaner import Cleaner
    from corpus.config import CleanConfig
    from formats.documents import RawRecord

    config = load_config(config_path, CleanConfig)
    first: dict[str, list[tuple[Page, str, str]]] = {}
    breaks: Counter[str] = Counter()
    with Cleaner(config) as cleaner:
        rules = {flt.reason(rule.rule_name) for flt in cleaner.filters for rule in flt.rules}
        for page in tqdm(pages, desc="policy", file=sys.stderr, leave=False):
            record = RawRecord(
                source="wcxb-dev",
                offset=int(page.key),
                record_id=page.key,
                url=page.url,
                http_status=200,
                content_type="text/html; charset=utf-8",
                body=page.raw,
            )
            doc = cleaner.clean(record)
            first.setdefault(doc.drop_reason or "kept", []).append((page, doc.drop_detail, doc.text))
            for flt in cleaner.filters:
                scores = flt.scores_of(doc.scores)
                values = {**scores, **flt.derived(scores)}
                for rule in flt.rules:
                    threshold = rule.threshold(flt.config)
                    value = values.get(rule.metric)
                    if value is not None and threshold is not None and rule.breaks(value, threshold):
                        breaks[flt.reason(rule.rule_name)] += 1
    n = len(pages)
    print(f"{config_path} on {n} WCXB dev pages (the pipeline's path: decode, extract, every filter)")
    print(f"{'outcome':36} {'first reason':>13} {'breaks the rule':>16}")
    rows = []
    outcomes = sorted(
        set(first) | set(breaks), key=lambda o: (o != "kept", -len(first.get(o, ())), -breaks[o], o)
    )
    for outcome in outcomes:
        k = len(first.get(outcome, ()))
        print(f"{outcome:36} {k:6} ({k / n:5.1%}) {breaks.get(outcome, 0):9}")
        # a reason that is no filter's rule (extraction_empty, too_large, ...) has no second count
        rows.append(
            [
                outcome if outcome == "kept" else f"`{outcome}`",
                f"{k:,} ({k / n:.1%})",
                f"{breaks[outcome]:,}" if outcome in rules else "",
            ]
        )
    for outcome, dropped in sorted(first.items()):
        if outcome == "kept":
            continue
        print(f"\n{outcome}: first {min(sample, len(dropped))} of {len(dropped)}")
        for page, detail, text in dropped[:sample]:
            snippet = " ".join(text.split())[:90]
            print(
                f"  {page.key} {page.kind:13} {page.url[:70]}\n      detail: {detail[:100]}\n      text: {snippet}"
            )
    return {
        "id": table_id("extraction-policy", name, POLICY_RESULTS),
        "columns": ["outcome", "first reason", "breaks the rule"],
        "rows": rows,
        "note": (
            f"{config_path.as_posix()} on WCXB dev, {pages_chosen(n, every)}, each through "
            "`corpus.cleaner.Cleaner` as a WARC record. First reason: the pages whose first drop "
            "reason it is (what the manifest counts); breaks the rule: the pages whose stored "
            "scores break it at all."
        ),
    }


def _proc_cpu_s(pid: int) -> float | None:
    """User+system CPU seconds of a live process (Linux /proc), None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_overhead(name: str, pages: list[Page], rounds: int, timeout_s: float) -> dict[str, float]:
    """Per-page cost of the child process against the same extractor in-process.

    Pages alternate between the two modes so both see the same machine load. Wall time is what
    one page waits; CPU time (the parent thread's plus the child's, from /proc) is what a fully
    loaded worker pays. On an oversubscribed machine the wall figure is inflated by the
    scheduler: the child is woken once per page and queues behind other processes.
    """
    inproc = InProcessExtractor(name)
    wall_diffs: list[float] = []
    wall = {"in_process": 0.0, "child": 0.0}
    cpu = {"in_process": 0.0, "parent": 0.0}
    with ProcessExtractor(name, timeout_s) as child:
        child.extract(pages[0].raw.decode("utf-8"))  # start-up and warm-up are not per-page costs
        (pid,) = child.pids
        child_cpu_start = _proc_cpu_s(pid)
        for _ in tqdm(range(rounds), desc=f"overhead {name}", file=sys.stderr, leave=False):
            for page, a, b in zip(pages, fresh(pages), fresh(pages), strict=True):
                c0, t0 = time.thread_time(), time.perf_counter()
                inproc.extract(a, page.url)
                c1, t1 = time.thread_time(), time.perf_counter()
                child.extract(b, page.url)
                c2, t2 = time.thread_time(), time.perf_counter()
                wall["in_process"] += t1 - t0
                wall["child"] += t2 - t1
                cpu["in_process"] += c1 - c0
                cpu["parent"] += c2 - c1
                wall_diffs.append((t2 - t1) - (t1 - t0))
        child_cpu_end = _proc_cpu_s(pid)
        restarts = child.restarts
    n = rounds * len(pages)
    out = {
        "in_process_ms": wall["in_process"] / n * 1e3,
        "child_ms": wall["child"] / n * 1e3,
        "median_wall_overhead_us": statistics.median(wall_diffs) * 1e6,
        "restarts": restarts,
        "cpu_overhead_us": float("nan"),
        "cpu_in_process_ms": cpu["in_process"] / n * 1e3,
    }
    if child_cpu_start is not None and child_cpu_end is not None:
        out["cpu_overhead_us"] = (
            (cpu["parent"] + child_cpu_end - child_cpu_start - cpu["in_process"]) / n * 1e6
        )
    return out


def overhead_table(name: str, o: dict[str, float], pages: int, rounds: int, results: str) -> dict:
    """`process_overhead`'s figures as the time-limit table (the extractor measured is the default)."""
    cpu = o["cpu_overhead_us"]
    share = cpu / 1e3 / o["cpu_in_process_ms"]
    return {
        "id": table_id("extraction-overhead", results, RESULTS),
        "columns": [
            "extractor",
            "in-process CPU ms/page",
            "CPU overhead per page",
            "wall overhead per page (median)",
        ],
        "rows": [
            [
                name,
                f"{o['cpu_in_process_ms']:.2f}",
                "not measured (no /proc)" if cpu != cpu else f"{cpu:,.0f} us ({share:+.1%})",
                f"{o['median_wall_overhead_us']:,.0f} us",
            ]
        ],
        "note": (
            f"The article benchmark's {pages:,} news pages, {rounds} round{'s' if rounds != 1 else ''}, "
            "in-process and through the child alternating page by page; wall "
            f"{o['in_process_ms']:.2f} ms/page in-process, {o['child_ms']:.2f} ms/page through the "
            f"child; {o['restarts']} restarts."
        ),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--rounds", type=int, default=3, help="timing rounds, every extractor once each")
    parser.add_argument("--overhead-rounds", type=int, default=3)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument(
        "--extractors", nargs="*", help="registry names (default: all); the reference is added"
    )
    parser.add_argument("--skip-articles", action="store_true", help="only the WCXB table")
    parser.add_argument("--every", type=int, default=1, help="score every k-th page only (a quick look)")
    parser.add_argument(
        "--policy",
        type=Path,
        metavar="CLEAN_YAML",
        help="instead of the tables: what this cleaning config drops among the WCXB pages, per rule",
    )
    parser.add_argument("--policy-sample", type=int, default=8, help="pages shown per drop reason")
    add_results_option(parser, RESULTS)
    args = parser.parse_args()

    wcxb_dir, articles_dir = args.data / "wcxb-dev", args.data / "article-extraction-benchmark"
    if not wcxb_dir.is_dir() and not articles_dir.is_dir():
        print(f"{args.data}: no wcxb-dev/ or article-extraction-benchmark/ there; nothing to measure")
        return 0
    unknown = sorted(set(args.extractors or ()) - set(EXTRACTORS))
    if unknown:
        parser.error(f"unknown extractors {unknown} (known: {', '.join(sorted(EXTRACTORS))})")
    names = [n for n in EXTRACTORS if not args.extractors or n in args.extractors or n == REFERENCE]
    candidates: dict[str, ExtractFn] = {name: EXTRACTORS[name].fn for name in names}

    if args.policy is not None:
        if not wcxb_dir.is_dir():
            print(f"{wcxb_dir}: not present; nothing to measure")
            return 0
        name = POLICY_RESULTS if args.results in (None, RESULTS) else args.results
        table = policy_table(
            load_wcxb(wcxb_dir)[:: args.every], args.policy, args.policy_sample, args.every, name
        )
        if args.results is not None:
            write_result(name, [table])
        return 0
    tables = []
    if wcxb_dir.is_dir():
        tables.append(wcxb_table(load_wcxb(wcxb_dir)[:: args.every], candidates, args))
    else:
        print(f"{wcxb_dir}: not present, WCXB table skipped")
    if articles_dir.is_dir() and not args.skip_articles:
        print()
        article_pages = load_articles(articles_dir)[:: args.every]
        tables.append(article_table(article_pages, candidates, args))
        print()
        print("per-page time limit: child process vs in-process, same pages alternating (articles)")
        o = process_overhead(DEFAULT_EXTRACTOR, article_pages, args.overhead_rounds, timeout_s=10.0)
        print(
            f"{DEFAULT_EXTRACTOR}: wall in-process {o['in_process_ms']:.3f} ms/page, child {o['child_ms']:.3f} "
            f"ms/page (median overhead {o['median_wall_overhead_us']:.0f} us/page); CPU in-process "
            f"{o['cpu_in_process_ms']:.3f} ms/page, overhead {o['cpu_overhead_us']:.0f} us/page "
            f"({o['cpu_overhead_us'] / 1e3 / o['cpu_in_process_ms']:+.1%}); restarts {o['restarts']}"
        )
        tables.append(
            overhead_table(
                DEFAULT_EXTRACTOR, o, len(article_pages), args.overhead_rounds, args.results or RESULTS
            )
        )
    if args.results is not None and tables:
        write_result(args.results, tables)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
