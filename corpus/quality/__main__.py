"""``python -m corpus.quality train --positive P --negative N --output MODEL``: a fastText quality
classifier from texts a team brings, with held-out metrics and a model card.

P, N (and --reference) are JSONL files (one object a line, the text under --text-key), our
Parquet shards, folders of either, or Stage 1 outputs (their kept documents). MODEL is a folder:
``model.bin`` and ``card.json``. Use it with the ``quality_model`` filter in the cleaning config.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import fields

from rich.console import Console
from rich.table import Table

from common.cli import command
from corpus.quality.card import CARD_FILE, MODEL_FILE
from corpus.quality.texts import read_texts
from corpus.quality.train import Settings, train


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m corpus.quality",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train", help="train a classifier and write the model folder")
    t.add_argument("--positive", nargs="+", required=True, help="texts of the kind to keep")
    t.add_argument(
        "--negative", nargs="+", required=True, help="texts of the kind to score low (random crawl)"
    )
    t.add_argument("--output", required=True, help="model folder to write (model.bin, card.json)")
    t.add_argument(
        "--reference",
        nargs="+",
        help="texts percentiles are read against, e.g. a Stage 1 output of your crawl "
        "(default: the held-out negatives)",
    )
    t.add_argument("--text-key", default="text", help="the text's key in JSONL records (default: text)")
    d = Settings()
    t.add_argument("--holdout", type=float, default=d.heldout_fraction, help="share held out for the metrics")
    t.add_argument("--seed", type=int, default=d.seed)
    t.add_argument("--lr", type=float, default=d.lr)
    t.add_argument("--dim", type=int, default=d.dim)
    t.add_argument("--epoch", type=int, default=d.epoch)
    t.add_argument("--word-ngrams", type=int, default=d.word_ngrams)
    t.add_argument("--min-count", type=int, default=d.min_count)
    t.add_argument("--bucket", type=int, default=d.bucket, help="hash buckets for word n-grams (model size)")
    t.add_argument("--max-per-class", type=int, help="cap texts per class (a seeded hash picks them)")
    t.add_argument("--overwrite", action="store_true", help="replace what --output holds")
    return parser


@command()
def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not 0 < args.holdout < 1:
        parser.error("--holdout: a share between 0 and 1")
    # every setting but the held-out share has a flag of its own name
    settings = Settings(
        heldout_fraction=args.holdout,
        **{f.name: getattr(args, f.name) for f in fields(Settings) if f.name != "heldout_fraction"},
    )
    positives = read_texts(args.positive, args.text_key)
    negatives = read_texts(args.negative, args.text_key)
    reference = None
    if args.reference:
        reference = (" ".join(args.reference), read_texts(args.reference, args.text_key)[0])
    command_line = ["python", "-m", "corpus.quality", *(sys.argv[1:] if argv is None else argv)]
    card = train(positives, negatives, args.output, settings, command_line, reference, args.overwrite)
    m, data = card.metrics, card.data
    table = Table(title=f"held-out metrics ({m.positives:,} positive, {m.negatives:,} negative texts)")
    for col in ("precision", "recall", "F1", "accuracy", "ROC AUC"):
        table.add_column(col, justify="right")
    auc = f"{m.roc_auc:.4f}" if m.roc_auc is not None else "-"
    table.add_row(f"{m.precision:.4f}", f"{m.recall:.4f}", f"{m.f1:.4f}", f"{m.accuracy:.4f}", auc)
    Console().print(table)
    print(
        f"trained on {data.positive.train:,} positive and {data.negative.train:,} negative texts; "
        f"model: {args.output}/{MODEL_FILE}, card: {args.output}/{CARD_FILE}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
