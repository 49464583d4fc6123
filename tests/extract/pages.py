"""Hand-written pages for the extraction tests: an article among the furniture real pages carry."""

from __future__ import annotations

ARTICLE_PARAGRAPHS = (
    "The river authority confirmed on Tuesday that the old weir above the mill will be rebuilt "
    "next spring, after two winters of flooding damaged the stone apron beyond repair.",
    "Engineers surveyed the channel in March and found that the sluice gates had silted up, so "
    "water backed into the meadows whenever the upstream gauge rose above two metres.",
    "Local farmers, who lost most of their hay to the floods, welcomed the decision but asked "
    "the authority to publish the construction timetable before the grazing season begins.",
    "The new design keeps the historic masonry face while adding a fish pass on the eastern "
    "bank, which the regional wildlife trust has requested since the weir was first listed.",
)

NAV_TEXT = ("Home", "World News", "Sport Results", "Weather Forecast", "Contact Us")
FOOTER_TEXT = "Copyright 2024 Valley Gazette Media Group. All rights reserved."
COOKIE_TEXT = "We use cookies to improve your experience. Accept all cookies or manage your settings."
AD_TEXT = "Sponsored: Buy discount garden furniture today with free next-day delivery!"
RELATED_TEXT = ("Ten walks along the canal towpath", "Council approves new bridge budget")


def article_page() -> str:
    nav = "".join(f'<li><a href="/{i}">{t}</a></li>' for i, t in enumerate(NAV_TEXT))
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE_PARAGRAPHS)
    related = "".join(f'<li><a href="/r{i}">{t}</a></li>' for i, t in enumerate(RELATED_TEXT))
    return f"""<!DOCTYPE html>
<html><head><title>Weir to be rebuilt next spring | Valley Gazette</title>
<script>var tracking = "do not extract this script";</script>
<style>.nav {{ color: red }}</style></head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>{COOKIE_TEXT}</p><button>Accept</button></div>
<header class="site-header"><nav class="main-nav"><ul>{nav}</ul></nav></header>
<main>
<article>
<h1>Weir to be rebuilt next spring</h1>
<div class="byline">By A. Reporter, 12 March 2024</div>
{paragraphs}
</article>
<aside class="sidebar"><div class="ad-slot advert"><p>{AD_TEXT}</p></div>
<div class="related-stories"><h3>Related stories</h3><ul>{related}</ul></div></aside>
</main>
<footer class="site-footer"><p>{FOOTER_TEXT}</p><ul><li><a href="/privacy">Privacy policy</a></li></ul></footer>
</body></html>"""


def deeply_nested_page(depth: int = 3000) -> str:
    """resiliparse's main-content pass is quadratic in nesting depth (about 1 s at this depth on
    one core, minutes at 50,000): the pathological page a per-page limit exists for."""
    return "<html><body>" + "<div><span>a" * depth + "</span></div>" * depth + "</body></html>"


def div_soup_page() -> str:
    """The same article without semantic tags or tell-tale classes: the furniture must be found
    by main-content heuristics and the boilerplate-line pass, not by tag names."""
    nav = " | ".join(f'<a href="/{i}">{t}</a>' for i, t in enumerate(NAV_TEXT))
    paragraphs = "".join(f'<div class="txt">{p}</div>' for p in ARTICLE_PARAGRAPHS)
    related = "<br>".join(f'<a href="/r{i}">{t}</a>' for i, t in enumerate(RELATED_TEXT))
    return f"""<html><head><title>Weir to be rebuilt next spring</title></head><body>
<div class="cc-window"><span>{COOKIE_TEXT}</span> <a href="#">OK</a></div>
<div class="top">{nav}</div>
<div class="wrap"><div class="col1">{paragraphs}</div>
<div class="col2"><div class="box">{AD_TEXT}</div><div class="box">{related}</div></div></div>
<div id="bottom">{FOOTER_TEXT} <a href="/privacy">Privacy policy</a></div>
</body></html>"""
