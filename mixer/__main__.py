"""``python -m mixer plan --mix configs/mix.yaml [--tokens TOK] [--global-batch N]``: print the plan.
``python -m mixer split --mix configs/mix.yaml --tokens TOK --output SPLIT``: the held-out split.

Per domain: tokens in the data, tokens one pass of the loader draws, epochs and share; with
``--global-batch`` (sequences per optimizer step, all ranks), the optimizer steps that draw the
plan once (`MixPlan.optimizer_steps`, the number the trainer uses). Exit code 2 and one message
naming the key when the mix cannot be drawn.
"""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.table import Table

from common.cli import command
from common.config import load_config
from mixer.config import MixConfig
from mixer.plan import MixPlan, load_plan
from mixer.split import split_tokens


def plan_table(plan: MixPlan, global_batch: int | None = None) -> Table:
    table = Table(title=f"Mix plan ({plan.seq_len}-token sequences)")
    headers = (
        "domain",
        "ratio",
        "tokens\nin data",
        "tokens\ndrawn",
        "seqs\nin data",
        "seqs\ndrawn",
        "epochs",
        "share",
    )
    for name in (*headers, "draw"):
        # fold, never truncate: a number cut to "485,6…" is worse than one on two lines
        table.add_column(name, justify="left" if name in ("domain", "draw") else "right", overflow="fold")
    for r in plan.rows:
        sampling = "repeat" if r.upsampled else "subset" if r.downsampled else "all once"
        table.add_row(
            r.domain,
            f"{r.ratio:.4g}",
            f"{r.tokens_available:,}",
            f"{r.tokens_drawn:,}",
            f"{r.sequences_available:,}",
            f"{r.sequences_drawn:,}",
            f"{r.epochs:.2f}",
            f"{r.share:.2%}",
            sampling,
        )
    table.add_section()
    table.add_row(
        "total",
        "1",
        f"{sum(r.tokens_available for r in plan.rows):,}",
        f"{sum(r.tokens_drawn for r in plan.rows):,}",
        f"{sum(r.sequences_available for r in plan.rows):,}",
        f"{plan.total_sequences:,}",
        "",
        "100%",
        f"max {plan.config.max_epochs:g}",
    )
    notes = [
        f"{plan.source} over {plan.tokens_dir}, seed {plan.seed}",
        f"budget {plan.config.total_tokens:,} tokens = {plan.total_sequences:,} sequences of {plan.seq_len}",
    ]
    if global_batch is not None:
        steps = plan.optimizer_steps(global_batch)
        notes.append(
            f"{steps:,} optimizer steps of {global_batch:,} sequences "
            f"({global_batch * plan.seq_len:,} tokens) draw the plan once"
        )
    if plan.excluded:
        notes.append(f"ratio 0: {', '.join(plan.excluded)}")
    if plan.unused:
        notes.append(f"in the token directory, not in the mix: {', '.join(plan.unused)}")
    table.caption = "\n".join(notes)
    return table


@command()
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mixer", description="Domain mixing plans.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("plan", help="check a mix and print what each domain contributes")
    p.add_argument("--mix", required=True, help="mix YAML (configs/mix.yaml)")
    p.add_argument("--tokens", default=None, help="Stage 2 output (overrides tokens_dir in the mix)")
    p.add_argument(
        "--global-batch",
        type=int,
        default=None,
        metavar="N",
        help="sequences per optimizer step, all ranks: print the steps that draw the plan once",
    )
    s = sub.add_parser("split", help="set aside the held-out documents (SPLIT/train, SPLIT/heldout)")
    s.add_argument("--mix", required=True, help="mix YAML: its heldout section gives the shares")
    s.add_argument("--tokens", default=None, help="Stage 2 output (default: tokens_dir in the mix)")
    s.add_argument("--output", required=True, help="folder for train/, heldout/ and split.json")
    args = parser.parse_args(argv)
    if args.command == "split":
        return _split(args)
    if args.global_batch is not None and args.global_batch <= 0:
        parser.error(f"--global-batch: must be positive, got {args.global_batch}")
    plan = load_plan(args.mix, args.tokens)
    console = Console()
    if not console.is_terminal:  # piped into a log: rich would assume 80 columns
        console = Console(width=120)
    console.print(plan_table(plan, args.global_batch))
    return 0


def _split(args: argparse.Namespace) -> int:
    config = load_config(args.mix, MixConfig)
    result = split_tokens(args.tokens or config.tokens_dir, args.output, config.heldout)
    table = Table(title=f"Held-out split of {result.record.source}")
    for name in ("domain", "share", "train docs", "held-out docs", "held-out tokens"):
        table.add_column(name, justify="left" if name == "domain" else "right")
    for domain, share in result.record.shares.items():
        held = result.record.heldout[domain]
        table.add_row(
            domain,
            f"{share:.2%}",
            f"{result.record.train[domain].documents:,}",
            f"{held.documents:,}",
            f"{held.tokens:,}",
        )
    Console(width=120).print(table)
    print(f"train: {result.train}  (read by python -m mixer plan / python -m train --tokens)")
    print(f"heldout: {result.heldout}  (read by python -m train.evaluate --heldout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
