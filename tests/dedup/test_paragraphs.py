"""Paragraph dedup's primitives: keys, who keeps a repeated paragraph, removal, scoring again."""

from __future__ import annotations

from typing import Literal

import pytest

from common.config import ConfigError, parse_config
from corpus.cleaner import score_and_decide
from corpus.config import CleanConfig
from corpus.dedup import paragraphs as para
from corpus.dedup.paragraphs import ParagraphDedupConfig
from corpus.filters.base import Filter, FilterConfig
from corpus.filters.gopher import GopherQualityConfig, GopherQualityFilter
from formats.documents import DUPLICATE_PARAGRAPHS, Document

PROSE = (
    "The river rose over the weir on Tuesday and the council closed the towpath for the week. "
    "Engineers said the old stone wall had held, and that the repairs planned for the spring "
    "would go ahead as agreed with the residents of the lower town. The ferry keeps its "
    "timetable."
)  # 51 words


def _doc(doc_id: str, text: str, **kw) -> Document:
    return Document(id=doc_id, url=f"https://example.com/{doc_id}", domain="web", text=text, **kw)


def test_lines_that_differ_only_in_case_digits_punctuation_or_spaces_share_a_key():
    keys = para.paragraph_keys("Sign up NOW for our newsletter!\nsign up now for our  newsletter")
    assert len(keys) == 1
    assert para.paragraph_keys("Page 3 of 10") == para.paragraph_keys("page 7 of 12.")
    assert para.paragraph_keys("Sign up now") != para.paragraph_keys("Sign up later")


def test_keys_are_distinct_in_first_seen_order_and_blank_lines_are_no_paragraph():
    text = "b line\n\n  a line  \nB LINE\n   \n"
    assert para.paragraphs(text) == ["b line", "a line", "B LINE"]
    assert para.paragraph_keys(text) == [para.paragraph_keys("b line")[0], para.paragraph_keys("a line")[0]]


@pytest.mark.parametrize(
    ("keep_first", "expected"),
    [(True, (3, "a")), (False, (3, None))],
)
def test_the_lowest_id_keeps_a_repeated_paragraph_only_with_keep_first(keep_first, expected):
    config = ParagraphDedupConfig(keep_first=keep_first)
    assert para.holders(iter_twice(["c", "a", "b"]), config) == expected


def iter_twice(ids: list[str]):
    """Beam's grouped values: re-iterable, not a list the code could index."""

    class Values:
        def __iter__(self):
            return iter(ids)

    return Values()


def test_a_paragraph_is_repeated_only_above_max_documents():
    one, three = ParagraphDedupConfig(), ParagraphDedupConfig(max_documents=3)
    assert not para.repeated(1, one) and para.repeated(2, one)
    assert not para.repeated(3, three) and para.repeated(4, three)


def test_removal_takes_every_copy_and_keeps_the_order_of_the_rest():
    text = "Intro line here.\nShare this\nMiddle line.\nSHARE THIS!\nEnd."
    removal = para.remove_paragraphs(text, set(para.paragraph_keys("share this")))
    assert removal.text == "Intro line here.\nMiddle line.\nEnd."
    assert (removal.paragraphs, removal.removed) == (5, 2)
    assert removal.chars == len(text) - 4  # the four line breaks are not paragraph characters
    assert removal.removed_chars == len("Share this") + len("SHARE THIS!")
    assert removal.examples == [(para.paragraph_keys("share this")[0], "Share this")]


def test_nothing_to_remove_leaves_the_text_as_it_was():
    text = "One.\nTwo."
    removal = para.remove_paragraphs(text, set())
    assert removal.text is text and removal.removed == 0 and removal.paragraphs == 2


def _gopher_chain() -> list[Filter]:
    flt = GopherQualityFilter(GopherQualityConfig())
    flt.setup()
    return [flt]


def _rescore(filters):
    return lambda doc: score_and_decide(doc, filters, score_all=True)


def test_a_document_that_keeps_enough_is_scored_again_on_what_is_left():
    filters = _gopher_chain()
    boiler = "Subscribe to our newsletter for more stories like this one"
    doc = _doc("a", f"{PROSE}\n{boiler}", scores={"gopher_quality.word_count": 60.0})
    out, removal = para.apply(doc, set(para.paragraph_keys(boiler)), _rescore(filters))
    assert out.kept and out.text == PROSE
    fresh = _doc("x", PROSE)
    score_and_decide(fresh, filters, score_all=True)
    assert out.scores == {
        **fresh.scores,
        "paragraph_dedup.removed": 1.0,
        "paragraph_dedup.removed_chars_frac": len(boiler) / (len(PROSE) + len(boiler)),
    }
    assert doc.text == f"{PROSE}\n{boiler}" and doc.scores == {"gopher_quality.word_count": 60.0}
    assert removal.removed == 1


def test_a_document_left_too_short_is_dropped_with_its_own_reason_naming_the_rule():
    boiler = "Subscribe to our newsletter for more stories like this one"
    short = "The towpath reopens on Monday."
    doc = _doc("a", f"{short}\n{boiler}")
    out, _ = para.apply(doc, set(para.paragraph_keys(boiler)), _rescore(_gopher_chain()))
    assert out.drop_reason == DUPLICATE_PARAGRAPHS
    assert out.drop_detail.startswith(
        "gopher_quality.word_count (5 < 50) after paragraph dedup: removed 1 of 2"
    )
    assert out.text == short


def test_a_document_left_without_text_is_dropped_without_scoring():
    calls = []
    doc = _doc("a", "Share this\nShare this!", scores={"gopher_quality.word_count": 4.0})
    out, _ = para.apply(doc, set(para.paragraph_keys("share this")), calls.append)
    assert calls == []
    assert out.drop_reason == DUPLICATE_PARAGRAPHS and out.drop_detail.startswith("no text left")
    assert out.scores["paragraph_dedup.removed"] == 2.0


class _BrokenConfig(FilterConfig):
    name: Literal["broken"] = "broken"


class _Broken(Filter[_BrokenConfig]):
    """Not registered: a filter that raises on every document."""

    name = "broken"
    Config = _BrokenConfig

    def score(self, doc, view):
        raise RuntimeError("model file vanished")


def test_a_filter_that_raises_while_scoring_again_keeps_its_error_reason():
    doc = _doc("a", f"{PROSE}\nShare this")
    out, _ = para.apply(doc, set(para.paragraph_keys("share this")), _rescore([_Broken(_BrokenConfig())]))
    assert out.drop_reason == "broken.error" and "model file vanished" in out.drop_detail


def test_dropped_documents_and_skipped_domains_take_no_part():
    config = ParagraphDedupConfig()
    assert para.applies(config, _doc("a", "x"))
    assert not para.applies(config, _doc("a", "x", drop_reason="language.language"))
    assert not para.applies(config, Document(id="a", url="", domain="code", text="}"))
    assert not para.applies(ParagraphDedupConfig(enabled=False), _doc("a", "x"))


def test_config_errors_name_the_key():
    with pytest.raises(ConfigError, match=r"dedup\.paragraphs\.skip_domains: .*unknown domain"):
        parse_config({"dedup": {"paragraphs": {"skip_domains": ["recipes"]}}}, CleanConfig)
    with pytest.raises(ConfigError, match=r"dedup\.paragraphs\.max_documents: .*greater than or equal to 1"):
        parse_config({"dedup": {"paragraphs": {"max_documents": 0}}}, CleanConfig)
    with pytest.raises(ConfigError, match=r"dedup\.paragraphs\.keep_firts"):
        parse_config({"dedup": {"paragraphs": {"keep_firts": True}}}, CleanConfig)
