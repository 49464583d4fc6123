"""Main texts of the sample's pages: blocks of prose generated from templates and lexicons.

A generated page body is a list of `Block` s (headings, paragraphs, list items, code); the HTML
layouts in `pages` render the blocks and `Doc.text` renders them as the plain text the ground
truth records, so the two always agree. `Writer` fills template slots for one document: its topic,
its cast of people and places stay fixed while sentences vary, which makes a page read as being
about something without repeating itself.

The genre generators live in `web`, `reference`, `technical` and `threads`; `english_doc` picks
one for a domain.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from devkit.sample import vocab
from devkit.sample.grammar import (
    Deck,
    expand,
    finish_sentence,
    gerund,
    participle,
    past,
    pick,
    plural,
    third_person,
)

BLOCK_TAGS = ("h1", "h2", "h3", "p", "li", "pre", "quote", "meta")


@dataclass(slots=True)
class Block:
    """One element of a page's main content.

    ``tag`` is one of `BLOCK_TAGS`: ``li`` items that follow each other form one list, ``pre`` is
    code (lines kept as they are), ``meta`` a byline or post header that extractors keep.
    """

    tag: str
    text: str

    def __post_init__(self) -> None:
        if self.tag not in BLOCK_TAGS:
            raise ValueError(f"unknown block tag {self.tag!r}")


@dataclass(slots=True)
class Doc:
    """A generated main text with what the page templates need to present it."""

    title: str
    blocks: list[Block]
    genre: str
    topic: str
    lang: str = "en"
    byline: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The plain main text: blocks separated by blank lines, list items by single newlines."""
        parts: list[str] = []
        prev = ""
        for block in self.blocks:
            if block.tag == "li" and prev == "li":
                parts[-1] += "\n" + block.text
            else:
                parts.append(block.text)
            prev = block.tag
        return "\n\n".join(parts)

    def n_words(self) -> int:
        return len(self.text.split())


# ----------------------------------------------------------------------------------------------
# Filling slots


def _number_word(n: int) -> str:
    names = "zero one two three four five six seven eight nine ten eleven twelve".split()
    return names[n] if 0 <= n < len(names) else str(n)


def _span(rng: random.Random, lo: int, hi: int) -> str:
    """'1774 and 1801': ordered years for "between ... and ..." sentences."""
    a = rng.randint(lo, hi - 2)
    return f"{a} and {rng.randint(a + 1, min(hi, a + 40))}"


def make_town(rng: random.Random) -> str:
    """A fictional place name ("Ashford", "Wexmere"); fictional so no page makes claims about a real town."""
    return pick(rng, vocab.TOWN_HEADS) + pick(rng, vocab.TOWN_TAILS)


def make_person(rng: random.Random) -> str:
    return f"{pick(rng, vocab.FIRST_NAMES)} {pick(rng, vocab.SURNAMES)}"


def make_handle(rng: random.Random) -> str:
    a, b = pick(rng, vocab.HANDLE_PARTS), pick(rng, vocab.HANDLE_PARTS)
    style = rng.randrange(4)
    if style == 0:
        return f"{a}_{b}{rng.randrange(10, 99)}"
    if style == 1:
        return f"{a.capitalize()}{b.capitalize()}"
    if style == 2:
        return f"{a}{b}_{rng.randrange(1970, 2010)}"
    return f"{pick(rng, vocab.FIRST_NAMES).lower()}_{a}"


class Writer:
    """Expands templates for one document: the topic, cast and places stay put, words vary."""

    def __init__(self, rng: random.Random, topic: vocab.Topic, *, n_people: int = 4) -> None:
        self.rng = rng
        self.topic = topic
        self.people = [make_person(rng) for _ in range(n_people)]
        self.towns = [make_town(rng) for _ in range(3)]
        self.subject = pick(rng, topic.subjects)
        self.extra_slots: dict[str, Callable[[], str]] = {}
        self._slots: dict[str, Callable[[], str]] = self._make_slots()

    # -- slot table -----------------------------------------------------------------------------
    def _make_slots(self) -> dict[str, Callable[[], str]]:
        rng, t = self.rng, self.topic

        def p(seq: Sequence[str]) -> Callable[[], str]:
            return lambda: pick(rng, seq)

        return {
            "n": p(t.nouns),
            "ns": lambda: plural(pick(rng, t.nouns)),
            "adj": p(t.adjs),
            "v": p(t.verbs),
            "vd": lambda: past(pick(rng, t.verbs)),
            "vn": lambda: participle(pick(rng, t.verbs)),
            "vs": lambda: third_person(pick(rng, t.verbs)),
            "ving": lambda: gerund(pick(rng, t.verbs)),
            "place": p(t.places),
            "role": p(t.roles),
            "roles": lambda: plural(pick(rng, t.roles)),
            "subj": lambda: self.subject,
            "gn": p(vocab.ABSTRACT_NOUNS),
            "gns": lambda: plural(pick(rng, vocab.ABSTRACT_NOUNS)),
            "gadj": p(vocab.GENERAL_ADJS),
            "adv": p(vocab.ADVERBS),
            "gv": p(vocab.GENERAL_VERBS),
            "gvd": lambda: past(pick(rng, vocab.GENERAL_VERBS)),
            "gving": lambda: gerund(pick(rng, vocab.GENERAL_VERBS)),
            "time": p(vocab.TIME_PHRASES),
            "person": lambda: pick(rng, self.people),
            "first": lambda: pick(rng, self.people).split()[0],
            "sur": lambda: pick(rng, self.people).split()[-1],
            "town": lambda: pick(rng, self.towns),
            "newtown": lambda: make_town(rng),
            "region": p(vocab.REGIONS),
            "country": p(vocab.COUNTRIES),
            "weekday": p(vocab.WEEKDAYS),
            "month": p(vocab.MONTHS),
            "colour": p(vocab.COLOURS),
            "year": lambda: str(rng.randint(1995, 2023)),
            "span": lambda: _span(rng, 1990, 2023),
            "oldspan": lambda: _span(rng, 1620, 1935),
            "oldyear": lambda: str(rng.randint(1620, 1935)),
            "decade": lambda: f"{rng.randint(183, 199)}0s",
            "day": lambda: str(rng.randint(1, 28)),
            "num": lambda: _number_word(rng.randint(2, 12)),
            "digit": lambda: str(rng.randint(2, 60)),
            "big": lambda: f"{rng.randint(2, 95) * 100 + rng.randint(0, 9) * 10:,}",
            "pct": lambda: f"{rng.randint(3, 85)} per cent",
            "money": lambda: f"£{rng.randint(2, 950) * 10:,}",
            "price": lambda: f"£{rng.randint(3, 499)}.{rng.choice(('00', '50', '99', '95'))}",
            "hours": lambda: _number_word(rng.randint(2, 9)),
        }

    def slot(self, name: str) -> str:
        fn = self.extra_slots.get(name) or self._slots.get(name)
        if fn is None:
            raise KeyError(f"template slot {{{name}}} is not defined for topic {self.topic.name!r}")
        return fn()

    # -- expansion ------------------------------------------------------------------------------
    def say(self, pattern: str) -> str:
        """One finished sentence (or phrase) from a template."""
        return finish_sentence(expand(pattern, self.rng, self.slot))

    def phrase(self, pattern: str) -> str:
        """Expanded without sentence finishing (titles, list items keep their own case)."""
        return finish_sentence(expand(pattern, self.rng, self.slot), capitalise=False)

    def paragraph(self, deck: Deck, lo: int = 3, hi: int = 5, lead: Deck | None = None) -> str:
        """``lo``..``hi`` sentences; the first may come from a ``lead`` deck (topic sentences)."""
        n = self.rng.randint(lo, hi)
        out = []
        if lead is not None:
            out.append(self.say(lead.draw()))
            n -= 1
        out.extend(self.say(deck.draw()) for _ in range(n))
        return " ".join(out)


def title_case(text: str) -> str:
    small = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from"}
    out = []
    for i, w in enumerate(text.split()):
        out.append(w if (i and w.lower() in small) or w[:1].isupper() else w[:1].upper() + w[1:])
    return " ".join(out)


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


MIN_PARAGRAPHS = 6
"""C4 (TFDS) drops pages with fewer than five valid lines (ending in terminal punctuation, five
words or more), so a good page has at least this many such paragraphs, with one to spare."""


def _c4_valid(block: Block) -> bool:
    text = block.text.rstrip()
    return block.tag == "p" and text.endswith((".", "!", "?", '"', "\u201d")) and len(text.split()) >= 5


def fill_to(words_wanted: int, make: Callable[[], list[Block]], blocks: list[Block]) -> list[Block]:
    """Append sections from ``make`` until the text has ``words_wanted`` words and enough paragraphs."""
    n = sum(len(b.text.split()) for b in blocks)
    paragraphs = sum(map(_c4_valid, blocks))
    guard = 0
    while (n < words_wanted or paragraphs < MIN_PARAGRAPHS) and guard < 200:
        new = make()
        blocks.extend(new)
        n += sum(len(b.text.split()) for b in new)
        paragraphs += sum(map(_c4_valid, new))
        guard += 1
    return blocks


GenreFn = Callable[[random.Random, int], Doc]

GENRES: dict[str, GenreFn] = {}
"""Genre name -> generator(rng, target_words); filled by the genre modules below."""

GENRE_WORDS: dict[str, tuple[int, int]] = {}
"""Genre name -> (min, max) words of a page: what real pages of the genre run to, and what its
template pools can fill without a page repeating itself."""

DOMAIN_GENRES: dict[str, tuple[str, ...]] = {}
"""Domain -> genres whose pages belong to it (a page's URL decides the domain)."""


def register_genre(
    name: str, domain: str, words: tuple[int, int] = (220, 1400)
) -> Callable[[GenreFn], GenreFn]:
    def deco(fn: GenreFn) -> GenreFn:
        if name in GENRES:
            raise ValueError(f"genre {name!r} registered twice")
        GENRES[name] = fn
        GENRE_WORDS[name] = words
        DOMAIN_GENRES[domain] = (*DOMAIN_GENRES.get(domain, ()), name)
        return fn

    return deco


def genres_of(domain: str) -> tuple[str, ...]:
    _load_genres()
    return DOMAIN_GENRES[domain]


def target_words(rng: random.Random, genre: str) -> int:
    """A page length for ``genre``, skewed to shorter pages as on the web."""
    _load_genres()
    lo, hi = GENRE_WORDS[genre]
    return int(lo + (hi - lo) * rng.random() ** 1.6)


def english_doc(rng: random.Random, genre: str, target_words: int) -> Doc:
    """Generate one English main text of about ``target_words`` words in ``genre``."""
    _load_genres()
    try:
        fn = GENRES[genre]
    except KeyError:
        raise KeyError(f"unknown genre {genre!r}; known: {', '.join(sorted(GENRES))}") from None
    doc = fn(rng, target_words)
    doc.genre = genre
    return doc


def _load_genres() -> None:
    # The genre modules register themselves; imported lazily so they can import this module.
    from devkit.sample import reference, technical, threads, web  # noqa: F401
