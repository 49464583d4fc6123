"""python -m train --mix configs/mix.yaml [--config configs/train.yaml] [--tokens TOK]
[--output RUN] [--steps N] [--resume | --overwrite] [--stop-at K]
python -m train plan --mix configs/mix.yaml [--config ...] [--gpus 1 8 16] [--mfu 0.4 0.5] [--gpu H100]

Trains the model of the training config on the data of the mix plan and prints where the final
checkpoint is; ``plan`` prints what such a run costs. Under a launcher every rank runs the same
command: ``torchrun --nproc_per_node 8 -m train ...`` or ``deepspeed --module train ...`` (whose
``--local_rank`` argument is accepted; the rank comes from the environment either way).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from common.cli import command
from common.config import load_config
from common.errors import ConfigError
from train.config import TrainConfig
from train.flops import PEAK_BF16_TFLOPS

DEFAULT_CONFIG = "configs/train.yaml"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mix", required=True, type=Path, help="mix plan (Stage 3), e.g. configs/mix.yaml")
    p.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="training config (default: %(default)s)"
    )
    p.add_argument(
        "--tokens", type=Path, default=None, help="Stage 2 output (overrides tokens_dir in the mix)"
    )
    p.add_argument(
        "--steps",
        type=int,
        default=None,
        help="optimizer steps (overrides the config; default: the steps that draw the mix plan once)",
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m train", description=__doc__.split("\n\n")[1])
    _common(p)
    p.add_argument("--output", type=Path, default=None, help="run folder (default: out_dir of the config)")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="continue from the latest complete checkpoint")
    again.add_argument(
        "--overwrite", action="store_true", help="replace an earlier run's checkpoints in --output"
    )
    p.add_argument(
        "--stop-at",
        type=int,
        default=None,
        metavar="K",
        help="stop after step K (checkpointed), e.g. for job limits",
    )
    # `deepspeed --module train` appends --local_rank=N; the rank is read from LOCAL_RANK instead
    p.add_argument("--local_rank", "--local-rank", type=int, default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def parse_plan_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m train plan", description="What a training run costs.")
    _common(p)
    p.add_argument(
        "--gpus", type=int, nargs="+", default=[1, 8, 16], help="GPU counts (default: %(default)s)"
    )
    p.add_argument(
        "--mfu", type=float, nargs="+", default=[0.4, 0.5], help="MFU fractions (default: %(default)s)"
    )
    p.add_argument("--gpu", choices=sorted(PEAK_BF16_TFLOPS), default="H100", help="peak FLOP/s of this GPU")
    args = p.parse_args(argv)
    if any(g <= 0 for g in args.gpus):
        raise ConfigError(f"--gpus: counts must be positive, got {args.gpus}")
    if any(not 0 < m <= 1 for m in args.mfu):
        raise ConfigError(f"--mfu: fractions in (0, 1], got {args.mfu}")
    return args


def _config(args: argparse.Namespace) -> TrainConfig:
    return load_config(args.config, TrainConfig, {"steps": args.steps} if args.steps is not None else None)


@command()
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from train.data import source_from_mix

    if argv[:1] == ["plan"]:
        from train.plan import render

        args = parse_plan_args(argv[1:])
        cfg = _config(args)
        print(render(cfg, source_from_mix(args.mix, args.tokens), args.gpus, args.mfu, args.gpu))
        return 0

    from tqdm.contrib.logging import logging_redirect_tqdm

    from train.loop import train

    args = parse_args(argv)
    cfg = _config(args)
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
    if result.step and _is_main():
        print(f"trained {result.step} steps ({result.tokens_seen:,} tokens); metrics: {result.metrics}")
        print(f"checkpoint: {result.checkpoint}")
    return 0


def _is_main() -> bool:
    import torch.distributed as dist

    return not dist.is_initialized() or dist.get_rank() == 0


if __name__ == "__main__":
    sys.exit(main())
