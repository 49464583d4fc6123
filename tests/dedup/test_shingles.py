"""Shingles: the vectorised batch hashing must equal the plain-Python reference exactly."""

from __future__ import annotations

import random

import numpy as np
import pytest

from corpus.dedup import shingle_hash, shingle_hashes, shingle_words, shingles


def test_words_are_lower_case_without_punctuation_with_digits_as_zero():
    text = "Hello, World! It's 2024 — “quoted” text… and\tmore_lines\u00a0here"
    assert shingle_words(text) == [
        "hello", "world", "it", "s", "0000", "quoted", "text", "and", "more", "lines", "here",
    ]  # fmt: skip


def test_shingles_are_word_ngrams_in_order():
    assert shingles("a b c d e f", 5) == ["a b c d e", "b c d e f"]
    assert shingles("a b c d e f", 2)[:2] == ["a b", "b c"]


def test_short_document_has_one_shingle_and_empty_one_none():
    assert shingles("only three words", 5) == ["only three words"]
    assert shingles(" ,.;  ", 5) == []
    hashes, offsets = shingle_hashes(["only three words", " ,.; ", ""], 5)
    assert offsets.tolist() == [0, 1, 1, 1]
    assert hashes.tolist() == [shingle_hash("only three words")]


def _fuzz_texts(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    alphabet = [
        *"abcXYZ 019,.;!?-_'\"\t\n\x00\x7f",
        "é", "“", "”", "—", "\u00a0", "\u2028", "\u3001", "中", "İ", "\ud800", "😀", "\u0085", "\u2070",
    ]  # fmt: skip
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("size", [1, 3, 5])
def test_batch_hashes_equal_the_reference_on_awkward_texts(size):
    texts = _fuzz_texts(400, seed=size)
    hashes, offsets = shingle_hashes(texts, size)
    assert offsets[-1] == hashes.size
    for i, text in enumerate(texts):
        expected = [shingle_hash(s) for s in shingles(text, size)]
        assert hashes[offsets[i] : offsets[i + 1]].tolist() == expected, repr(text)


def test_hash_depends_on_word_order_and_on_every_word():
    base = shingle_hash("a b c d e")
    assert base != shingle_hash("b a c d e")
    assert base != shingle_hash("a b c d f")
    assert 0 <= base < 2**32


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="shingle size"):
        shingle_hashes(["x"], 0)
    with pytest.raises(TypeError, match=r"texts\[1\]"):
        shingle_hashes(["fine", b"bytes"], 5)


def test_empty_batch():
    hashes, offsets = shingle_hashes([], 5)
    assert hashes.size == 0 and offsets.tolist() == [0]
    assert hashes.dtype == np.uint32
