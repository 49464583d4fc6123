"""What every bench shares: alternating timed runs, peers' interpreters, and the results files.

A comparison is only as fair as its worst run, so every bench times its contenders the same way:
``alternate`` runs them in turn (ours, peer, ours, peer, ...) so each sees the same machine load,
records wall and CPU seconds of every run (CPU of this process and of the children it waited for,
so a subprocess peer is charged like an in-process one), and `summary` reports the median with
the spread. `write_result` stores what a bench measured as JSON under bench/results/, with the
machine, the load and the commit, and `bench/report.py` turns those files into the tables of
docs/benchmarks.md: no figure is copied by hand.

Peers that cannot share our venv (their pins conflict with ours) live in git-ignored venvs
inside the repository, ``.venv-peers/<name>``, built by ``make bench-peers`` from the pinned
``bench/peers/<name>.txt``; `peer_python` finds them.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PEERS = ROOT / ".venv-peers"


class PeerMissing(RuntimeError):
    """A peer's venv has not been built; the message says how to build it."""


def peer_python(name: str) -> Path:
    """The interpreter of peer ``name``'s venv (``.venv-peers/<name>``), which must exist."""
    python = PEERS / name / "bin" / "python"
    if not python.exists():
        raise PeerMissing(
            f"peer venv {python.relative_to(ROOT)} not found: run `make bench-peers` "
            f"(builds it from bench/peers/{name}.txt)"
        )
    return python


def cpu_seconds() -> float:
    """User+system seconds of this process (all threads) and of its waited-for children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class Runs:
    """Wall and CPU seconds of each run of one contender, in the order they ran."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    extra: list[Any] = field(default_factory=list)

    def add(self, wall: float, cpu: float, extra: Any = None) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        self.extra.append(extra)


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """(wall s, CPU s, fn's return value) of one call."""
    c0, w0 = cpu_seconds(), time.perf_counter()
    out = fn()
    w1, c1 = time.perf_counter(), cpu_seconds()
    return w1 - w0, c1 - c0, out


def alternate(contenders: dict[str, Callable[[], Any]], rounds: int, warmup: bool = False) -> dict[str, Runs]:
    """``rounds`` rounds; in each every contender runs once, in the given order, which is
    reversed every other round so neither side always runs first (after the other's garbage,
    with the other's cache lines evicted). ``warmup`` runs each once first, untimed."""
    if rounds < 1:
        raise ValueError(f"rounds must be at least 1, got {rounds}")
    if warmup:
        for fn in contenders.values():
            fn()
    runs = {name: Runs() for name in contenders}
    names = list(contenders)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            wall, cpu, extra = timed(contenders[name])
            runs[name].add(wall, cpu, extra)
    return runs


def summary(values: Sequence[float]) -> dict[str, float | int]:
    """Median, lowest and highest of a list of measurements, and how many there were."""
    if not values:
        raise ValueError("no measurements")
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def rate_summary(items: float, seconds: Sequence[float]) -> dict[str, float | int]:
    """`summary` of ``items / s`` for each run (a rate's spread comes from the runs, not the median)."""
    return summary([items / s for s in seconds])


def ratio_summary(ours: Sequence[float], peer: Sequence[float]) -> dict[str, float | int]:
    """Peer seconds over ours, paired run by run (round i of each): > 1 means ours is faster."""
    return summary([p / o for o, p in zip(ours, peer, strict=True)])


def spread(s: dict[str, float | int], spec: str = ".2f") -> str:
    """``median (min-max)`` as a table cell."""
    return f"{s['median']:{spec}} ({s['min']:{spec}}-{s['max']:{spec}})"


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    """Where and when a result was measured, and how busy the machine was."""
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git_commit(),
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def pages_chosen(n: int, every: int) -> str:
    """How a table's pages were chosen, for its note: all of them, or every ``every``-th."""
    return f"all {n:,} pages" if every == 1 else f"{n:,} pages, every {every}th"


def add_results_option(parser: argparse.ArgumentParser, default: str) -> None:
    """``--results [NAME]``: store the tables as bench/results/NAME.json, NAME ``default`` when
    not given. A bench run at two sizes (``make bench``'s small one and the full one) needs two
    files, or the full run would overwrite the small one; `table_id` keeps their ids apart."""
    parser.add_argument(
        "--results",
        nargs="?",
        const=default,
        metavar="NAME",
        help=f"store the tables as bench/results/NAME.json (NAME: {default} if left out)",
    )


def table_id(base: str, name: str, default: str) -> str:
    """The id of table ``base`` in results file ``name`` of a bench whose own file is ``default``.

    ``base`` itself in the default file; in any other, ``base`` with the name's own part as a
    suffix (``extraction_full`` -> ``extraction-wcxb-full``), because `bench/report.py` refuses
    one id from two files and each size of a bench has its own marked section.
    """
    if not re.fullmatch(r"[\w.-]+", name):
        raise ValueError(f"results name {name!r}: use letters, digits, '_', '.' and '-' only")
    if name == default:
        return base
    return f"{base}-{name.removeprefix(default + '_').replace('_', '-')}"


def write_result(name: str, tables: list[dict[str, Any]], data: dict[str, Any] | None = None) -> Path:
    """Store one bench's results as bench/results/<name>.json.

    ``tables``: each ``{"id", "columns", "rows", "note"?}`` with rows of cells (str, int or
    float, floats written as given), the tables `bench/report.py` puts into docs/benchmarks.md
    between ``<!-- results:<id> -->`` markers. ``data``: the raw measurements behind them.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = machine()
    meta["command"] = "python " + " ".join(
        [str(Path(sys.argv[0]).resolve().relative_to(ROOT)), *sys.argv[1:]]
    )
    meta["load_avg_1m_end"] = meta.pop("load_avg_1m")
    payload = {"bench": name, "meta": meta, "tables": tables, "data": data or {}}
    path = RESULTS / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(payload, indent=1, default=_jsonable) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"results: {path.relative_to(ROOT)}")
    return path


def _jsonable(x: Any) -> Any:
    if hasattr(x, "tolist"):
        return x.tolist()
    if isinstance(x, set):
        return sorted(x)
    if hasattr(x, "__dataclass_fields__"):
        from dataclasses import asdict

        return asdict(x)
    raise TypeError(f"cannot store {type(x).__name__} in a results file")
