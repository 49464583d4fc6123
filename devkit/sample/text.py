"""Main texts of the sample's pages, generated from the genres and topics in ``data/``.

A page body is a list of `Block` s (headings, paragraphs, list items, code, bylines); the page
templates render the blocks and `Doc.text` renders them as the plain text the ground truth
records, so the two always agree.

A genre (``genres:`` in the data files) names the topics a page can be about, its title and
byline, and its blocks: ``open`` once, then ``section`` until the page has its length (and enough
paragraphs for C4), then ``close``. A block is ``{tag: pattern}`` with optional ``chance`` (the
probability that it appears), ``repeat`` (``"lo-hi"`` copies) and ``case`` (``sentence``, the
default, ``title``, ``upper`` or ``none``); ``{k}`` in its pattern counts its copies. A genre
with ``variants`` is one of them, picked per page.

`Writer` fills a pattern's slots for one document, looking in turn at the document's fixed
values, its topic and the common data: its cast of people and towns and its fixed slots (the
subject, the product, the city; ``fixed:`` in the data) stay put while the words vary, which
makes a page read as being about something without repeating itself.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from string import Template
from typing import Any

from devkit.sample.grammar import (
    INFLECTIONS,
    Deck,
    between,
    data,
    expand,
    finish_sentence,
    lines,
    pick,
    plural,
    words,
)
from devkit.synthetic import jaccard

BLOCK_TAGS = ("h1", "h2", "p", "li", "pre", "meta")
MIN_PARAGRAPHS = 6
"""C4 (TFDS) drops pages with fewer than five valid lines (ending in terminal punctuation, five
words or more), so a page filled to length has at least this many such paragraphs, one to spare."""


@dataclass(slots=True)
class Block:
    """One element of a page's main content: ``li`` items that follow each other form one list,
    ``pre`` is code (lines kept as they are), ``meta`` a byline or post header extractors keep."""

    tag: str
    text: str

    def __post_init__(self) -> None:
        if self.tag not in BLOCK_TAGS:
            raise ValueError(f"unknown block tag {self.tag!r}")


@dataclass(slots=True)
class Part:
    """Blocks as a page shows them: one element, or one list of consecutive items."""

    tag: str
    texts: list[str]


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
    """The document's fixed slots (book, author, city, ...) and the ``date`` the planner sets."""
    style: str = "article"
    """``thread``: posts introduced by ``meta`` headers (forums, Reddit, abuse)."""

    @property
    def text(self) -> str:
        """The plain main text: blocks separated by blank lines, list items by single newlines."""
        return "\n\n".join("\n".join(part.texts) for part in self.parts)

    @property
    def parts(self) -> list[Part]:
        out: list[Part] = []
        for block in self.blocks:
            if block.tag == "li" and out and out[-1].tag == "li":
                out[-1].texts.append(block.text)
            else:
                out.append(Part(block.tag, [block.text]))
        return out

    @property
    def posts(self) -> list[tuple[str | None, list[Part]]]:
        """(header, parts) of each post of a thread; what precedes the first header has none."""
        posts: list[tuple[str | None, list[Part]]] = [(None, [])]
        for part in self.parts:
            if part.tag == "meta":
                posts.append((part.texts[0], []))
            else:
                posts[-1][1].append(part)
        return posts

    def n_words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Topic:
    """The vocabulary of one subject: lexicons and patterns by slot name, its own templates."""

    name: str
    lexicons: dict[str, tuple[str, ...]]
    patterns: dict[str, str]
    templates: dict[str, tuple[str, ...]]
    lang: str = "en"

    @classmethod
    def from_data(cls, name: str, entry: dict[str, Any]) -> Topic:
        templates = entry.get("templates", {})
        return cls(
            name,
            {k: words(v) for k, v in entry.items() if k not in ("templates", "patterns", "lang")},
            entry.get("patterns", {}),
            {k: lines(v) if isinstance(v, str) else tuple(v) for k, v in templates.items()},
            entry.get("lang", "en"),
        )


@cache
def topics(group: str) -> tuple[Topic, ...]:
    """The topics of one group (``web``, ``encyclopedia``, ``foreign``, ...) in data order."""
    try:
        return tuple(Topic.from_data(name, entry) for name, entry in data()["topics"][group].items())
    except KeyError:
        raise KeyError(f"no topic group {group!r}; known: {', '.join(data()['topics'])}") from None


@cache
def _common() -> Topic:
    d = data()
    return Topic.from_data("", {**d["lexicons"], "patterns": d["patterns"], "templates": d["templates"]})


_RANGE_RE = re.compile(r"(\d+)-(\d+)")


class Writer:
    """Expands patterns for one document: the topic, cast, places and fixed slots stay put."""

    def __init__(self, rng: random.Random, topic: Topic | None = None) -> None:
        self.rng = rng
        self.topic = topic
        self.memo: dict[str, str] = {}
        self.counts: Counter[int] = Counter()
        """Copies made of each block of the genre (by identity), for ``{k}``."""
        self._decks: dict[str, Deck] = {}
        self._specials: dict[str, Callable[[], str]] = {
            "person": lambda: pick(rng, self.people),
            "first": lambda: pick(rng, self.people).split()[0],
            "sur": lambda: pick(rng, self.people).split()[-1],
            "town": lambda: pick(rng, self.towns),
            "formula": self._formula,
            "snippet": self._snippet,
        }

    @cached_property
    def people(self) -> list[str]:
        """The document's cast, drawn at its first use."""
        return [self.fill("{newperson}") for _ in range(4)]

    @cached_property
    def towns(self) -> list[str]:
        return [self.fill("{newtown}") for _ in range(3)]

    def count(self, spec: str | int) -> int:
        """``3`` or ``"2-4"``: how many."""
        m = _RANGE_RE.fullmatch(str(spec))
        return between(self.rng, int(m[1]), int(m[2])) if m else int(spec)

    def slot(self, name: str) -> str:
        """``{@list*2-4}`` sentences from a deck, ``{3-40}`` a number, ``{name:modifier}`` a word."""
        if name.startswith("@"):
            deck, _, n = name[1:].partition("*")
            return " ".join(self.say(self.deck(deck).draw()) for _ in range(self.count(n or 1)))
        if m := _RANGE_RE.fullmatch(name):
            return str(between(self.rng, int(m[1]), int(m[2])))
        base, _, modifier = name.partition(":")
        value = self.memo.get(base)
        if value is None:
            value = self._lookup(base)
            if base in _fixed():
                self.memo[base] = value
        return INFLECTIONS[modifier](value) if modifier else value

    def _lookup(self, name: str) -> str:
        for layer in (self.topic, _common()):
            if layer is None:
                continue
            if name in layer.lexicons:
                return pick(self.rng, layer.lexicons[name])
            if name in layer.patterns:
                return self.fill(layer.patterns[name])
        if name in self._specials:
            return self._specials[name]()
        where = f"topic {self.topic.name!r}" if self.topic else "the common data"
        raise KeyError(f"template slot {{{name}}} is not defined for {where}")

    def deck(self, name: str) -> Deck:
        """This document's deck of the template list ``name`` (the topic's own list first)."""
        if name not in self._decks:
            items = (self.topic.templates.get(name) if self.topic else None) or _common().templates.get(name)
            if not items:
                raise KeyError(f"no template list {name!r}")
            fallback = data()["fallbacks"].get(name)
            self._decks[name] = Deck(
                self.rng, items, self.deck(fallback) if fallback else None, ordered=name in data()["ordered"]
            )
        return self._decks[name]

    def fill(self, pattern: str) -> str:
        return expand(pattern, self.rng, self.slot)

    def say(self, pattern: str) -> str:
        """One finished sentence (or paragraph) from a template."""
        return finish_sentence(self.fill(pattern))

    def text(self, pattern: str, tag: str = "p", case: str | None = None) -> str:
        """A block's text: code as written, paragraphs finished, the rest in ``case``."""
        if tag == "pre":
            return self.fill(pattern)
        if tag == "p":
            return self.say(pattern)
        text = finish_sentence(self.fill(pattern), capitalise=False)
        case = case or ("none" if tag == "meta" else "sentence")
        if case == "title":
            small = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from"}
            return " ".join(
                w if (i and w.lower() in small) or w[:1].isupper() else w[:1].upper() + w[1:]
                for i, w in enumerate(text.split())
            )
        return {"sentence": text[:1].upper() + text[1:], "upper": text.upper(), "none": text}[case]

    def _formula(self) -> str:
        """A plain-text formula (Unicode operators, no braces), the way it reads on an HTML page."""
        r = self.rng
        a, b, c, p = r.randint(2, 9), r.randint(1, 9), r.randint(1, 9), r.randint(2, 5)
        m = pick(r, (3, 5, 7, 11))
        numbers = dict(a=a, b=b, c=c, p=p, p1=p + 1, m=m, bm=b % m, ab=a * b, ac=a * c, apb=a + b)
        return pick(r, data()["formulas"]).format(v=pick(r, "xyzt"), **numbers)

    def _snippet(self) -> str:
        """A code block from this page's deck of snippets, its names picked afresh."""
        names = {k: pick(self.rng, v) for k, v in data()["snippet_names"].items()}
        record = names["record"]
        names.update(records=plural(record), Record=record.capitalize(), package=record + names["package"])
        return Template(self.deck("snippet").draw()).substitute(names)


@cache
def _fixed() -> frozenset[str]:
    return frozenset(data()["fixed"])


# ----------------------------------------------------------------------------------------------
# Genres


def genre_spec(genre: str) -> dict[str, Any]:
    try:
        return data()["genres"][genre]
    except KeyError:
        raise KeyError(f"unknown genre {genre!r}; known: {', '.join(data()['genres'])}") from None


def genres_of(domain: str) -> dict[str, float]:
    """The genres of good pages in ``domain`` and their weights."""
    return {g: s["weight"] for g, s in data()["genres"].items() if s.get("domain") == domain}


def target_words(rng: random.Random, genre: str) -> int:
    """A page length for ``genre``, skewed to shorter pages as on the web."""
    lo, hi = genre_spec(genre).get("words", (0, 0))  # spam and boilerplate have a fixed shape
    return int(lo + (hi - lo) * rng.random() ** 1.6)


def genre_topics(genre: str) -> tuple[Topic, ...]:
    """The topics a page of ``genre`` can be about (``only`` narrows the group, in its order)."""
    spec = genre_spec(genre)
    if "topics" not in spec:
        return ()
    group = topics(spec["topics"])
    only = spec.get("only")
    if only is None:
        return group
    unknown = set(only) - {t.name for t in group}
    if unknown:
        raise KeyError(f"genre {genre!r}: no {spec['topics']} topic named {', '.join(sorted(unknown))}")
    return tuple(t for t in group if t.name in only)


def make_doc(rng: random.Random, genre: str, target_words: int, topic: str | None = None) -> Doc:
    """One main text of ``genre`` of about ``target_words`` words (``topic``: a name in its group)."""
    spec = genre_spec(genre)
    if "variants" in spec:
        genre = pick(rng, spec["variants"])
        spec = genre_spec(genre)
    choices = genre_topics(genre)
    chosen = next(t for t in choices if t.name == topic) if topic else pick(rng, choices) if choices else None
    w = Writer(rng, chosen)
    title = spec["title"] if isinstance(spec["title"], str) else pick(rng, spec["title"])
    title = w.text(title, "h1", spec.get("case"))
    w.memo["title"] = title
    blocks = _blocks(w, spec.get("open", []), genre)
    if "section" in spec:
        fill_to(target_words, lambda: _blocks(w, spec["section"], genre), blocks)
    blocks += _blocks(w, spec.get("close", []), genre)
    byline = w.text(spec["byline"], "meta") if "byline" in spec else ""
    extra = {k: v for k, v in w.memo.items() if k not in ("title", "k")}
    name, lang = (chosen.name, chosen.lang) if chosen else (genre, "en")
    return Doc(title, blocks, genre, name, lang, byline, extra, spec.get("style", "article"))


def _blocks(w: Writer, steps: list[dict[str, Any]], genre: str) -> list[Block]:
    out = []
    for step in steps:
        tags = [k for k in step if k in BLOCK_TAGS]
        if len(tags) != 1:
            raise ValueError(f"genre {genre!r}: a block needs one of {', '.join(BLOCK_TAGS)}: {step}")
        if "chance" in step and w.rng.random() >= step["chance"]:
            continue
        for _ in range(w.count(step.get("repeat", 1))):
            w.counts[id(step)] += 1
            w.memo["k"] = str(w.counts[id(step)])
            out.append(Block(tags[0], w.text(step[tags[0]], tags[0], step.get("case"))))
    return out


def _c4_valid(block: Block) -> bool:
    text = block.text.rstrip()
    return block.tag == "p" and text.endswith((".", "!", "?", '"', "\u201d")) and len(text.split()) >= 5


def fill_to(words_wanted: int, make: Callable[[], list[Block]], blocks: list[Block]) -> list[Block]:
    """Append sections from ``make`` until the text has ``words_wanted`` words and enough paragraphs."""
    n = sum(len(b.text.split()) for b in blocks)
    paragraphs = sum(map(_c4_valid, blocks))
    for _ in range(200):
        if n >= words_wanted and paragraphs >= MIN_PARAGRAPHS:
            break
        new = make()
        blocks.extend(new)
        n += sum(len(b.text.split()) for b in new)
        paragraphs += sum(map(_c4_valid, new))
    return blocks


# ----------------------------------------------------------------------------------------------
# Derived texts: near-duplicate copies and Latin-1 pages

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _edit_words(text: str, start: int, count: int, rng: random.Random) -> tuple[str, int]:
    """Replace ``count`` consecutive words from word index ``start``; returns (text, words changed)."""
    synonyms, common = data()["synonyms"], _common().lexicons
    out, last, changed = [], 0, 0
    for m in list(_WORD_RE.finditer(text))[start : start + count]:
        word = m.group(0)
        new = synonyms.get(word.lower()) or pick(rng, common["gadj"] + common["adv"] + common["gn"])
        if new == word.lower():
            continue
        out += [text[last : m.start()], new[0].upper() + new[1:] if word[0].isupper() else new]
        last = m.end()
        changed += 1
    return "".join([*out, text[last:]]), changed


def near_duplicate(doc: Doc, rng: random.Random, *, note: str = "", min_jaccard: float = 0.88) -> Doc:
    """A copy of ``doc`` with about 2-5% of its words changed in a few contiguous edits.

    Edits are clustered (an editor rewrites a phrase, not every twentieth word), which is how a
    syndicated or lightly revised page differs from its source and keeps the word 5-gram Jaccard
    well above 0.8; the result is re-measured on the MinHash stage's own shingles (so the bound
    holds for what the pipeline compares) and the edit redone smaller (and without the ``note``,
    a syndication credit appended as a last paragraph) if it fell below ``min_jaccard``.
    """
    share = rng.uniform(0.02, 0.05)
    for attempt in range(8):
        budget = max(1, round(doc.n_words() * share))
        blocks = [replace(b) for b in doc.blocks]
        paragraphs = [i for i, b in enumerate(blocks) if b.tag == "p" and len(b.text.split()) >= 12]
        n_spans = min(len(paragraphs), rng.randint(2, 3))
        changed = 0
        for i in rng.sample(paragraphs, n_spans):
            span = max(1, budget // n_spans)
            start = rng.randrange(max(1, len(_WORD_RE.findall(blocks[i].text)) - span))
            blocks[i].text, c = _edit_words(blocks[i].text, start, span, rng)
            changed += c
        if note and attempt < 4:  # a long credit line costs too much Jaccard on a short page
            blocks.append(Block("p", note))
        copy = replace(doc, blocks=blocks, extra=dict(doc.extra))
        if changed and jaccard(doc.text, copy.text) >= min_jaccard:
            return copy
        share *= 0.7
    raise ValueError(f"could not make a near duplicate of {doc.title!r} above Jaccard {min_jaccard}")


def latin1_doc(base: Doc, rng: random.Random, *, smart_quotes: bool) -> Doc:
    """``base`` with sentences full of accented words; ``smart_quotes`` adds ’ “ ” (windows-1252 only)."""
    w = Writer(rng, next(t for t in topics("web") if t.name == "travel"))
    blocks = [replace(b) for b in base.blocks]
    paragraphs = [i for i, b in enumerate(blocks) if b.tag == "p"]
    for i in rng.sample(paragraphs, min(3, len(paragraphs))):
        blocks[i].text += " " + w.say(w.deck("latin1").draw())
    if smart_quotes:
        for b in blocks:
            b.text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", b.text.replace("'", "\u2019"))
    return replace(base, blocks=blocks, extra=dict(base.extra))
