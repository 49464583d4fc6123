"""The generated task and one model trained on it, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.quality.models import train_small, write_task


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> tuple[Path, Path]:
    return write_task(tmp_path_factory.mktemp("generated"))


@pytest.fixture(scope="session")
def trained(generated, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "m"
    assert train_small(*generated, out) == 0
    return out
