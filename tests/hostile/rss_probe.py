"""``python -m tests.hostile.rss_probe WARC CONFIG``: clean every record of WARC the way a worker
does (`corpus.warc.iter_records` into `corpus.cleaner.Cleaner`) and print, as JSON, the peak
resident memory before and after, from the process's own accounting (``getrusage``).

Run in a fresh interpreter by tests/hostile/test_memory.py, so the test suite's own memory does
not blur the figure. The baseline is taken after one ordinary page went through, so the
extractor's child process, the imports and the first allocations are in it.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from common.config import load_config
from corpus.cleaner import Cleaner
from corpus.config import CleanConfig
from corpus.warc import iter_records


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main(argv: list[str]) -> int:
    warc, config_path, warmup = Path(argv[0]), argv[1], Path(argv[2])
    config = load_config(config_path, CleanConfig)
    caps = {
        "max_body_bytes": config.limits.max_body_bytes,
        "max_head_bytes": config.limits.max_http_head_bytes,
    }
    with Cleaner(config) as cleaner:
        for raw in iter_records(lambda: warmup.open("rb"), str(warmup), **caps):
            cleaner.clean(raw)
        baseline = _peak_kib()
        start = time.perf_counter()
        outcomes = [
            [raw.offset, (doc := cleaner.clean(raw)).drop_reason, doc.drop_detail, len(doc.text)]
            for raw in iter_records(lambda: warc.open("rb"), str(warc), **caps)
        ]
        seconds = time.perf_counter() - start
    print(
        json.dumps(
            {"baseline_kib": baseline, "peak_kib": _peak_kib(), "seconds": seconds, "outcomes": outcomes}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
