"""Exact-dedup normalisation: what counts as the same text."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from corpus.dedup import exact_hash, normalize_for_exact


def test_case_whitespace_punctuation_and_digits_are_folded():
    assert normalize_for_exact("  Hello,\tWORLD!!\n\nIt's 2024.  ") == "hello world its 0000"


def test_unicode_punctuation_symbols_and_digits_are_folded():
    text = "“Prices” — €12,50 … «ok» ٣ apples © ™"
    assert normalize_for_exact(text) == "prices 0000 ok 0 apples tm"  # NFKC spells ™ as TM


def test_nfkc_folds_compatibility_forms():
    assert normalize_for_exact("ＦＵＬＬ ﬁle Ⅳ") == normalize_for_exact("full file iv")


def test_accents_are_kept_because_they_distinguish_words():
    assert normalize_for_exact("résumé") != normalize_for_exact("resume")


def test_variants_share_a_128_bit_hash_and_different_texts_do_not():
    a = exact_hash("The cat sat on the mat. Page 1 of 3")
    b = exact_hash("the CAT sat on the mat -- page 2 of 3!")
    c = exact_hash("The dog sat on the mat. Page 1 of 3")
    assert isinstance(a, bytes) and len(a) == 16
    assert a == b
    assert a != c


def test_symbol_only_texts_are_not_merged_with_each_other():
    assert normalize_for_exact("{}();") == normalize_for_exact("<<>>") == ""
    assert exact_hash("{}();") != exact_hash("<<>>")
    assert exact_hash("{} ();") == exact_hash("{}\n\n  ();")  # whitespace still collapses


@pytest.mark.parametrize("text", ["", "   ", "\ud800 lone surrogate", "\x00\x01 control"])
def test_odd_inputs_hash_without_error(text):
    assert len(exact_hash(text)) == 16


def test_the_lazy_character_table_maps_every_code_point_as_the_unicode_database_says():
    from corpus.dedup.normalize import _TABLE

    everything = "".join(chr(cp) for cp in range(sys.maxunicode + 1))  # lone surrogates too
    expected = []
    for ch in everything:
        category = unicodedata.category(ch)
        expected.append("" if category[0] in "PS" else "0" if category == "Nd" else ch)
    assert everything.translate(_TABLE) == "".join(expected)
