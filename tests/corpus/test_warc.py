"""The WARC reader yields every response record and one error per unreadable stretch."""

from __future__ import annotations

import pathlib

import pytest

from corpus.warc import iter_records
from devkit.warc import truncate_member
from devkit.warc import write_members as write_warc
from tests.hostile import crafted
from tests.warc_builder import Page, gunzip, html_page, record_bytes

SHARED_WARC = pathlib.Path(__file__).resolve().parents[3] / "shared/data/warc/sample-0000.warc.gz"


def _pages(n: int) -> list[Page]:
    return [
        Page(
            f"http://example.com/{i}",
            html_page(f"Page {i}", [f"Paragraph {i} " * 20]),
            record_id=f"00000000-0000-0000-0000-{i:012d}",
        )
        for i in range(n)
    ]


def _read(path) -> list:
    return list(iter_records(lambda: open(path, "rb"), str(path)))


def test_reads_every_response_with_its_member_offset(tmp_path):
    members = [record_bytes(p) for p in _pages(4)]
    offsets = write_warc(tmp_path / "a.warc.gz", members)
    records = _read(tmp_path / "a.warc.gz")
    assert [r.offset for r in records] == offsets
    assert [r.url for r in records] == [f"http://example.com/{i}" for i in range(4)]
    assert all(r.error is None and r.http_status == 200 for r in records)
    assert records[2].record_id == "00000000-0000-0000-0000-000000000002"
    assert b"Paragraph 2" in records[2].body


def test_truncated_member_in_the_middle_costs_one_record_and_reading_resumes(tmp_path):
    members = [record_bytes(p) for p in _pages(5)]
    offsets = write_warc(tmp_path / "a.warc.gz", [*members[:2], truncate_member(members[2]), *members[3:]])
    records = _read(tmp_path / "a.warc.gz")
    errors = [r for r in records if r.error]
    assert len(errors) == 1
    assert errors[0].offset == offsets[2]
    assert "Gzip" in errors[0].error or "truncated" in errors[0].error
    assert [r.url for r in records if not r.error] == [f"http://example.com/{i}" for i in (0, 1, 3, 4)]


def test_truncated_last_member_is_reported_not_silently_empty(tmp_path):
    members = [record_bytes(p) for p in _pages(3)]
    data = b"".join(members)
    path = tmp_path / "a.warc.gz"
    path.write_bytes(data[: len(data) - len(members[-1]) // 2])
    records = _read(path)
    assert [r.url for r in records if not r.error] == ["http://example.com/0", "http://example.com/1"]
    (error,) = [r for r in records if r.error]
    assert error.offset == len(members[0]) + len(members[1])


def test_garbage_before_the_first_record_is_skipped(tmp_path):
    members = [record_bytes(p) for p in _pages(2)]
    path = tmp_path / "a.warc.gz"
    path.write_bytes(b"not a warc at all" + b"".join(members))
    records = _read(path)
    assert records[0].error and records[0].offset == 0
    assert [r.url for r in records[1:]] == ["http://example.com/0", "http://example.com/1"]


def test_uncompressed_warc_with_a_broken_record_still_yields_the_good_ones(tmp_path):
    # FastWARC skips a malformed header in an uncompressed file on its own (no error to report;
    # CommonCrawl's files are gzipped per record, where the break is reported above).
    plain = [gunzip(record_bytes(p)) for p in _pages(3)]
    path = tmp_path / "a.warc"
    path.write_bytes(plain[0] + b"WARC/1.0\r\nthis header is broken\r\n\r\n" + plain[1] + plain[2])
    records = _read(path)
    assert [r.url for r in records if not r.error] == [f"http://example.com/{i}" for i in range(3)]
    assert next(r.offset for r in records if not r.error) == 0


def test_empty_file_yields_nothing(tmp_path):
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    assert _read(path) == []


@pytest.mark.skipif(not SHARED_WARC.exists(), reason="../shared/data is not present on this machine")
def test_real_crawl_file_reads_all_22_responses():
    records = _read(SHARED_WARC)
    assert len(records) == 22
    assert all(r.error is None for r in records)
    assert all(r.url.startswith("http") and "<" not in r.url for r in records)


def test_a_body_over_the_cap_is_read_to_one_byte_past_it_and_its_full_size_reported(tmp_path):
    body = b"<html><body>" + b"x" * 50_000
    block = crafted.http_block("200 OK", [("Content-Type", "text/html")], body)
    path = tmp_path / "big.warc"
    path.write_bytes(crafted.warc_record("http://big.example/", crafted.record_id(1), block))
    (raw,) = iter_records(lambda: path.open("rb"), str(path), max_body_bytes=1000)
    assert raw.error is None
    assert raw.body == body[:1001]
    assert raw.payload_bytes == len(body)


def test_a_record_declaring_more_than_the_file_holds_is_an_error_not_a_read_of_its_length(tmp_path):
    block = crafted.http_block("200 OK", [("Content-Type", "text/html")], b"<html>short</html>")
    head = crafted.warc_head("http://liar.example/", crafted.record_id(1), 3 << 30)  # declares 3 GiB
    path = tmp_path / "liar.warc"
    path.write_bytes(head + block)
    records = list(iter_records(lambda: path.open("rb"), str(path)))
    assert len(records) == 1 and records[0].error is not None
    assert f"of {3 << 30} payload bytes" in records[0].error
