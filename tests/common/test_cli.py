"""Every command reports a user's mistake as one line and exit status 2, and a bug with its traceback."""

from __future__ import annotations

import pytest

from common.cli import command
from common.errors import ConfigError, InputError, OutputConflict


@command()
def fails_with(argv: list[str] | None = None) -> int:
    kind = (argv or ["ok"])[0]
    errors = {"config": ConfigError, "input": InputError, "output": OutputConflict, "bug": KeyError}
    if kind in errors:
        raise errors[kind](f"{kind}: what is wrong, naming the file")
    return 0


@pytest.mark.parametrize("kind", ["config", "input", "output"])
def test_a_user_error_is_one_line_and_exit_status_2(kind, capsys):
    assert fails_with([kind]) == 2
    assert capsys.readouterr().err == f"error: {kind}: what is wrong, naming the file\n"


def test_a_bug_keeps_its_traceback():
    with pytest.raises(KeyError):
        fails_with(["bug"])


def test_a_command_that_returns_nothing_succeeds():
    assert fails_with(["ok"]) == 0
