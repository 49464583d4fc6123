"""Memory follows the caps, never the record: records that inflate to gigabytes cost a worker the
byte cap. Measured in a fresh interpreter from its own accounting (``getrusage``'s peak resident
size), so nothing in the test process blurs the figure."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import crafted
from tests.hostile.crafted import MIB

REPO = Path(__file__).resolve().parents[2]
CAP = 5_000_000
HEAD_CAP = 65_536
# What a worker may add to its peak while reading and cleaning the records below, all caps
# included: the block read (head cap + body cap + 1), the body decoded from it (cap + 1), its
# text, and the allocator's slack. Before the caps, a 1 GiB record alone added 2.1 GB.
BOUND_KIB = 64 * 1024
WARC_MIB = 3 * 1024  # a record whose gzip member inflates to 3 GiB
CODED_MIB = 2 * 1024  # bodies whose Content-Encoding inflates to 2 GiB
BROTLI_MIB = 4 * 1024

CONFIG = f"""
limits:
  max_body_bytes: {CAP}
  max_http_head_bytes: {HEAD_CAP}
filters:
  - name: gopher_quality
    min_words: 5
"""
PAGE = (
    b"<html><head><title>ok</title></head><body><p>"
    + b"The walk by the river is one of the best in the valley. " * 20
    + b"</p></body></html>"
)


def _coded(rid: int, coding: str, body: bytes, **extra: str) -> bytes:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", coding), *extra.items()]
    block = crafted.http_block("200 OK", headers, body)
    return crafted.member(
        crafted.warc_record(f"http://bomb.example/{coding}/{rid}", crafted.record_id(rid), block)
    )


def _chunked(data: bytes, size: int = 1 << 16) -> bytes:
    chunks = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n" % len(c) + c + b"\r\n" for c in chunks) + b"0\r\n\r\n"


@pytest.fixture(scope="module")
def probe(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("memory")
    ok = crafted.http_block("200 OK", [("Content-Type", "text/html")], PAGE)
    (tmp / "warmup.warc.gz").write_bytes(
        crafted.member(crafted.warc_record("http://ok.example/", crafted.record_id(0), ok))
    )
    records = [
        crafted.inflating_record("http://bomb.example/warc", crafted.record_id(1), WARC_MIB),
        _coded(2, "gzip", crafted.gzip_of_zeros(b"<html><body><p>", CODED_MIB)),
        _coded(3, "deflate", crafted.zlib_of_zeros(CODED_MIB)),
        _coded(4, "br", crafted.brotli_of_zeros(BROTLI_MIB)),
        _coded(
            5,
            "gzip",
            _chunked(crafted.gzip_of_zeros(b"<html><body><p>", CODED_MIB)),
            **{"Transfer-Encoding": "chunked"},
        ),
        crafted.member(crafted.warc_record("http://ok.example/after", crafted.record_id(6), ok)),
    ]
    warc = tmp / "bombs.warc.gz"
    warc.write_bytes(b"".join(records))
    config = tmp / "clean.yaml"
    config.write_text(CONFIG)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.hostile.rss_probe",
            str(warc),
            str(config),
            str(tmp / "warmup.warc.gz"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["file_bytes"] = warc.stat().st_size
    return result


def test_records_inflating_to_gigabytes_stay_within_the_memory_bound(probe):
    added = probe["peak_kib"] - probe["baseline_kib"]
    assert added < BOUND_KIB, (
        f"peak RSS grew by {added / 1024:.0f} MiB on a {probe['file_bytes'] / 1e6:.1f} MB file"
    )


def test_every_inflating_record_is_dropped_as_too_large_and_the_next_page_is_kept(probe):
    reasons = [reason for _, reason, _, _ in probe["outcomes"]]
    assert reasons == ["too_large"] * 5 + [None]
    details = [detail for _, _, detail, _ in probe["outcomes"]]
    # the WARC-level bomb by its declared length (Content-Length less the HTTP head), read no further
    assert details[0] == f"body of {WARC_MIB * MIB + len(b'<html><body><p>')} bytes, over {CAP}"
    # the coded ones by decoding past the cap, each named by the codings undone
    assert [d.split("(")[1].split(")")[0] for d in details[1:5]] == ["gzip", "deflate", "br", "chunked gzip"]
