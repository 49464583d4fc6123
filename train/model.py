"""A Llama-style decoder in one file, read top to bottom in the order data flows through it.

RMSNorm -> rotary embeddings -> grouped-query attention -> SwiGLU MLP -> Block -> Llama.
Nothing about training lives here: no optimizer, no DeepSpeed, no data loading.

Packed sequences hold several documents (docs/formats.md, Stage 2): ``segments`` gives each
token's document index within the row (-1 for padding). With ``document_masking`` on, a token
attends only to earlier tokens of its own document, so a batch of packed rows trains exactly like
the documents one by one. Two attention paths compute the same thing:

- ``sdpa``: torch ``scaled_dot_product_attention`` with a boolean mask (causal AND same segment),
  O(T^2) memory for the mask; runs everywhere and is the reference.
- ``flash``: ``flash_attn_varlen_func`` over the documents as variable-length sequences
  (``cu_seqlens``), on CUDA with the optional ``flash-attn`` package.

Rotary embeddings use the rotate-half layout (the one HF Llama uses), so exporting weights needs no
per-head permutation of ``wq``/``wk``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

try:  # the optional GPU extra (pyproject `gpu`); absent on CPU machines
    from flash_attn import flash_attn_func, flash_attn_varlen_func
except ImportError:  # pragma: no cover - depends on the machine
    flash_attn_func = flash_attn_varlen_func = None

AttentionBackend = Literal["sdpa", "flash"]
IGNORE_INDEX = -100
"""Label value the loss skips (padding); the cross-entropy default."""


def flash_available() -> bool:
    """flash-attn is importable and there is a CUDA device to run it on."""
    return flash_attn_varlen_func is not None and torch.cuda.is_available()


@dataclass(frozen=True)
class LlamaConfig:
    vocab_size: int
    max_seq_len: int
    dim: int = 64
    n_layers: int = 2
    n_heads: int = 4
    n_kv_heads: int = 2
    """Fewer key/value heads than query heads is grouped-query attention (GQA)."""
    ffn_dim: int = 192
    """Hidden width of the SwiGLU MLP (Llama: about 8/3 * dim, rounded)."""
    norm_eps: float = 1e-5
    rope_theta: float = 10000.0
    attention: AttentionBackend = "sdpa"
    document_masking: bool = True
    init_std: float = 0.02
    checkpoint_activations: bool = False
    """Recompute each block's activations in the backward pass instead of keeping them."""
    deterministic: bool = False
    """flash-attn's deterministic backward (slower; its default accumulates in any order)."""

    def __post_init__(self) -> None:
        if self.dim % self.n_heads:
            raise ValueError(f"dim {self.dim} is not divisible by n_heads {self.n_heads}")
        if self.n_heads % self.n_kv_heads:
            raise ValueError(f"n_heads {self.n_heads} is not divisible by n_kv_heads {self.n_kv_heads}")
        if (self.dim // self.n_heads) % 2:
            raise ValueError(f"head dim {self.dim // self.n_heads} must be even for rotary embeddings")

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads


class RMSNorm(nn.Module):
    """Scale by the root mean square (no mean subtraction, no bias); computed in fp32."""

    def __init__(self, dim: int, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x32 = x.float()
        x32 = x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)
        return x32.type_as(x) * self.weight


def rotary_tables(seq_len: int, head_dim: int, theta: float, device: torch.device) -> torch.Tensor:
    """cos and sin of each position's rotation angles, stacked: (2, T, head_dim), fp32.

    Computed per forward pass rather than stored as a buffer: a buffer would be cast to bf16 with
    the module, and bf16 angles lose the precision that long positions need.
    """
    inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2, device=device, dtype=torch.float32) / head_dim)
    angles = torch.outer(torch.arange(seq_len, device=device, dtype=torch.float32), inv_freq)
    angles = torch.cat([angles, angles], dim=-1)  # rotate-half layout: (T, head_dim)
    return torch.stack([angles.cos(), angles.sin()])


def apply_rotary(x: torch.Tensor, rope: torch.Tensor) -> torch.Tensor:
    """Rotate query/key vectors x (B, T, H, D) by their position's angles."""
    cos, sin = rope[0][None, :, None, :], rope[1][None, :, None, :]
    x32 = x.float()
    half = x32.shape[-1] // 2
    rotated = torch.cat([-x32[..., half:], x32[..., :half]], dim=-1)
    return (x32 * cos + rotated * sin).type_as(x)


@dataclass
class AttentionMask:
    """How tokens may attend, built once per batch and shared by every layer.

    ``sdpa_mask`` (B, 1, T, T), True = may attend, or None for plain causal attention;
    ``cu_seqlens``/``max_seqlen`` describe the documents as flash-attn varlen sequences.
    """

    sdpa_mask: torch.Tensor | None = None
    cu_seqlens: torch.Tensor | None = None
    max_seqlen: int = 0

    @classmethod
    def build(cls, segments: torch.Tensor | None, backend: AttentionBackend) -> AttentionMask:
        if segments is None:
            return cls()
        if backend == "flash":
            return cls(*document_boundaries(segments))
        return cls(sdpa_mask=document_causal_mask(segments))


def document_causal_mask(segments: torch.Tensor) -> torch.Tensor:
    """(B, T) segment ids -> (B, 1, T, T) bool: causal AND same document.

    Every row attends at least to itself, so no softmax row is empty (padding, segment -1, forms
    its own group and carries no loss).
    """
    T = segments.shape[1]
    causal = torch.ones(T, T, dtype=torch.bool, device=segments.device).tril()
    same_doc = segments[:, :, None] == segments[:, None, :]
    return (causal & same_doc)[:, None]


def document_boundaries(segments: torch.Tensor) -> tuple[torch.Tensor, int]:
    """(B, T) segment ids -> (cu_seqlens int32, max document length) over the flattened batch.

    A document starts at each row start and wherever the segment id changes (segments are
    contiguous runs: 0, 0, 1, 1, 1, 2, -1, -1).
    """
    B, T = segments.shape
    starts = torch.ones_like(segments, dtype=torch.bool)
    starts[:, 1:] = segments[:, 1:] != segments[:, :-1]
    offsets = torch.nonzero(starts.flatten()).flatten()
    end = torch.tensor([B * T], device=segments.device, dtype=offsets.dtype)
    cu_seqlens = torch.cat([offsets, end]).to(torch.int32)
    return cu_seqlens, int((cu_seqlens[1:] - cu_seqlens[:-1]).max())


class Attention(nn.Module):
    """Multi-head self-attention with grouped-query heads and rotary positions."""

    def __init__(self, cfg: LlamaConfig) -> None:
        super().__init__()
        self.n_heads, self.n_kv_heads, self.head_dim = cfg.n_heads, cfg.n_kv_heads, cfg.head_dim
        self.backend = cfg.attention
        self.deterministic = cfg.deterministic
        self.wq = nn.Linear(cfg.dim, cfg.n_heads * cfg.head_dim, bias=False)
        self.wk = nn.Linear(cfg.dim, cfg.n_kv_heads * cfg.head_dim, bias=False)
        self.wv = nn.Linear(cfg.dim, cfg.n_kv_heads * cfg.head_dim, bias=False)
        self.wo = nn.Linear(cfg.n_heads * cfg.head_dim, cfg.dim, bias=False)

    def forward(self, x: torch.Tensor, rope: torch.Tensor, mask: AttentionMask) -> torch.Tensor:
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, self.n_heads, self.head_dim)
        k = self.wk(x).view(B, T, self.n_kv_heads, self.head_dim)
        v = self.wv(x).view(B, T, self.n_kv_heads, self.head_dim)
        q, k = apply_rotary(q, rope), apply_rotary(k, rope)
        attend = self._flash if self.backend == "flash" else self._sdpa
        y = attend(q, k, v, mask)  # (B, T, H, D)
        return self.wo(y.reshape(B, T, -1))

    def _sdpa(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: AttentionMask) -> torch.Tensor:
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # (B, H, T, D)
        gqa = self.n_kv_heads != self.n_heads
        if mask.sdpa_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=gqa)
        else:
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask.sdpa_mask, enable_gqa=gqa)
        return y.transpose(1, 2)

    def _flash(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: AttentionMask) -> torch.Tensor:
        if flash_attn_varlen_func is None:
            raise RuntimeError(
                "attention backend 'flash' needs the flash-attn package (pyproject extra `gpu`)"
            )
        if mask.cu_seqlens is None:
            return flash_attn_func(q, k, v, causal=True, deterministic=self.deterministic)
        B, T = q.shape[:2]
        y = flash_attn_varlen_func(
            q.reshape(B * T, self.n_heads, self.head_dim),
            k.reshape(B * T, self.n_kv_heads, self.head_dim),
            v.reshape(B * T, self.n_kv_heads, self.head_dim),
            cu_seqlens_q=mask.cu_seqlens,
            cu_seqlens_k=mask.cu_seqlens,
            max_seqlen_q=mask.max_seqlen,
            max_seqlen_k=mask.max_seqlen,
            causal=True,
            deterministic=self.deterministic,
        )
        return y.view(B, T, self.n_heads, self.head_dim)


class SwiGLU(nn.Module):
    """w2(silu(w1 x) * w3 x): the gated MLP of Llama (Shazeer 2020)."""

    def __init__(self, cfg: LlamaConfig) -> None:
        super().__init__()
        self.w1 = nn.Linear(cfg.dim, cfg.ffn_dim, bias=False)
        self.w3 = nn.Linear(cfg.dim, cfg.ffn_dim, bias=False)
        self.w2 = nn.Linear(cfg.ffn_dim, cfg.dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(nn.Module):
    """Pre-norm residual block: x + attn(norm(x)), then x + mlp(norm(x))."""

    def __init__(self, cfg: LlamaConfig) -> None:
        super().__init__()
        self.attention_norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.attention = Attention(cfg)
        self.ffn_norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.feed_forward = SwiGLU(cfg)

    def forward(self, x: torch.Tensor, rope: torch.Tensor, mask: AttentionMask) -> torch.Tensor:
        x = x + self.attention(self.attention_norm(x), rope, mask)
        return x + self.feed_forward(self.ffn_norm(x))


class Llama(nn.Module):
    """Token embeddings -> n_layers Blocks -> RMSNorm -> output projection (untied)."""

    def __init__(self, cfg: LlamaConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.tok_embeddings = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList(Block(cfg) for _ in range(cfg.n_layers))
        self.norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.output = nn.Linear(cfg.dim, cfg.vocab_size, bias=False)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """N(0, init_std) everywhere, residual output projections scaled by 1/sqrt(2 * n_layers)
        (GPT-2) so the residual stream's variance does not grow with depth; norms start at 1."""
        std = self.cfg.init_std
        for name, p in self.named_parameters():
            if name.endswith(("wo.weight", "w2.weight")):
                nn.init.normal_(p, mean=0.0, std=std / math.sqrt(2 * self.cfg.n_layers))
            elif p.ndim == 2:
                nn.init.normal_(p, mean=0.0, std=std)
            else:
                nn.init.ones_(p)

    def forward(
        self,
        tokens: torch.Tensor,
        segments: torch.Tensor | None = None,
        targets: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """tokens (B, T) -> logits (B, T, vocab), and the mean cross-entropy over targets that are
        not IGNORE_INDEX when targets are given. ``segments`` (B, T) masks attention across
        documents when the config enables document masking."""
        T = tokens.shape[1]
        if self.cfg.max_seq_len < T:
            raise ValueError(f"sequence of {T} tokens exceeds max_seq_len {self.cfg.max_seq_len}")
        rope = rotary_tables(T, self.cfg.head_dim, self.cfg.rope_theta, tokens.device)
        mask = AttentionMask.build(segments if self.cfg.document_masking else None, self.cfg.attention)
        x = self.tok_embeddings(tokens)  # (B, T, C)
        for layer in self.layers:
            if self.cfg.checkpoint_activations and self.training and torch.is_grad_enabled():
                x = checkpoint(layer, x, rope, mask, use_reentrant=False)
            else:
                x = layer(x, rope, mask)
        logits = self.output(self.norm(x))  # (B, T, vocab)
        loss = None
        if targets is not None:
            # Sum over counted tokens, divided by at least 1: a micro-batch that is all padding
            # gives loss 0 (and no gradient) rather than NaN.
            total = F.cross_entropy(
                logits.float().view(-1, logits.size(-1)),
                targets.view(-1),
                ignore_index=IGNORE_INDEX,
                reduction="sum",
            )
            loss = total / (targets != IGNORE_INDEX).sum().clamp(min=1)
        return logits, loss

    def num_params(self, exclude_embeddings: bool = True) -> int:
        """Parameter count; without the embedding table by default, as FLOPs estimates use it."""
        n = sum(_numel(p) for p in self.parameters())
        return n - _numel(self.tok_embeddings.weight) if exclude_embeddings else n


def _numel(p: torch.Tensor) -> int:
    """Full size of a parameter, also once ZeRO-3 has partitioned it (then ``numel()`` is 0)."""
    return int(getattr(p, "ds_numel", p.numel()))
