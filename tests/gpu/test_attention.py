"""flash-attn against torch SDPA on the GPU, in bf16: the varlen path with document masking
against the masked SDPA reference, whole models forward and backward."""

from __future__ import annotations

import time

import pytest
import torch

from tests.gpu.conftest import report
from train.model import Attention, Llama, LlamaConfig, flash_available, rotary_tables
from train.model import AttentionMask as Mask

needs_flash = pytest.mark.skipif(not flash_available(), reason="needs the flash-attn package (extra `gpu`)")
DEVICE = "cuda"


def segments_of(lengths: list[list[int]], T: int) -> torch.Tensor:
    """Packed rows: documents of the given lengths, then padding (-1) to T."""
    rows = []
    for row in lengths:
        ids = [i for i, n in enumerate(row) for _ in range(n)]
        rows.append(ids + [-1] * (T - len(ids)))
    return torch.tensor(rows, device=DEVICE)


def config(backend: str, **kw: object) -> LlamaConfig:
    base = {
        "vocab_size": 512,
        "max_seq_len": 256,
        "dim": 256,
        "n_layers": 2,
        "n_heads": 8,
        "n_kv_heads": 2,
        "ffn_dim": 512,
    }
    return LlamaConfig(**{**base, **kw, "attention": backend})


@needs_flash
@pytest.mark.parametrize("masked", [False, True])
def test_flash_attention_matches_sdpa_in_bf16(masked: bool):
    torch.manual_seed(0)
    T = 256
    sdpa = Attention(config("sdpa")).to(DEVICE, torch.bfloat16)
    flash = Attention(config("flash")).to(DEVICE, torch.bfloat16)
    flash.load_state_dict(sdpa.state_dict())
    x = torch.randn(2, T, 256, device=DEVICE, dtype=torch.bfloat16)
    rope = rotary_tables(T, 32, 10000.0, torch.device(DEVICE))
    segments = segments_of([[100, 60, 96], [200, 40]], T) if masked else None
    ref = sdpa(x, rope, Mask.build(segments, "sdpa"))
    out = flash(x, rope, Mask.build(segments, "flash"))
    err = (out.float() - ref.float()).abs().max().item()
    report(f"flash vs SDPA attention, bf16{' varlen' if masked else ''}", max_abs_error=err)
    assert err < 2e-2


@needs_flash
def test_varlen_model_matches_masked_sdpa_forward_and_backward():
    torch.manual_seed(0)
    T = 256
    ref_model = Llama(config("sdpa")).to(DEVICE, torch.bfloat16)
    flash_model = Llama(config("flash")).to(DEVICE, torch.bfloat16)
    flash_model.load_state_dict(ref_model.state_dict())
    tokens = torch.randint(2, 512, (2, T), device=DEVICE)
    segments = segments_of([[30, 120, 106], [256]], T)
    targets = tokens.roll(-1, dims=1)
    _, ref_loss = ref_model(tokens, segments, targets)
    _, flash_loss = flash_model(tokens, segments, targets)
    ref_loss.backward()
    flash_loss.backward()
    grad_err = max(
        (a.grad.float() - b.grad.float()).abs().max().item() / (a.grad.float().abs().max().item() + 1e-12)
        for a, b in zip(ref_model.parameters(), flash_model.parameters(), strict=True)
    )
    report(
        "flash varlen vs masked SDPA model, bf16",
        loss_difference=abs(ref_loss.item() - flash_loss.item()),
        max_relative_grad_error=grad_err,
    )
    assert flash_loss.item() == pytest.approx(ref_loss.item(), rel=1e-2)
    assert grad_err < 5e-2


@needs_flash
def test_flash_is_faster_than_masked_sdpa_at_2048():
    torch.manual_seed(0)
    T = 2048
    cfg = {"max_seq_len": T, "dim": 2048, "n_heads": 32, "n_kv_heads": 8}
    times = {}
    for backend in ("sdpa", "flash"):
        attn = Attention(config(backend, **cfg)).to(DEVICE, torch.bfloat16)
        x = torch.randn(4, T, 2048, device=DEVICE, dtype=torch.bfloat16, requires_grad=True)
        rope = rotary_tables(T, 64, 10000.0, torch.device(DEVICE))
        mask = Mask.build(segments_of([[700, 900, 448]] * 4, T), backend)
        for _ in range(3):
            attn(x, rope, mask).sum().backward()
        torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(10):
            attn(x, rope, mask).sum().backward()
        torch.cuda.synchronize()
        times[backend] = (time.perf_counter() - start) / 10
    report(
        "attention fwd+bwd at 2048, ms", sdpa_masked=times["sdpa"] * 1e3, flash_varlen=times["flash"] * 1e3
    )
    assert times["flash"] < times["sdpa"]
