"""Plan, render and write a sample crawl: ``generate_sample`` is the entry point.

The plan fixes how many pages of each kind there are (`allocate`), which good pages have copies,
which site and URL each page gets and in what order the crawler "fetched" them; rendering turns
each planned page into an HTTP response; writing puts request/response pairs into WARC files
and one ground-truth line per response. Every random choice comes from a `random.Random` seeded
with a string derived from the sample seed and the purpose, so the output depends on the seed and
the arguments only (no wall clock, no hash randomisation, no set iteration order).
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from corpus.warc import document_id
from devkit.sample import junk, variants
from devkit.sample.foreign import LANGUAGES, foreign_doc
from devkit.sample.grammar import pick
from devkit.sample.pages import PageSpec, catalogue_page, error_page, render_page
from devkit.sample.sites import Site, SitePool, UrlMaker, slugify
from devkit.sample.text import Doc, english_doc, genres_of, target_words
from devkit.sample.truth import BROKEN_KINDS, EXPECT, KINDS, REASON, TruthRecord, write_truth
from devkit.sample.warc import (
    HttpResponse,
    WarcFileWriter,
    block_headers,
    gzip_member,
    http_date,
    http_request,
    sha1_base32,
    truncate_member,
    uuid7,
    warc_date,
    warc_record,
)

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
BROKEN_WEIGHTS = {
    "undecodable": 2,
    "latin1": 2,
    "non_html": 4,
    "http_error": 3,
    "redirect": 3,
    "empty": 2,
}
DOMAIN_MIX = {"web": 0.45, "books": 0.15, "code": 0.10, "encyclopedia": 0.12, "dialog": 0.10, "math": 0.08}
GENRE_WEIGHTS = {
    "news": 0.30,
    "blog": 0.25,
    "recipe": 0.12,
    "travel": 0.12,
    "review": 0.11,
    "howto": 0.10,
    "qa": 0.6,
    "readme": 0.4,
    "math_qa": 0.6,
    "paper": 0.4,
    "forum": 0.5,
    "reddit": 0.5,
    "encyclopedia": 1.0,
    "chapter": 1.0,
}


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
    doc: Doc | None = None
    genre: str | None = None
    lang: str | None = "en"
    original: Item | None = None
    variant: str = ""
    clean: bool = False
    comments: bool = False
    published: datetime = field(default_factory=lambda: datetime(2020, 1, 1, tzinfo=UTC))
    # Filled while writing:
    record_id: str = ""
    crawl_time: datetime | None = None
    status: int = 200
    content_type: str = ""
    body_bytes: int = 0

    @property
    def domain(self) -> str:
        """The site's domain: forum threads on ordinary hosts get ``/forum/`` or ``/thread/``
        paths (`sites.UrlMaker`), so the config's rules give the same answer (tests check)."""
        return self.site.domain


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
            f"sample seed {self.seed}: {self.responses} response records in {len(self.warc_files)} WARC files ({self.warc_bytes / 1e6:.1f} MB)"
        ]
        rows.append(f"{'kind':<14}{'records':>8}{'share':>8}  expect")
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
        base = self.rng("clock")
        self.crawl_start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(
            days=base.randint(0, 364), seconds=base.randint(0, 86_399)
        )

    def rng(self, *purpose: object) -> random.Random:
        """A generator for one purpose: independent of how much randomness other parts used."""
        return random.Random(":".join(["headwater-sample", str(self.seed), *map(str, purpose)]))

    def pub_date(self, r: random.Random) -> datetime:
        return (self.crawl_start - timedelta(days=r.randint(1, 1200), seconds=r.randint(0, 86_399))).replace(
            microsecond=0
        )

    def page_url(self, site: Site, title: str, published: datetime) -> str:
        return self.urls.page(site, title, year=published.year, month=published.month)

    # -- good pages and their copies ----------------------------------------------------------------
    def good_items(self, n: int) -> list[Item]:
        domains = _largest_remainder(n, DOMAIN_MIX)
        plan = [d for d, k in domains.items() for _ in range(k)]
        self.rng("domains").shuffle(plan)
        items = []
        for i, domain in enumerate(plan):
            r = self.rng("good", i)
            genres = genres_of(domain)
            genre = r.choices(genres, weights=[GENRE_WEIGHTS[g] for g in genres])[0]
            doc = english_doc(r, genre, target_words(r, genre))
            site = self.sites.for_genre(genre)
            published = self.pub_date(r)
            doc.extra["date"] = published.isoformat()
            item = Item(
                "good", site, self.page_url(site, doc.title, published), doc, genre, "en", published=published
            )
            if site.layout in ("news", "blog") and r.random() < 0.25:
                item.comments = True
            items.append(item)
        return items

    def copies(self, goods: list[Item], n_exact: int, n_near: int) -> list[Item]:
        r = self.rng("copies")
        originals = r.sample(goods, n_exact + n_near)
        out = []
        for j, orig in enumerate(originals):
            exact = j < n_exact
            orig.clean = True
            orig.comments = False
            cr = self.rng("copy", j)
            site, url = self._copy_location(orig, cr, exact)
            if exact:
                doc = orig.doc
            else:
                note = ""
                if orig.site.domain == "web" and site.host != orig.site.host:
                    note = f"Republished with permission from {orig.site.name}."
                doc = variants.near_duplicate(orig.doc, cr, note=note)
            kind = "exact_dup" if exact else "near_dup"
            out.append(
                Item(
                    kind,
                    site,
                    url,
                    doc,
                    orig.genre,
                    "en",
                    original=orig,
                    clean=True,
                    published=orig.published,
                )
            )
        return out

    def _copy_location(self, orig: Item, r: random.Random, exact: bool) -> tuple[Site, str]:
        site = orig.site
        if site.host == "en.wikipedia.org":
            if exact:
                return self.sites.WIKIPEDIA_MOBILE, self.urls.special(
                    self.sites.WIKIPEDIA_MOBILE, orig.url.split(site.host, 1)[1]
                )
            title = orig.url.rsplit("/wiki/", 1)[1]
            return site, self.urls.special(
                site, f"/w/index.php?title={title}&oldid={r.randint(10**8, 10**9)}"
            )
        if site.kind == "github":
            fork = self.sites.GITHUB if exact else self.sites.GITLAB
            user = (
                f"{pick(r, ('fork', 'mirror', 'dev', 'team'))}-{slugify(orig.doc.title, 1)}{r.randint(2, 99)}"
            )
            return fork, self.urls.special(fork, f"/{user}/{orig.url.rstrip('/').rsplit('/', 1)[1]}")
        if site.kind == "arxiv" and not exact:
            return site, self.urls.special(site, orig.url.split(site.host, 1)[1].replace("v1", "v2"))
        if site.domain == "web" and r.random() < 0.6:
            mirror = self.sites.mirror_for(site)
            return mirror, self.page_url(mirror, orig.doc.title, orig.published)
        if site.kind in ("reddit", "gutenberg", "standardebooks"):
            mirror = self.sites.mirror_for(site)
            if site.kind == "reddit":
                return mirror, self.urls.special(mirror, orig.url.split(site.host, 1)[1])
            return mirror, self.page_url(mirror, orig.doc.title, orig.published)
        return site, self.urls.variant(
            orig.url, pick(r, ("amp", "print", "utm")) if site.domain == "web" else "utm"
        )

    # -- pages dropped for their content ----------------------------------------------------------------
    def content_items(self, counts: dict[str, int]) -> list[Item]:
        items: list[Item] = []
        for i in range(counts["spam"]):
            r = self.rng("spam", i)
            doc = junk.spam_doc(r)
            site = pick(r, self.sites.spam)
            items.append(self._item("spam", site, doc, r))
        for i in range(counts["boilerplate"]):
            r = self.rng("boilerplate", i)
            doc = junk.boilerplate_doc(r)
            site = pick(r, self.sites.web["news"] + self.sites.web["blog"])
            path = {
                "tag_index": f"/tag/{slugify(doc.title.split(chr(0x2018))[-1])}/page/{r.randint(2, 9)}/",
                "login": pick(r, ("/login/", "/account/sign-in", "/wp-login.php", "/members/login")),
                "search_empty": f"/search/?q={slugify(doc.title.split(chr(0x201C))[-1]).replace('-', '+')}",
            }[doc.genre]
            items.append(
                Item(
                    "boilerplate",
                    site,
                    self.urls.special(site, path),
                    doc,
                    doc.genre,
                    "en",
                    published=self.pub_date(r),
                )
            )
        langs = sorted(LANGUAGES)
        for i in range(counts["other_lang"]):
            r = self.rng("other_lang", i)
            code = langs[i % len(langs)]
            doc = foreign_doc(r, code, r.randint(180, 700))
            site = pick(r, self.sites.foreign[code])
            published = self.pub_date(r)
            items.append(
                Item(
                    "other_lang",
                    site,
                    self.page_url(site, doc.title, published),
                    doc,
                    "news",
                    code,
                    published=published,
                )
            )
        for i in range(counts["bad_words"]):
            r = self.rng("bad_words", i)
            doc = junk.bad_words_doc(r)
            site = pick(r, self.sites.web["blog"] + self.sites.web["review"] + self.sites.forums)
            items.append(self._item("bad_words", site, doc, r))
        for i in range(counts["toxic"]):
            r = self.rng("toxic", i)
            doc = junk.toxic_doc(r)
            site = pick(r, [*self.sites.forums, self.sites.REDDIT])
            items.append(self._item("toxic", site, doc, r))
        return items

    def _item(self, kind: str, site: Site, doc: Doc, r: random.Random) -> Item:
        published = self.pub_date(r)
        return Item(
            kind, site, self.page_url(site, doc.title, published), doc, doc.genre, "en", published=published
        )

    # -- broken records ---------------------------------------------------------------------------------
    def broken_items(self, counts: dict[str, int]) -> list[Item]:
        items: list[Item] = []
        web_sites = [s for sites in self.sites.web.values() for s in sites]
        for kind in BROKEN_KINDS:
            for i in range(counts[kind]):
                r = self.rng(kind, i)
                site = pick(r, web_sites)
                published = self.pub_date(r)
                if kind in ("truncated", "latin1"):
                    genre = pick(r, ("news", "blog", "travel", "recipe"))
                    site = pick(r, self.sites.web[genre])
                    doc = english_doc(r, genre, target_words(r, genre))
                    variant = ""
                    if kind == "latin1":
                        variant = "iso-8859-1" if i % 2 == 0 else "windows-1252"
                        doc = variants.latin1_doc(doc, r, smart_quotes=variant == "windows-1252")
                    items.append(
                        Item(
                            kind,
                            site,
                            self.page_url(site, doc.title, published),
                            doc,
                            genre,
                            "en",
                            variant=variant,
                            published=published,
                        )
                    )
                elif kind == "non_html":
                    variant = "pdf" if i % 2 == 0 else "jpeg"
                    name = slugify(
                        pick(r, ("annual report", "menu", "timetable", "brochure", "photo", "poster"))
                        + f" {r.randint(2015, 2023)}"
                    )
                    path = (
                        f"/files/{name}.pdf" if variant == "pdf" else f"/images/{published:%Y/%m}/{name}.jpg"
                    )
                    items.append(
                        Item(
                            kind,
                            site,
                            self.urls.special(site, path),
                            None,
                            None,
                            None,
                            variant=variant,
                            published=published,
                        )
                    )
                elif kind == "giant":
                    items.append(
                        Item(
                            kind,
                            site,
                            self.urls.special(site, "/shop/catalogue/all-products?view=all"),
                            None,
                            None,
                            "en",
                            published=published,
                        )
                    )
                else:
                    path = f"/{published:%Y/%m}/{slugify(pick(r, ('old news story', 'summer sale', 'event listing', 'archived post', 'contact form')))}-{r.randint(100, 999)}/"
                    lang = "en" if kind == "http_error" else None
                    items.append(
                        Item(kind, site, self.urls.special(site, path), None, None, lang, published=published)
                    )
        return items

    # -- crawl order ------------------------------------------------------------------------------------
    def order(self, items: list[Item], n_files: int) -> list[list[Item]]:
        """Shuffle, keep every copy after its original, split into files, truncated mid-file."""
        r = self.rng("order")
        singles = [it for it in items if it.original is None]
        copies = [it for it in items if it.original is not None]
        r.shuffle(singles)
        seq = singles
        for c in copies:
            pos = seq.index(c.original)
            seq.insert(r.randint(pos + 1, len(seq)), c)
        size, extra = divmod(len(seq), n_files)
        chunks, start = [], 0
        for k in range(n_files):
            end = start + size + (1 if k < extra else 0)
            chunks.append(seq[start:end])
            start = end
        # The truncated record goes in the middle of the middle file, with records after it.
        truncated = [it for it in seq if it.kind == "truncated"]
        target = chunks[n_files // 2]
        for t in truncated:
            for chunk in chunks:
                if t in chunk:
                    chunk.remove(t)
            target.insert(len(target) // 2, t)
        return chunks


def _ip_for(host: str) -> str:
    d = hashlib.sha1(host.encode()).digest()
    return f"{d[0] % 200 + 20}.{d[1]}.{d[2]}.{d[3] % 250 + 1}"


_SERVERS = ("nginx", "Apache", "cloudflare", "nginx/1.24.0", "Apache/2.4.57 (Debian)", "LiteSpeed")


def _render(item: Item, planner: _Planner, titles: list[str]) -> HttpResponse:
    """The HTTP response of one planned page; an article links to a few of the good pages' ``titles``."""
    r = planner.rng("render", item.url)
    assert item.crawl_time is not None
    common = [("Date", http_date(item.crawl_time)), ("Server", pick(r, _SERVERS))]
    kind = item.kind

    def plain(
        ctype: str, body: bytes, status: int = 200, reason: str = "OK", *extra: tuple[str, str]
    ) -> HttpResponse:
        return HttpResponse(
            status,
            reason,
            [*common, *extra, ("Content-Type", ctype), ("Content-Length", str(len(body)))],
            body,
        )

    if kind == "redirect":
        target = item.url.rstrip("/") + "-updated/"
        body = error_page(item.site, 301, target).encode("ascii")
        return plain("text/html; charset=iso-8859-1", body, 301, "Moved Permanently", ("Location", target))
    if kind == "http_error":
        return plain(
            "text/html; charset=utf-8", error_page(item.site, 404, item.url).encode("utf-8"), 404, "Not Found"
        )
    if kind == "empty":
        return plain("text/html; charset=utf-8", b"")
    if kind == "non_html":
        if item.variant == "pdf":
            return plain("application/pdf", variants.pdf_bytes(r, item.url.rsplit("/", 1)[1]))
        return plain("image/jpeg", variants.jpeg_bytes(r))
    if kind == "undecodable":
        body = variants.garbage_html(r)
        return plain("text/html; charset=utf-8" if r.random() < 0.5 else "text/html", body)
    if kind == "giant":
        return plain(
            "text/html; charset=utf-8", catalogue_page(item.site, r, planner.giant_bytes).encode("utf-8")
        )
    assert item.doc is not None
    charset = item.variant if kind == "latin1" else "utf-8"
    spec = PageSpec(
        site=item.site,
        url=item.url,
        doc=item.doc,
        published=item.published,
        rng=r,
        lang=item.lang or "en",
        charset=charset,
        comments=item.comments,
        related_titles=planner.rng("related", item.url).sample(titles, min(5, len(titles))),
        clean=item.clean,
    )
    html_text = render_page(spec)
    body = html_text.encode(charset, errors="xmlcharrefreplace")
    if kind == "latin1":
        ctype = f"text/html; charset={charset.upper() if charset == 'iso-8859-1' else charset}"
    else:
        ctype = (
            "text/html; charset=utf-8" if r.random() < 0.85 else "text/html"
        )  # some declare it in <meta> only
    headers = [
        *common,
        ("Content-Type", ctype),
        ("Content-Length", str(len(body))),
        ("Cache-Control", pick(r, ("max-age=600", "no-cache", "public, max-age=3600", "private, max-age=0"))),
        ("Vary", "Accept-Encoding"),
        ("Last-Modified", http_date(item.published)),
    ]
    if r.random() < 0.4:
        headers.append(("Set-Cookie", f"sid={r.getrandbits(64):016x}; Path=/; HttpOnly; SameSite=Lax"))
    return HttpResponse(200, "OK", headers, body)


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
    items = goods + copies + planner.content_items(counts) + planner.broken_items(counts)
    chunks = planner.order(items, files)
    titles = [g.doc.title for g in goods if g.doc is not None]

    clock = planner.rng("crawl-clock")
    ids = planner.rng("record-ids")
    now = planner.crawl_start
    truth: list[TruthRecord] = []
    paths: list[Path] = []
    total_bytes = 0
    for k, chunk in enumerate(chunks):
        name = f"crawl-{k:05d}.warc.gz"
        writer = WarcFileWriter()
        info_id = uuid7(int(now.timestamp() * 1000), ids)
        info = (
            f"isPartOf: headwater-sample-{seed}\r\nsoftware: headwater devkit.sample\r\nformat: WARC File Format 1.0\r\n"
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.0/\r\n"
            f"description: synthetic sample crawl for the headwater pipeline (seed {seed}, file {k + 1} of {files})\r\n"
            f"robots: checked via crawler-commons\r\noperator: headwater\r\n"
        ).encode()
        writer.add(
            warc_record(
                [
                    ("WARC-Type", "warcinfo"),
                    ("WARC-Date", warc_date(now)),
                    ("WARC-Filename", name),
                    ("WARC-Record-ID", info_id),
                    ("Content-Type", "application/warc-fields"),
                ],
                info,
            )
        )
        for item in chunk:
            now = now + timedelta(seconds=clock.randint(1, 30))
            item.crawl_time = now
            ms = int(now.timestamp() * 1000)
            req_id = uuid7(ms + clock.randint(0, 300), ids)
            item.record_id = uuid7(ms + clock.randint(301, 900), ids)
            response = _render(item, planner, titles)
            item.status = response.status
            item.content_type = dict(response.headers).get("Content-Type", "")
            item.body_bytes = len(response.body)
            ip = _ip_for(item.site.host)
            request = http_request(item.url)
            writer.add(
                warc_record(
                    [
                        ("WARC-Type", "request"),
                        ("WARC-Date", warc_date(now)),
                        ("WARC-Record-ID", req_id),
                        *block_headers("request", request),
                        ("WARC-Warcinfo-ID", info_id),
                        ("WARC-IP-Address", ip),
                        ("WARC-Target-URI", item.url),
                    ],
                    request,
                )
            )
            block = response.to_bytes()
            record = warc_record(
                [
                    ("WARC-Type", "response"),
                    ("WARC-Date", warc_date(now)),
                    ("WARC-Record-ID", item.record_id),
                    *block_headers("response", block),
                    ("WARC-Warcinfo-ID", info_id),
                    ("WARC-Concurrent-To", req_id),
                    ("WARC-IP-Address", ip),
                    ("WARC-Target-URI", item.url),
                    ("WARC-Payload-Digest", sha1_base32(response.body)),
                    (
                        "WARC-Identified-Payload-Type",
                        item.content_type.split(";")[0] or "application/octet-stream",
                    ),
                ],
                block,
            )
            if item.kind == "truncated":
                offset = writer.add_member(truncate_member(gzip_member(record), fraction=0.5))
            else:
                offset = writer.add(record)
            truth.append(_truth_line(item, name, offset))
        path = out / name
        data = writer.getvalue()
        path.write_bytes(data)
        total_bytes += len(data)
        paths.append(path)
    for stale in sorted(out.glob("crawl-*.warc.gz")):
        if stale not in paths:
            stale.unlink()
    truth_path = out / "ground_truth.jsonl"
    write_truth(truth_path, truth)

    good_domains = Counter(t.domain for t in truth if t.kind == "good")
    summary = SampleSummary(
        out_dir=out,
        seed=seed,
        warc_files=tuple(paths),
        truth_path=truth_path,
        responses=len(truth),
        kinds=dict(Counter(t.kind for t in truth)),
        expect=dict(Counter(t.expect for t in truth)),
        good_domains={d: good_domains[d] for d in DOMAIN_MIX},
        warc_bytes=total_bytes,
    )
    log.info("wrote %d records to %s", len(truth), out)
    return summary


def _truth_line(item: Item, file: str, offset: int) -> TruthRecord:
    text = None
    if item.doc is not None and item.kind != "truncated":
        text = item.doc.text
    return TruthRecord(
        file=file,
        offset=offset,
        record_id=document_id(item.record_id),
        url=item.url,
        domain=item.domain,
        kind=item.kind,
        expect=EXPECT[item.kind],
        duplicate_of=document_id(item.original.record_id) if item.original is not None else None,
        lang=item.lang,
        text=text,
        reason=REASON[item.kind],
        genre=item.genre,
        http_status=item.status,
        content_type=item.content_type,
        body_bytes=item.body_bytes,
        warc_date=warc_date(item.crawl_time) if item.crawl_time else "",
    )
