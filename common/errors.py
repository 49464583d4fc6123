"""The errors a command reports as one line (``error: ...``) and exit status 2, without a traceback.

Each names what is wrong (the file, the record, the key) so a user can fix it without reading
code; anything else escaping a command is a bug and keeps its traceback. Stages subclass these
rather than inventing parallel hierarchies, so `common.cli` needs to know only this one.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix: a config, an input, an output folder, a command-line option."""


class ConfigError(UserError, ValueError):
    """A config file is missing, is not YAML, or does not validate."""


class InputError(UserError, ValueError):
    """An input a command reads is missing, unreadable or not in the layout it should have."""


class OutputConflict(UserError, RuntimeError):
    """The output folder holds another run's files."""
