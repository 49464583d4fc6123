"""The contracts between stages: one schema derived from `Document`, manifests read through models."""

from __future__ import annotations

import dataclasses
import json

import pytest

from formats.clean_manifest import read_clean_manifest
from formats.documents import (
    ATTRIBUTE_COLUMNS,
    DOCUMENT_SCHEMA,
    MDS_COLUMNS,
    SHARD_COLUMNS,
    Document,
    documents_to_table,
    is_error_reason,
    table_to_documents,
)
from formats.manifest_io import ManifestError
from formats.token_manifest import DomainTokens, TokenManifest, read_token_manifest, write_token_manifest


def test_the_arrow_schema_has_every_document_field_in_order_plus_n_chars():
    names = [f.name for f in dataclasses.fields(Document)]
    assert [n for n in DOCUMENT_SCHEMA.names if n != "n_chars"] == names
    assert set(SHARD_COLUMNS) <= set(DOCUMENT_SCHEMA.names)
    assert set(MDS_COLUMNS) <= set(names)
    assert "text" not in ATTRIBUTE_COLUMNS and "drop_reason" in ATTRIBUTE_COLUMNS


def test_an_attributes_row_comes_back_as_a_document_without_its_text():
    doc = Document(id="a", url="u", domain="web", text="hello", scores={"c4.lines": 2.0}).drop("c4.lines")
    (back,) = table_to_documents(documents_to_table([doc], ATTRIBUTE_COLUMNS))
    assert back == dataclasses.replace(doc, text="")
    assert documents_to_table([doc], SHARD_COLUMNS)["n_chars"].to_pylist() == [5]


def test_failures_and_unwanted_pages_are_told_apart():
    assert is_error_reason("corrupt_record") and is_error_reason("toxicity.error")
    assert not is_error_reason("c4.bad_words") and not is_error_reason(None)


def _token_manifest() -> TokenManifest:
    return TokenManifest(
        seq_len=8,
        vocab_size=100,
        eos_id=2,
        pad_id=3,
        domains={"web": DomainTokens(documents=1, tokens=9, sequences=2)},
    )


def test_a_token_manifest_round_trips_through_its_file(tmp_path):
    write_token_manifest(str(tmp_path), _token_manifest())
    assert read_token_manifest(str(tmp_path)) == _token_manifest()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.update(seq_len=True), r"seq_len: Input should be a valid integer"),
        (
            lambda m: m["domains"]["web"].update(tokens="9"),
            r"domains\.web\.tokens: Input should be a valid integer",
        ),
        (lambda m: m.update(seq_lenn=8), r"seq_lenn: Extra inputs are not permitted"),
        (lambda m: m.pop("eos_id"), r"eos_id: Field required"),
    ],
)
def test_a_malformed_token_manifest_names_the_file_and_the_key(tmp_path, change, message):
    write_token_manifest(str(tmp_path), _token_manifest())
    data = json.loads((tmp_path / "manifest.json").read_text())
    change(data)
    (tmp_path / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(ManifestError, match=rf"{tmp_path}/manifest\.json: {message}"):
        read_token_manifest(str(tmp_path))


def test_a_missing_stage_1_output_or_manifest_is_named(tmp_path):
    with pytest.raises(
        ManifestError, match=r"nowhere: folder not found \(expected a completed Stage 1 output"
    ):
        read_clean_manifest(str(tmp_path / "nowhere"))
    with pytest.raises(
        ManifestError, match=r"manifest\.json: not found; .* is not a completed Stage 1 output"
    ):
        read_clean_manifest(str(tmp_path))
