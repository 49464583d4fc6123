"""lid.176 through the project's language filter: good pages English, the others theirs."""

from __future__ import annotations

import pytest

from corpus.filters.language import LanguageFilter, identify, load_lid_model
from corpus.text import TextView
from formats.documents import Document


@pytest.fixture(scope="module")
def language_filter(clean_config) -> LanguageFilter:
    (spec,) = [f for f in clean_config.filters if f.name == "language"]
    flt = LanguageFilter(spec)
    flt.setup()
    return flt


def _verdict(flt: LanguageFilter, text: str) -> tuple[str | None, dict[str, float]]:
    doc = Document(id="x", url="", domain="web", text=text)
    scores = flt.score(doc, TextView(text))
    return flt.verdict(scores), scores


def test_good_pages_are_english_above_the_threshold(default_sample, extracted, language_filter) -> None:
    for t in default_sample.of_kind("good", "latin1", "exact_dup", "near_dup", "spam", "bad_words", "toxic"):
        for text in (t.text, extracted[t.record_id]):
            verdict, scores = _verdict(language_filter, text)
            assert verdict is None, (t.kind, t.url, scores)
            assert scores.get("en", 0.0) > 0.65


def test_other_language_pages_are_confidently_their_own_language(
    default_sample, extracted, language_filter
) -> None:
    model = load_lid_model()
    for t in default_sample.of_kind("other_lang"):
        for text in (t.text, extracted[t.record_id]):
            lang, score = identify(model, text)[0]
            assert lang == t.lang and score > 0.65, (t.url, lang, score)
            assert _verdict(language_filter, text)[0] == "language"
