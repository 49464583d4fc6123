"""Shards round-trip documents exactly, are byte-identical for the same input and readable by streaming."""

from __future__ import annotations

import random

from common.streaming import import_streaming
from corpus import shards
from formats.documents import SHARD_COLUMNS, Document, documents_to_table, table_to_documents


def _docs(n: int, seed: int = 0) -> list[Document]:
    rng = random.Random(seed)
    return [
        Document(
            id=f"{rng.getrandbits(64):016x}",
            url=f"https://example.com/{i}",
            domain="web",
            text=f"document {i} " + "word " * rng.randint(1, 50),
            source="a.warc.gz",
            offset=i * 100,
            lang="en",
            scores={"language.en": rng.random(), "gopher_quality.word_count": float(i)},
        )
        for i in range(n)
    ]


def test_table_round_trip_keeps_every_field():
    docs = _docs(20)
    docs[3].drop("language.language", "score 0.2")
    assert table_to_documents(documents_to_table(docs)) == docs


def test_same_documents_in_any_order_give_identical_parquet_bytes(tmp_path):
    docs = _docs(50)
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    shards.write_parquet(documents_to_table(shards.sorted_by_id(docs), SHARD_COLUMNS), str(a))
    shards.write_parquet(documents_to_table(shards.sorted_by_id(shuffled), SHARD_COLUMNS), str(b))
    assert a.read_bytes() == b.read_bytes()


def test_shard_index_is_stable_and_spreads_documents():
    ids = [d.id for d in _docs(400)]
    counts = [0] * 4
    for i in ids:
        counts[shards.shard_index(i, 4)] += 1
    assert min(counts) > 60
    assert shards.shard_index("abc", 4) == shards.shard_index("abc", 4)


def test_mds_parts_merge_into_one_index_that_streaming_reads(tmp_path):
    docs = shards.sorted_by_id(_docs(30))
    root = tmp_path / "mds" / "web"
    parts = [str(root / "part-00000"), str(root / "part-00001")]
    shards.write_mds(docs[:12], parts[0], "zstd")
    shards.write_mds(docs[12:], parts[1], "zstd")
    shards.merge_mds_indexes(str(root), parts)
    streaming = import_streaming()
    dataset = streaming.StreamingDataset(local=str(root), shuffle=False, batch_size=1)
    assert len(dataset) == 30
    assert [dataset[i]["id"] for i in range(30)] == [d.id for d in docs]
    assert dataset[29]["text"] == docs[29].text


def test_rewriting_an_mds_part_replaces_it(tmp_path):
    docs = _docs(5)
    target = str(tmp_path / "part")
    shards.write_mds(docs, target, None)
    shards.write_mds(docs[:2], target, None)
    streaming = import_streaming()
    assert len(streaming.StreamingDataset(local=target, shuffle=False, batch_size=1)) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".inprogress")]
