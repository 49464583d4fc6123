"""Extraction under a per-page wall-clock limit, safe to call from many threads.

FineWeb gives each page 1 s so one pathological page cannot stall a worker. The extractors are
C/C++/lxml code: a Python-level timer cannot interrupt them, and Beam runs DoFns in non-main
threads where ``signal.alarm`` does not exist. So extraction runs in a persistent child process
(`corpus.extract.child`); the parent writes the page down a pipe and waits for the answer with a
deadline. On expiry it kills the child (SIGKILL, nothing can block that), raises
`ExtractionTimeout` for that page, and starts a fresh child at once so its start-up overlaps the
caller's next work. The deadline starts when the page is handed to a ready child, so a restart
never eats into the next page's time.

Cost: pages cross the pipe as length-prefixed UTF-8 (no pickling); the measured overhead per page
against in-process extraction is in docs/benchmarks.md. Each calling thread gets its own child,
so threads never wait on each other's pages and a pool of threads extracts in parallel on as
many cores (the parent releases the GIL while it waits). A thread's child is closed when the
thread ends or when `close` is called.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import select
import subprocess
import sys
import threading
import time
import weakref
from pathlib import Path

from corpus.extract.child import (
    REQUEST_HEADER,
    RESPONSE_HEADER,
    STATUS_ERROR,
    STATUS_OK,
    STATUS_READY,
    write_frame,
)
from corpus.extract.errors import ExtractionError, ExtractionTimeout
from corpus.extract.extractors import get_extractor

log = logging.getLogger(__name__)

STARTUP_TIMEOUT_S = 120.0
"""Generous: a cold child imports trafilatura and lxml, slow on a loaded machine."""

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def _child_env() -> dict[str, str]:
    """The parent's environment, with our package importable whatever the working directory."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = _PACKAGE_ROOT + (os.pathsep + path if path else "")
    return env


PIPE_BYTES = 1 << 20
"""Linux pipes hold 64 KiB by default: a 300 KB page would cross in five writer/reader switches."""


def _widen_pipe(pipe: object) -> None:
    """Best effort (Linux only, capped by /proc/sys/fs/pipe-max-size): fewer context switches."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is None or pipe is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(pipe.fileno(), setpipe, PIPE_BYTES)  # type: ignore[attr-defined]


class _Child:
    """One extraction process and its pipes; used by a single thread at a time."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self.restarts = 0

    @property
    def pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # -- lifecycle ------------------------------------------------------------------------

    def spawn(self) -> None:
        """Start the process without waiting for it (its imports overlap the caller's work)."""
        # -c, not -m: this package imports corpus.extract.child itself, and runpy warns when the
        # module it is asked to run as __main__ is already imported.
        self._proc = subprocess.Popen(
            [sys.executable, "-c", "from corpus.extract.child import main; main()", self.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env=_child_env(),
            close_fds=True,
        )
        for pipe in (self._proc.stdin, self._proc.stdout):
            _widen_pipe(pipe)
        self._ready = False

    def _ensure_ready(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            try:
                self.spawn()
            except OSError as err:  # out of processes or memory: this page fails, the next retries
                raise ExtractionError(
                    f"cannot start extractor process {self.name!r}: {err}", "startup"
                ) from err
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        if not self._ready:
            try:
                status, _ = self._read_frame(proc, time.monotonic() + STARTUP_TIMEOUT_S)
            except (ExtractionTimeout, ExtractionError) as err:
                self.kill()
                raise ExtractionError(
                    f"extractor process {self.name!r} did not start: {err}", cause="startup"
                ) from None
            if status != STATUS_READY:
                self.kill()
                raise ExtractionError(f"extractor process {self.name!r} sent no ready signal", "startup")
            self._ready = True
        return proc

    def kill(self) -> None:
        proc, self._proc = self._proc, None
        self._ready = False
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()

    def close(self) -> None:
        """Ask the child to exit (end of input), then make sure it did."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    # -- one page ---------------------------------------------------------------------------

    def extract(self, html: str, timeout_s: float, url: str = "") -> str:
        proc = self._ensure_ready()
        assert proc.stdin is not None
        url_bytes = url.encode("utf-8", "surrogatepass")
        page = html.encode("utf-8", "surrogatepass")
        payload = url_bytes + page if url_bytes else page
        deadline = time.monotonic() + timeout_s
        try:
            # The child is idle in its read loop, so this write drains as fast as it reads.
            write_frame(proc.stdin.fileno(), REQUEST_HEADER.pack(len(url_bytes), len(page)), payload)
        except BrokenPipeError:
            raise self._died() from None
        try:
            status, body = self._read_frame(proc, deadline)
        except ExtractionTimeout:
            self.kill()
            self.restarts += 1
            log.info(
                "page of %d bytes over %g s; restarting %s extractor process",
                len(page),
                timeout_s,
                self.name,
            )
            with contextlib.suppress(OSError):  # if it fails now, the next page retries
                self.spawn()
            raise ExtractionTimeout(
                f"extraction took longer than {timeout_s:g} s ({self.name}); process restarted"
            ) from None
        except ExtractionError as err:
            self.restarts += 1
            log.warning("%s extractor process died on a page of %d bytes: %s", self.name, len(page), err)
            raise
        text = body.decode("utf-8", "surrogatepass")
        if status == STATUS_OK:
            return text
        if status == STATUS_ERROR:
            raise ExtractionError(f"{self.name}: {text}", cause=text.split(":", 1)[0])
        self.kill()
        raise ExtractionError(f"extractor process {self.name!r} sent unknown status {status}", "protocol")

    def _died(self) -> ExtractionError:
        """Reap a child whose pipe broke or closed (it is exiting, or already gone); the error
        names its exit status, the cause a crash is counted under."""
        proc = self._proc
        code = None
        if proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = proc.wait(timeout=5)
        self.kill()
        cause = f"exit code {code}"
        return ExtractionError(f"extractor process died ({cause})", cause=cause)

    def _read_frame(self, proc: subprocess.Popen[bytes], deadline: float) -> tuple[int, bytes]:
        """One response frame, or ExtractionTimeout once ``deadline`` (monotonic) has passed."""
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        buf = bytearray()

        def fill(need: int) -> None:
            while len(buf) < need:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not poller.poll(max(1, int(remaining * 1000) + 1)):
                    if time.monotonic() >= deadline:
                        raise ExtractionTimeout("deadline passed")
                    continue
                chunk = os.read(fd, max(need - len(buf), 1 << 16))
                if not chunk:
                    raise self._died()
                buf.extend(chunk)

        fill(RESPONSE_HEADER.size)
        status, length = RESPONSE_HEADER.unpack_from(buf)
        end = RESPONSE_HEADER.size + length
        fill(end)
        return status, bytes(buf[RESPONSE_HEADER.size : end])


class _ThreadSlot:
    """Held in thread-local storage: when its thread ends, the slot is collected and closes the
    thread's child (weakref.finalize), so short-lived threads do not leak processes."""

    __slots__ = ("__weakref__", "child")

    def __init__(self, child: _Child) -> None:
        self.child = child


class ProcessExtractor:
    """`Extractor` with a per-page time limit, extraction in one child process per thread."""

    def __init__(self, name: str, timeout_s: float) -> None:
        get_extractor(name)  # an unknown name fails here, in the caller, not in a child
        if timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        self.name = name
        self.timeout_s = timeout_s
        self._local = threading.local()
        self._lock = threading.Lock()
        self._children: weakref.WeakSet[_Child] = weakref.WeakSet()
        self._closed = False

    def _child(self) -> _Child:
        slot: _ThreadSlot | None = getattr(self._local, "slot", None)
        if slot is not None:
            return slot.child
        child = _Child(self.name)
        with self._lock:
            if self._closed:
                raise RuntimeError("extractor is closed")
            self._children.add(child)
        slot = _ThreadSlot(child)
        weakref.finalize(slot, child.close)
        self._local.slot = slot
        return child

    def extract(self, html: str, url: str = "") -> str:
        """Main text of ``html`` ("" when there is none); raises ExtractionTimeout/ExtractionError.
        ``url`` is the page's address, a hint for page-type-aware extractors."""
        if self._closed:
            raise RuntimeError("extractor is closed")
        return self._child().extract(html, self.timeout_s, url)

    @property
    def pids(self) -> list[int]:
        """Process ids of the live children (monitoring, CPU accounting in bench/extraction.py)."""
        with self._lock:
            children = list(self._children)
        return [child.pid for child in children if child.pid is not None]

    @property
    def restarts(self) -> int:
        """Child processes replaced after a timeout or a crash, over all threads."""
        with self._lock:
            return sum(child.restarts for child in self._children)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            children = list(self._children)
        for child in children:
            child.close()

    def __enter__(self) -> ProcessExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
