"""``python -m mixer plan --mix configs/mix.yaml [--tokens TOK]``: print the plan.

Exit code 2 and one message naming the key when the mix cannot be drawn.
"""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.table import Table

from common.cli import command
from mixer.plan import MixPlan, load_plan


def plan_table(plan: MixPlan) -> Table:
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
        f"{plan.config.total_tokens:,}",
        f"{sum(r.sequences_available for r in plan.rows):,}",
        f"{plan.total_sequences:,}",
        "",
        "100%",
        f"max {plan.config.max_epochs:g}",
    )
    notes = [f"{plan.source} over {plan.tokens_dir}, seed {plan.seed}"]
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
    args = parser.parse_args(argv)
    plan = load_plan(args.mix, args.tokens)
    console = Console()
    if not console.is_terminal:  # piped into a log: rich would assume 80 columns
        console = Console(width=120)
    console.print(plan_table(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
