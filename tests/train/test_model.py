"""The Llama decoder: shapes, causality, document masking, attention against a naive reference, GQA."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from train.model import (
    IGNORE_INDEX,
    Attention,
    AttentionMask,
    Llama,
    LlamaConfig,
    apply_rotary,
    document_boundaries,
    rotary_tables,
)

CFG = LlamaConfig(vocab_size=50, max_seq_len=16, dim=32, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=64)


def make_model(cfg: LlamaConfig = CFG, seed: int = 0) -> Llama:
    torch.manual_seed(seed)
    return Llama(cfg).eval()


def tokens(batch: int = 2, length: int = 12, seed: int = 1) -> torch.Tensor:
    return torch.randint(0, CFG.vocab_size, (batch, length), generator=torch.Generator().manual_seed(seed))


def two_documents(batch: int, length: int, boundary: int) -> torch.Tensor:
    seg = torch.zeros(batch, length, dtype=torch.long)
    seg[:, boundary:] = 1
    return seg


def test_forward_gives_logits_per_position_and_a_scalar_loss():
    model = make_model()
    x = tokens()
    logits, loss = model(x, targets=x)
    assert logits.shape == (2, 12, CFG.vocab_size)
    assert loss.shape == () and math.isfinite(loss.item())
    assert make_model()(x)[1] is None


def test_untrained_loss_is_near_uniform_guessing():
    x = tokens(batch=8)
    _, loss = make_model()(x, targets=x)
    assert abs(loss.item() - math.log(CFG.vocab_size)) < 0.2


def test_changing_a_future_token_leaves_earlier_logits_unchanged():
    model = make_model()
    x = tokens()
    y = x.clone()
    y[:, 7] = (y[:, 7] + 1) % CFG.vocab_size
    with torch.no_grad():
        a, b = model(x)[0], model(y)[0]
    torch.testing.assert_close(a[:, :7], b[:, :7])
    assert not torch.allclose(a[:, 7:], b[:, 7:])


def test_document_masking_hides_the_first_document_from_the_second():
    model = make_model()
    seg = two_documents(2, 12, boundary=5)
    x = tokens()
    y = x.clone()
    y[:, :5] = (y[:, :5] + 3) % CFG.vocab_size  # rewrite document 0 only
    with torch.no_grad():
        a, b = model(x, seg)[0], model(y, seg)[0]
    torch.testing.assert_close(a[:, 5:], b[:, 5:])  # document 1 never saw document 0
    assert not torch.allclose(a[:, :5], b[:, :5])


def test_masked_and_unmasked_outputs_differ_only_after_the_boundary():
    masked = make_model(replace(CFG, document_masking=True))
    unmasked = make_model(replace(CFG, document_masking=False))
    seg = two_documents(2, 12, boundary=5)
    x = tokens()
    with torch.no_grad():
        a, b = masked(x, seg)[0], unmasked(x, seg)[0]
    torch.testing.assert_close(a[:, :5], b[:, :5])
    assert not torch.allclose(a[:, 5:], b[:, 5:])


def test_padding_segment_attends_only_to_padding_and_does_not_produce_nan():
    model = make_model()
    seg = torch.tensor([[0, 0, 0, 1, 1, -1, -1, -1]])
    x = tokens(batch=1, length=8)
    targets = x.clone()
    targets[seg == -1] = IGNORE_INDEX
    logits, loss = model(x, seg, targets)
    assert torch.isfinite(logits).all() and math.isfinite(loss.item())


def test_loss_of_a_batch_with_no_counted_token_is_zero_not_nan():
    model = make_model()
    x = tokens(batch=1, length=8)
    _, loss = model(x, targets=torch.full_like(x, IGNORE_INDEX))
    assert loss.item() == 0.0


def test_loss_ignores_padding_labels():
    model = make_model()
    x = tokens(batch=1, length=8)
    targets = x.clone()
    targets[:, 4:] = IGNORE_INDEX
    logits, loss = model(x, targets=targets)
    expected = F.cross_entropy(logits[0, :4], x[0, :4])
    torch.testing.assert_close(loss, expected)


def naive_attention(attn: Attention, x: torch.Tensor, segments: torch.Tensor | None) -> torch.Tensor:
    """Attention written out: scores, mask, softmax, weighted sum; KV heads repeated per group."""
    B, T, _ = x.shape
    H, KV, D = attn.n_heads, attn.n_kv_heads, attn.head_dim
    rope = rotary_tables(T, D, CFG.rope_theta, x.device)
    q = apply_rotary(attn.wq(x).view(B, T, H, D), rope).transpose(1, 2)
    k = apply_rotary(attn.wk(x).view(B, T, KV, D), rope).transpose(1, 2)
    v = attn.wv(x).view(B, T, KV, D).transpose(1, 2)
    k = k.repeat_interleave(H // KV, dim=1)
    v = v.repeat_interleave(H // KV, dim=1)
    scores = q @ k.transpose(-1, -2) / math.sqrt(D)
    allowed = torch.ones(T, T, dtype=torch.bool).tril()[None, None]
    if segments is not None:
        allowed = allowed & (segments[:, None, :, None] == segments[:, None, None, :])
    scores = scores.masked_fill(~allowed, float("-inf"))
    y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(B, T, H * D)
    return attn.wo(y)


@pytest.mark.parametrize("segmented", [False, True], ids=["causal", "documents"])
def test_sdpa_attention_matches_naive_reference(segmented: bool):
    torch.manual_seed(0)
    attn = Attention(CFG)
    x = torch.randn(2, 12, CFG.dim)
    seg = torch.tensor([[0] * 4 + [1] * 5 + [2] * 3, [0] * 10 + [-1] * 2]) if segmented else None
    rope = rotary_tables(12, CFG.head_dim, CFG.rope_theta, x.device)
    with torch.no_grad():
        got = attn(x, rope, AttentionMask.build(seg, "sdpa"))
        want = naive_attention(attn, x, seg)
    torch.testing.assert_close(got, want, atol=1e-5, rtol=1e-5)


def test_grouped_query_attention_equals_full_attention_with_shared_key_value_heads():
    gqa = make_model(replace(CFG, n_heads=4, n_kv_heads=1))
    mha = make_model(replace(CFG, n_heads=4, n_kv_heads=4), seed=5)
    state = gqa.state_dict()
    for name, weight in state.items():
        if name.endswith(("wk.weight", "wv.weight")):
            state[name] = weight.repeat(4, 1)  # every query head reads the one shared KV head
    mha.load_state_dict(state)
    x = tokens()
    with torch.no_grad():
        torch.testing.assert_close(gqa(x)[0], mha(x)[0], atol=1e-5, rtol=1e-5)
    assert gqa.layers[0].attention.wk.weight.shape == (CFG.head_dim, CFG.dim)


def test_rotary_scores_depend_only_on_relative_position():
    torch.manual_seed(0)
    q, k = torch.randn(1, 1, 1, 8), torch.randn(1, 1, 1, 8)
    rope = rotary_tables(20, 8, 10000.0, torch.device("cpu"))

    def score(m: int, n: int) -> float:
        return (apply_rotary(q, rope[:, m : m + 1]) * apply_rotary(k, rope[:, n : n + 1])).sum().item()

    assert score(3, 1) == pytest.approx(score(13, 11), abs=1e-5)
    assert score(3, 1) != pytest.approx(score(3, 2), abs=1e-3)


def test_document_boundaries_give_flash_varlen_offsets():
    seg = torch.tensor([[0, 0, 0, 1, 1, 2], [0, 0, 0, 0, -1, -1]])
    cu, longest = document_boundaries(seg)
    assert cu.dtype == torch.int32
    assert cu.tolist() == [0, 3, 5, 6, 10, 12]
    assert longest == 4


def test_longer_input_than_the_model_was_built_for_is_refused():
    with pytest.raises(ValueError, match="max_seq_len 16"):
        make_model()(tokens(length=17))


def test_inconsistent_head_counts_are_refused():
    with pytest.raises(ValueError, match="n_kv_heads"):
        replace(CFG, n_kv_heads=3)
