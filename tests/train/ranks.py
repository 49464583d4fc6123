"""Jobs of several CPU ranks (gloo) for the tests, through the real launchers.

Each job runs with its own TMPDIR under the test's folder, so whatever a killed job leaves in
its temp directory stays there; ``kill_job`` is ``kill -9`` of the launcher and every process
under it (ranks, their DataLoader workers), as a node failure would end them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TIMEOUT_S = 300


def job_env(tmp: Path) -> dict[str, str]:
    """The environment of a job whose temp directory is ``tmp``/tmp."""
    scratch = tmp / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(REPO), "OMP_NUM_THREADS": "1"}


def torchrun(nproc: int, *args: str) -> list[str]:
    """A single-node job of ``nproc`` ranks on a free port."""
    return [str(BIN / "torchrun"), "--standalone", f"--nproc_per_node={nproc}", *args]


def start(cmd: list[str], tmp: Path, log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=REPO, env=job_env(tmp), stdout=out, stderr=subprocess.STDOUT)


def run(cmd: list[str], tmp: Path, log: Path) -> int:
    proc = start(cmd, tmp, log)
    try:
        return proc.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        kill_job(proc)
        raise


def tail(log: Path, chars: int = 4000) -> str:
    return log.read_text(errors="replace")[-chars:]


def descendants(pid: int) -> list[int]:
    """Every live process under ``pid``, from /proc's parent links."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_job(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the launcher and everything under it, all at once: no handler runs anywhere."""
    for pid in [proc.pid, *descendants(proc.pid)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    proc.wait(timeout=30)


def wait_until(condition: Callable[[], bool], proc: subprocess.Popen[bytes], poll_s: float = 0.02) -> bool:
    """Poll ``condition`` while ``proc`` runs; False if it ended first."""
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(poll_s)
    raise TimeoutError("the job neither reached the condition nor ended")
