"""Page layouts (Jinja2 templates) and sites (data/sites.yaml) fit the genres that use them."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from devkit.sample.build import CONTENT_GENRES
from devkit.sample.grammar import data
from devkit.sample.pages import render_page
from devkit.sample.sites import SitePool
from devkit.sample.text import Block, Doc

HOSTILE = '<script>alert("x")</script> & </p>'


def test_generated_text_is_escaped_in_every_layout() -> None:
    pool = SitePool(random.Random(0))
    for layout in sorted({site.layout for site in pool.sites}):
        site = next(s for s in pool.sites if s.layout == layout)
        blocks = [Block("h1", HOSTILE), Block("meta", HOSTILE), Block("p", HOSTILE), Block("li", HOSTILE)]
        doc = Doc(HOSTILE, blocks, "news", "local_news", extra={"book": HOSTILE, "author": HOSTILE})
        when = datetime(2023, 5, 1, tzinfo=UTC)
        html = render_page(site, f"https://{site.host}/r/x/a", doc, when, random.Random(1), related=[HOSTILE])
        assert "<script>alert" not in html, layout
        assert "&lt;script&gt;alert" in html, layout


def test_every_genre_has_a_site_and_every_site_genre_exists() -> None:
    pool = SitePool(random.Random(0))
    genres = data()["genres"]
    published = {g for site in pool.sites for g in site.genres} - {"broken"}
    assert published <= set(genres)
    wanted = {g for g, spec in genres.items() if "domain" in spec} | set(CONTENT_GENRES.values())
    for genre in wanted:
        langs = ["de", "fr", "es", "ru"] if genre == "foreign_news" else ["en"]
        for lang in langs:
            site = pool.pick(genre, lang)
            assert site.domain == genres[genre].get("domain", site.domain), (genre, site.host)
