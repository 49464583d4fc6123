"""Zero-shot scores of a model on local task files (`formats.tasks`), as lm-evaluation-harness
computes them.

Every request is a context and a continuation; its score is the summed log-probability of the
continuation's tokens after the context, and whether greedy decoding would produce exactly them.
The pair is encoded as the harness does: trailing spaces of the context move to the
continuation, the continuation's tokens are the tokens of context + continuation past those of
the context alone, and BOS goes first when the tokenizer frames documents with it (our models
saw every document start after BOS). Requests are batched, right-padded, and truncated on the
left to the model's length.

- Multiple choice: ``acc`` picks the choice with the highest log-likelihood, ``acc_norm`` the
  highest log-likelihood per character of the choice (the harness's acc_norm).
- Last word: ``acc`` is greedy decoding producing the target, ``perplexity`` is
  exp(-mean log-likelihood of the target) over items (the harness's LAMBADA perplexity).
Each accuracy comes with its standard error, sqrt(p (1 - p) / (n - 1)), and the task's chance.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from formats.tasks import CONTINUATION_DELIMITER, LastWord, MultipleChoice, Task

Forward = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""(tokens (B, T), segments (B, T)) -> logits (B, T, vocab)."""


@dataclass(frozen=True)
class TaskScore:
    task: str
    kind: str
    n: int
    acc: float
    acc_stderr: float
    chance: float | None
    """Accuracy of guessing uniformly among the choices; None for last-word tasks."""
    acc_norm: float | None = None
    acc_norm_stderr: float | None = None
    perplexity: float | None = None


class Scorer:
    """Log-likelihoods of continuations under a model, in batches."""

    def __init__(
        self,
        forward: Forward,
        tokenizer: Any,
        max_len: int,
        batch_size: int = 32,
        bos_id: int | None = None,
    ) -> None:
        self.forward = forward
        self.tokenizer = tokenizer
        self.max_len = max_len
        self.batch_size = batch_size
        self.bos_id = bos_id

    def encode_pair(self, context: str, continuation: str) -> tuple[list[int], list[int]]:
        spaces = len(context) - len(context.rstrip())
        if spaces:
            context, continuation = context[:-spaces], context[-spaces:] + continuation
        enc = lambda text: self.tokenizer(text, add_special_tokens=False)["input_ids"]  # noqa: E731
        whole = enc(context + continuation)
        ctx = enc(context)
        prefix = [self.bos_id] if self.bos_id is not None else []
        return prefix + whole[: len(ctx)], whole[len(ctx) :]

    @torch.no_grad()
    def loglikelihoods(self, requests: Sequence[tuple[str, str]]) -> list[tuple[float, bool]]:
        """(summed log-probability, greedy match) of each (context, continuation)."""
        encoded = [self.encode_pair(c, x) for c, x in requests]
        for (context, continuation), (_, cont) in zip(requests, encoded, strict=True):
            if not cont:
                raise ValueError(f"continuation {continuation!r} after {context[-40:]!r} encodes to no token")
            if len(cont) > self.max_len:
                raise ValueError(
                    f"continuation {continuation[:40]!r}... is longer than the model's {self.max_len} tokens"
                )
        out: list[tuple[float, bool]] = [(0.0, False)] * len(encoded)
        # longest first: similar lengths share a batch, and the first batch shows the peak memory
        order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i][0]) - len(encoded[i][1]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            seqs = [(encoded[i][0] + encoded[i][1])[-(self.max_len + 1) :] for i in idx]
            width = max(len(s) for s in seqs) - 1
            tokens = torch.zeros(len(idx), width, dtype=torch.long)
            segments = torch.full((len(idx), width), -1, dtype=torch.long)
            for row, s in enumerate(seqs):
                tokens[row, : len(s) - 1] = torch.tensor(s[:-1])
                segments[row, : len(s) - 1] = 0
            logprobs = torch.log_softmax(self.forward(tokens, segments).float(), dim=-1)
            for row, (i, s) in enumerate(zip(idx, seqs, strict=True)):
                cont = encoded[i][1]
                n = len(s) - 1
                pos = torch.arange(n - len(cont), n)
                target = torch.tensor(cont)
                lp = logprobs[row, pos]
                out[i] = (float(lp.gather(1, target[:, None]).sum()), bool((lp.argmax(-1) == target).all()))
        return out


def _stderr(hits: np.ndarray) -> float:
    n = len(hits)
    p = float(hits.mean())
    return math.sqrt(p * (1 - p) / (n - 1)) if n > 1 else float("nan")


def score_task(task: Task, scorer: Scorer) -> TaskScore:
    if task.kind == "multiple_choice":
        return _multiple_choice(task, scorer)
    return _last_word(task, scorer)


def _multiple_choice(task: Task, scorer: Scorer) -> TaskScore:
    items: list[MultipleChoice] = list(task.items)  # type: ignore[arg-type]
    requests = [(it.context, CONTINUATION_DELIMITER + c) for it in items for c in it.choices]
    scores = [ll for ll, _ in scorer.loglikelihoods(requests)]
    hits, hits_norm, k = [], [], 0
    for it in items:
        ll = np.array(scores[k : k + len(it.choices)])
        k += len(it.choices)
        chars = np.array([len(c) for c in it.choices], dtype=float)
        hits.append(int(np.argmax(ll)) == it.label)
        hits_norm.append(int(np.argmax(ll / np.maximum(chars, 1))) == it.label)
    acc, norm = np.array(hits, dtype=float), np.array(hits_norm, dtype=float)
    return TaskScore(
        task.name,
        task.kind,
        len(items),
        float(acc.mean()),
        _stderr(acc),
        float(np.mean([1 / len(it.choices) for it in items])),
        float(norm.mean()),
        _stderr(norm),
    )


def _last_word(task: Task, scorer: Scorer) -> TaskScore:
    items: list[LastWord] = list(task.items)  # type: ignore[arg-type]
    results = scorer.loglikelihoods([(it.context, CONTINUATION_DELIMITER + it.target) for it in items])
    acc = np.array([greedy for _, greedy in results], dtype=float)
    mean_ll = float(np.mean([ll for ll, _ in results]))
    return TaskScore(
        task.name, task.kind, len(items), float(acc.mean()), _stderr(acc), None, perplexity=math.exp(-mean_ll)
    )
