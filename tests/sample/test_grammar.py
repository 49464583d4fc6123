"""The template engine and English inflection the generators are built on."""

from __future__ import annotations

import random

import pytest

from devkit.sample.grammar import (
    Deck,
    PatternError,
    expand,
    finish_sentence,
    gerund,
    indefinite,
    participle,
    past,
    plural,
    third_person,
)


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
