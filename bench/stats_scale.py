"""`python -m corpus.stats` on a generated Stage 1 output of a million documents: wall time, peak
memory, the HTML's size and how long Chromium takes to open it.

    python bench/stats_scale.py                        # 1,000,000 documents, 3 alternating runs
    python bench/stats_scale.py --docs 100000 --runs 5 --skip-before
    python bench/stats_scale.py --results        # bench/results/stats_scale.json, the docs' table

The output is generated once into ``bench/.cache/stats-scale/`` (git-ignored) with Stage 1's own
writers and decisions: every document's scores are drawn per filter of ``configs/clean.yaml``
(the filters a domain skips leave no scores, as in the pipeline), its outcome is
`corpus.policy.decide` over them, about 5% are dropped before any filter (no scores), and about
6% of the survivors are exact or near copies of a kept document (``drop_detail`` names it). Kept
text is cut from a 64 MB buffer of generated words at lognormal lengths (median about 2,500
characters), into ``parquet/<domain>/`` shards placed and sorted as the pipeline does.
``--dropped-text`` also writes ``dropped/``. A second output, the first re-decided with stricter
language and toxicity thresholds by `corpus.policy.write_redecision`, is the ``--compare`` input.

Each run is a fresh process (interpreter start and imports included); peak memory is that
process's maximum resident set (``wait4``). In one invocation, alternating, ``--runs`` times:

- **ours**: ``python -m corpus.stats --input RUN --html H`` (the report and the terminal tables);
- **ours, compare**: ``python -m corpus.stats --input RUN --compare REDECIDED --html H``;
- **before**: `corpus.stats` as it stood before the examples, comparison and scale work (commit
  1fb0767: every shard's text read to measure lengths, scores gathered in Python lists,
  matplotlib plots), extracted from git into the cache; it needs matplotlib, which is no longer
  a dependency, and is left out where it is not installed;
- **read floor**: pyarrow reading, once, every ``attributes/`` column the report uses plus the
  shard footers: what any tool answering the same questions must at least decode.

Then the HTML written by "ours" is opened in headless Chromium (``--browser-runs`` times, if
Debian's ``chromium`` is installed) and the page's own load time is read. ``--results [NAME]``
stores the table (median and spread of each command, the input's size, the pages' sizes and load
times in its note) as bench/results/NAME.json, ``stats_scale`` if NAME is left out.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import xxhash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import add_results_option, spread, summary, table_id, write_result  # noqa: E402

from common.config import load_config  # noqa: E402
from corpus import manifest as mf  # noqa: E402
from corpus import shards  # noqa: E402
from corpus.config import CleanConfig  # noqa: E402
from corpus.policy import build_filters, decide, write_redecision  # noqa: E402
from formats.clean_manifest import KEPT, ShardEntry, write_clean_manifest  # noqa: E402
from formats.documents import (  # noqa: E402
    ATTRIBUTE_COLUMNS,
    DOCUMENT_SCHEMA,
    DROPPED_COLUMNS,
    DUPLICATE_EXACT,
    DUPLICATE_NEAR,
    SHARD_COLUMNS,
)

CACHE = ROOT / "bench" / ".cache" / "stats-scale"
BEFORE_COMMIT = "1fb0767"
DOMAINS = {"web": 0.6, "books": 0.1, "code": 0.08, "encyclopedia": 0.1, "dialog": 0.08, "math": 0.04}
EARLY = {
    "not_html": 0.02,
    "http_status": 0.015,
    "empty_page": 0.005,
    "undecodable": 0.004,
    "corrupt_record": 0.001,
}
OTHER_LANGS = ("de", "fr", "es", "ru")
ATTRIBUTE_FILES = 4
SHARDS_PER_DOMAIN = 4
RESULTS = "stats_scale"
LABELS = {
    "ours": "**ours**: `python -m corpus.stats --input RUN --html H`",
    "ours, compare": "ours, `--compare REDECIDED`",
    "read floor": "read floor: pyarrow reads the `attributes/` columns the report uses, once, and the shard footers",
    f"before ({BEFORE_COMMIT})": f"before: `corpus.stats` at {BEFORE_COMMIT} (no examples, no compare)",
}


def _score_draws(rng: np.random.Generator, key: str, n: int) -> np.ndarray:
    """Plausible values of one score: most documents well inside every threshold, a tail beyond."""
    metric = key.split(".", 1)[1]
    if key == "gopher_quality.word_count":
        return np.round(rng.lognormal(6.2, 0.9, n))
    if metric in ("stop_words", "sentences", "kept_lines", "lines"):
        return rng.poisson({"stop_words": 40, "sentences": 25}.get(metric, 18), n).astype(float)
    if key == "gopher_quality.mean_word_length":
        return rng.normal(4.8, 0.6, n)
    if key == "gopher_quality.alpha_words_ratio":
        return 1 - rng.beta(1.2, 40, n)
    if key == "fineweb.line_punct_ratio":
        return 1 - rng.beta(1.0, 6, n)
    if key == "perplexity.value":
        return rng.lognormal(5.9, 0.5, n)
    if key == "perplexity.bucket":
        return rng.integers(0, 3, n).astype(float)
    if metric in ("bad_words", "curly_bracket", "lorem_ipsum") or metric.startswith("removed_"):
        return (rng.random(n) < 0.01).astype(float) * rng.integers(1, 4, n)
    if key.startswith("toxicity."):
        return rng.beta(1.0, 40, n)
    return rng.beta(1.0, 60, n)  # ratios and fractions, thresholds 0.1-0.9


def _score_keys(config: CleanConfig) -> dict[str, list[str]]:
    """The stored score keys of each filter (language's are per language, drawn apart)."""
    keys = {
        "gopher_repetition": [
            "dup_para_frac",
            "dup_para_char_frac",
            "dup_line_frac",
            "dup_line_char_frac",
            *(f"top_{n}gram_char_frac" for n in (2, 3, 4)),
            *(f"dup_{n}gram_char_frac" for n in range(5, 11)),
        ],
        "gopher_quality": [
            "word_count",
            "mean_word_length",
            "hash_word_ratio",
            "ellipsis_word_ratio",
            "bullet_lines_ratio",
            "ellipsis_lines_ratio",
            "alpha_words_ratio",
            "stop_words",
        ],
        "c4": [
            "lorem_ipsum",
            "curly_bracket",
            "bad_words",
            "sentences",
            "kept_lines",
            "lines",
            "removed_chars_frac",
            "removed_javascript",
            "removed_no_terminal_punct",
            "removed_too_few_words",
        ],
        "fineweb": ["line_punct_ratio", "short_line_ratio", "dup_line_char_ratio", "newline_word_ratio"],
        "perplexity": ["value", "bucket"],
        "toxicity": ["doc", "max_sentence", "toxic_fraction"],
    }
    return {f.name: [f"{f.name}.{m}" for m in keys.get(f.name, [])] for f in config.filters}


def _word_buffer(rng: np.random.Generator, chars: int = 64 << 20) -> str:
    letters = np.array(list("etaoinshrdlucmfwypvbgkjqxz"))
    weights = 1 / np.arange(1, 27)
    vocab = [
        "".join(rng.choice(letters, size=rng.integers(2, 10), p=weights / weights.sum())) for _ in range(5000)
    ]
    zipf = 1 / np.arange(1, len(vocab) + 1)
    words = rng.choice(len(vocab), size=chars // 5, p=zipf / zipf.sum())
    out, line = [], []
    for i, w in enumerate(words.tolist()):
        line.append(vocab[w])
        if i % 13 == 12:
            out.append(" ".join(line) + ".")
            line = []
    return "\n".join(out)[:chars]


def _ids(n: int, seed: int) -> list[str]:
    """Version-7-like UUIDs that sort in crawl order, as the pipeline's ids do."""
    return [
        f"{0x0193_0000_0000 + i:012x}"[:8] + f"-{i % 65536:04x}-7{seed % 4096:03x}-8000-{i:012x}"
        for i in range(n)
    ]


def generate(out: Path, n: int, seed: int, dropped_text: bool) -> None:
    rng = np.random.default_rng(seed)
    config = load_config(ROOT / "configs/clean.yaml", CleanConfig)
    filters = build_filters(config)
    score_keys = _score_keys(config)
    skip = {f.name: set(f.config.skip_domains) for f in filters}
    names = list(DOMAINS)
    domain_idx = rng.choice(len(names), size=n, p=list(DOMAINS.values()))
    early = rng.choice(len(EARLY) + 1, size=n, p=[*EARLY.values(), 1 - sum(EARLY.values())])
    ids = _ids(n, seed)
    hosts_per_domain = {
        d: [f"www.{d}-site-{k}.example" for k in range(max(10, int(n * w * 0.2)))] for d, w in DOMAINS.items()
    }
    host_zipf = {d: 1 / np.arange(1, len(h) + 1) ** 1.1 for d, h in hosts_per_domain.items()}
    host_pick = np.empty(n, dtype=np.int64)
    for k, d in enumerate(names):
        sel = np.flatnonzero(domain_idx == k)
        p = host_zipf[d] / host_zipf[d].sum()
        host_pick[sel] = rng.choice(len(p), size=sel.size, p=p)
    urls = [
        f"https://{hosts_per_domain[names[d]][h]}/{i:x}/page.html"
        for i, (d, h) in enumerate(zip(domain_idx, host_pick, strict=True))
    ]
    lengths = np.clip(rng.lognormal(7.8, 0.8, n), 200, 200_000).astype(np.int64)
    buffer = _word_buffer(rng)
    offsets = rng.integers(0, len(buffer) - 200_001, n)
    lang_other = rng.random(n) < 0.07

    print(f"deciding {n:,} documents ...", flush=True)
    reasons: list[str | None] = [None] * n
    details = [""] * n
    langs = [""] * n
    map_keys: list[list[str]] = [[] for _ in range(n)]
    map_vals: list[list[float]] = [[] for _ in range(n)]
    draws = {k: _score_draws(rng, k, n) for ks in score_keys.values() for k in ks}
    lang_prob = np.where(lang_other, rng.beta(8, 1.5, n), rng.beta(12, 0.6, n))
    early_names = list(EARLY)
    for i in range(n):
        if early[i] < len(EARLY):
            reasons[i] = early_names[early[i]]
            continue
        domain = names[domain_idx[i]]
        scores: dict[str, float] = {}
        for f in filters:
            if domain in skip[f.name]:
                continue
            if f.name == "language":
                lang = OTHER_LANGS[i % 4] if lang_other[i] else "en"
                langs[i] = lang
                scores[f"language.{lang}"] = float(lang_prob[i])
            else:
                for k in score_keys[f.name]:
                    scores[k] = float(draws[k][i])
        reasons[i] = decide(filters, scores, domain)
        map_keys[i] = list(scores)
        map_vals[i] = list(scores.values())
    kept_idx = [i for i in range(n) if reasons[i] is None]
    copies = rng.random(len(kept_idx)) < 0.065
    originals = [kept_idx[j] for j in range(len(kept_idx)) if not copies[j]]
    for j, i in enumerate(kept_idx):
        if copies[j]:
            reasons[i] = DUPLICATE_EXACT if rng.random() < 0.5 else DUPLICATE_NEAR
            details[i] = ids[originals[int(rng.zipf(1.6)) % len(originals)]]
    kept = np.array([r is None for r in reasons])
    has_text = np.array([r is None or (r not in EARLY) for r in reasons])
    n_chars = np.where(kept | (has_text & dropped_text), lengths, 0)

    def text(i: int) -> str:
        return buffer[offsets[i] : offsets[i] + lengths[i]]

    domains = [names[d] for d in domain_idx]
    print("writing attributes ...", flush=True)
    attr_files = []
    part_of = np.array([xxhash.xxh64_intdigest(i.encode()) % ATTRIBUTE_FILES for i in ids])
    counts = mf.new_counts()
    for i in range(n):
        mf.add_count(counts, domains[i], reasons[i] or KEPT, 1, int(n_chars[i]) if kept[i] else 0)
    for k in range(ATTRIBUTE_FILES):
        rows = np.flatnonzero(part_of == k)
        ks = [map_keys[i] for i in rows]
        offs = np.r_[0, np.cumsum([len(x) for x in ks])]
        scores = pa.MapArray.from_arrays(
            pa.array(offs, pa.int32()),
            pa.array([x for r in rows for x in map_keys[r]], pa.string()),
            pa.array([x for r in rows for x in map_vals[r]], pa.float64()),
        )
        columns = {
            "id": [ids[i] for i in rows],
            "url": [urls[i] for i in rows],
            "domain": [domains[i] for i in rows],
            "lang": [langs[i] for i in rows],
            "source": [f"s3://crawl/segment-{i // 20000:05d}.warc.gz" for i in rows],
            "offset": (rows * 7919).tolist(),
            "date": ["2024-11-22T17:13:34Z"] * len(rows),
            "charset": ["utf-8"] * len(rows),
            "charset_source": ["http"] * len(rows),
            "charset_declared": ["utf-8"] * len(rows),
            "content_coding": [""] * len(rows),
            "html_bytes": (lengths[rows] * 6).tolist(),
            "n_chars": n_chars[rows].tolist(),
            "scores": scores,
            "drop_reason": [reasons[i] for i in rows],
            "drop_detail": [details[i] for i in rows],
        }
        schema = pa.schema([DOCUMENT_SCHEMA.field(c) for c in ATTRIBUTE_COLUMNS])
        rel = f"attributes/{shards.shard_name(k, ATTRIBUTE_FILES)}.parquet"
        shards.write_parquet(
            pa.table({c: columns[c] for c in ATTRIBUTE_COLUMNS}, schema=schema), str(out / rel)
        )
        attr_files.append(rel)

    def table_of(rows: list[int], cols: list[str]) -> pa.Table:
        data = {
            "id": [ids[i] for i in rows],
            "url": [urls[i] for i in rows],
            "domain": [domains[i] for i in rows],
            "lang": [langs[i] for i in rows],
            "text": [text(i) for i in rows],
            "source": [f"s3://crawl/segment-{i // 20000:05d}.warc.gz" for i in rows],
            "offset": [i * 7919 for i in rows],
            "date": ["2024-11-22T17:13:34Z"] * len(rows),
            "n_chars": [int(lengths[i]) for i in rows],
            "scores": [list(zip(map_keys[i], map_vals[i], strict=True)) for i in rows],
            "drop_reason": [reasons[i] for i in rows],
            "drop_detail": [details[i] for i in rows],
        }
        schema = pa.schema([DOCUMENT_SCHEMA.field(c) for c in cols])
        return pa.table({c: data[c] for c in cols}, schema=schema)

    print("writing shards ...", flush=True)
    infos = []
    for d in names:
        rows_d = [i for i in kept_idx if kept[i] and domains[i] == d]
        for k in range(SHARDS_PER_DOMAIN):
            part = sorted(
                (i for i in rows_d if shards.shard_index(ids[i], SHARDS_PER_DOMAIN) == k),
                key=lambda i: ids[i],
            )
            rel = f"parquet/{d}/{shards.shard_name(k, SHARDS_PER_DOMAIN)}.parquet"
            shards.write_parquet(table_of(part, SHARD_COLUMNS), str(out / rel))
            chars = int(sum(lengths[i] for i in part))
            infos.append(ShardEntry(path=rel, format="parquet", domain=d, documents=len(part), chars=chars))
    dropped_files = []
    if dropped_text:
        rows = np.flatnonzero(~kept & has_text)
        for k in range(ATTRIBUTE_FILES):
            part = sorted((int(i) for i in rows if part_of[i] == k), key=lambda i: ids[i])
            rel = f"dropped/{shards.shard_name(k, ATTRIBUTE_FILES)}.parquet"
            shards.write_parquet(table_of(part, DROPPED_COLUMNS), str(out / rel))
            dropped_files.append(rel)
    manifest = mf.build_manifest(
        config.hash(),
        [f"s3://crawl/segment-{k:05d}.warc.gz" for k in range((n + 19999) // 20000)],
        counts,
        infos,
        attr_files,
        [],
        dropped_files,
        config=config.model_dump(mode="json"),
    )
    write_clean_manifest(str(out), manifest)


def strict_config() -> CleanConfig:
    data = load_config(ROOT / "configs/clean.yaml", CleanConfig).model_dump(mode="json")
    for f in data["filters"]:
        if f["name"] == "language":
            f["min_score"] = 0.8
        if f["name"] == "toxicity":
            f["max_doc"] = 0.1
    return CleanConfig.model_validate(data)


def inputs(n: int, seed: int, dropped_text: bool) -> tuple[Path, Path]:
    base = CACHE / f"{n}-{seed}{'-dropped' if dropped_text else ''}"
    run, redecided = base / "clean", base / "redecided"
    if not (run / "manifest.json").exists():
        start = time.perf_counter()
        generate(run, n, seed, dropped_text)
        print(f"generated {run} in {time.perf_counter() - start:.0f} s", flush=True)
    if not (redecided / "manifest.json").exists():
        start = time.perf_counter()
        write_redecision(str(run), strict_config(), str(redecided), overwrite=True)
        print(f"re-decided into {redecided} in {time.perf_counter() - start:.0f} s", flush=True)
    return run, redecided


def before_package() -> Path:
    """`corpus.stats` at BEFORE_COMMIT, importable as ``stats_before``."""
    root = CACHE / f"before-{BEFORE_COMMIT}"
    pkg = root / "stats_before"
    if not (pkg / "collect.py").exists():
        pkg.mkdir(parents=True, exist_ok=True)
        for name in ("collect", "html"):
            src = subprocess.run(
                ["git", "show", f"{BEFORE_COMMIT}:corpus/stats/{name}.py"],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            (pkg / f"{name}.py").write_text(src.replace("corpus.stats.collect", "stats_before.collect"))
        (pkg / "__init__.py").write_text("")
    return root


FLOOR = """
import sys, pyarrow.parquet as pq, json
run = sys.argv[1]
m = json.load(open(run + '/manifest.json'))
cols = ['id', 'url', 'domain', 'lang', 'n_chars', 'drop_reason', 'drop_detail', 'scores']
rows = sum(pq.read_table(run + '/' + a, columns=cols).num_rows for a in m['attributes'])
footers = sum(pq.read_metadata(run + '/' + s['path']).num_rows for s in m['shards'])
print(rows, footers)
"""

BEFORE = """
import sys
from stats_before.collect import collect
from stats_before.html import render
stats = collect(sys.argv[1])
open(sys.argv[2], 'w').write(render(stats))
"""


LAUNCH = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""
"""Forks the measured command from a bare interpreter: Linux carries the peak resident size of
the process that forked into the child's ``ru_maxrss``, so forking from this (large) process would
report its memory, not the command's."""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak resident memory (GiB) of one fresh
    process."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCH, *cmd],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, rss_kib, status = done.stdout.split()[-4:]
    if int(status) not in (0, 1):  # 1: problems reported, the report still written
        raise RuntimeError(f"{cmd} failed with status {status}: {done.stderr[-2000:]}")
    return float(wall), float(cpu), int(rss_kib) / 2**20


def describe_input(run: Path, n: int, seed: int) -> str:
    """The generated input's size, as the table's note states it (read from the output itself)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from formats.clean_manifest import read_clean_manifest

    m = read_clean_manifest(str(run))
    attrs = pa.concat_tables(
        [pq.read_table(run / rel, columns=["n_chars", "drop_reason"]) for rel in m.attributes]
    )
    kept = attrs.filter(pc.is_null(attrs["drop_reason"]))["n_chars"].to_numpy()
    chars = sum(s.chars for s in m.shards)
    return (
        f"{n:,} generated documents (seed {seed}): {m.counts.kept:,} kept, median "
        f"{float(np.median(kept)) if kept.size else 0:,.0f} characters, {chars / 1e9:.2f} GB of text "
        f"in {len(m.shards)} Parquet shards, `attributes/` in {len(m.attributes)} files"
    )


def table(results: dict[str, list[tuple[float, float, float]]], note: str, name: str) -> dict:
    """Each command's wall and CPU seconds, median (min-max), its peak memory (median) and its
    CPU time against ours."""
    ours = statistics.median(c for _, c, _ in results["ours"])
    rows = []
    for cmd, rs in results.items():
        walls, cpus, mems = ([x[i] for x in rs] for i in range(3))
        rows.append(
            [
                LABELS[cmd],
                spread(summary(walls), ".1f"),
                spread(summary(cpus), ".1f"),
                f"{statistics.median(mems):.2f} GiB",
                f"{statistics.median(cpus) / ours:.2f}x",
            ]
        )
    return {
        "id": table_id("stats-scale", name, RESULTS),
        "columns": ["command", "wall s", "CPU s", "peak memory", "CPU vs ours"],
        "rows": rows,
        "note": note,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument(
        "--dropped-text", action="store_true", help="also write dropped/ (policy.keep_dropped_text)"
    )
    ap.add_argument("--skip-before", action="store_true", help="leave out the pre-issue version (slow at 1M)")
    ap.add_argument("--browser-runs", type=int, default=3)
    add_results_option(ap, RESULTS)
    args = ap.parse_args(argv)
    run, redecided = inputs(args.docs, args.seed, args.dropped_text)
    out = CACHE / "reports"
    out.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{before_package()}"}
    commands = {
        "ours": [py, "-m", "corpus.stats", "--input", str(run), "--html", str(out / "stats.html")],
        "ours, compare": [
            py,
            "-m",
            "corpus.stats",
            "--input",
            str(run),
            "--compare",
            str(redecided),
            "--html",
            str(out / "compare.html"),
        ],
        "read floor": [py, "-c", FLOOR, str(run)],
    }
    if not args.skip_before and importlib.util.find_spec("matplotlib") is None:
        print("matplotlib is not installed (no longer a dependency): the pre-issue version is left out")
        args.skip_before = True
    if not args.skip_before:
        commands["before (1fb0767)"] = [py, "-c", BEFORE, str(run), str(out / "stats-before.html")]
    results: dict[str, list[tuple[float, float, float]]] = {k: [] for k in commands}
    for r in range(args.runs):
        for name, cmd in commands.items():
            results[name].append(timed(cmd, env))
            wall, cpu, mem = results[name][-1]
            print(f"run {r + 1} {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, {mem:.2f} GiB", flush=True)
    print(f"\n{args.docs:,} documents ({run}), load average {os.getloadavg()[0]:.1f}:")
    ours = statistics.median(c for _, c, _ in results["ours"])
    for name, rs in results.items():
        walls, cpus, mems = ([x[i] for x in rs] for i in range(3))
        print(
            f"  {name:18s} wall s {spread(summary(walls))}  CPU s {spread(summary(cpus))}  "
            f"peak GiB {spread(summary(mems))}"
            f"  CPU {statistics.median(cpus) / ours:.2f}x ours"
        )
    sizes = {name: (out / name).stat().st_size / 1e6 for name in ("stats.html", "compare.html")}
    for name, mb in sizes.items():
        print(f"  {name}: {mb:.2f} MB")
    from tests.stats.browser import Chromium, find_chromium

    pages = f"The report's HTML {sizes['stats.html']:.2f} MB, the compare view {sizes['compare.html']:.2f} MB"
    chromium = find_chromium()
    loads: dict[str, list[float]] = {}
    if chromium is None or args.browser_runs == 0:
        print("  Chromium not found (or --browser-runs 0): page load not measured")
        pages += "; page load not measured."
    else:
        with Chromium(chromium) as browser:
            for name in ("stats.html", "compare.html"):
                loads[name] = [browser.visit(out / name, {}).load_ms for _ in range(args.browser_runs)]
                print(f"  {name} opens in Chromium in {spread(summary(loads[name]))} ms")
        pages += (
            f"; headless Chromium opens them in {min(loads['stats.html']) / 1e3:.2f}-"
            f"{max(loads['stats.html']) / 1e3:.2f} s and {min(loads['compare.html']) / 1e3:.2f}-"
            f"{max(loads['compare.html']) / 1e3:.2f} s (load event, {args.browser_runs} opens each)."
        )
    print(json.dumps({k: v for k, v in results.items()}))
    if args.results is not None:
        note = (
            f"{describe_input(run, args.docs, args.seed)}. {args.runs} alternating runs, each a fresh "
            f"process; median (min-max), peak memory the median of the runs' maximum resident set. "
            f"{pages}"
        )
        data = {"runs": results, "html_mb": sizes, "load_ms": loads}
        write_result(args.results, [table(results, note, args.results)], data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
