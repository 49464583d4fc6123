"""``python -m devkit.sample --out DIR --seed N [--pages N] [--files N]``: write a sample crawl."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from devkit.sample.build import DEFAULT_FILES, DEFAULT_GIANT_BYTES, DEFAULT_PAGES, generate_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m devkit.sample",
        description="Write a seeded sample crawl (crawl-<k>.warc.gz) and its ground_truth.jsonl.",
    )
    parser.add_argument("--out", required=True, help="output directory (created if missing)")
    parser.add_argument(
        "--seed", type=int, default=0, help="random seed; the same seed gives the same bytes (default 0)"
    )
    parser.add_argument(
        "--pages", type=int, default=DEFAULT_PAGES, help=f"response records in all (default {DEFAULT_PAGES})"
    )
    parser.add_argument(
        "--files",
        type=int,
        default=DEFAULT_FILES,
        help=f"WARC files to spread them over (default {DEFAULT_FILES})",
    )
    parser.add_argument(
        "--giant-bytes",
        type=int,
        default=DEFAULT_GIANT_BYTES,
        help=f"body size of the one oversized page (default {DEFAULT_GIANT_BYTES}, above the 5 MB cap of configs/clean.yaml)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(name)s: %(message)s"
    )
    start = time.perf_counter()
    try:
        summary = generate_sample(
            args.out, seed=args.seed, pages=args.pages, files=args.files, giant_bytes=args.giant_bytes
        )
    except ValueError as err:
        parser.error(str(err))
    if not args.quiet:
        print(summary.table())
        print(f"generated in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
