"""Every registered extractor keeps the article and drops the furniture, and survives bad HTML."""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from common.config import load_config, parse_config
from common.errors import ConfigError
from corpus.config import CleanConfig
from corpus.extract import EXTRACTORS, InProcessExtractor, make_extractor, normalise_text
from corpus.extract.extractors import DEFAULT_EXTRACTOR, get_extractor, needs_fallback
from tests.extract.pages import (
    AD_TEXT,
    ARTICLE_PARAGRAPHS,
    COOKIE_TEXT,
    FOOTER_TEXT,
    NAV_TEXT,
    RELATED_TEXT,
    article_page,
    div_soup_page,
)

FURNITURE = (COOKIE_TEXT, AD_TEXT, FOOTER_TEXT, *RELATED_TEXT)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_normalised_layout(text: str) -> None:
    """The layout `normalise_text` returns: stripped, lines without trailing spaces, no blank-line
    runs, no control characters. (Not "normalising again changes nothing": it is not idempotent.)"""
    assert text == text.strip()
    assert "\n\n\n" not in text and "\r" not in text and "\t" not in text
    assert not CONTROL.search(text), repr(CONTROL.search(text))
    assert all(line == line.rstrip() for line in text.split("\n"))


def assert_article_only(text: str) -> None:
    lines = text.split("\n")
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in lines, f"article paragraph missing: {paragraph[:40]}..."
    for junk in FURNITURE:
        assert junk not in text, f"furniture kept: {junk}"
    for item in NAV_TEXT:
        assert item not in lines, f"navigation kept: {item}"
    assert "do not extract this script" not in text


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
def test_article_is_kept_and_nav_footer_ads_cookie_banner_dropped(name):
    assert_article_only(get_extractor(name)(article_page()))


@pytest.mark.parametrize("name", ["resiliparse_tuned", "hybrid"])
def test_furniture_without_semantic_tags_is_dropped_by_the_line_pass(name):
    text = get_extractor(name)(div_soup_page())
    assert_article_only(text)
    assert "Home | World News" not in text


def test_default_extractor_through_its_child_process_keeps_only_the_article():
    config = parse_config({}, CleanConfig).extraction
    assert config.extractor == DEFAULT_EXTRACTOR
    extractor = make_extractor(config)
    try:
        text = extractor.extract(article_page())
        assert text == InProcessExtractor(DEFAULT_EXTRACTOR).extract(article_page())
        assert_article_only(text)
    finally:
        extractor.close()


BROKEN_PAGES = {
    "empty": "",
    "whitespace": "  \n\t ",
    "plain text": "no markup at all, just a sentence.",
    "unclosed tags": "<html><body><div><p>Unclosed <b>bold <i>italic <table><tr><td>cell",
    "garbage bytes": (b"\xff\xfe\x00<p>\x80\x81 broken \xc3(</p>" * 50).decode("utf-8", "replace"),
    "nul and controls": "<p>a\x00b\x01c\x1b</p>",
    "unclosed comment": "<html><body><p>before</p><!-- never closed <p>after</p>",
    "unclosed script": "<html><body><script>var x = '<p>not text</p>';",
    "lone surrogate": "<html><body><p>a\ud800b and more words in this sentence.</p></body></html>",
    "binary-ish": "".join(chr(c) for c in range(1, 2000)),
}


@pytest.mark.parametrize("name", sorted(EXTRACTORS))
@pytest.mark.parametrize("page", sorted(BROKEN_PAGES))
def test_broken_html_does_not_crash(name, page):
    text = get_extractor(name)(BROKEN_PAGES[page])
    assert isinstance(text, str)
    assert_normalised_layout(text)


def test_empty_page_gives_empty_text():
    for name in EXTRACTORS:
        assert get_extractor(name)("<html><body></body></html>") == ""


def test_output_is_one_block_per_line_with_whitespace_normalised():
    html = (
        "<body><article><p>First   para\u00a0with\tspaces.</p>\n\n\n<p>  Second para.  </p></article></body>"
    )
    assert normalise_text("  a \u00a0 b \n\n\n c\t\td \n") == "a b\nc d"
    text = get_extractor("resiliparse")(html)
    assert text == "First para with spaces.\nSecond para."


def test_hybrid_falls_back_on_menus_and_near_empty_results_only():
    article = "\n".join(ARTICLE_PARAGRAPHS)
    assert not needs_fallback(article)
    assert needs_fallback("")
    assert needs_fallback("Only a few words here.")
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Contact"] * 5 + [article])
    assert needs_fallback(menu)
    assert needs_fallback("\n".join([ARTICLE_PARAGRAPHS[0]] * 61))


def test_unknown_extractor_fails_at_config_load_naming_the_key(tmp_path):
    path = tmp_path / "clean.yaml"
    path.write_text("extraction:\n  extractor: boilerpipe\n  timeout_s: 1.0\n")
    with pytest.raises(ConfigError) as err:
        load_config(path, CleanConfig)
    message = str(err.value)
    assert "extraction.extractor" in message
    assert "boilerpipe" in message and "hybrid" in message


def test_every_registered_extractor_is_a_valid_config_value():
    for name in EXTRACTORS:
        assert parse_config({"extraction": {"extractor": name}}, CleanConfig).extraction.extractor == name


# --- the one normaliser ---------------------------------------------------------------------------


def _layout_pass_before(text: str | None) -> str:
    """corpus/extract/extractors.py's normalise_text before the two passes became one."""
    if not text:
        return ""
    lines = (re.sub(r"[^\S\n]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _cleanup_before(text: str) -> str:
    """corpus/decode.py's normalize_text, which the cleaner applied to every extractor's output."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


# Pieces that exercise every branch: NBSP and other Unicode spaces, tabs, CRLF and lone CR, the
# line breaks only str.splitlines knows, C0/C1 controls (alone, between spaces, at line starts),
# blank-line runs, trailing spaces, decomposed letters, Hangul jamo and NFC singletons.
_PIECES = (
    *("word", "Wörd", ".", "é", "x"),
    *(" ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\u2000", "\u202f"),
    *("\n", "\r\n", "\r", "\n\n\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"),
    *("\x00", "\x01", "\x08", "\x0e", "\x1b", "\x1f", "\x7f", "\x80", "\x9f"),
    *("e\u0301", "\u0301", "A\u030a", "\u1100\u1161", "\u212b", "\u037e", "\ufb01"),
)


def test_normalise_text_gives_exactly_what_the_layout_pass_and_the_cleaners_cleanup_gave():
    rng = random.Random(14)
    texts = [
        None,
        "",
        "Cafe\u0301\x00 bar\x1b\r\n\n\n\nnext   \n",
        "  a \u00a0 b \n\n\n c\t\td \n",
        "a \x01 b",
        "\x01 leading\nsecond\n\x02\n\x03\nthird  \x04",
        "line\x85next\u2028third\r\nfourth\rfifth",
        *("".join(rng.choices(_PIECES, k=rng.randrange(1, 40))) for _ in range(5000)),
    ]
    for text in texts:
        assert normalise_text(text) == _cleanup_before(_layout_pass_before(text)), repr(text)


def test_normalise_text_applies_nfc_and_removes_control_characters_after_collapsing_spaces():
    assert normalise_text("Cafe\u0301\x00 bar\x1b\r\n\n\n\nnext   \n") == "Café bar\nnext"
    assert normalise_text("first\n\x01\n\x02\nsecond") == "first\n\nsecond"  # one blank line left
    assert normalise_text("a \x01 b") == "a  b"  # spaces were collapsed before the control went
