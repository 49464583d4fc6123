"""Per-step training metrics: a JSONL file in the run directory, log lines, a progress bar.

Every step is one JSON line (step, loss, lr, grad norm, tokens/s, tokens seen, and the digest of
the step's input tokens, so one can tell which data each step saw and compare two runs batch by
batch). A resumed run first drops the lines past the step it resumes from (they belong to the
attempt that crashed), so the file always reads as one uninterrupted curve.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass
from pathlib import Path

from tqdm import tqdm

from common import storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StepMetrics:
    step: int
    loss: float
    lr: float
    grad_norm: float | None
    """Global gradient norm before clipping; None where DeepSpeed does not report it."""
    tokens: int
    """Tokens in this step's global batch (every device, every micro-batch, padding included)."""
    tokens_seen: int
    step_time_s: float
    tokens_per_s: float
    batch_digest: str
    """xxh64 of this rank's input tokens of the step's micro-batches."""


def read_metrics(path: str | Path) -> list[dict]:
    """The records of a metrics.jsonl, in order.

    A run killed mid-write leaves its last line cut short: that line (a step after the last
    checkpoint, which resume writes again) is skipped with a warning. A broken line anywhere
    else is damage, reported with the file and line number.
    """
    with open(path, encoding="utf-8") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip()]
    records = []
    for i, (n, line) in enumerate(lines):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as err:
            if i == len(lines) - 1 and not line.endswith("\n"):
                log.warning("%s:%d: skipping a cut-off last line (a killed run's partial write)", path, n)
                break
            raise ValueError(f"{path}:{n}: not a JSON record: {err}") from None
    return records


class MetricsLogger:
    """Writes step metrics on the main rank; a no-op elsewhere."""

    def __init__(
        self,
        path: str | Path,
        total_steps: int,
        start_step: int,
        log_interval: int,
        enabled: bool,
    ) -> None:
        self.path = Path(path)
        self.log_interval = log_interval
        self.enabled = enabled
        self._file = None
        self._bar = None
        if not enabled:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._truncate_after(start_step)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (closed in close())
        self._bar = tqdm(total=total_steps, initial=start_step, desc="train", unit="step", dynamic_ncols=True)

    def _truncate_after(self, step: int) -> None:
        """Drop the records past ``step``; replaced atomically, so a crash here loses none."""
        if not self.path.exists():
            return
        kept = [r for r in read_metrics(self.path) if r["step"] <= step]
        storage.write_bytes(str(self.path), "".join(json.dumps(r) + "\n" for r in kept).encode("utf-8"))

    def log(self, m: StepMetrics) -> None:
        if not self.enabled:
            return
        assert self._file is not None and self._bar is not None
        self._file.write(json.dumps(asdict(m)) + "\n")
        self._file.flush()
        self._bar.update(1)
        self._bar.set_postfix(loss=f"{m.loss:.4f}", lr=f"{m.lr:.2e}", tok_s=f"{m.tokens_per_s:,.0f}")
        if m.step % self.log_interval == 0 or m.step == self._bar.total:
            log.info(
                "step %d  loss %.4f  lr %.3e  grad_norm %s  tokens/s %s  tokens %s",
                m.step,
                m.loss,
                m.lr,
                "n/a" if m.grad_norm is None else f"{m.grad_norm:.3f}",
                f"{m.tokens_per_s:,.0f}",
                f"{m.tokens_seen:,}",
            )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        if self._file is not None:
            self._file.close()


def finite_or_raise(step: int, loss: float, grad_norm: float | None) -> None:
    """Stop at the first non-finite loss or gradient norm (torchtitan does the same): training on
    from NaN only burns compute, and the last checkpoint is the place to resume from."""
    if not (math.isfinite(loss) and (grad_norm is None or math.isfinite(grad_norm))):
        raise FloatingPointError(f"step {step}: loss {loss}, grad norm {grad_norm} (not finite); stopping")
