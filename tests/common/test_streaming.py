"""mosaicml-streaming imports on this CPU torch build, also from several threads at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import threading
from common.streaming import import_streaming
results = []
def first_import():
    results.append(hasattr(import_streaming(), "MDSWriter"))
threads = [threading.Thread(target=first_import) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(results)
"""


def test_first_imports_from_four_threads_all_get_the_whole_module():
    # a fresh interpreter: the first import is the one that races (Beam runs DoFns in threads)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[True, True, True, True]"
