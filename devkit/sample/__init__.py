"""A seeded generator of a realistic sample crawl: WARC files plus the ground truth for each record.

Everything the pipeline's demo, tests and benchmarks run on comes from here::

    python -m devkit.sample --output DIR --seed N [--pages N] [--files N]

or `generate_sample` from Python. The crawl holds HTML pages of six domains inside realistic site
chrome, exact and near duplicates, spam, boilerplate-only pages, pages in other languages, pages
with bad words, toxic pages and broken records (a truncated gzip member, undecodable bytes, a
Latin-1 page, PDF and JPEG bodies, a 404, a 301, an empty body, a giant page). The same seed and
arguments give byte-identical files. `truth` documents ``ground_truth.jsonl``.

Modules: `build` (plan and write, through `devkit.warc`), `text` (documents from the genres and
topics in ``data/``), `grammar` (the template language and the data loader), `pages` (HTTP bodies
from the Jinja2 layouts in ``templates/``), `sites` (hosts and URLs), `truth`.
"""

from devkit.sample.build import (
    DEFAULT_FILES,
    DEFAULT_GIANT_BYTES,
    DEFAULT_PAGES,
    SampleSummary,
    allocate,
    generate_sample,
)
from devkit.sample.truth import BROKEN_KINDS, EXPECT, EXPECTS, KINDS, REASON, TruthRecord, read_truth

__all__ = [
    "BROKEN_KINDS",
    "DEFAULT_FILES",
    "DEFAULT_GIANT_BYTES",
    "DEFAULT_PAGES",
    "EXPECT",
    "EXPECTS",
    "KINDS",
    "REASON",
    "SampleSummary",
    "TruthRecord",
    "allocate",
    "generate_sample",
    "read_truth",
]
