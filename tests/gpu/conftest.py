"""GPU checks: they run only where CUDA is present (`bench/gpu_check.sh` runs them on one GPU and
prints their report as a table); elsewhere every test here is skipped.

Each check adds a line to the JSONL file named by ``HEADWATER_GPU_REPORT`` when it is set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import torch


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


def report(check: str, **values: Any) -> None:
    """One line of the GPU check's summary."""
    path = os.environ.get("HEADWATER_GPU_REPORT")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"check": check, **values}) + "\n")
