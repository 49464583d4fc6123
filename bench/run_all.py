"""Every benchmark of docs/benchmarks.md at a size aimed at 15 minutes on 2 cores.

    python bench/run_all.py                 # what `make bench` runs, then bench/report.py
    python bench/run_all.py --only minhash train_speed
    python bench/run_all.py --list

Each bench runs in its own interpreter with ``--results``, so it writes
bench/results/<name>.json; a bench that fails is reported and the others still run (the exit
status says whether all passed). The sizes are smaller than each script's defaults, chosen so
the whole set fits the budget; every comparison still alternates at least 3 rounds. What each
bench needs beyond the project: the shared data beside the repository (../shared/data) for the
real-page benches, and the DataTrove venv (``make bench-peers``) for the two that compare with it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BENCHES: dict[str, list[str]] = {
    "minhash": ["bench/minhash.py", "--docs", "3000", "--rounds", "5"],
    "dedup_quality": ["bench/dedup_quality.py", "--pairs", "500"],
    "dedup_scale": ["bench/dedup_scale.py", "--docs", "20000", "--shard-size", "2500"],
    # before density_quality, which reads the WCXB dev corpus this one builds
    "tokenizer": [
        *("bench/tokenizer_speed.py", "--rounds", "3", "--copies", "0", "--memory-copies", "0"),
        *("--hf-workers", "no"),
    ],
    "density_quality": ["bench/density_quality.py"],
    "classifier_quality": ["bench/classifier_quality.py"],
    "perplexity_toxicity": ["bench/perplexity_toxicity_speed.py", "--rounds", "3"],
    "filters_speed": ["bench/filters_speed.py", "--only", "quality", "--texts", "both", "--rounds", "3"],
    "extraction": ["bench/extraction.py", "--every", "15", "--rounds", "3", "--overhead-rounds", "1"],
    "train_speed": ["bench/train_speed.py", "--steps", "10", "--warmup", "3", "--runs", "3"],
    "clean_pipeline": [
        *("bench/clean_pipeline.py", "--every", "15", "--pages", "150", "--rounds", "3"),
        *("--trafilatura", "on", "--scaling", "--startup"),
    ],
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these")
    ap.add_argument("--list", action="store_true", help="print the commands and exit")
    args = ap.parse_args(argv)
    chosen = args.only or list(BENCHES)
    if args.list:
        for name in chosen:
            print(" ".join(["python", *BENCHES[name], "--results"]))
        return 0
    failed, spent = [], {}
    start = time.perf_counter()
    for name in chosen:
        cmd = [sys.executable, *BENCHES[name], "--results"]
        print(f"\n=== {name}: {' '.join(cmd[1:])}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, cwd=ROOT).returncode
        spent[name] = time.perf_counter() - t0
        if rc != 0:
            failed.append(name)
            print(f"=== {name} FAILED (exit {rc})", flush=True)
    total = time.perf_counter() - start
    print("\n" + ", ".join(f"{name} {s:.0f} s" for name, s in spent.items()))
    print(f"all benches: {total:.0f} s wall")
    if not args.only:  # the whole set: how long `make bench` took, as a table of its own
        sys.path.insert(0, str(ROOT / "bench"))
        from harness import write_result

        rows = [[name, f"{s:,.0f}", "FAILED" if name in failed else ""] for name, s in spent.items()]
        rows.append(["**all**", f"**{total:,.0f}**", f"{len(failed)} failed" if failed else ""])
        write_result(
            "run_all",
            [
                {
                    "id": "bench-time",
                    "columns": ["bench", "wall s", ""],
                    "rows": rows,
                    "note": "Wall seconds of each bench in `python bench/run_all.py` (what `make bench` "
                    "runs), caches included as they were (a fresh clone builds its inputs inside these).",
                }
            ],
        )
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
