"""Tokenization shard to shard: our pipeline against the same pipeline on Hugging Face's encoder.

    python bench/tokenizer_speed.py [--input CLEAN_OUT] [--tokenizer TOK] [--rounds 3] [--copies 8]

Both sides run `tokenization.encode.encode_corpus` on the same Stage 1 output: Parquet shards
in, documents framed with BOS/EOS, packed into ``seq_len`` sequences and written as MDS, the
manifest last. Only the encoder in the workers differs:

- ours: `tokenization.encoder.DocumentEncoder` (SentencePiece, each distinct word once, ids into
  preallocated numpy);
- Hugging Face: ``tokenizers.Tokenizer.from_file(tokenizer.json).encode_batch_fast(texts)`` on
  the tokenizer `tokenization.export` wrote for the same model, ids copied into the same buffer.

Each configuration runs in a fresh process (imports done before the clock starts), in
alternating order, ``--rounds`` times: one core (one process; Hugging Face's Rust thread pool
pinned to one thread), and all cores two ways for Hugging Face (one worker process per core
with one thread each, and one process with one thread per core, its own documented way) and one
way for ours (a worker per core). Reported: document tokens per second (median and range),
peak resident memory of the packing process (torch and streaming included) and of the workers,
CPU seconds of each; every run must write byte-identical output (the same ids), or the script stops.

Then the same on ``--copies`` copies of the corpus (every shard listed K times): K times the
tokens through shards no larger, long enough to amortise starting the workers (the scaling
figure), and the memory figure: it must not grow with the corpus. Repeated text flatters any
cache, so the ours-against-Hugging-Face ratio comes from the first table only.

Input: ``--input`` (a Stage 1 output), else a corpus built once from the 1,497 real pages of
../shared/data/wcxb-dev (a WARC of the pages, then ``python -m pipelines.clean`` with
configs/clean.yaml and 8 shards per domain), cached under bench/.cache/tokenizer. Without
``--tokenizer`` a tokenizer is trained on the input with configs/tokenizer.yaml and
``--vocab-size``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tokenization.encoder import TokenBuffer  # noqa: E402

WCXB = ROOT.parent / "shared" / "data" / "wcxb-dev"
CACHE = ROOT / "bench" / ".cache" / "tokenizer"


class HFEncoder:
    """The peer in the pipeline's worker slot: Hugging Face's fastest batch call (no offsets)."""

    def __init__(self, tokenizer_json: str) -> None:
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(tokenizer_json)

    def encode_into(self, texts: list[str], out: TokenBuffer) -> np.ndarray:
        ids = [e.ids for e in self.tok.encode_batch_fast(texts, add_special_tokens=False)]
        lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
        total = int(lengths.sum())
        out.reserve(total)[:] = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int32, count=total)
        return lengths


# -- the input corpus ------------------------------------------------------------------------


def build_wcxb(cache: Path) -> Path:
    """A Stage 1 output of the wcxb-dev pages, built once."""
    clean = cache / "wcxb-keyed-clean"  # "keyed": URLs carry the page key (wcxb_pages)
    if (clean / "manifest.json").is_file():
        return clean
    from warc_inputs import response_record, wcxb_pages

    if not WCXB.is_dir():
        sys.exit(f"no input: pass --input CLEAN_OUT ({WCXB} is not here)")
    warcs = cache / "wcxb-keyed-warc"
    shutil.rmtree(warcs, ignore_errors=True)
    warcs.mkdir(parents=True)
    rng = random.Random(0)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    pages = wcxb_pages()  # the one WCXB page reader of the benches (URLs carry the page key)
    for f in range(4):
        with (warcs / f"wcxb-{f:05d}.warc.gz").open("wb") as out:
            for i, page in enumerate(pages[f::4]):
                record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                out.write(response_record(page, page.url, record_id, start + timedelta(seconds=4 * i + f)))
    config = yaml.safe_load((ROOT / "configs" / "clean.yaml").read_text())
    config["output"]["shards_per_domain"] = 8
    (cache / "clean.yaml").write_text(yaml.safe_dump(config))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines.clean",
            "--input",
            str(warcs / "*.warc.gz"),
            "--output",
            str(clean),
            "--config",
            str(cache / "clean.yaml"),
            "--overwrite",
        ],
        cwd=ROOT,
        check=True,
    )
    return clean


def replicate(clean: Path, copies: int, dest: Path) -> Path:
    """A Stage 1 output listing every Parquet shard of ``clean`` ``copies`` times (hard links):
    a corpus ``copies`` times larger whose shards are no larger, for the memory figure only (its
    repeated text would flatter a cache in a speed figure)."""
    if (dest / "manifest.json").is_file():
        return dest
    manifest = json.loads((clean / "manifest.json").read_text())
    shutil.rmtree(dest, ignore_errors=True)
    shards = []
    for entry in manifest["shards"]:
        if entry["format"] != "parquet":
            continue
        for k in range(copies):
            path = Path(entry["path"])
            copy = path.with_name(f"copy{k:03d}-{path.name}")
            (dest / copy).parent.mkdir(parents=True, exist_ok=True)
            os.link(clean / path, dest / copy)
            shards.append({**entry, "path": str(copy)})
    manifest["shards"] = shards
    (dest / "manifest.json").write_text(json.dumps(manifest))
    return dest


def train_tokenizer(clean: Path, tok: Path, vocab_size: int) -> Path:
    from common.config import load_config
    from tokenization.config import TokenizerConfig
    from tokenization.train import train_tokenizer as train

    config = load_config(ROOT / "configs" / "tokenizer.yaml", TokenizerConfig, {"vocab_size": vocab_size})
    train(clean, tok, config)
    return tok


# -- one timed run, in its own process --------------------------------------------------------


class MemoryPeak(threading.Thread):
    """Peak resident memory of this process and of its pool workers, sampled every 100 ms.

    Not ``ru_maxrss``: a spawned worker is forked from this process before it execs, and
    inherits its high-water mark. For the same reason a child counts only once it runs as a pool
    worker (its command line says so); before that its RSS is this process's pages.
    """

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.main = self.worker = self.total = 0
        self._done = threading.Event()
        self._workers: dict[int, bool] = {}

    def _is_worker(self, child: psutil.Process) -> bool:
        if not self._workers.get(child.pid):
            self._workers[child.pid] = "--multiprocessing-fork" in " ".join(child.cmdline())
        return self._workers[child.pid]

    def run(self) -> None:
        me = psutil.Process()
        while not self._done.wait(0.1):
            try:
                main = me.memory_info().rss
                workers = [c.memory_info().rss for c in me.children() if self._is_worker(c)]
            except psutil.Error:  # a worker exited between listing and reading
                continue
            self.main = max(self.main, main)
            self.worker = max(self.worker, *workers, 0)
            self.total = max(self.total, main + sum(workers))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_once(args: argparse.Namespace) -> None:
    """Child mode: one pipeline run; prints a JSON line."""
    from common.streaming import mds_writer
    from tokenization.encode import encode_corpus

    mds_writer()  # what the packer imports loads before the clock starts, as in a long run
    encoder = functools.partial(HFEncoder, args.hf) if args.run == "hf" else None
    out = Path(args.scratch) / "tok"
    out.mkdir(parents=True)
    shutil.copy(Path(args.tokenizer) / "tokenizer.model", out / "tokenizer.model")
    memory = MemoryPeak()
    memory.start()
    cpu_main, cpu_workers = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    manifest = encode_corpus(args.input, out, seq_len=args.seq_len, workers=args.workers, encoder=encoder)
    seconds = time.perf_counter() - start
    cpu_main = _cpu(resource.RUSAGE_SELF) - cpu_main  # the pool's workers are joined by now:
    cpu_workers = _cpu(resource.RUSAGE_CHILDREN) - cpu_workers  # their CPU time is counted
    memory.stop()
    digest = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(out)).encode() + path.read_bytes())
    result = {
        "seconds": seconds,
        "tokens": sum(d.tokens for d in manifest.domains.values()),
        "rss_main_mb": memory.main / 2**20,
        "rss_worker_mb": memory.worker / 2**20,
        "rss_total_mb": memory.total / 2**20,
        "cpu_main": cpu_main,
        "cpu_workers": cpu_workers,
        "digest": digest.hexdigest()[:16],
    }
    print("RESULT " + json.dumps(result))


def launch(
    args: argparse.Namespace, which: str, workers: int, threads: int, corpus: Path, tok: Path, hf: Path
) -> dict:
    env = {**os.environ, "RAYON_NUM_THREADS": str(threads), "TOKENIZERS_PARALLELISM": "true"}
    with tempfile.TemporaryDirectory(prefix="tokbench-") as scratch:
        env["TMPDIR"] = scratch  # streaming's locks and shared memory names stay per run
        cmd = [
            sys.executable,
            __file__,
            "--run",
            which,
            "--workers",
            str(workers),
            "--input",
            str(corpus),
            "--tokenizer",
            str(tok),
            "--hf",
            str(hf / "tokenizer.json"),
            "--scratch",
            scratch,
            "--seq-len",
            str(args.seq_len),
        ]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"run {which} workers={workers} threads={threads} failed:\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", help="Stage 1 output (default: the wcxb-dev corpus, built once)")
    parser.add_argument("--tokenizer", help="tokenizer folder (default: train one on the input)")
    parser.add_argument("--vocab-size", type=int, default=16000, help="when training (default 16000)")
    parser.add_argument("--seq-len", type=int, default=2048)
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per configuration")
    parser.add_argument(
        "--cores", type=int, default=len(os.sched_getaffinity(0)), help="the 'all cores' count"
    )
    parser.add_argument(
        "--hf-workers",
        choices=["yes", "no"],
        default="yes",
        help="also time HF as one worker process per core (its own way, threads, is always timed)",
    )
    parser.add_argument(
        "--copies", type=int, default=8, help="corpus copies for the scaling figure (0: skip)"
    )
    parser.add_argument(
        "--memory-copies", type=int, default=32, help="corpus copies for the memory figure (0: skip)"
    )
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("--results", action="store_true", help="store bench/results/tokenizer.json")
    parser.add_argument("--run", choices=["ours", "hf"], help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hf", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_once(args)
        return 0

    from tokenization.export import export_tokenizer

    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    corpus = Path(args.input) if args.input else build_wcxb(cache)
    key = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:8]
    if args.tokenizer:
        tok = Path(args.tokenizer)
    else:
        tok = cache / f"tok-{key}-{args.vocab_size}"
        if not (tok / "tokenizer.model").is_file():
            train_tokenizer(corpus, tok, args.vocab_size)
    hf = export_tokenizer(tok, cache / f"hf-{key}-{args.vocab_size}")

    n = args.cores
    names = {
        ("ours", 1, 1): "ours, 1 core",
        ("hf", 1, 1): "HF encode_batch_fast, 1 core",
        ("ours", n, 1): f"ours, {n} workers",
        ("hf", n, 1): f"HF, {n} workers x 1 thread",
        ("hf", 1, n): f"HF, 1 worker x {n} threads",
    }
    print(
        f"tokenizer: {tok} ({args.vocab_size} pieces); seq_len {args.seq_len}; {args.rounds} alternating rounds "
        f"on {len(os.sched_getaffinity(0))} CPUs"
    )
    configs = [c for c in names if args.hf_workers == "yes" or c != ("hf", n, 1)]
    rates = measure(args, corpus, configs, names, tok, hf, "real text")
    best_hf = max(rates.get(("hf", n, 1), 0.0), rates[("hf", 1, n)])
    print(f"ours / HF, 1 core: {rates[('ours', 1, 1)] / rates[('hf', 1, 1)]:.2f}x")
    print(f"ours {n} workers / ours 1 core: {rates[('ours', n, 1)] / rates[('ours', 1, 1)]:.2f}x")
    print(f"ours {n} workers / best HF on {n} cores: {rates[('ours', n, 1)] / best_hf:.2f}x")
    if args.copies > 1:
        bigger = replicate(corpus, args.copies, cache / f"{corpus.name}-x{args.copies}")
        configs = [("ours", 1, 1), ("ours", n, 1), ("hf", 1, 1), ("hf", 1, n)]
        rates = measure(args, bigger, configs, names, tok, hf, f"{args.copies} copies (repeated text)")
        print(f"ours {n} workers / ours 1 core: {rates[('ours', n, 1)] / rates[('ours', 1, 1)]:.2f}x")
        print(f"HF {n} threads / HF 1 core: {rates[('hf', 1, n)] / rates[('hf', 1, 1)]:.2f}x")
    if args.memory_copies > 1:
        biggest = replicate(corpus, args.memory_copies, cache / f"{corpus.name}-x{args.memory_copies}")
        print(f"\npeak MB (main / workers / all) on {args.memory_copies} copies of the corpus, one run each:")
        for c in (("ours", 1, 1), ("ours", n, 1)):
            res = launch(args, *c, biggest, tok, hf)
            mem = " / ".join(f"{res[k]:,.0f}" for k in ("rss_main_mb", "rss_worker_mb", "rss_total_mb"))
            print(f"  {names[c]:<32} {res['tokens']:>12,} tokens  {mem}")
    if args.results:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from harness import write_result

        write_result("tokenizer", TABLES)
    return 0


def measure(
    args: argparse.Namespace,
    corpus: Path,
    configs: list[tuple[str, int, int]],
    names: dict[tuple[str, int, int], str],
    tok: Path,
    hf: Path,
    label: str,
) -> dict[tuple[str, int, int], float]:
    """Alternating rounds of every configuration on ``corpus``; prints the table, returns the
    median tokens/s of each."""
    results: dict[tuple[str, int, int], list[dict]] = {c: [] for c in configs}
    load = [os.getloadavg()[0]]
    for r in range(args.rounds):
        for c in configs if r % 2 == 0 else configs[::-1]:
            res = launch(args, *c, corpus, tok, hf)
            results[c].append(res)
            print(
                f"{label} round {r + 1}: {names[c]:<32} {res['tokens'] / res['seconds']:>12,.0f} tokens/s",
                file=sys.stderr,
            )
        load.append(os.getloadavg()[0])
    shards = sorted((corpus / "parquet").glob("*/*.parquet"), key=lambda p: p.stat().st_size)
    tokens = results[configs[0]][0]["tokens"]
    digests = {res["digest"] for runs in results.values() for res in runs}
    print(
        f"\n{label}: {corpus} ({len(shards)} Parquet shards, largest {shards[-1].stat().st_size / 1e6:.2f} MB, "
        f"{sum(p.stat().st_size for p in shards) / 1e6:.1f} MB in all), {tokens:,} document tokens; "
        f"load average {min(load):.1f}-{max(load):.1f}"
    )
    if len(digests) != 1:  # the same ids from both tokenizers is what makes the speeds comparable
        raise SystemExit(
            f"{label}: the runs wrote {len(digests)} different outputs, not the same ids: comparison void"
        )
    print("every run wrote byte-identical shards (the same ids): yes")
    print(
        f"{'configuration':<32} {'tokens/s median':>16} {'range':>25} {'tokens/CPU-s':>13} "
        f"{'CPU-s main+workers':>19}   {'peak MB: main / worker / all':>30}"
    )
    rates = {}
    rows = []
    for c in configs:
        runs = results[c]
        per_s = [res["tokens"] / res["seconds"] for res in runs]
        rates[c] = statistics.median(per_s)
        cpu = statistics.median(res["cpu_main"] + res["cpu_workers"] for res in runs)
        main_cpu = statistics.median(res["cpu_main"] for res in runs)
        split = f"{main_cpu:.1f}+{statistics.median(res['cpu_workers'] for res in runs):.1f}"
        mem = " / ".join(
            f"{max(res[k] for res in runs):,.0f}" for k in ("rss_main_mb", "rss_worker_mb", "rss_total_mb")
        )
        print(
            f"{names[c]:<32} {rates[c]:>16,.0f} {min(per_s):>12,.0f} - {max(per_s):>10,.0f} "
            f"{tokens / cpu:>13,.0f} {split:>19}   {mem:>30}"
        )
        wall = statistics.median(res["seconds"] for res in runs)
        rows.append(
            [names[c], f"{rates[c]:,.0f} ({min(per_s):,.0f}-{max(per_s):,.0f})", f"{tokens / cpu:,.0f}"]
        )
        rows[-1] += [f"{cpu:.1f}", f"{wall:.1f}", mem]
    TABLES.append(
        {
            "id": f"tokenizer-{len(TABLES)}",
            "columns": [
                "configuration",
                "tokens/s, median (min-max)",
                "tokens/CPU-s",
                "CPU s",
                "wall s",
                "peak MB",
            ],
            "rows": rows,
            "note": f"{label}: {tokens:,} document tokens, {args.rounds} alternating rounds; "
            "every run wrote byte-identical shards (asserted).",
        }
    )
    return rates


TABLES: list[dict] = []
"""The tables `measure` printed, for ``--results``."""


if __name__ == "__main__":
    sys.exit(main())
