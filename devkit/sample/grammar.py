"""The template grammar the sample's texts are written in, and the data files it draws from.

Why a grammar and not a Markov chain or a word salad: the pipeline's filters (Gopher, C4, FineWeb,
lid.176) judge text by its surface statistics, so the sample's good pages must have the shape of
real prose (stop words, sentence punctuation, plausible word lengths, little repetition), while
two pages must share almost no word 5-grams so that near-duplicate detection has clean ground
truth. Templates give the shape; slots filled from large lexicons give the variety.

Pattern syntax (compiled once, expanded many times):

- ``{slot}``: a word or phrase the caller supplies (`text.Writer` resolves ``{n}``, ``{n:pl}``,
  ``{3-40}``, ``{@general*2-4}``, ...).
- ``(a|b|c)``: one of the alternatives, uniformly; alternatives may nest.
- ``[x]``: ``x`` or nothing, each with probability 1/2.

After expansion, `finish_sentence` fixes ``a``/``an``, spacing and the initial capital.

The words live in YAML files under ``data/``: each file adds named ``lexicons`` (whitespace
separated entries, ``_`` joining the words of one), ``patterns``, ``templates`` (one per line),
``topics``, ``genres`` and the other sections of `SECTIONS` to one namespace (`data`).
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml

DATA_DIR = Path(__file__).parent / "data"
SECTIONS = (
    "inflection",
    "lexicons",
    "patterns",
    "templates",
    "fallbacks",
    "fixed",
    "ordered",
    "topics",
    "genres",
    "snippet_names",
    "formulas",
    "synonyms",
    "chrome",
    "sites",
)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def load_data(folder: Path) -> dict[str, Any]:
    """Every ``*.yaml`` file of ``folder`` merged by section; a name defined twice is an error
    naming both files, an unknown section one naming the file."""
    merged: dict[str, Any] = {s: {} for s in SECTIONS}
    origin: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.yaml")):
        for section, entries in (yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}).items():
            if section not in merged:
                raise ValueError(f"{path.name}: unknown section {section!r} (known: {', '.join(SECTIONS)})")
            if isinstance(entries, list):  # lists (fixed, ordered, formulas) concatenate
                merged[section] = [*(merged[section] or []), *entries]
                continue
            for name, value in entries.items():
                if (section, name) in origin:
                    raise ValueError(
                        f"{section}.{name} is defined in {origin[section, name]} and {path.name}"
                    )
                origin[section, name] = path.name
                merged[section][name] = value
    return merged


@cache
def data() -> dict[str, Any]:
    """The generator's data (``data/``), loaded once."""
    return load_data(DATA_DIR)


def words(block: str) -> tuple[str, ...]:
    """A lexicon written as whitespace-separated words; ``_`` joins multi-word entries."""
    return tuple(w.replace("_", " ") for w in block.split())


def lines(block: str) -> tuple[str, ...]:
    """A template list written one entry per line (blank lines ignored)."""
    return tuple(s.strip() for s in block.strip().splitlines() if s.strip())


_T = TypeVar("_T")


def pick(rng: random.Random, seq: Sequence[_T]) -> _T:
    """One element, from one call of the C ``random()``: ``randrange``'s Python-level rejection
    sampling costs more than the rest of a draw, and a sample makes hundreds of thousands."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in ``[lo, hi]``, drawn as `pick` draws."""
    return lo + int(rng.random() * (hi - lo + 1))


# ----------------------------------------------------------------------------------------------
# Compiled patterns: a tree of str (literal), _Slot, tuple (sequence), _Alt and _Opt nodes


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str


@dataclass(frozen=True, slots=True)
class _Alt:
    options: tuple[tuple, ...]


@dataclass(frozen=True, slots=True)
class _Opt:
    body: tuple


class PatternError(ValueError):
    """A template is malformed (unbalanced brackets); the message quotes the template."""


@cache
def compile_pattern(pattern: str) -> tuple:
    """Parse a template once; expansions reuse the tree."""
    pos = 0

    def seq(stop: str) -> tuple[tuple, str]:
        nonlocal pos
        items: list = []
        literal = ""
        while pos < len(pattern):
            ch = pattern[pos]
            pos += 1
            if ch in stop:
                return (*items, literal) if literal else tuple(items), ch
            if ch not in "{([)]|":
                literal += ch
                continue
            if literal:
                items.append(literal)
                literal = ""
            if ch == "{":
                end = pattern.find("}", pos)
                if end < 0:
                    raise PatternError(f"unclosed '{{' in template {pattern!r}")
                items.append(_Slot(pattern[pos:end]))
                pos = end + 1
            elif ch == "(":
                options = [seq("|)")]
                while options[-1][1] == "|":
                    options.append(seq("|)"))
                items.append(_Alt(tuple(o for o, _ in options)))
            elif ch == "[":
                items.append(_Opt(seq("]")[0]))
            else:
                raise PatternError(f"unbalanced {ch!r} at {pos - 1} in template {pattern!r}")
        if stop:
            raise PatternError(f"missing one of {stop!r} in template {pattern!r}")
        return (*items, literal) if literal else tuple(items), ""

    return seq("")[0]


def expand(pattern: str, rng: random.Random, slot: Callable[[str], str]) -> str:
    """Expand one template; ``slot`` maps a slot name to its filler (and may raise KeyError)."""
    out: list[str] = []

    def walk(seq: tuple) -> None:
        for node in seq:
            if type(node) is str:
                out.append(node)
            elif type(node) is _Slot:
                out.append(slot(node.name))
            elif type(node) is _Alt:
                walk(pick(rng, node.options))
            elif rng.random() < 0.5:  # _Opt
                walk(node.body)

    walk(compile_pattern(pattern))
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# English: articles, spacing, inflection (irregular forms in data/english.yaml)

_AN_EXCEPTIONS = ("uni", "use", "usu", "ute", "eu", "one", "once", "ubiq", "ura", "uro", "uti")
_AN_SILENT_H = ("hour", "honest", "honour", "honor", "heir")
_ARTICLE_RE = re.compile(r"\b([Aa]n?) (\W*)(\w+)")
_SPACE_RE = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +([,.;:!?)]|'(?:ve|s|ll|d|re|m)\b|n't\b)")
_VOWELS = "aeiou"


def indefinite(word: str) -> str:
    """'a' or 'an' for the word that follows (spelling heuristics that cover our lexicons)."""
    w = word.lower()
    if w.startswith(_AN_SILENT_H):
        return "an"
    if w[:1] in _VOWELS and not w.startswith(_AN_EXCEPTIONS):
        return "an"
    return "an" if len(w) == 1 and w in "aefhilmnorsx" else "a"  # "an X-ray", "an n-gram"


def _fix_article(m: re.Match[str]) -> str:
    art = indefinite(m.group(3))
    return f"{art.capitalize() if m.group(1)[0] == 'A' else art} {m.group(2)}{m.group(3)}"


def finish_sentence(text: str, capitalise: bool = True) -> str:
    """Articles, doubled spaces, space before punctuation or a contraction, the capital letter."""
    text = _ARTICLE_RE.sub(_fix_article, text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", _SPACE_RE.sub(" ", text)).strip()
    if not text or not capitalise:
        return text
    i = 0
    while i < len(text) and not text[i].isalnum():  # skip an opening quote
        i += 1
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


@cache
def _tables() -> tuple[dict[str, str], dict[str, list[str]], frozenset[str]]:
    inflection = data()["inflection"]
    return inflection["plural"], inflection["verbs"], frozenset(inflection["doubling"].split())


def plural(noun: str) -> str:
    """English plural of a noun or of the last word of a noun phrase."""
    head, _, last = noun.rpartition(" ")
    low = last.lower()
    irregular = _tables()[0]
    if low in irregular:
        p = irregular[low].capitalize() if last[:1].isupper() else irregular[low]
    elif low.endswith("sis"):  # hypothesis, oasis
        p = last[:-2] + "es"
    elif low.endswith("man") and low not in ("human", "german", "roman"):
        p = last[:-3] + "men"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        p = last + "es"
    elif low.endswith("y") and low[-2:-1] not in _VOWELS:
        p = last[:-1] + "ies"
    else:
        p = last + "s"
    return f"{head} {p}" if head else p


def _phrasal(inflect: Callable[[str], str]) -> Callable[[str], str]:
    """Inflect the head of a phrasal verb only: 'set up' -> 'setting up'."""

    @functools.wraps(inflect)
    def wrapper(verb: str) -> str:
        head, sep, rest = verb.partition(" ")
        return inflect(head) + sep + rest

    return wrapper


def _consonant_y(word: str) -> bool:
    return word.endswith("y") and word[-2:-1] not in _VOWELS


@_phrasal
def past(verb: str) -> str:
    _, irregular, doubling = _tables()
    if verb in irregular:
        return irregular[verb][0]
    if verb in doubling:
        return verb + verb[-1] + "ed"
    if verb.endswith("e"):
        return verb + "d"
    return verb[:-1] + "ied" if _consonant_y(verb) else verb + "ed"


@_phrasal
def participle(verb: str) -> str:
    irregular = _tables()[1]
    return irregular[verb][1] if verb in irregular else past(verb)


@_phrasal
def third_person(verb: str) -> str:
    if verb in ("be", "have"):
        return {"be": "is", "have": "has"}[verb]
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return verb + "es"
    return verb[:-1] + "ies" if _consonant_y(verb) else verb + "s"


@_phrasal
def gerund(verb: str) -> str:
    if verb == "be":
        return "being"
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb in _tables()[2]:
        return verb + verb[-1] + "ing"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")) and len(verb) > 2:
        return verb[:-1] + "ing"
    return verb + "ing"


INFLECTIONS: dict[str, Callable[[str], str]] = {
    "pl": plural,
    "ed": past,
    "en": participle,
    "3s": third_person,
    "ing": gerund,
    "title": lambda s: " ".join(w[:1].upper() + w[1:] for w in s.split()),
}
"""``{slot:name}`` modifiers."""


class Deck:
    """Draws templates without replacement, reshuffling only when all were used.

    Why: Gopher's repetition rules count duplicated 5-grams inside a document, so a page must
    not reuse a template's fixed wording while fresh ones remain. A deck with a ``fallback``
    draws from the fallback once its own templates are used up, and starts over only when both
    are: a long page moves on to general sentences before it repeats a genre's. An ``ordered``
    deck deals its items once, in the order written, then only from its fallback (section
    headings: History, Geography, ..., then made-up ones).
    """

    __slots__ = ("_fallback", "_items", "_ordered", "_pool", "_rng", "_started")

    def __init__(
        self, rng: random.Random, items: Sequence[str], fallback: Deck | None = None, ordered: bool = False
    ) -> None:
        if not items:
            raise ValueError("a Deck needs at least one template")
        self._rng = rng
        self._items = list(items)
        self._pool: list[str] = []
        self._started = False
        self._fallback = fallback
        self._ordered = ordered

    @property
    def exhausted(self) -> bool:
        return self._started and not self._pool

    def draw(self) -> str:
        if not self._pool:
            if (
                self._fallback is not None
                and self._started
                and (self._ordered or not self._fallback.exhausted)
            ):
                return self._fallback.draw()
            self._pool = self._items[::-1] if self._ordered else self._items[:]
            if not self._ordered:
                self._rng.shuffle(self._pool)
            self._started = True
        return self._pool.pop()
