"""After (and during) training: perplexity per domain on the held-out split, zero-shot tasks.

``python -m train.evaluate --checkpoint DIR [--heldout SPLIT/heldout] [--tasks T.jsonl ...]
[--tokenizer HF_TOKENIZER] [--output RESULTS.json]``

``DIR`` is a training run's checkpoint (its ``checkpoints`` folder, which resumes from what
``latest`` names, or one ``step-N`` folder), read through DeepSpeed's ZeRO consolidation
(``zero_to_fp32``: any ZeRO stage, written by any number of ranks, gathered into fp32 on the CPU),
or a consolidated model: the folder ``python -m train.export`` writes.

Held-out perplexity reads ``SPLIT/heldout`` (`mixer.split`) in order, in batches of packed rows
built exactly as training builds them (`train.data.collate_packed`: document-masked attention,
padding out of the loss), and reports per domain the tokens scored, the mean loss in nats and
exp(loss). The same function runs inside training every ``eval.interval`` steps
(`HeldoutEvaluator`), on the DeepSpeed engine itself, so a ZeRO-3 model is evaluated where it
lives; every rank scores the same rows (ZeRO-3 gathers parameters collectively, so all ranks must
run every forward pass), which keeps the figure identical whatever the world size.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from common import storage
from common.cli import command
from common.errors import ConfigError, InputError
from common.streaming import import_streaming
from formats.heldout import HELDOUT_DIR, SPLIT_FILE, TRAIN_DIR
from formats.manifest_io import ManifestError
from formats.token_manifest import read_token_manifest
from train.data import Batch, collate_packed
from train.model import IGNORE_INDEX, Llama, LlamaConfig

log = logging.getLogger(__name__)

Forward = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
META = "headwater.json"


# -- the model of a checkpoint ---------------------------------------------------------------


def _deepspeed_checkpoint(path: Path) -> tuple[Path, str] | None:
    """(checkpoints folder, tag) of a DeepSpeed checkpoint given as its folder or one step."""
    for root in (path, path / "checkpoints"):
        if (root / "latest").is_file():
            return root, (root / "latest").read_text(encoding="utf-8").strip()
    if (path / META).is_file():
        return path.parent, path.name
    return None


def load_model(checkpoint: str | Path) -> Llama:
    """The fp32 model of a training checkpoint or an exported folder, on the CPU, in eval mode."""
    path = Path(checkpoint)
    if (path / "config.json").is_file():
        from train.export import load_export

        return load_export(path)
    found = _deepspeed_checkpoint(path)
    if found is None:
        raise InputError(
            f"{path}: neither a training checkpoint (a checkpoints folder with 'latest', or a step-N folder "
            f"with {META}) nor an exported model (config.json)"
        )
    root, tag = found
    meta_path = root / tag / META
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{meta_path}: missing; {root / tag} is not a complete checkpoint") from None
    if "model" not in meta:
        raise InputError(f"{meta_path}: no 'model' key (a checkpoint written before evaluation existed)")
    cfg = LlamaConfig(
        **{**meta["model"], "attention": "sdpa", "checkpoint_activations": False, "deterministic": False}
    )
    state = _consolidated_state(root, tag)
    model = Llama(cfg)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise InputError(
            f"{root / tag}: weights do not fit the model: missing {missing}, unexpected {unexpected}"
        )
    return model.float().eval()


_NUMPY_RNG_STATE = [np._core.multiarray._reconstruct, np.ndarray, np.dtype, type(np.dtype(np.uint32))]


def _consolidated_state(root: Path, tag: str) -> dict[str, torch.Tensor]:
    """Every rank's ZeRO partitions gathered into one fp32 state dict (DeepSpeed's own reader);
    a ZeRO-0 checkpoint holds the whole module in one file."""
    folder = root / tag
    if any(folder.glob("*zero_pp_rank_*_optim_states.pt")):
        from deepspeed.utils.zero_to_fp32 import get_fp32_state_dict_from_zero_checkpoint

        state = get_fp32_state_dict_from_zero_checkpoint(str(root), tag=tag)
    else:
        files = sorted(folder.glob("mp_rank_*_model_states.pt"))
        if not files:
            raise InputError(f"{folder}: no DeepSpeed model states")
        # weights_only: nothing in a checkpoint runs as code; our client state holds numpy's RNG
        # state, so its array type is allowed, nothing else.
        with torch.serialization.safe_globals(_NUMPY_RNG_STATE):
            state = torch.load(files[0], map_location="cpu", weights_only=True)["module"]
    return {k.removeprefix("_orig_mod.").replace("._orig_mod.", "."): v.float() for k, v in state.items()}


# -- held-out perplexity ---------------------------------------------------------------------


@dataclass(frozen=True)
class DomainLoss:
    tokens: int
    """Tokens whose prediction was scored (padding excluded)."""
    loss: float
    """Mean cross-entropy in nats."""

    @property
    def perplexity(self) -> float:
        return math.exp(self.loss)

    def as_dict(self) -> dict[str, float]:
        return {"tokens": self.tokens, "loss": self.loss, "perplexity": self.perplexity}


def heldout_dir_for(tokens_dir: Path) -> Path | None:
    """The held-out side of the split that ``tokens_dir`` is the train side of, if it is one."""
    tokens_dir = Path(tokens_dir)
    if tokens_dir.name == TRAIN_DIR and (tokens_dir.parent / SPLIT_FILE).is_file():
        return tokens_dir.parent / HELDOUT_DIR
    return None


def heldout_batches(
    heldout: str | Path, micro_batch_size: int, max_sequences: int | None = None
) -> dict[str, list[Batch]]:
    """Each domain's held-out rows in order (the first ``max_sequences``), as training batches."""
    heldout = Path(heldout)
    try:
        manifest = read_token_manifest(str(heldout))
    except ManifestError as err:
        raise InputError(f"{err} (the held-out side of python -m mixer split)") from None
    streaming = import_streaming()
    out = {}
    for domain, have in manifest.domains.items():
        if have.sequences == 0:
            continue
        data = streaming.LocalDataset(local=str(heldout / domain))
        n = len(data) if max_sequences is None else min(len(data), max_sequences)
        samples = [data[i] for i in range(n)]
        out[domain] = [
            Batch(**collate_packed(samples[i : i + micro_batch_size], manifest.seq_len))
            for i in range(0, n, micro_batch_size)
        ]
    if not out:
        raise InputError(f"{heldout}: no held-out sequences in any domain")
    return out


@torch.no_grad()
def heldout_loss(
    forward: Forward, batches: dict[str, list[Batch]], device: torch.device
) -> dict[str, DomainLoss]:
    """Summed cross-entropy over each domain's scored tokens, divided once at the end (so the
    result does not depend on how the rows are batched, beyond float rounding)."""
    result = {}
    for domain, domain_batches in batches.items():
        total, count = 0.0, 0
        for batch in domain_batches:
            b = batch.to(device)
            logits = forward(b.inputs, b.segments).float()
            total += float(
                F.cross_entropy(
                    logits.view(-1, logits.size(-1)),
                    b.labels.view(-1),
                    ignore_index=IGNORE_INDEX,
                    reduction="sum",
                )
            )
            count += int((b.labels != IGNORE_INDEX).sum())
        result[domain] = DomainLoss(count, total / max(count, 1))
    return result


def overall(losses: dict[str, DomainLoss]) -> DomainLoss:
    """Token-weighted over the domains."""
    tokens = sum(d.tokens for d in losses.values())
    return DomainLoss(tokens, sum(d.loss * d.tokens for d in losses.values()) / max(tokens, 1))


class HeldoutEvaluator:
    """Held-out perplexity inside training: the rows are read once, scored on the engine."""

    def __init__(self, heldout: Path, micro_batch_size: int, max_sequences: int | None) -> None:
        self.heldout = heldout
        self.batches = heldout_batches(heldout, micro_batch_size, max_sequences)

    def __call__(self, engine: Any, device: torch.device) -> dict[str, dict[str, float]]:
        engine.eval()
        try:
            losses = heldout_loss(lambda t, s: engine(t, s)[0], self.batches, device)
        finally:
            engine.train()
        return {d: v.as_dict() for d, v in {**losses, "all": overall(losses)}.items()}


# -- the command -----------------------------------------------------------------------------


def _tokenizer(path: Path) -> Any:
    from transformers import AutoTokenizer

    if not (path / "tokenizer.json").is_file():
        raise InputError(
            f"{path}: no tokenizer.json; pass --tokenizer (python -m tokenization.export writes one)"
        )
    return AutoTokenizer.from_pretrained(str(path), local_files_only=True)


def _print_tables(losses: dict[str, DomainLoss] | None, scores: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=120)
    if losses:
        t = Table(title="Held-out perplexity per domain")
        for name in ("domain", "tokens", "loss (nats)", "perplexity"):
            t.add_column(name, justify="left" if name == "domain" else "right")
        for domain, d in losses.items():
            t.add_row(domain, f"{d.tokens:,}", f"{d.loss:.4f}", f"{d.perplexity:.2f}")
        t.add_section()
        d = overall(losses)
        t.add_row("all", f"{d.tokens:,}", f"{d.loss:.4f}", f"{d.perplexity:.2f}")
        console.print(t)
    if scores:
        t = Table(title="Zero-shot tasks")
        for name in ("task", "n", "acc", "acc_norm", "perplexity", "chance"):
            t.add_column(name, justify="left" if name == "task" else "right")
        for s in scores:
            t.add_row(
                s.task,
                str(s.n),
                f"{s.acc:.3f} ± {s.acc_stderr:.3f}",
                "" if s.acc_norm is None else f"{s.acc_norm:.3f} ± {s.acc_norm_stderr:.3f}",
                "" if s.perplexity is None else f"{s.perplexity:.2f}",
                "" if s.chance is None else f"{s.chance:.3f}",
            )
        console.print(t)


@command()
def main(argv: list[str] | None = None) -> int:
    from formats.tasks import read_task
    from train.tasks import Scorer, score_task

    p = argparse.ArgumentParser(prog="python -m train.evaluate", description=__doc__.split("\n\n")[0])
    p.add_argument("--checkpoint", required=True, help="checkpoints folder, a step-N folder, or an export")
    p.add_argument("--heldout", type=Path, default=None, help="the held-out split (SPLIT/heldout)")
    p.add_argument("--tasks", type=Path, nargs="*", default=[], help="task JSONL files (formats.tasks)")
    p.add_argument("--tokenizer", type=Path, default=None, help="HF tokenizer folder (default: the export)")
    p.add_argument("--batch-size", type=int, default=8, help="rows per forward pass")
    p.add_argument("--max-sequences", type=int, default=None, help="held-out rows per domain (default: all)")
    p.add_argument("--output", type=Path, default=None, help="also write the results as JSON here")
    args = p.parse_args(argv)
    if args.heldout is None and not args.tasks:
        raise ConfigError("nothing to evaluate: pass --heldout SPLIT/heldout and/or --tasks FILE.jsonl")
    if args.batch_size <= 0:
        raise ConfigError(f"--batch-size: must be positive, got {args.batch_size}")
    tasks = [read_task(t) for t in args.tasks]  # a bad file fails before the model loads
    model = load_model(args.checkpoint)
    torch.manual_seed(0)
    device = torch.device("cpu")
    forward: Forward = lambda t, s: model(t, s)[0]  # noqa: E731
    losses = None
    if args.heldout is not None:
        losses = heldout_loss(
            forward, heldout_batches(args.heldout, args.batch_size, args.max_sequences), device
        )
    scores = []
    if tasks:
        tok = _tokenizer(args.tokenizer or Path(args.checkpoint))
        bos = tok.bos_token_id if getattr(tok, "add_bos_token", False) else None
        scorer = Scorer(forward, tok, model.cfg.max_seq_len, args.batch_size, bos)
        scores = [score_task(t, scorer) for t in tasks]
    _print_tables(losses, scores)
    if args.output is not None:
        result = {
            "checkpoint": str(args.checkpoint),
            "heldout": None
            if losses is None
            else {d: v.as_dict() for d, v in {**losses, "all": overall(losses)}.items()},
            "tasks": [asdict(s) for s in scores],
        }
        storage.write_bytes(str(args.output), json.dumps(result, indent=2).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
