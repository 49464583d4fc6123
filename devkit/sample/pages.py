"""HTTP bodies: articles inside realistic site chrome (Jinja2 templates/), error pages and junk.

Extractors earn their keep on boilerplate, so every layout surrounds the article with what real
pages carry: cookie banners, headers with navigation menus, breadcrumbs, share buttons, ads
("Sponsored"), related links, newsletter forms, comment widgets, sidebars, footers with
copyright, privacy and terms links, ``<script>`` (with curly braces), ``<style>`` and JSON-LD.
Layouts differ per kind of site (news, blog, wiki, Q&A, code host, book, forum, Reddit, paper,
spam), each varies its widgets per page, and text is inserted autoescaped.

The main text is rendered by the ``main`` macro from the `text.Doc` blocks alone, so a page and
its exact copy on another site have byte-identical main content whatever chrome surrounds them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from devkit.sample.grammar import between, data, pick, words
from devkit.sample.sites import Site, slugify
from devkit.sample.text import Doc, Writer

TEMPLATES = Path(__file__).parent / "templates"


class Dice:
    """The random choices a template makes (``r.int(1, 9)``, ``r.say("{handle}")``, ...)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._writer = Writer(rng)

    def int(self, lo: int, hi: int) -> int:
        return between(self.rng, lo, hi)

    def hex(self, digits: int) -> str:
        return f"{self.rng.getrandbits(4 * digits):0{digits}x}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq: Sequence[Any]) -> Any:
        return pick(self.rng, seq)

    def sample(self, seq: Sequence[Any], k: int) -> list[Any]:
        return self.rng.sample(list(seq), min(k, len(seq)))

    def say(self, pattern: str) -> str:
        return self._writer.fill(pattern)


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["slug"] = slugify
    env.globals["chrome"] = data()["chrome"]
    return env


def render_page(
    site: Site,
    url: str,
    doc: Doc,
    published: datetime,
    rng: random.Random,
    *,
    charset: str = "utf-8",
    comments: bool = False,
    related: Sequence[str] = (),
    clean: bool = False,
) -> str:
    """The full HTML document of one page in its site's layout.

    ``comments``: a server-rendered comment widget (extractors often keep it, as on real pages);
    ``clean``: without the widgets extractors tend to keep (ads outside the article, newsletter
    boxes, comments), for pages whose text has an exact copy elsewhere, so both extract alike.
    """
    strings = data()["chrome"]["strings"]
    date = doc.extra.get("date")
    return (
        _env()
        .get_template(f"{site.layout}.html")
        .render(
            site=site,
            url=url,
            doc=doc,
            lang=doc.lang,
            charset=charset,
            s=strings.get(doc.lang, strings["en"]),
            published=published,
            doc_date=datetime.fromisoformat(date) if date else published,  # a copy keeps its original's
            r=Dice(rng),
            d=Dice(random.Random("chrome:" + doc.title)),  # what extractors keep, the same on every copy
            comments=comments,
            related=list(related),
            clean=clean,
            description=doc.text[:150].replace("\n", " ").rsplit(" ", 1)[0] + " …",
        )
    )


def error_page(site: Site, status: int, url: str) -> str:
    """The small HTML body of a 404 or a 301, as web servers send them."""
    return _env().get_template(f"{status}.html").render(site=site, url=url)


def catalogue_page(site: Site, rng: random.Random, min_bytes: int) -> str:
    """A giant page (a full product catalogue in one table) of at least ``min_bytes`` bytes.

    Rows are rendered in batches sized to what is still missing (rows run under 200 bytes), so
    the page ends within a row of ``min_bytes`` after a few renders, not one per row.
    """
    env, lexicons = _env(), data()["lexicons"]
    render_rows = env.get_template("_chrome.html").module.catalogue_rows  # type: ignore[attr-defined]
    names = [data()["chrome"]["catalogue"], words(lexicons["itemadj"]), words(lexicons["item"])]
    colours = words(lexicons["colour"])
    size = len(env.get_template("catalogue.html").render(site=site, rows=""))
    rows, sku = [], 100_000
    while size < min_bytes:
        batch = []
        for _ in range(max(1, (min_bytes - size) // 200)):
            sku += between(rng, 1, 9)
            name = " ".join(pick(rng, n) for n in names)
            batch.append((sku, name, pick(rng, colours), between(rng, 100, 40_000), between(rng, 0, 250)))
        rows.append(render_rows(batch))
        size += len(rows[-1])
    return env.get_template("catalogue.html").render(site=site, rows=Markup("".join(rows)))


# ----------------------------------------------------------------------------------------------
# Bodies of broken records

_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


def garbage_html(rng: random.Random, n_bytes: int = 6000) -> bytes:
    """An HTML page whose text is bytes that no plausible charset decodes.

    High bytes in random order are invalid UTF-8 (a lead byte must be followed by continuation
    bytes), and the five bytes windows-1252 leaves undefined are sprinkled in so a strict cp1252
    fallback fails too. No NUL bytes: this should read as broken text, not as a binary file.
    """
    junk = bytearray()
    while len(junk) < n_bytes:
        r = rng.random()
        if r < 0.08:
            junk.append(pick(rng, _CP1252_UNDEFINED))
        elif r < 0.15:
            junk += b" "
        else:  # a lead byte where a continuation byte must be
            junk += bytes([rng.randint(0xC0, 0xFF) if rng.random() < 0.5 else rng.randint(0x80, 0xBF)])
            junk.append(rng.randint(0xC0, 0xFF))
    head = b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>' + bytes(junk[:40])
    return (
        head + b"</title></head>\n<body><main><article><p>" + junk + b"</p></article></main></body></html>\n"
    )


def pdf_bytes(rng: random.Random, title: str) -> bytes:
    """A small PDF file: header, catalogue objects, a compressed-looking binary stream, trailer."""
    stream = rng.randbytes(rng.randint(4000, 12000))
    return b"".join(
        [
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
            b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
            b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n",
            b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n"
            % (len(stream), stream),
            b"5 0 obj\n<< /Title (" + title.encode("ascii", "ignore")[:60] + b") >>\nendobj\n",
            b"xref\n0 6\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n0\n%%EOF\n",
        ]
    )


def jpeg_bytes(rng: random.Random) -> bytes:
    """JFIF header, quantisation-table-like bytes and random scan data, ending with EOI."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
    dqt = b"\xff\xdb\x00\x43\x00" + bytes(rng.randint(1, 64) for _ in range(64))
    sof = b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    sos = b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    return (
        header
        + dqt
        + sof
        + sos
        + rng.randbytes(rng.randint(8000, 30000)).replace(b"\xff", b"\xff\x00")
        + b"\xff\xd9"
    )
