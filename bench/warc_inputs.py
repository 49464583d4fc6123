"""The WARC inputs of the pipeline benchmarks, built once and reused from a cache folder.

    python bench/warc_inputs.py real --records 3000 [--cache bench/.cache/inputs]
    python bench/warc_inputs.py sample --pages 5000
    python bench/warc_inputs.py probe

Every peer in a benchmark must read the same bytes, so each input is a folder of ``*.warc.gz``
files written once (gzip member per record, as CommonCrawl does) plus ``input.json`` saying
what is in it. The folder name holds every parameter, and ``input.json`` is written last, so an
interrupted build is rebuilt rather than half-used.

Three inputs:

- ``real``: the 22 HTML responses of ../shared/data/warc/sample-0000.warc.gz (Dolma's test WARC)
  and the 181 real pages of ../shared/data/article-extraction-benchmark, as response records.
  203 pages are too few to amortise start-up, so they are repeated, each copy with its own URL
  (``?hw_copy=k``) and record id, in a seeded shuffled order, up to ``--records``. Copies are
  exact duplicates: dedup removes them in every pipeline, filters judge them like the original.
- ``sample``: the project's own generated crawl, ``python -m devkit.sample --seed 1234``
  (boilerplate, several domains, duplicates, spam, other languages, broken records).
- ``probe``: one real page that every pipeline keeps, to measure a pipeline's fixed start-up
  cost apart from its rate.

Record bodies are stored decoded (no chunked transfer or content encoding, as in CommonCrawl,
which rewrites those headers) with ``WARC-Identified-Payload-Type`` set, as CommonCrawl does.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import gzip
import hashlib
import json
import logging
import random
import re
import shutil
import subprocess
import sys
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tqdm import tqdm
from warcio.archiveiterator import ArchiveIterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: `corpus` is imported from the checkout
SHARED_DATA = ROOT.parent / "shared" / "data"
DOLMA_WARC = SHARED_DATA / "warc" / "sample-0000.warc.gz"
ARTICLES = SHARED_DATA / "article-extraction-benchmark"
DEFAULT_CACHE = ROOT / "bench" / ".cache" / "inputs"
SAMPLE_SEED = 1234
INFO_FILE = "input.json"

# Transport headers that describe the bytes on the wire, not the decoded body we store.
_TRANSPORT_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}


class InputBuildError(RuntimeError):
    """An input could not be built (missing source data, a failing generator)."""


@dataclass(frozen=True)
class Page:
    """One real HTTP response: its URL, status line, headers and decoded body."""

    url: str
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    origin: str


@dataclass(frozen=True)
class BenchInput:
    """A built input: the folder to glob and what a reader of the results must know."""

    name: str
    folder: str
    glob: str
    files: int
    records: int
    unique_pages: int | None
    """Distinct pages, when known (the generated sample has its own duplicates)."""
    html_bytes: int
    description: str

    @property
    def pattern(self) -> str:
        return str(Path(self.folder) / self.glob)


def _info_path(folder: Path) -> Path:
    return folder / INFO_FILE


def load_input(folder: Path) -> BenchInput | None:
    """The input already built in ``folder``, or None if it is absent or was interrupted."""
    path = _info_path(folder)
    if not path.is_file():
        return None
    return BenchInput(**json.loads(path.read_text(encoding="utf-8")))


def _save_input(info: BenchInput, at: Path | None = None) -> BenchInput:
    """Record a finished input in ``at`` (default: its own folder), the folder `load_input` reads."""
    from common import storage

    storage.write_bytes(
        str(_info_path(at or Path(info.folder))), (json.dumps(asdict(info), indent=1) + "\n").encode()
    )
    return info


def _fresh_folder(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


# --- real pages -------------------------------------------------------------------------------


def dolma_pages(path: Path = DOLMA_WARC) -> list[Page]:
    """The HTML responses of Dolma's test WARC, bodies decoded (chunked transfer undone)."""
    pages = []
    with path.open("rb") as f:
        for record in ArchiveIterator(f):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower():
                continue
            headers = [(k, v) for k, v in record.http_headers.headers if k.lower() not in _TRANSPORT_HEADERS]
            pages.append(
                Page(
                    url=record.rec_headers.get_header("WARC-Target-URI"),
                    status=record.http_headers.statusline,
                    headers=headers,
                    body=record.content_stream().read(),
                    origin=f"{path.name}",
                )
            )
    return pages


def article_pages(folder: Path = ARTICLES) -> list[Page]:
    """The article-extraction benchmark's pages under their original URLs (ground-truth.json)."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for html_file in sorted((folder / "html").glob("*.html.gz")):
        key = html_file.name.removesuffix(".html.gz")
        if key not in truth:
            raise InputBuildError(f"{html_file}: no entry {key!r} in {folder / 'ground-truth.json'}")
        pages.append(
            Page(
                url=truth[key]["url"],
                status="200 OK",
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=gzip.decompress(html_file.read_bytes()),
                origin=f"article-extraction-benchmark/{html_file.name}",
            )
        )
    return pages


def real_pages() -> list[Page]:
    missing = [p for p in (DOLMA_WARC, ARTICLES / "ground-truth.json") if not p.exists()]
    if missing:
        raise InputBuildError(f"real pages need ../shared/data: missing {', '.join(map(str, missing))}")
    return dolma_pages() + article_pages()


def copy_url(url: str, copy: int) -> str:
    """A distinct URL for the ``copy``-th repeat of a page (copy 0 is the page's own URL)."""
    if copy == 0:
        return url
    base, _, fragment = url.partition("#")
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}hw_copy={copy}" + (f"#{fragment}" if fragment else "")


_COPY_RE = re.compile(r"[?&]hw_copy=\d+")


def page_url(url: str) -> str:
    """The page a (possibly repeated) record is a copy of: `copy_url` undone."""
    base, sep, fragment = url.partition("#")
    match = _COPY_RE.search(base)
    if match is None:
        return url
    rest = base[match.end() :]
    if match.group(0).startswith("?") and rest.startswith("&"):
        rest = "?" + rest[1:]
    return base[: match.start()] + rest + sep + fragment


def _repeated(pages: list[Page], records: int, seed: int) -> Iterator[tuple[Page, int]]:
    """``records`` (page, copy) pairs cycling over ``pages``, in a seeded shuffled order."""
    order = [(pages[i % len(pages)], i // len(pages)) for i in range(records)]
    random.Random(seed).shuffle(order)
    return iter(order)


def response_record(page: Page, url: str, record_id: str, date: datetime) -> bytes:
    """One WARC response record (a gzip member) with a decoded body and a correct Content-Length."""
    from devkit.warc import response

    content_type = next((v for k, v in page.headers if k.lower() == "content-type"), "text/html")
    return response(
        url,
        page.status,
        [*page.headers, ("Content-Length", str(len(page.body)))],
        page.body,
        record_id=record_id,
        date=date,
        warc_headers=[("WARC-Identified-Payload-Type", content_type.split(";")[0].strip().lower())],
    )


def build_real(cache: Path, records: int, seed: int = 0, files: int = 1) -> BenchInput:
    """The real pages repeated up to ``records`` response records over ``files`` WARC files."""
    if records < 1 or files < 1:
        raise InputBuildError("records and files must be at least 1")
    folder = cache / f"real-{records}-s{seed}-f{files}"
    if (built := load_input(folder)) is not None:
        return built
    pages = real_pages()
    _fresh_folder(folder)
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    order = list(_repeated(pages, records, seed))
    per_file = -(-records // files)
    html_bytes = 0
    for f in range(files):
        with (folder / f"real-{f:05d}.warc.gz").open("wb") as out:
            chunk = order[f * per_file : (f + 1) * per_file]
            for i, (page, copy) in enumerate(
                tqdm(chunk, desc=f"real WARC {f}", unit="rec", leave=False, mininterval=2.0)
            ):
                record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                out.write(
                    response_record(page, copy_url(page.url, copy), record_id, start + timedelta(seconds=i))
                )
                html_bytes += len(page.body)
    unique = min(len(pages), records)
    repeats = f", repeated to {records} records (copies are exact duplicates)" if records > len(pages) else ""
    return _save_input(
        BenchInput(
            name="real",
            folder=str(folder),
            glob="*.warc.gz",
            files=files,
            records=records,
            unique_pages=unique,
            html_bytes=html_bytes,
            description=f"{len(pages)} real pages (22 Dolma WARC + 181 article benchmark){repeats}",
        )
    )


PROBE_PAGE = "06e5123e4ef7cfb4533250dc45d1e03d0838fc66223f45c583c4d12f48b4da85"
"""A plain news article (VentureBeat) that every pipeline keeps, so a run on it goes through
every step (extraction, all filters, dedup, writers) and costs start-up plus one document."""


def build_probe(cache: Path) -> BenchInput:
    """One real page that every pipeline keeps: a run on it costs a pipeline's start-up."""
    folder = cache / f"probe-{PROBE_PAGE[:12]}"
    if (built := load_input(folder)) is not None:
        return built
    pages = [p for p in real_pages() if p.origin.endswith(f"/{PROBE_PAGE}.html.gz")]
    if not pages:
        raise InputBuildError(f"probe page {PROBE_PAGE}.html.gz missing from {ARTICLES / 'html'}")
    _fresh_folder(folder)
    record_id = str(uuid.UUID(int=random.Random(0).getrandbits(128), version=4))
    member = response_record(pages[0], pages[0].url, record_id, datetime(2024, 1, 1, tzinfo=UTC))
    (folder / "probe.warc.gz").write_bytes(member)
    return _save_input(
        BenchInput(
            name="probe",
            folder=str(folder),
            glob="*.warc.gz",
            files=1,
            records=1,
            unique_pages=1,
            html_bytes=len(pages[0].body),
            description=f"1 real page ({pages[0].url})",
        )
    )


# --- the generated sample ---------------------------------------------------------------------


def count_responses(path: Path) -> tuple[int, int]:
    """Response records (and unreadable stretches, as our reader reports them) and payload bytes.

    Counted with `corpus.warc.iter_records`, the reader that survives the sample's deliberately
    broken records, so the count is what a pipeline is given, not where warcio gave up.
    """
    from corpus.warc import iter_records

    records = payload = 0
    with _broken_records_expected():
        for raw in iter_records(lambda: path.open("rb"), str(path)):
            records += 1
            payload += len(raw.body or b"")
    return records, payload


@contextlib.contextmanager
def _broken_records_expected() -> Iterator[None]:
    """Mute `corpus.warc`'s warning per unreadable stretch: the sample's broken records are
    deliberate, and the inputs are built to count or drop them, not to report them."""
    reader_log = logging.getLogger("corpus.warc")
    level = reader_log.level
    reader_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        reader_log.setLevel(level)


def generator_digest() -> str:
    """A digest of the generator (devkit/sample's code, templates and data, and devkit/warc.py):
    a changed generator makes a new input, not a stale one."""
    h = hashlib.sha256()
    sample = ROOT / "devkit" / "sample"
    files = [p for p in sample.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    for path in [*sorted(files), ROOT / "devkit" / "warc.py"]:
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:10]


def readable_members(path: Path) -> Iterator[bytes]:
    """The gzip members of a WARC file that decompress whole and hold a readable record.

    Record boundaries come from `corpus.warc.iter_records` (all record types, unreadable
    stretches included); each member is then checked on its own with zlib.
    """
    from fastwarc.warc import WarcRecordType

    from corpus.warc import iter_records

    data = path.read_bytes()
    with _broken_records_expected():
        found = list(iter_records(lambda: path.open("rb"), str(path), record_types=WarcRecordType.any_type))
    starts = sorted({r.offset for r in found} | {len(data)})
    for record in found:
        if record.error is not None:
            continue
        member = data[record.offset : starts[bisect.bisect_right(starts, record.offset)]]
        inflate = zlib.decompressobj(31)
        try:
            inflate.decompress(member)
        except zlib.error:
            continue
        if inflate.eof and not inflate.unused_data:
            yield member


def build_sample(
    cache: Path, pages: int, seed: int = SAMPLE_SEED, python: str = sys.executable, readable_only: bool = True
) -> BenchInput:
    """``python -m devkit.sample --output DIR --seed SEED --pages N``, run once into the cache.

    With ``readable_only`` (what the pipeline benchmark uses), a copy without the sample's
    deliberately corrupt gzip members: DataTrove's WarcReader (warcio over one gzip stream) aborts
    its whole task at the first one, so the comparison runs on the records every reader can read.
    """
    folder = cache / f"sample-{pages}-s{seed}-{generator_digest()}"
    raw_dir, readable_dir = folder / "raw", folder / "readable"
    if (built := load_input(readable_dir if readable_only else raw_dir)) is not None:
        return built
    raw = load_input(raw_dir)
    if raw is None:
        for stale in cache.glob(f"sample-{pages}-s{seed}-*"):  # made by an older generator
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
        _fresh_folder(folder)
        cmd = [
            python,
            "-m",
            "devkit.sample",
            "--output",
            str(raw_dir),
            "--seed",
            str(seed),
            "--pages",
            str(pages),
        ]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise InputBuildError(f"{' '.join(cmd[1:])} failed (exit {proc.returncode}): " + " | ".join(tail))
        files = sorted(raw_dir.glob("*.warc.gz"))
        if not files:
            raise InputBuildError(f"{' '.join(cmd[1:])} wrote no *.warc.gz in {raw_dir}")
        raw = _save_input(
            _counted(
                "sample-raw",
                raw_dir,
                files,
                f"generated sample: devkit.sample --seed {seed} --pages {pages}",
            )
        )
    if not readable_only:
        return raw
    _fresh_folder(readable_dir)
    files = []
    for src in sorted(Path(raw.folder).glob(raw.glob)):
        dst = readable_dir / src.name
        with dst.open("wb") as out:
            for member in readable_members(src):
                out.write(member)
        files.append(dst)
    info = _counted("sample", readable_dir, files, raw.description)
    dropped = raw.records - info.records
    return _save_input(
        BenchInput(
            **{
                **asdict(info),
                "description": f"{raw.description}, less its {dropped} unreadable record(s)",
            }
        )
    )


# --- held out: pages nothing was tuned on -------------------------------------------------------


WCXB = SHARED_DATA / "wcxb-dev"


def wcxb_pages(every: int = 1, folder: Path = WCXB) -> list[Page]:
    """Every ``every``-th WCXB dev page (sorted by key), under its URL made unique per page."""
    meta = folder / "metadata.json"
    if not meta.is_file():
        raise InputBuildError(f"held-out pages need ../shared/data/wcxb-dev: missing {meta}")
    files = json.loads(meta.read_text(encoding="utf-8"))["files"]
    pages = []
    for key in sorted(files)[::every]:
        truth = json.loads((folder / "ground-truth" / f"{key}.json").read_text(encoding="utf-8"))
        url = truth.get("url") or f"https://wcxb.invalid/{key}"
        pages.append(
            Page(
                url=f"{url}{'&' if '?' in url else '?'}wcxb={key}",  # one URL per page, even where two share one
                status="200 OK",
                headers=[("Content-Type", "text/html; charset=utf-8")],
                body=gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()),
                origin=f"wcxb-dev/{key}",
            )
        )
    return pages


def build_heldout(cache: Path, every: int, sample_pages: int, seed: int = SAMPLE_SEED) -> BenchInput:
    """Every ``every``-th WCXB dev page (one WARC file) beside the readable generated sample of
    ``sample_pages`` pages (its own files): pages neither the extractors' nor the filters'
    settings nor the built-in LM were fitted to, unlike ``real`` (the article benchmark)."""
    sample = build_sample(cache, sample_pages, seed)
    folder = cache / f"heldout-w{every}-{Path(sample.folder).parent.name}"
    if (built := load_input(folder)) is not None:
        return built
    pages = wcxb_pages(every)
    _fresh_folder(folder)
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    with (folder / "wcxb-00000.warc.gz").open("wb") as out:
        for i, page in enumerate(pages):
            record_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            out.write(response_record(page, page.url, record_id, start + timedelta(seconds=i)))
    for src in sorted(Path(sample.folder).glob(sample.glob)):
        shutil.copyfile(src, folder / f"sample-{src.name}")
    files = sorted(folder.glob("*.warc.gz"))
    info = _counted(
        "heldout",
        folder,
        files,
        f"{len(pages)} WCXB dev pages (every {every}th) + {sample.records} records of the generated sample "
        f"(devkit.sample --seed {seed} --pages {sample_pages}, readable records)",
    )
    return _save_input(BenchInput(**{**asdict(info), "unique_pages": None}))


def _counted(name: str, folder: Path, files: list[Path], description: str) -> BenchInput:
    records = payload = 0
    for path in files:
        r, p = count_responses(path)
        records += r
        payload += p
    return BenchInput(
        name=name,
        folder=str(folder),
        glob="*.warc.gz",
        files=len(files),
        records=records,
        unique_pages=None,
        html_bytes=payload,
        description=description,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("which", choices=["real", "sample", "probe", "heldout"])
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="where inputs are built (default: %(default)s)"
    )
    parser.add_argument("--records", type=int, default=3000, help="real: response records to write")
    parser.add_argument("--files", type=int, default=1, help="real: WARC files to spread them over")
    parser.add_argument("--pages", type=int, default=5000, help="sample, heldout: pages to generate")
    parser.add_argument("--every", type=int, default=1, help="heldout: every k-th WCXB dev page")
    args = parser.parse_args(argv)
    try:
        if args.which == "real":
            info = build_real(args.cache, args.records, files=args.files)
        elif args.which == "sample":
            info = build_sample(args.cache, args.pages)
        elif args.which == "heldout":
            info = build_heldout(args.cache, args.every, args.pages)
        else:
            info = build_probe(args.cache)
    except InputBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(asdict(info), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
