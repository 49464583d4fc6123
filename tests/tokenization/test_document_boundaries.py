"""Packed sequences keep documents apart: the segment ids Stage 2 writes are the documents that
BOS and EOS frame, and with them the trainer's own attention never crosses a document boundary."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest
import torch

from common.config import parse_config
from common.streaming import import_streaming, release_dataset_shared_memory
from tests.tokenization.tok_textmaker import write_clean_output
from tokenization.config import TokenizerConfig
from tokenization.encode import encode_corpus
from tokenization.train import train_tokenizer
from train.model import Llama, LlamaConfig, document_causal_mask

SEQ_LEN = 96
BOS, EOS, PAD = 1, 2, 3


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, np.ndarray, int]:
    """(tokens, segments) of every packed sequence of a real Stage 2 run, and the vocab size."""
    root = tmp_path_factory.mktemp("stage2")
    write_clean_output(root / "clean", {"dialog": 60, "math": 40}, shards_per_domain=2, seed=6)
    train_tokenizer(root / "clean", root / "tok", parse_config({"vocab_size": 400}, TokenizerConfig))
    manifest = encode_corpus(root / "clean", root / "tok", seq_len=SEQ_LEN, workers=1)
    streaming = import_streaming()
    tokens, segments = [], []
    old_tempdir = tempfile.tempdir
    tempfile.tempdir = str(root)  # streaming's file locks stay in the test's folder
    try:
        for domain in ("dialog", "math"):
            ds = streaming.StreamingDataset(local=str(root / "tok" / domain), shuffle=False, batch_size=1)
            try:
                for i in range(ds.size):
                    tokens.append(ds[i]["tokens"])
                    segments.append(ds[i]["segments"])
            finally:
                release_dataset_shared_memory(ds)
                del ds
    finally:
        tempfile.tempdir = old_tempdir
    return np.stack(tokens), np.stack(segments), manifest.vocab_size


def _documents_from_tokens(row: np.ndarray) -> np.ndarray:
    """Each position's document within the row, read from the framing alone: a document starts at
    its BOS (text never encodes to BOS); positions before the first BOS continue the document the
    previous row ended in. Padding (after the last EOS of a domain) is -1."""
    docs = np.cumsum(row == BOS) - (1 if row[0] == BOS else 0)
    last_eos = np.flatnonzero(row == EOS)
    if len(last_eos) and np.all(row[last_eos[-1] + 1 :] == PAD) and last_eos[-1] + 1 < len(row):
        docs[last_eos[-1] + 1 :] = -1
    return docs


def test_segment_ids_are_the_documents_bos_and_eos_frame(rows):
    tokens, segments, _ = rows
    assert len(tokens) > 10
    several = 0
    for row, seg in zip(tokens, segments, strict=True):
        assert seg.tolist() == _documents_from_tokens(row).tolist()
        several += seg.max() > 0
    assert several > len(tokens) // 2  # most rows hold more than one document


def test_the_trainers_mask_never_lets_a_token_attend_to_another_document(rows):
    tokens, segments, _ = rows
    mask = document_causal_mask(torch.from_numpy(segments).long())[:, 0].numpy()  # (rows, T, T)
    for row, allowed in zip(tokens, mask, strict=True):
        docs = _documents_from_tokens(row)
        same = docs[:, None] == docs[None, :]
        causal = np.tril(np.ones((SEQ_LEN, SEQ_LEN), dtype=bool))
        assert np.array_equal(allowed, same & causal)


def test_changing_one_document_leaves_the_model_outputs_of_the_others_unchanged(rows):
    tokens, segments, vocab = rows
    k = next(i for i, s in enumerate(segments) if s.max() >= 2 and s.min() >= 0)  # 3+ documents, no padding
    row, seg = torch.from_numpy(tokens[k]).long()[None], torch.from_numpy(segments[k]).long()[None]
    torch.manual_seed(0)
    model = Llama(LlamaConfig(vocab_size=vocab, max_seq_len=SEQ_LEN, document_masking=True)).eval()
    changed = row.clone()
    inside = (seg == 1) & (row != BOS) & (row != EOS)  # the ordinary tokens of the second document
    changed[inside] = (changed[inside] + 7) % (vocab - 4) + 4
    with torch.no_grad():
        before, _ = model(row, seg)
        after, _ = model(changed, seg)
        unmasked_before, _ = model(row)
        unmasked_after, _ = model(changed)
    others = (seg != 1)[0]
    later = others & (torch.arange(SEQ_LEN) > torch.nonzero(inside[0])[0, 0])
    assert torch.equal(before[0, others], after[0, others])  # other documents: bit for bit the same
    assert not torch.allclose(
        before[0, (seg == 1)[0]], after[0, (seg == 1)[0]]
    )  # the document itself changed
    # the check can fail: without the segments, later documents see the change
    assert not torch.allclose(unmasked_before[0, later], unmasked_after[0, later])
