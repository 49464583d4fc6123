"""``python -m corpus.stats --input CLEAN_OUT [--tokens TOK] [--html stats.html] [--json]``."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys

from common import storage
from common.cli import command
from corpus.stats.collect import collect
from corpus.stats.html import render
from corpus.stats.table import print_report


@command(log_level=logging.WARNING)  # the tables are the output; progress bars show the work
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.stats", description=__doc__)
    parser.add_argument("--input", required=True, help="output folder of `python -m pipelines.clean`")
    parser.add_argument(
        "--tokens", help="token folder of `python -m tokenization.encode` (adds tokens per domain)"
    )
    parser.add_argument("--html", help="where to write the report (default: CLEAN_OUT/stats.html)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON instead of tables")
    args = parser.parse_args(argv)
    stats = collect(args.input.rstrip("/"), args.tokens)
    html_path = args.html or storage.join(args.input, "stats.html")
    storage.write_bytes(html_path, render(stats).encode("utf-8"))
    if args.json:
        payload = {
            "manifest": stats.manifest.model_dump(mode="json"),
            "domains": {
                d: {
                    "documents": s.documents,
                    "tokens": s.tokens,
                    "text_bytes": s.text_bytes,
                    "mean_chars": s.mean_chars,
                    "median_chars": s.median_chars,
                    "dropped": s.dropped,
                }
                for d, s in stats.domains.items()
            },
            "shards": [dataclasses.asdict(s) for s in stats.shards],
            "languages": stats.languages,
            "problems": stats.problems,
        }
        print(json.dumps(payload, indent=2))
    else:
        print_report(stats)
        print(f"report: {html_path}")
    return 1 if stats.problems else 0


if __name__ == "__main__":
    sys.exit(main())
