"""fastText's supervised training, each run in a new interpreter.

fasttext-numpy2 0.10.4 keeps state from one training to the next inside a process: a second
``train_supervised`` in the same process fails now and then with "Encountered NaN." on data and
settings that train cleanly, and to the same bytes, in a new process (seen here on a few hundred
texts: one process, six trainings, three failures; six new processes, six identical models). So
every training runs in a child interpreter that imports only fastText, started with
`subprocess` rather than `multiprocessing` (whose spawn re-imports the caller's main module),
and a run is reproducible however many models a notebook or a test trains before it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

_CHILD = """
import json, sys
import fasttext
job = json.loads(sys.argv[1])
fasttext.train_supervised(input=job["input"], **job["params"]).save_model(job["output"])
"""


class FitError(RuntimeError):
    """fastText failed in the child; the message holds the end of what it printed."""


def fasttext_module():
    """The ``fasttext`` module with its load-time warning silenced."""
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None
    return fasttext


def fit(train_file: str, model_file: str, params: dict[str, Any]) -> None:
    """Train on ``train_file`` (fastText's format) with ``params`` and save to ``model_file``."""
    job = json.dumps({"input": train_file, "output": model_file, "params": params})
    proc = subprocess.run([sys.executable, "-c", _CHILD, job], capture_output=True, text=True)
    if proc.returncode != 0:
        raise FitError(
            proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        )
