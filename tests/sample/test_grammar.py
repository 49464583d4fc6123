"""The template engine, English inflection and the slots of a document's writer."""

from __future__ import annotations

import random

import pytest

from devkit.sample.grammar import (
    Deck,
    PatternError,
    data,
    expand,
    finish_sentence,
    gerund,
    indefinite,
    lines,
    load_data,
    participle,
    past,
    plural,
    third_person,
    words,
)
from devkit.sample.text import BLOCK_TAGS, Writer, topics


def test_alternatives_options_and_slots_expand() -> None:
    rng = random.Random(1)
    seen = {expand("(red|green|blue) [big ]{n}", rng, lambda name: name.upper()) for _ in range(200)}
    assert seen == {f"{c} {b}N" for c in ("red", "green", "blue") for b in ("", "big ")}


def test_nested_alternatives_expand() -> None:
    rng = random.Random(2)
    seen = {expand("a (b|c (d|e))", rng, str) for _ in range(200)}
    assert seen == {"a b", "a c d", "a c e"}


@pytest.mark.parametrize("bad", ["(a|b", "a)b", "[x", "{slot", "a]"])
def test_malformed_templates_are_errors_quoting_the_template(bad: str) -> None:
    with pytest.raises(PatternError, match="template"):
        expand(bad, random.Random(0), str)


def test_unknown_slots_surface_as_key_errors() -> None:
    def slot(name: str) -> str:
        raise KeyError(name)

    with pytest.raises(KeyError):
        expand("{nope}", random.Random(0), slot)


def test_finish_sentence_fixes_articles_spacing_and_capitals() -> None:
    assert finish_sentence("a apple and a  hour , an  car") == "An apple and an hour, a car"
    assert finish_sentence("“a old map,” she said .") == "“An old map,” she said."
    assert finish_sentence("we 've a  user") == "We've a user"
    assert indefinite("university") == "a" and indefinite("umbrella") == "an"


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("city", "cities"),
        ("bus", "buses"),
        ("leaf", "leaves"),
        ("chairman", "chairmen"),
        ("day", "days"),
        ("bus shelter", "bus shelters"),
    ],
)
def test_plural(noun: str, expected: str) -> None:
    assert plural(noun) == expected


@pytest.mark.parametrize(
    ("verb", "forms"),
    [
        ("stop", ("stopped", "stopped", "stops", "stopping")),
        ("build", ("built", "built", "builds", "building")),
        ("carry", ("carried", "carried", "carries", "carrying")),
        ("make", ("made", "made", "makes", "making")),
        ("set up", ("set up", "set up", "sets up", "setting up")),
        ("cancel", ("cancelled", "cancelled", "cancels", "cancelling")),
    ],
)
def test_verb_inflection(verb: str, forms: tuple[str, str, str, str]) -> None:
    assert (past(verb), participle(verb), third_person(verb), gerund(verb)) == forms


def test_deck_uses_every_template_before_repeating_one() -> None:
    deck = Deck(random.Random(3), ["a", "b", "c", "d"])
    first, second = [deck.draw() for _ in range(4)], [deck.draw() for _ in range(4)]
    assert sorted(first) == sorted(second) == ["a", "b", "c", "d"]


def test_deck_moves_to_its_fallback_before_repeating() -> None:
    general = Deck(random.Random(4), ["x", "y"])
    deck = Deck(random.Random(5), ["a", "b"], fallback=general)
    drawn = [deck.draw() for _ in range(6)]
    assert sorted(drawn[:4]) == ["a", "b", "x", "y"]
    assert sorted(drawn[4:]) == ["a", "b"]


# ----------------------------------------------------------------------------------------------
# The slots a document's writer fills (devkit.sample.text.Writer)


def _writer(seed: int = 0, topic: str | None = "cooking", group: str = "web") -> Writer:
    return Writer(random.Random(seed), next(t for t in topics(group) if t.name == topic) if topic else None)


def test_a_number_slot_draws_within_its_range() -> None:
    w = _writer()
    assert {int(w.fill("{3-5}")) for _ in range(200)} == {3, 4, 5}


def test_modifiers_inflect_the_word_a_slot_draws() -> None:
    w = _writer()
    w.memo.update(noun="loaf", verb="set up")
    assert (
        w.fill("{noun:pl}, {verb:ed}, {verb:ing}, {verb:3s}, {noun:title}")
        == "loaves, set up, setting up, sets up, Loaf"
    )


def test_fixed_slots_stay_put_within_a_document_and_vary_across_documents() -> None:
    assert "subj" in data()["fixed"]
    subjects = set()
    for seed in range(20):
        w = _writer(seed)
        first = w.fill("{subj}")
        assert all(w.fill("{subj}") == first for _ in range(5))
        subjects.add(first)
    assert len(subjects) > 3


def test_a_deck_slot_says_that_many_sentences_without_repeating_one() -> None:
    w = _writer()
    sentences = [w.fill("{@general*3-3}") for _ in range(5)]
    assert all(s[:1].isupper() and s.endswith((".", "?", "!")) for s in sentences)
    lines_ = lines(data()["templates"]["general"])
    drawn = [w.fill("{@general}") for _ in range(len(lines_) - 15)]
    assert len(set(drawn)) == len(drawn), "no template twice before all are used"


def test_a_topic_slot_overrides_the_common_one() -> None:
    german = _writer(topic="de", group="foreign")
    assert german.fill("{month}") in words(data()["topics"]["foreign"]["de"]["month"])
    assert _writer().fill("{month}") in words(data()["lexicons"]["month"])


def test_an_unknown_slot_is_an_error_naming_the_topic() -> None:
    with pytest.raises(KeyError, match=r"\{nope\}.*'cooking'"):
        _writer().fill("{nope}")


def test_an_ordered_deck_deals_its_items_once_then_only_its_fallback() -> None:
    w = _writer(topic="settlement", group="encyclopedia")
    headings = [w.fill("{@sections}") for _ in range(12)]
    sections = list(lines(data()["topics"]["encyclopedia"]["settlement"]["templates"]["sections"]))
    assert headings[: len(sections)] == sections
    assert not set(headings[len(sections) :]) & set(sections)


def test_every_genre_block_names_one_tag() -> None:
    for name, spec in data()["genres"].items():
        for step in [*spec.get("open", []), *spec.get("section", []), *spec.get("close", [])]:
            assert len([k for k in step if k in BLOCK_TAGS]) == 1, (name, step)


def test_a_name_defined_in_two_data_files_is_an_error_naming_both(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("lexicons:\n  colour: red\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("lexicons:\n  colour: blue\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lexicons\.colour is defined in a\.yaml and b\.yaml"):
        load_data(tmp_path)
    (tmp_path / "b.yaml").write_text("lexicon:\n  colour: blue\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"b\.yaml: unknown section 'lexicon'"):
        load_data(tmp_path)
