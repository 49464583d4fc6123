"""The dedup part of the cleaning config: FineWeb defaults, optimised bands, clear errors."""

from __future__ import annotations

import pytest
from datasketch import MinHashLSH

from common.config import load_config, parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig, MinHashConfig


def test_defaults_are_finewebs():
    mh = load_config(None, CleanConfig).dedup.minhash
    assert mh.lsh_params() == (14, 8)
    assert (mh.shingle_size, mh.threshold, mh.verify) == (5, 0.75, "exact")


def test_null_bands_and_rows_are_optimised_for_the_threshold():
    mh = MinHashConfig(bands=None, rows=None, num_perm=128, threshold=0.8)
    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    assert mh.lsh_params() == (lsh.b, lsh.r)


@pytest.mark.parametrize(
    ("minhash", "message"),
    [
        ({"bands": None}, "dedup.minhash: .*bands and rows"),
        ({"bands": None, "rows": None}, "num_perm: required"),
        ({"num_perm": 100}, "num_perm: 100 is not bands x rows"),
        ({"verify": "maybe"}, "dedup.minhash.verify"),
        ({"threshold": 1.5}, "dedup.minhash.threshold"),
    ],
)
def test_bad_dedup_settings_fail_naming_the_key(minhash, message):
    with pytest.raises(ConfigError, match=message):
        parse_config({"dedup": {"minhash": minhash}}, CleanConfig, "clean.yaml")
