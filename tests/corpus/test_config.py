"""A wrong key or value in a config fails at load time with a message naming file and key."""

from __future__ import annotations

import pytest

from common.config import load_config, parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig


def _error(data, source="configs/clean.yaml") -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(data, CleanConfig, source)
    return str(info.value)


def test_shipped_clean_config_loads():
    config = load_config("configs/clean.yaml", CleanConfig)
    assert next(f.name for f in config.filters) == "language"
    assert config.dedup.minhash.bands == 14 and config.dedup.minhash.rows == 8


def test_unknown_filter_name_is_named_with_its_position():
    message = _error({"filters": [{"name": "language"}, {"name": "gopher_qualty"}]})
    assert "configs/clean.yaml" in message and "filters[1]" in message and "gopher_qualty" in message


def test_wrong_threshold_type_names_the_key():
    message = _error({"filters": [{"name": "language", "min_score": "high"}]})
    assert "filters[0]" in message and "min_score" in message


def test_out_of_range_threshold_is_refused():
    assert "min_score" in _error({"filters": [{"name": "language", "min_score": 1.5}]})


def test_unknown_top_level_and_nested_keys_are_refused():
    assert "filtres" in _error({"filtres": []})
    assert "dedup.minhash.band" in _error({"dedup": {"minhash": {"band": 3}}})


def test_repeated_filter_is_refused():
    assert "language" in _error({"filters": [{"name": "language"}, {"name": "language"}]})


def test_missing_file_and_bad_yaml_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="nope.yaml: config file not found"):
        load_config(tmp_path / "nope.yaml", CleanConfig)
    bad = tmp_path / "bad.yaml"
    bad.write_text("filters: [\n")
    with pytest.raises(ConfigError, match="bad.yaml: not valid YAML"):
        load_config(bad, CleanConfig)
    listy = tmp_path / "list.yaml"
    listy.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(listy, CleanConfig)


def test_config_hash_changes_with_any_threshold():
    a = parse_config({"filters": [{"name": "language", "min_score": 0.65}]}, CleanConfig)
    b = parse_config({"filters": [{"name": "language", "min_score": 0.66}]}, CleanConfig)
    assert a.hash() != b.hash()
    assert a.hash() == parse_config({"filters": [{"name": "language"}]}, CleanConfig).hash()
