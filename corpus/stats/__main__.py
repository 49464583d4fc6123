"""``python -m corpus.stats --input CLEAN_OUT [--tokens TOK] [--compare OTHER] [--html PATH] [--json]``

One run: tables in the terminal and ``stats.html`` (default ``CLEAN_OUT/stats.html``). With
``--compare OTHER`` (another run, or a re-decision from ``python -m corpus.policy --output``):
the two side by side, ``compare.html`` by default. ``--json`` prints the document the HTML is
drawn from instead of the tables. Exit status 1 when files are missing or damaged (named).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from common import storage
from common.cli import command
from corpus.stats.compare import build_comparison
from corpus.stats.html import render, render_comparison
from corpus.stats.report import build_report
from corpus.stats.table import print_comparison, print_report


@command(log_level=logging.WARNING)  # the tables are the output; progress bars show the work
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.stats",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--input", required=True, help="output folder of `python -m pipelines.clean`")
    parser.add_argument(
        "--tokens", help="token folder of `python -m tokenization.encode` (tokens per domain, fill)"
    )
    parser.add_argument(
        "--compare",
        metavar="OTHER",
        help="a second run (or a `corpus.policy --output` folder) to set beside INPUT",
    )
    parser.add_argument(
        "--html", help="where to write the report (default: INPUT/stats.html or INPUT/compare.html)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON instead of tables")
    args = parser.parse_args(argv)
    if args.compare:
        if args.tokens:
            parser.error("--tokens applies to one run's report, not to --compare")
        doc = build_comparison(args.input, args.compare)
        page, default = render_comparison(doc), "compare.html"
    else:
        doc = build_report(args.input, args.tokens)
        page, default = render(doc), "stats.html"
    html_path = args.html or storage.join(args.input, default)
    storage.write_bytes(html_path, page.encode("utf-8"))
    if args.json:
        print(json.dumps(doc, indent=1, allow_nan=False))
    else:
        (print_comparison if args.compare else print_report)(doc)
        print(f"report: {html_path}")
    return 1 if doc["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
