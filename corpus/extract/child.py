"""The extraction child process, started as ``python -c "...child import main; main()" EXTRACTOR``.

`corpus.extract.timeout.ProcessExtractor` starts one of these per thread and talks to it over its
stdin/stdout pipes with length-prefixed UTF-8 frames, no pickling:

- request:  ``<u32 url length><u32 html length><url as UTF-8><html as UTF-8>`` (the URL is a
  hint some extractors use, empty when unknown)
- response: ``<u8 status><u32 length><payload>``, status 0 = text, 1 = error ("Type: message"),
  2 = ready (sent once after imports and a warm-up extraction, before the first request).

The child is a separate process because the extractors are C/C++/lxml code that no Python-level
timer can interrupt: when a page overruns its limit, the parent kills this process and starts a
new one. The child exits on end of input, so it never outlives its parent's pipes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import sys

REQUEST_HEADER = struct.Struct("<II")
RESPONSE_HEADER = struct.Struct("<BI")
STATUS_OK = 0
STATUS_ERROR = 1
STATUS_READY = 2
_WARM_UP_HTML = "<html><head><title>t</title></head><body><p>Warm-up paragraph.</p></body></html>"


def _read_exact(fd: int, n: int) -> bytes | None:
    """``n`` bytes from ``fd``, or None at end of input (the parent closed the pipe)."""
    chunks = []
    while n:
        chunk = os.read(fd, min(n, 1 << 22))
        if not chunk:
            return None
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def write_frame(fd: int, header: bytes, payload: bytes) -> None:
    """Header and payload in one writev (no copy of the payload); loops if the kernel takes less.

    Both ends write their frames with this: the parent its requests, the child its responses.
    """
    sent = os.writev(fd, [header, payload])
    rest = memoryview(header + payload)[sent:] if sent < len(header) + len(payload) else None
    while rest:
        rest = rest[os.write(fd, rest) :]


def _send(fd: int, status: int, payload: bytes) -> None:
    write_frame(fd, RESPONSE_HEADER.pack(status, len(payload)), payload)


def serve(name: str, in_fd: int, out_fd: int) -> None:
    from corpus.extract.extractors import get_extractor

    extract = get_extractor(name)
    extract(_WARM_UP_HTML, "")  # first-call imports and caches are paid before the first deadline
    _send(out_fd, STATUS_READY, b"")
    while True:
        header = _read_exact(in_fd, REQUEST_HEADER.size)
        if header is None:
            return
        url_length, html_length = REQUEST_HEADER.unpack(header)
        body = _read_exact(in_fd, url_length + html_length)
        if body is None:
            return
        try:
            url = body[:url_length].decode("utf-8", "surrogatepass")
            text = extract(body[url_length:].decode("utf-8", "surrogatepass"), url)
        except Exception as err:  # any failure is reported for this page only
            _send(out_fd, STATUS_ERROR, f"{type(err).__name__}: {err}".encode("utf-8", "replace"))
            continue
        _send(out_fd, STATUS_OK, text.encode("utf-8", "surrogatepass"))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -c 'from corpus.extract.child import main; main()' EXTRACTOR")
    # Ctrl-C reaches the whole process group; the parent decides when this child ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol owns the original stdout; anything a library prints goes to stderr instead of
    # corrupting a frame.
    out_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    with contextlib.suppress(BrokenPipeError):  # the parent went away; nothing left to answer
        serve(sys.argv[1], 0, out_fd)
