"""What an extractor raises; the cleaner turns each into its own drop reason."""

from __future__ import annotations


class ExtractionTimeout(Exception):
    """The page took longer than the per-page limit; the caller drops it as ``extraction_timeout``."""


class ExtractionError(Exception):
    """The extractor raised on the page, or its process died (``extraction_error``).

    ``cause`` names the original exception type (``"HTMLParserException"``, ``"MemoryError"``,
    ``"exit code -11"``): when extraction runs in a child process the exception object itself
    cannot cross the pipe, its type name and message can.
    """

    def __init__(self, message: str, cause: str = "") -> None:
        super().__init__(message)
        self.cause = cause
