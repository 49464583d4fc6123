"""One way to run a command: the same logging set-up everywhere, and a user's mistake reported as
one ``error: ...`` line with exit status 2 instead of a traceback.

Every ``python -m ...`` entry point is a ``main(argv) -> int`` decorated with `command`::

    @command()
    def main(argv: list[str] | None = None) -> int:
        args = parser.parse_args(argv)
        ...
        return 0

A `common.errors.UserError` (a bad config, a missing input, an occupied output folder) becomes
the one line; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable

from common.errors import UserError

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LIBRARIES = ("apache_beam", "streaming", "DeepSpeed")
"""Their INFO lines (per-engine banners, defaults they chose) bury ours; warnings still show."""
USER_ERROR_STATUS = 2

Main = Callable[[list[str] | None], int | None]


def setup_logging(level: int = logging.INFO) -> None:
    """Log to stderr in one format; replaces handlers an imported library may have installed."""
    logging.basicConfig(level=level, format=LOG_FORMAT, force=True)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)


def command(log_level: int = logging.INFO) -> Callable[[Main], Callable[[list[str] | None], int]]:
    """Decorate a command's ``main``: logging set up, `UserError` -> ``error: ...`` and exit 2."""

    def wrap(main: Main) -> Callable[[list[str] | None], int]:
        @functools.wraps(main)
        def run(argv: list[str] | None = None) -> int:
            setup_logging(log_level)
            try:
                status = main(argv)
            except UserError as err:
                print(f"error: {err}", file=sys.stderr)
                return USER_ERROR_STATUS
            return 0 if status is None else status

        return run

    return wrap
