"""The WARC files read back with FastWARC and warcio, and the ground truth points into them."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import zlib

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator

from corpus.warc import GZIP_MAGIC, document_id


def _truncated(sample):
    (t,) = sample.of_kind("truncated")
    return t


def _fastwarc_responses(data: bytes, start: int = 0) -> tuple[list[str], Exception | None]:
    """Response record ids FastWARC reads from ``start`` until the end or its first error."""
    ids: list[str] = []
    try:
        for record in ArchiveIterator(
            io.BytesIO(data[start:]), record_types=WarcRecordType.response, parse_http=True
        ):
            record.reader.read()
            ids.append(document_id(record.headers["WARC-Record-ID"]))
    except Exception as err:  # the truncated member
        return ids, err
    return ids, None


def test_truth_offsets_point_at_gzip_members_holding_that_record(default_sample) -> None:
    for t in default_sample.truth:
        if t.kind == "truncated":
            continue
        record = default_sample.member(t)
        head = record.split(b"\r\n\r\n", 1)[0].decode("utf-8")
        assert head.startswith("WARC/1.0\r\n")
        assert "WARC-Type: response" in head
        assert f"WARC-Record-ID: <urn:uuid:{t.record_id}>" in head
        assert f"WARC-Target-URI: {t.url}\r\n" in head + "\r\n"


def test_fastwarc_reads_every_file_and_stops_only_at_the_truncated_member(default_sample) -> None:
    broken = _truncated(default_sample)
    for path in default_sample.summary.warc_files:
        data = path.read_bytes()
        expected = [t.record_id for t in default_sample.truth if t.file == path.name]
        ids, err = _fastwarc_responses(data)
        if path.name != broken.file:
            assert err is None
            assert ids == expected
        else:
            before = [
                t.record_id for t in default_sample.truth if t.file == path.name and t.offset < broken.offset
            ]
            assert isinstance(err, OSError)
            assert ids == before
            assert 3 <= len(before) < len(expected) - 3, "the truncated member sits in the middle of its file"


def test_a_reader_resynchronising_on_the_next_gzip_member_reads_the_rest(default_sample) -> None:
    broken = _truncated(default_sample)
    data = (default_sample.dir / broken.file).read_bytes()
    resume = data.find(GZIP_MAGIC, broken.offset + 1)
    after = [t.record_id for t in default_sample.truth if t.file == broken.file and t.offset > broken.offset]
    ids, err = _fastwarc_responses(data, resume)
    assert err is None
    assert ids == after


def test_the_truncated_member_is_really_truncated(default_sample) -> None:
    broken = _truncated(default_sample)
    data = (default_sample.dir / broken.file).read_bytes()
    nxt = data.find(GZIP_MAGIC, broken.offset + 1)
    member = data[broken.offset : nxt]
    dec = zlib.decompressobj(31)
    partial = dec.decompress(member)
    assert not dec.eof, "the member's deflate stream must not end"
    assert partial.startswith(b"WARC/1.0\r\n")
    assert f"<urn:uuid:{broken.record_id}>".encode() in partial, "its header is still readable"
    declared = int(partial.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0])
    assert len(partial) < declared, "fewer bytes than the record declares"
    assert GZIP_MAGIC not in member[1:], "no false gzip start inside the broken member"


def test_warcio_reads_records_with_valid_digests_up_to_the_truncated_member(default_sample) -> None:
    broken = _truncated(default_sample)
    for path in default_sample.summary.warc_files:
        ids: list[str] = []
        fails = pytest.raises(Exception) if path.name == broken.file else contextlib.nullcontext()
        with fails, open(path, "rb") as fh:
            for record in WarcioIterator(fh, check_digests="raise"):
                record.content_stream().read()
                if record.rec_type == "response":
                    ids.append(document_id(record.rec_headers.get_header("WARC-Record-ID")))
        expected = [
            t.record_id
            for t in default_sample.truth
            if t.file == path.name and (path.name != broken.file or t.offset < broken.offset)
        ]
        assert ids == expected


def test_each_file_starts_with_warcinfo_and_pairs_requests_with_responses(small_sample) -> None:
    for path in small_sample.summary.warc_files:
        records = []
        try:
            for record in ArchiveIterator(io.BytesIO(path.read_bytes()), parse_http=False):
                records.append((record.record_type, dict(record.headers.items()), record.reader.read()))
        except OSError:
            pass  # the truncated member; the pairs before it are checked
        assert records[0][0] == WarcRecordType.warcinfo
        info_id = records[0][1]["WARC-Record-ID"]
        requests = {}
        for rtype, headers, block in records[1:]:
            assert headers["WARC-Warcinfo-ID"] == info_id
            assert (
                headers["WARC-Block-Digest"]
                == "sha1:" + base64.b32encode(hashlib.sha1(block).digest()).decode()
            )
            if rtype == WarcRecordType.request:
                requests[headers["WARC-Record-ID"]] = headers["WARC-Target-URI"]
                assert block.startswith(b"GET /")
            else:
                assert rtype == WarcRecordType.response
                assert requests[headers["WARC-Concurrent-To"]] == headers["WARC-Target-URI"]


def test_http_content_length_matches_the_body(small_sample) -> None:
    for t in small_sample.truth:
        if t.kind == "truncated":
            continue
        head = small_sample.member(t).split(b"\r\n\r\n", 2)[1].decode("latin-1")
        assert f"Content-Length: {t.body_bytes}" in head
        assert head.startswith(f"HTTP/1.1 {t.http_status} ")
