"""python -m train --mix configs/mix.yaml [--config configs/train.yaml] [--tokens TOK]
[--output RUN] [--steps N] [--resume | --overwrite] [--stop-at K]

Trains the model of the training config on the data of the mix plan and prints where the final
checkpoint is. Under a launcher (``deepspeed`` / ``torchrun``) every rank runs this same command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm.contrib.logging import logging_redirect_tqdm

from common.cli import command
from common.config import load_config
from common.errors import ConfigError
from train.config import TrainConfig
from train.data import source_from_mix
from train.loop import train

DEFAULT_CONFIG = "configs/train.yaml"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m train", description=__doc__.split("\n\n")[1])
    p.add_argument("--mix", required=True, type=Path, help="mix plan (Stage 3), e.g. configs/mix.yaml")
    p.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="training config (default: %(default)s)"
    )
    p.add_argument(
        "--tokens", type=Path, default=None, help="Stage 2 output (overrides tokens_dir in the mix)"
    )
    p.add_argument("--output", type=Path, default=None, help="run folder (default: out_dir of the config)")
    p.add_argument(
        "--steps", type=int, default=None, help="optimizer steps of the run (overrides the config)"
    )
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="continue from the latest complete checkpoint")
    again.add_argument(
        "--overwrite", action="store_true", help="replace an earlier run's checkpoints in --out"
    )
    p.add_argument(
        "--stop-at",
        type=int,
        default=None,
        metavar="K",
        help="stop after step K (checkpointed), e.g. for job limits",
    )
    return p.parse_args(argv)


@command()
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    cfg = load_config(args.config, TrainConfig, {"steps": args.steps} if args.steps is not None else None)
    if args.stop_at is not None and args.stop_at <= 0:
        raise ConfigError(f"--stop-at: must be a positive step, got {args.stop_at}")
    source = source_from_mix(args.mix, args.tokens)
    with logging_redirect_tqdm():  # log lines above the progress bar, not through it
        result = train(
            cfg,
            source,
            out_dir=args.output,
            resume=args.resume,
            stop_at=args.stop_at,
            overwrite=args.overwrite,
        )
    print(f"trained {result.step} steps ({result.tokens_seen:,} tokens); metrics: {result.metrics}")
    print(f"checkpoint: {result.checkpoint}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
