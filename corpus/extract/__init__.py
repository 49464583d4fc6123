"""Main-text extraction: keep the article, drop navigation, ads, cookie banners and footers.

The pipeline calls `make_extractor(config.extraction)` once per worker and then
``extractor.extract(html, url)`` per page, which returns the main text (one block per line, ""
when there is none) or raises `ExtractionTimeout` / `ExtractionError`; ``close()`` ends it. Which
extractor is the default, and why, is measured by ``bench/extraction.py`` (docs/benchmarks.md).

Users and other tools that want one page's text call `extract_main_text(html, url)`: the default
extractor, in-process, with no time limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from corpus.extract.errors import ExtractionError, ExtractionTimeout
from corpus.extract.extractors import DEFAULT_EXTRACTOR, EXTRACTORS, get_extractor, normalise_text
from corpus.extract.timeout import ProcessExtractor

if TYPE_CHECKING:
    from corpus.config import ExtractionConfig

__all__ = [
    "DEFAULT_EXTRACTOR",
    "EXTRACTORS",
    "ExtractionError",
    "ExtractionTimeout",
    "Extractor",
    "InProcessExtractor",
    "ProcessExtractor",
    "extract_main_text",
    "make_extractor",
    "normalise_text",
]


class Extractor(Protocol):
    def extract(self, html: str, url: str = "") -> str: ...

    def close(self) -> None: ...


class InProcessExtractor:
    """Extraction in the calling thread, with no time limit.

    For benchmarks (the baseline the child-process overhead is measured against) and for
    callers that bound time themselves; the pipeline uses `make_extractor`.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._fn = get_extractor(name)

    def extract(self, html: str, url: str = "") -> str:
        try:
            return self._fn(html, url)
        except Exception as err:
            raise ExtractionError(f"{self.name}: {type(err).__name__}: {err}", type(err).__name__) from err

    def close(self) -> None:
        pass

    def __enter__(self) -> InProcessExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_extractor(config: ExtractionConfig) -> ProcessExtractor:
    """The configured extractor under its per-page limit (a child process per calling thread)."""
    return ProcessExtractor(config.extractor, config.timeout_s)


def extract_main_text(html: str, url: str = "") -> str:
    """The main text of one page as the pipeline extracts it by default, "" when it has none.

    ``url`` (the page's address) helps tell a forum thread, whose replies are content, from an
    article, whose comments are not; leave it empty when unknown. Runs in the calling thread with
    no time limit: a pathological page can take seconds (the pipeline's `make_extractor` bounds
    it). Raises `ExtractionError` when the extractor fails on the page.
    """
    if not isinstance(html, str):
        raise TypeError(f"html must be str, got {type(html).__name__} (decode the page's bytes first)")
    return InProcessExtractor(DEFAULT_EXTRACTOR).extract(html, url)
