"""``python -m devkit.sample --output DIR --seed N [--pages N] [--files N]``: write a sample crawl."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from common.cli import command
from common.errors import UserError
from devkit.sample.build import DEFAULT_FILES, DEFAULT_GIANT_BYTES, DEFAULT_PAGES, generate_sample


@command()
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devkit.sample",
        description="Write a seeded sample crawl (crawl-<k>.warc.gz) and its ground_truth.jsonl.",
    )
    parser.add_argument("--output", required=True, help="output directory (created if missing)")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same bytes (default 0)")
    parser.add_argument(
        "--pages", type=int, default=DEFAULT_PAGES, help=f"response records (default {DEFAULT_PAGES})"
    )
    parser.add_argument(
        "--files", type=int, default=DEFAULT_FILES, help=f"WARC files (default {DEFAULT_FILES})"
    )
    parser.add_argument(
        "--giant-bytes",
        type=int,
        default=DEFAULT_GIANT_BYTES,
        help=f"body size of the one oversized page (default {DEFAULT_GIANT_BYTES}, above configs/clean.yaml's 5 MB cap)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    if args.quiet:
        logging.getLogger().setLevel(logging.WARNING)
    start = time.perf_counter()
    try:
        summary = generate_sample(
            args.output, seed=args.seed, pages=args.pages, files=args.files, giant_bytes=args.giant_bytes
        )
    except ValueError as err:  # an argument out of range
        raise UserError(str(err)) from None
    if not args.quiet:
        print(summary.table())
        print(f"generated in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
