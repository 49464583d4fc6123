"""MinHash signatures: bit-equal to datasketch on the same shingles, and good estimates."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from corpus.dedup import (
    MinHasher,
    band_keys,
    collision_probability,
    jaccard_estimate,
    optimal_lsh_params,
    shingle_hash,
    shingles,
)
from corpus.dedup.minhash import (
    EMPTY,
    datasketch_permutations,
    exact_jaccard,
    payload_similarity,
    shingle_set,
    verification_payload,
)
from corpus.dedup.shingling import shingle_hashes
from devkit.synthetic import TextGenerator, jaccard, near_duplicate_pair


@pytest.fixture(scope="module")
def gen() -> TextGenerator:
    return TextGenerator(seed=11, vocab_size=5000)


def test_signatures_equal_datasketch_fed_the_same_shingles(gen):
    texts = [gen.document(int(n)) for n in (1, 3, 4, 5, 6, 40, 300)] + ["", "?!"]
    hasher = MinHasher(num_perm=128, shingle_size=5, seed=42)
    sigs = hasher.signatures(texts)
    assert sigs.shape == (len(texts), 128) and sigs.dtype == np.uint32
    for text, row in zip(texts, sigs, strict=True):
        reference = MinHash(num_perm=128, seed=42, hashfunc=shingle_hash)
        for s in shingles(text, 5):
            reference.update(s)
        np.testing.assert_array_equal(row, reference.hashvalues)


def test_signatures_do_not_depend_on_batch_or_block_boundaries(gen):
    texts = [gen.document(int(n)) for n in gen.lengths(60, median=80)]
    texts[7] = ""
    alone = np.stack([MinHasher(num_perm=64).signatures([t])[0] for t in texts])
    tiny_blocks = MinHasher(num_perm=64, block=7).signatures(texts)
    np.testing.assert_array_equal(alone, tiny_blocks)


def test_estimates_track_true_jaccard_like_datasketch(gen):
    hasher = MinHasher(num_perm=256, seed=3)
    errors, datasketch_errors = [], []
    for target in np.linspace(0.05, 0.95, 19):
        pair = near_duplicate_pair(gen, 250, float(target))
        sa, sb = hasher.signatures([pair.a, pair.b])
        ours = jaccard_estimate(sa, sb)
        da, db = MinHash(num_perm=256, seed=3), MinHash(num_perm=256, seed=3)
        da.update_batch([s.encode() for s in shingles(pair.a)])
        db.update_batch([s.encode() for s in shingles(pair.b)])
        sigma = np.sqrt(pair.jaccard * (1 - pair.jaccard) / 256) + 1e-3
        assert abs(ours - pair.jaccard) < 4 * sigma, (pair.jaccard, ours)
        errors.append(abs(ours - pair.jaccard))
        datasketch_errors.append(abs(da.jaccard(db) - pair.jaccard))
    # Same estimator quality as datasketch's own hashing: mean error within 1.5x of it (+0.005).
    assert np.mean(errors) < 1.5 * np.mean(datasketch_errors) + 0.005
    assert np.mean(errors) < 0.03


def test_document_without_words_has_the_empty_signature_and_no_band_keys():
    hasher = MinHasher(bands=4, rows=2)
    row = hasher.signatures(["... !!! ---"])[0]
    assert np.all(row == EMPTY)
    assert hasher.band_keys(row) == []
    assert jaccard_estimate(row, row) == 0.0


def test_band_keys_compare_whole_bands_and_carry_the_band_index():
    row = np.arange(12, dtype=np.uint32)
    keys = band_keys(row, bands=3, rows=4)
    assert len(keys) == 3 and len(set(keys)) == 3
    assert keys[0] == b"\x00\x00" + np.arange(4, dtype="<u4").tobytes()
    other = row.copy()
    other[5] = 99  # band 1 differs, bands 0 and 2 agree
    assert [a == b for a, b in zip(keys, band_keys(other, 3, 4), strict=True)] == [True, False, True]
    swapped = np.concatenate([row[4:8], row[:4], row[8:]])  # same values, other bands
    assert set(band_keys(swapped, 3, 4)).isdisjoint(keys[:2])


def test_lsh_parameters_match_datasketch():
    for threshold in (0.5, 0.75, 0.9):
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        assert optimal_lsh_params(threshold, 128) == (lsh.b, lsh.r)
    assert collision_probability(1.0, 14, 8) == 1.0
    assert collision_probability(0.0, 14, 8) == 0.0
    assert 0.7 < collision_probability(0.75, 14, 8) < 0.8  # FineWeb: ~77% at 75% similarity


def test_exact_jaccard_of_shingle_sets_matches_the_texts(gen):
    pair = near_duplicate_pair(gen, 200, 0.6)
    hashes, offsets = shingle_hashes([pair.a, pair.b])
    a, b = shingle_set(hashes[: offsets[1]]), shingle_set(hashes[offsets[1] :])
    assert exact_jaccard(a, b) == pytest.approx(jaccard(pair.a, pair.b), abs=1e-9)
    assert exact_jaccard(a, a[:0]) == 0.0


@pytest.mark.parametrize("mode", ["exact", "signature"])
def test_verification_payloads_round_trip_through_bytes(gen, mode):
    pair = near_duplicate_pair(gen, 300, 0.8)
    hasher = MinHasher(num_perm=128)
    sigs, hashes, offsets = hasher.signatures_and_shingles([pair.a, pair.b])
    pa = verification_payload(mode, sigs[0], hashes[offsets[0] : offsets[1]])
    pb = verification_payload(mode, sigs[1], hashes[offsets[1] : offsets[2]])
    assert isinstance(pa, bytes)
    assert payload_similarity(mode, pa, pb) == pytest.approx(pair.jaccard, abs=0.15)
    if mode == "exact":
        assert payload_similarity(mode, pa, pb) == pytest.approx(pair.jaccard, abs=1e-9)


def test_minhasher_rejects_inconsistent_shapes():
    with pytest.raises(ValueError, match="both bands and rows"):
        MinHasher(bands=4)
    with pytest.raises(ValueError, match="not bands x rows"):
        MinHasher(100, bands=4, rows=8)
    with pytest.raises(ValueError, match="needs a MinHasher built with bands"):
        MinHasher(16).band_keys(np.zeros(16, dtype=np.uint32))


@pytest.mark.parametrize(("num_perm", "seed"), [(1, 0), (112, 1), (128, 42), (256, 7)])
def test_permutations_are_the_ones_datasketch_draws(num_perm, seed):
    a, b = datasketch_permutations(num_perm, seed)
    ref = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    assert a.dtype == b.dtype == np.uint32
    assert np.array_equal(a, ref[0]) and np.array_equal(b, ref[1])
