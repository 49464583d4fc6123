"""Plan, render and write a sample crawl: ``generate_sample`` is the entry point.

The plan fixes how many pages of each kind there are (`allocate`), which good pages have copies,
which site and URL each page gets and in what order the crawler "fetched" them; rendering turns
each planned page into an HTTP response; writing puts request/response pairs into WARC files
(`devkit.warc`) and one ground-truth line per response. Every random choice comes from a
`random.Random` seeded with a string derived from the sample seed and the purpose, so the output
depends on the seed and the arguments only (no wall clock, no hash randomisation, no set
iteration order).
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from devkit import warc
from devkit.sample.grammar import data, pick
from devkit.sample.pages import catalogue_page, error_page, garbage_html, jpeg_bytes, pdf_bytes, render_page
from devkit.sample.sites import Site, SitePool, UrlMaker
from devkit.sample.text import (
    Doc,
    genre_spec,
    genres_of,
    latin1_doc,
    make_doc,
    near_duplicate,
    target_words,
    topics,
)
from devkit.sample.truth import BROKEN_KINDS, EXPECT, KINDS, REASON, TruthRecord, write_truth

log = logging.getLogger(__name__)

DEFAULT_PAGES = 600
DEFAULT_FILES = 4
DEFAULT_GIANT_BYTES = 5_500_000
"""Above the 5 MB ``limits.max_body_bytes`` of configs/clean.yaml, so the default run drops it."""
MIN_PAGES = 24
"""The fewest response records that hold every kind (16 kinds, and originals for the copies)."""

SHARES = {
    "good": 0.65,
    "exact_dup": 0.05,
    "near_dup": 0.05,
    "spam": 0.06,
    "boilerplate": 0.04,
    "other_lang": 0.06,
    "bad_words": 0.03,
    "toxic": 0.03,
    "broken": 0.03,
}
SINGLE_KINDS = ("truncated", "giant")
"""Exactly one of each, whatever the size: one truncated member mid-file, one oversized page."""
BROKEN_WEIGHTS = {"undecodable": 2, "latin1": 2, "non_html": 4, "http_error": 3, "redirect": 3, "empty": 2}
DOMAIN_MIX = {"web": 0.45, "books": 0.15, "code": 0.10, "encyclopedia": 0.12, "dialog": 0.10, "math": 0.08}
CONTENT_GENRES = {
    "spam": "spam",
    "boilerplate": "boilerplate",
    "other_lang": "foreign_news",
    "bad_words": "rant",
    "toxic": "abuse",
}
"""The genre (data/) of the pages dropped for their content."""
REQUEST_HEADERS = (
    ("User-Agent", "CCBot/2.0 (https://commoncrawl.org/faq/)"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "en-US,en;q=0.5"),
    ("Accept-Encoding", "br,gzip"),
    ("Connection", "Keep-Alive"),
)


def _largest_remainder(total: int, weights: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (ties broken by key order), at least ``minimum`` each."""
    wsum = sum(weights.values())
    raw = {k: total * w / wsum for k, w in weights.items()}
    out = {k: max(minimum, int(v)) for k, v in raw.items()}
    order = sorted(weights, key=lambda k: (-(raw[k] - int(raw[k])), list(weights).index(k)))
    i = 0
    while sum(out.values()) < total:
        out[order[i % len(order)]] += 1
        i += 1
    while sum(out.values()) > total:  # minimums overshot: take from the largest
        k = max(out, key=lambda k: (out[k] - minimum, -list(weights).index(k)))
        if out[k] <= minimum:
            raise ValueError(f"cannot split {total} into {len(weights)} parts of at least {minimum}")
        out[k] -= 1
    return out


def allocate(pages: int) -> dict[str, int]:
    """How many response records of each kind a sample of ``pages`` records has."""
    if pages < MIN_PAGES:
        raise ValueError(f"pages must be at least {MIN_PAGES} to hold every kind of record, got {pages}")
    top = _largest_remainder(pages, SHARES, minimum=1)
    broken_total = max(top["broken"], len(BROKEN_KINDS))
    top["good"] -= broken_total - top["broken"]
    counts = {k: v for k, v in top.items() if k != "broken"}
    counts.update(dict.fromkeys(SINGLE_KINDS, 1))
    counts.update(_largest_remainder(broken_total - len(SINGLE_KINDS), BROKEN_WEIGHTS, minimum=1))
    if counts["good"] < counts["exact_dup"] + counts["near_dup"]:
        raise ValueError(f"{pages} pages leave too few good pages to copy")
    return {k: counts[k] for k in KINDS}


@dataclass(eq=False)
class Item:
    """One planned response record (compared by identity: copies point at their original)."""

    kind: str
    site: Site
    url: str
    published: datetime
    doc: Doc | None = None
    lang: str | None = "en"
    original: Item | None = None
    variant: str = ""
    """The charset of a Latin-1 page, the file type of a non-HTML body."""
    clean: bool = False
    comments: bool = False
    # Filled while writing:
    record_id: str = ""
    crawl_time: datetime | None = None
    status: int = 200
    content_type: str = ""
    body_bytes: int = 0


@dataclass(frozen=True)
class SampleSummary:
    """What `generate_sample` wrote: the files, and the counts the ground truth holds."""

    out_dir: Path
    seed: int
    warc_files: tuple[Path, ...]
    truth_path: Path
    responses: int
    kinds: dict[str, int]
    expect: dict[str, int]
    good_domains: dict[str, int]
    warc_bytes: int

    def table(self) -> str:
        """A plain-text table for the CLI."""
        rows = [
            f"sample seed {self.seed}: {self.responses} response records in {len(self.warc_files)} WARC files ({self.warc_bytes / 1e6:.1f} MB)",
            f"{'kind':<14}{'records':>8}{'share':>8}  expect",
        ]
        for k in KINDS:
            n = self.kinds.get(k, 0)
            rows.append(f"{k:<14}{n:>8}{n / self.responses:>8.1%}  {EXPECT[k]}")
        rows.append("good pages by domain: " + ", ".join(f"{d} {n}" for d, n in self.good_domains.items()))
        rows.append(f"ground truth: {self.truth_path}")
        return "\n".join(rows)


class _Planner:
    def __init__(self, seed: int, giant_bytes: int) -> None:
        self.seed = seed
        self.giant_bytes = giant_bytes
        self.sites = SitePool(self.rng("sites"))
        self.urls = UrlMaker(self.rng("urls"))
        clock = self.rng("clock")
        self.crawl_start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(
            days=clock.randint(0, 364), seconds=clock.randint(0, 86_399)
        )

    def rng(self, *purpose: object) -> random.Random:
        """A generator for one purpose: independent of how much randomness other parts used."""
        return random.Random(":".join(["headwater-sample", str(self.seed), *map(str, purpose)]))

    def _published(self, r: random.Random) -> datetime:
        return self.crawl_start - timedelta(days=r.randint(1, 1200), seconds=r.randint(0, 86_399))

    def page(self, kind: str, genre: str, r: random.Random, topic: str | None = None) -> Item:
        """A page of ``genre`` on a site that publishes it, at a URL in the site's style."""
        doc = make_doc(r, genre, target_words(r, genre), topic)
        site = self.sites.pick(genre, doc.lang)
        published = self._published(r)
        path = genre_spec(doc.genre).get("path", "")
        return Item(
            kind,
            site,
            self.urls.page(site, published, doc.title, path, **doc.extra),
            published,
            doc,
            doc.lang,
        )

    def good_items(self, n: int) -> list[Item]:
        plan = [d for d, k in _largest_remainder(n, DOMAIN_MIX).items() for _ in range(k)]
        self.rng("domains").shuffle(plan)
        items = []
        for i, domain in enumerate(plan):
            r = self.rng("good", i)
            weights = genres_of(domain)
            item = self.page("good", r.choices(list(weights), weights=list(weights.values()))[0], r)
            assert item.doc is not None
            item.doc.extra["date"] = item.published.isoformat()  # copies show the original's date
            item.comments = item.site.layout in ("news", "blog") and r.random() < 0.25
            items.append(item)
        return items

    def copies(self, goods: list[Item], n_exact: int, n_near: int) -> list[Item]:
        """Copies of good pages in their original's domain: on a mirror or at another URL of its site."""
        out = []
        for j, orig in enumerate(self.rng("copies").sample(goods, n_exact + n_near)):
            assert orig.doc is not None
            exact = j < n_exact
            orig.clean, orig.comments = True, False
            r = self.rng("copy", j)
            site = orig.site
            if site.mirror or (site.kind and r.random() < 0.6):
                site = self.sites.mirror(orig.site)
            if site is orig.site:
                url = self.urls.variant(
                    orig.url, pick(r, ("amp", "print", "utm")) if site.domain == "web" else "utm"
                )
            elif site.same_path:
                url = self.urls.on_host(orig.url, site)
            else:
                url = self.urls.page(site, orig.published, orig.doc.title, **orig.doc.extra)
            doc = orig.doc
            if not exact:
                note = f"Republished with permission from {orig.site.label}." if site.domain == "web" else ""
                doc = near_duplicate(orig.doc, r, note=note if site is not orig.site else "")
            kind = "exact_dup" if exact else "near_dup"
            out.append(Item(kind, site, url, orig.published, doc, "en", original=orig, clean=True))
        return out

    def content_items(self, counts: dict[str, int]) -> list[Item]:
        """Spam, boilerplate, other languages, bad words, abuse: pages dropped for their content."""
        langs = [t.name for t in topics("foreign")]
        return [
            self.page(kind, genre, self.rng(kind, i), langs[i % len(langs)] if kind == "other_lang" else None)
            for kind, genre in CONTENT_GENRES.items()
            for i in range(counts[kind])
        ]

    def broken_items(self, counts: dict[str, int]) -> list[Item]:
        items: list[Item] = []
        for kind in BROKEN_KINDS:
            for i in range(counts[kind]):
                r = self.rng(kind, i)
                if kind in ("truncated", "latin1"):
                    item = self.page(kind, pick(r, ("news", "blog", "travel", "recipe")), r)
                    if kind == "latin1" and item.doc is not None:
                        item.variant = ("iso-8859-1", "windows-1252")[i % 2]
                        item.doc = latin1_doc(item.doc, r, smart_quotes=item.variant == "windows-1252")
                    items.append(item)
                    continue
                site, published = self.sites.pick("broken"), self._published(r)
                shape = {"non_html": ("pdf", "jpeg")[i % 2], "giant": "giant"}.get(kind, "gone")
                lang = "en" if kind in ("http_error", "giant") else None
                items.append(
                    Item(
                        kind,
                        site,
                        self.urls.page(site, published, shape=shape),
                        published,
                        lang=lang,
                        variant=shape,
                    )
                )
        return items

    def order(self, items: list[Item], n_files: int) -> list[list[Item]]:
        """Shuffle, keep every copy after its original, split into files, truncated mid-file."""
        r = self.rng("order")
        seq = [it for it in items if it.original is None]
        r.shuffle(seq)
        for c in (it for it in items if it.original is not None):
            seq.insert(r.randint(seq.index(c.original) + 1, len(seq)), c)
        size, extra = divmod(len(seq), n_files)
        chunks, start = [], 0
        for k in range(n_files):
            end = start + size + (1 if k < extra else 0)
            chunks.append([it for it in seq[start:end] if it.kind != "truncated"])
            start = end
        # The truncated record goes in the middle of the middle file, with records after it.
        target = chunks[n_files // 2]
        for t in (it for it in seq if it.kind == "truncated"):
            target.insert(len(target) // 2, t)
        return chunks


def _ip_for(host: str) -> str:
    d = hashlib.sha1(host.encode()).digest()
    return f"{d[0] % 200 + 20}.{d[1]}.{d[2]}.{d[3] % 250 + 1}"


def _http_date(when: datetime) -> str:
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _render(item: Item, planner: _Planner, titles: list[str]) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status, headers, body) of one planned page; an article links to a few good pages' ``titles``."""
    r = planner.rng("render", item.url)
    assert item.crawl_time is not None
    headers = [("Date", _http_date(item.crawl_time)), ("Server", pick(r, data()["chrome"]["servers"]))]
    status, ctype, kind = "200 OK", "text/html; charset=utf-8", item.kind
    if kind == "redirect":
        status, ctype, target = (
            "301 Moved Permanently",
            "text/html; charset=iso-8859-1",
            item.url.rstrip("/") + "-updated/",
        )
        headers.append(("Location", target))
        body = error_page(item.site, 301, target).encode("ascii")
    elif kind == "http_error":
        status, body = "404 Not Found", error_page(item.site, 404, item.url).encode()
    elif kind == "empty":
        body = b""
    elif kind == "non_html":
        ctype = "application/pdf" if item.variant == "pdf" else "image/jpeg"
        body = pdf_bytes(r, item.url.rsplit("/", 1)[1]) if item.variant == "pdf" else jpeg_bytes(r)
    elif kind == "undecodable":
        body = garbage_html(r)
        ctype = ctype if r.random() < 0.5 else "text/html"
    elif kind == "giant":
        body = catalogue_page(item.site, r, planner.giant_bytes).encode()
    else:
        assert item.doc is not None
        charset = item.variant if kind == "latin1" else "utf-8"
        related = planner.rng("related", item.url).sample(titles, min(5, len(titles)))
        html = render_page(
            item.site, item.url, item.doc, item.published, r,
            charset=charset, comments=item.comments, related=related, clean=item.clean,
        )  # fmt: skip
        body = html.encode(charset, errors="xmlcharrefreplace")
        if kind == "latin1":
            ctype = f"text/html; charset={'ISO-8859-1' if charset == 'iso-8859-1' else charset}"
        elif r.random() >= 0.85:  # some declare it in <meta> only
            ctype = "text/html"
        cache = pick(r, ("max-age=600", "no-cache", "public, max-age=3600", "private, max-age=0"))
        headers += [
            ("Cache-Control", cache),
            ("Vary", "Accept-Encoding"),
            ("Last-Modified", _http_date(item.published)),
        ]
        if r.random() < 0.4:
            headers.append(("Set-Cookie", f"sid={r.getrandbits(64):016x}; Path=/; HttpOnly; SameSite=Lax"))
    return status, [*headers, ("Content-Type", ctype), ("Content-Length", str(len(body)))], body


def generate_sample(
    out_dir: str | Path,
    seed: int = 0,
    pages: int = DEFAULT_PAGES,
    files: int = DEFAULT_FILES,
    *,
    giant_bytes: int = DEFAULT_GIANT_BYTES,
) -> SampleSummary:
    """Write ``crawl-<k>.warc.gz`` files and ``ground_truth.jsonl`` into ``out_dir``.

    ``pages`` response records (each with its request record) are spread over ``files`` files;
    ``giant_bytes`` is the body size of the one oversized page (tests set it small). Existing
    ``crawl-*.warc.gz`` files in ``out_dir`` beyond the new ``files`` are removed so the
    directory holds exactly one sample.
    """
    if files < 1:
        raise ValueError(f"files must be at least 1, got {files}")
    counts = allocate(pages)
    if pages < files * 6:
        raise ValueError(f"pages ({pages}) must be at least 6 per file ({files} files)")
    if giant_bytes < 1024:
        raise ValueError(f"giant_bytes must be at least 1024, got {giant_bytes}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    planner = _Planner(seed, giant_bytes)
    log.info("planning %d pages for seed %d", pages, seed)
    goods = planner.good_items(counts["good"])
    copies = planner.copies(goods, counts["exact_dup"], counts["near_dup"])
    chunks = planner.order(
        goods + copies + planner.content_items(counts) + planner.broken_items(counts), files
    )
    titles = [g.doc.title for g in goods if g.doc is not None]

    clock, ids = planner.rng("crawl-clock"), planner.rng("record-ids")
    now = planner.crawl_start
    truth: list[TruthRecord] = []
    paths: list[Path] = []
    for k, chunk in enumerate(chunks):
        name = f"crawl-{k:05d}.warc.gz"
        info_id = warc.uuid7(now, ids)
        info = {
            "isPartOf": f"headwater-sample-{seed}",
            "software": "headwater devkit.sample",
            "format": "WARC File Format 1.0",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/",
            "description": f"synthetic sample crawl for the headwater pipeline (seed {seed}, file {k + 1} of {files})",
            "robots": "checked via crawler-commons",
            "operator": "headwater",
        }
        members = [warc.warcinfo(name, info, record_id=info_id, date=now)]
        for item in chunk:
            now += timedelta(seconds=clock.randint(1, 30))
            item.crawl_time = now
            request_id = warc.uuid7(now + timedelta(milliseconds=clock.randint(0, 300)), ids)
            item.record_id = warc.uuid7(now + timedelta(milliseconds=clock.randint(301, 900)), ids)
            status, headers, body = _render(item, planner, titles)
            item.status, item.content_type, item.body_bytes = (
                int(status.split()[0]),
                dict(headers)["Content-Type"],
                len(body),
            )
            both = [
                ("WARC-Warcinfo-ID", f"<urn:uuid:{info_id}>"),
                ("WARC-IP-Address", _ip_for(item.site.host)),
            ]
            members.append(
                warc.request(item.url, REQUEST_HEADERS, record_id=request_id, date=now, warc_headers=both)
            )
            payload_type = item.content_type.split(";")[0] or "application/octet-stream"
            member = warc.response(
                item.url, status, headers, body, record_id=item.record_id, date=now,
                warc_headers=[*both, ("WARC-Concurrent-To", f"<urn:uuid:{request_id}>"), ("WARC-Identified-Payload-Type", payload_type)],
            )  # fmt: skip
            members.append(warc.truncate_member(member) if item.kind == "truncated" else member)
        path = out / name
        offsets = warc.write_members(path, members)
        truth += [_truth_line(item, name, offset) for item, offset in zip(chunk, offsets[2::2], strict=True)]
        paths.append(path)
        log.info("wrote %s: %d pages", path, len(chunk))
    for stale in sorted(out.glob("crawl-*.warc.gz")):
        if stale not in paths:
            stale.unlink()
    truth_path = out / "ground_truth.jsonl"
    write_truth(truth_path, truth)
    good_domains = Counter(t.domain for t in truth if t.kind == "good")
    return SampleSummary(
        out_dir=out,
        seed=seed,
        warc_files=tuple(paths),
        truth_path=truth_path,
        responses=len(truth),
        kinds=dict(Counter(t.kind for t in truth)),
        expect=dict(Counter(t.expect for t in truth)),
        good_domains={d: good_domains[d] for d in DOMAIN_MIX},
        warc_bytes=sum(p.stat().st_size for p in paths),
    )


def _truth_line(item: Item, file: str, offset: int) -> TruthRecord:
    assert item.crawl_time is not None
    return TruthRecord(
        file=file,
        offset=offset,
        record_id=item.record_id,
        url=item.url,
        domain=item.site.domain,
        kind=item.kind,
        expect=EXPECT[item.kind],
        duplicate_of=item.original.record_id if item.original is not None else None,
        lang=item.lang,
        text=item.doc.text if item.doc is not None and item.kind != "truncated" else None,
        reason=REASON[item.kind],
        genre=item.doc.genre if item.doc is not None else None,
        http_status=item.status,
        content_type=item.content_type,
        body_bytes=item.body_bytes,
        warc_date=warc.warc_date(item.crawl_time),
    )
