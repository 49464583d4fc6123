"""Inputs over the network, as a cloud run reads them: WARC files and a ``warc.paths.gz`` served
over HTTP from 127.0.0.1 (as CommonCrawl's anonymous https endpoint serves them, Range requests
included) and from a local S3-compatible server (moto), cleaned by the real Beam pipeline into
the same shards as the same files read from disk."""

from __future__ import annotations

import gzip
import http.server
import io
import re
import threading
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from devkit.sample import generate_sample
from pipelines import clean
from pipelines.inputs import CC_PREFIX, list_inputs
from pipelines.options import parse_args

pytestmark = pytest.mark.slow  # Beam runs

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """The standard library's file server plus single Range requests (206), as object stores
    and CommonCrawl's endpoint answer them."""

    def log_message(self, format, *args):
        pass

    def send_head(self):
        m = _RANGE.fullmatch(self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if m is None or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        start = int(m.group(1))
        end = min(int(m.group(2)) if m.group(2) else len(data) - 1, len(data) - 1)
        if start >= len(data):
            self.send_error(416)
            return None
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        return io.BytesIO(data[start : end + 1])


@pytest.fixture(scope="module")
def crawl(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("served")
    generate_sample(root / "crawl-data", seed=9, pages=40, files=2, giant_bytes=6_000_000)
    names = sorted(p.name for p in (root / "crawl-data").glob("*.warc.gz"))
    (root / "warc.paths.gz").write_bytes(gzip.compress("".join(f"crawl-data/{n}\n" for n in names).encode()))
    return root


@pytest.fixture(scope="module")
def server(crawl):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(crawl)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def local_run(crawl, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "out"
    clean.run(
        ["--input", str(crawl / "crawl-data" / "*.warc.gz"), "--output", str(out), "--runner=FnApiRunner"]
    )
    return out


def _shards(root: Path) -> dict[str, object]:
    """The kept documents: MDS shards byte for byte; Parquet shards as tables whose ``source``
    (where each document was read from: a URL or a local path) is reduced to the file name."""
    out: dict[str, object] = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and rel.startswith("mds/"):
            out[rel] = p.read_bytes()
        elif p.is_file() and rel.startswith("parquet/"):
            table = pq.read_table(p)
            names = [s.rsplit("/", 1)[-1] for s in table.column("source").to_pylist()]
            out[rel] = table.set_column(
                table.column_names.index("source"), "source", pa.array(names)
            ).to_pylist()
    return out


def test_the_default_paths_prefix_needs_no_credentials():
    args, _ = parse_args(["--input", "warc.paths.gz", "--output", "out"])
    assert args.paths_prefix == CC_PREFIX == "https://data.commoncrawl.org/"


def test_a_paths_file_served_over_http_lists_urls_under_the_prefix(server):
    files = list_inputs([server + "warc.paths.gz"], server)
    assert files == [f"{server}crawl-data/crawl-{i:05d}.warc.gz" for i in range(2)]


def test_warc_files_over_http_clean_to_the_same_shards_as_from_disk(server, local_run, tmp_path):
    out = tmp_path / "http"
    manifest = clean.run(
        [
            "--input",
            server + "warc.paths.gz",
            "--paths-prefix",
            server,
            "--output",
            str(out),
            "--runner=FnApiRunner",
        ]
    )
    assert manifest.counts.records > 0
    assert _shards(out) == _shards(local_run)


def test_warc_files_from_a_local_s3_server_clean_to_the_same_shards(crawl, local_run, tmp_path):
    moto_server = pytest.importorskip("moto.server")
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("apache_beam.io.aws.s3filesystem")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3 = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="k",
            aws_secret_access_key="s",
            region_name="us-east-1",
        )
        s3.create_bucket(Bucket="crawl")
        for p in sorted((crawl / "crawl-data").glob("*.warc.gz")):
            s3.put_object(Bucket="crawl", Key=f"crawl-data/{p.name}", Body=p.read_bytes())
        out = tmp_path / "s3"
        clean.run(
            [
                "--input",
                "s3://crawl/crawl-data/*.warc.gz",
                "--output",
                str(out),
                "--runner=FnApiRunner",
                f"--s3_endpoint_url={endpoint}",
                "--s3_access_key_id=k",
                "--s3_secret_access_key=s",
                "--s3_region_name=us-east-1",
            ]
        )
    finally:
        server.stop()
    assert _shards(out) == _shards(local_run)
