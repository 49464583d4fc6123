"""A small template grammar that turns sentence patterns into varied English (or other) prose.

Why a grammar and not a Markov chain or a word salad: the pipeline's filters (Gopher, C4, FineWeb,
lid.176) judge text by its surface statistics, so the sample's good pages must have the shape of
real prose (stop words, sentence punctuation, plausible word lengths, little repetition), while
two pages must share almost no word 5-grams so that near-duplicate detection has clean ground
truth. Templates give the shape; slots filled from large lexicons give the variety.

Pattern syntax (compiled once, expanded many times):

- ``{slot}``: a word or phrase from the expansion context (``{n}`` a topic noun, ``{vd}`` a past
  tense verb, ...; see `text.Writer`).
- ``(a|b|c)``: one of the alternatives, uniformly; alternatives may nest.
- ``[x]``: ``x`` or nothing, each with probability 1/2.

After expansion, `finish_sentence` fixes ``a``/``an``, spacing and the initial capital.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

# ----------------------------------------------------------------------------------------------
# Compiled patterns


@dataclass(frozen=True, slots=True)
class _Lit:
    text: str


@dataclass(frozen=True, slots=True)
class _Slot:
    name: str


@dataclass(frozen=True, slots=True)
class _Seq:
    items: tuple[_Node, ...]


@dataclass(frozen=True, slots=True)
class _Alt:
    options: tuple[_Seq, ...]


@dataclass(frozen=True, slots=True)
class _Opt:
    body: _Seq


_Node = _Lit | _Slot | _Seq | _Alt | _Opt


class PatternError(ValueError):
    """A template is malformed (unbalanced brackets); the message quotes the template."""


def _parse(pattern: str) -> _Seq:
    pos = 0

    def seq(stop: str) -> tuple[_Seq, str]:
        """Parse until one of the characters in ``stop``; returns the sequence and the stopper."""
        nonlocal pos
        items: list[_Node] = []
        buf: list[str] = []

        def flush() -> None:
            if buf:
                items.append(_Lit("".join(buf)))
                buf.clear()

        while pos < len(pattern):
            ch = pattern[pos]
            if ch in stop:
                flush()
                pos += 1
                return _Seq(tuple(items)), ch
            pos += 1
            if ch == "{":
                end = pattern.find("}", pos)
                if end < 0:
                    raise PatternError(f"unclosed '{{' in template {pattern!r}")
                flush()
                items.append(_Slot(pattern[pos:end]))
                pos = end + 1
            elif ch == "(":
                flush()
                options = []
                while True:
                    option, stopper = seq("|)")
                    options.append(option)
                    if stopper == ")":
                        break
                items.append(_Alt(tuple(options)))
            elif ch == "[":
                flush()
                body, _ = seq("]")
                items.append(_Opt(body))
            elif ch in ")]|":
                raise PatternError(f"unbalanced {ch!r} at {pos - 1} in template {pattern!r}")
            else:
                buf.append(ch)
        if stop:
            raise PatternError(f"missing one of {stop!r} in template {pattern!r}")
        flush()
        return _Seq(tuple(items)), ""

    result, _ = seq("")
    return result


@cache
def compile_pattern(pattern: str) -> _Seq:
    """Parse a template once; expansions reuse the tree."""
    return _parse(pattern)


def expand(pattern: str, rng: random.Random, slot: Callable[[str], str]) -> str:
    """Expand one template; ``slot`` maps a slot name to its filler (and may raise KeyError)."""
    out: list[str] = []

    def walk(node: _Node) -> None:
        if isinstance(node, _Lit):
            out.append(node.text)
        elif isinstance(node, _Slot):
            out.append(slot(node.name))
        elif isinstance(node, _Seq):
            for item in node.items:
                walk(item)
        elif isinstance(node, _Alt):
            walk(node.options[rng.randrange(len(node.options))])
        elif rng.random() < 0.5:  # _Opt
            walk(node.body)

    walk(compile_pattern(pattern))
    return "".join(out)


# ----------------------------------------------------------------------------------------------
# English inflection

_AN_EXCEPTIONS = ("uni", "use", "usu", "ute", "eu", "one", "once", "ubiq", "ura", "uro", "uti")
_AN_SILENT_H = ("hour", "honest", "honour", "honor", "heir")
_ARTICLE_RE = re.compile(r"\b([Aa]n?) (\W*)(\w+)")


def indefinite(word: str) -> str:
    """'a' or 'an' for the word that follows (spelling heuristics that cover our lexicons)."""
    w = word.lower()
    if w.startswith(_AN_SILENT_H):
        return "an"
    if w[:1] in "aeiou" and not w.startswith(_AN_EXCEPTIONS):
        return "an"
    if len(w) == 1 and w in "aefhilmnorsx":  # "an X-ray", "an F-test", "an n-gram"
        return "an"
    return "a"


def _fix_article(m: re.Match[str]) -> str:
    art = indefinite(m.group(3))
    if m.group(1)[0] == "A":
        art = art.capitalize()
    return f"{art} {m.group(2)}{m.group(3)}"


_SPACE_RE = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +([,.;:!?)]|'(?:ve|s|ll|d|re|m)\b|n't\b)")


def finish_sentence(text: str, capitalise: bool = True) -> str:
    """Articles, doubled spaces, space before punctuation or a contraction, the capital letter."""
    text = _ARTICLE_RE.sub(_fix_article, text)
    text = _SPACE_RE.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text).strip()
    if not text or not capitalise:
        return text
    i = 0
    while i < len(text) and not text[i].isalnum():  # skip an opening quote
        i += 1
    return text[:i] + text[i : i + 1].upper() + text[i + 1 :]


_IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "goose": "geese",
    "leaf": "leaves",
    "loaf": "loaves",
    "knife": "knives",
    "life": "lives",
    "wife": "wives",
    "shelf": "shelves",
    "half": "halves",
    "wolf": "wolves",
    "calf": "calves",
    "thief": "thieves",
    "sheep": "sheep",
    "deer": "deer",
    "fish": "fish",
    "series": "series",
    "species": "species",
    "aircraft": "aircraft",
    "analysis": "analyses",
    "thesis": "theses",
    "crisis": "crises",
    "axis": "axes",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "radius": "radii",
    "nucleus": "nuclei",
    "fungus": "fungi",
    "cactus": "cacti",
    "larva": "larvae",
    "formula": "formulas",
    "potato": "potatoes",
    "tomato": "tomatoes",
    "hero": "heroes",
    "echo": "echoes",
    "volcano": "volcanoes",
    "photo": "photos",
    "piano": "pianos",
    "radio": "radios",
    "studio": "studios",
    "video": "videos",
    "kilo": "kilos",
    "memo": "memos",
    "logo": "logos",
    "zero": "zeros",
    "roof": "roofs",
    "chief": "chiefs",
    "belief": "beliefs",
    "proof": "proofs",
    "chef": "chefs",
    "cliff": "cliffs",
    "innings": "innings",
    "goldfish": "goldfish",
    "lay-by": "lay-bys",
    "fly-half": "fly-halves",
    "wharf": "wharves",
    "basis": "bases",
}


def plural(noun: str) -> str:
    """English plural of a noun or of the last word of a noun phrase."""
    head, _, last = noun.rpartition(" ")
    low = last.lower()
    if low in _IRREGULAR_PLURALS:
        p = _IRREGULAR_PLURALS[low]
        p = p.capitalize() if last[:1].isupper() else p
    elif low.endswith("sis"):  # hypothesis, oasis
        p = last[:-2] + "es"
    elif low.endswith("man") and low not in ("human", "german", "roman"):
        p = last[:-3] + "men"
    elif low.endswith(("s", "x", "z", "ch", "sh")):
        p = last + "es"
    elif low.endswith("y") and low[-2:-1] not in ("a", "e", "i", "o", "u"):
        p = last[:-1] + "ies"
    else:
        p = last + "s"
    return f"{head} {p}" if head else p


# Verbs whose final consonant doubles before -ed / -ing.
_DOUBLING = frozenset(
    "plan stop drop ship shop grab chat jog trim skip scan tap plug wrap step ban pin rub stir chop dip "
    "hug map nod pat rip slip snap swap tag trap admit commit permit refer prefer regret submit upset "
    "equip control patrol compel expel omit occur transfer recur prod spot knit clap drag drum flap "
    "grin hop hum jam mop nab nip pop rob sag scrub shrug sip slam slap sob strip stun tip top trek dub cancel travel level fuel model label signal total "
    "whip zip blot dot jot rot net pet vet wed bet set".split()
)

_IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "be": ("was", "been"),
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "bend": ("bent", "bent"),
    "bite": ("bit", "bitten"),
    "bleed": ("bled", "bled"),
    "blow": ("blew", "blown"),
    "break": ("broke", "broken"),
    "breed": ("bred", "bred"),
    "bring": ("brought", "brought"),
    "build": ("built", "built"),
    "burn": ("burned", "burned"),
    "buy": ("bought", "bought"),
    "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"),
    "cling": ("clung", "clung"),
    "come": ("came", "come"),
    "cost": ("cost", "cost"),
    "creep": ("crept", "crept"),
    "cut": ("cut", "cut"),
    "deal": ("dealt", "dealt"),
    "dig": ("dug", "dug"),
    "do": ("did", "done"),
    "draw": ("drew", "drawn"),
    "dream": ("dreamed", "dreamed"),
    "drink": ("drank", "drunk"),
    "drive": ("drove", "driven"),
    "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"),
    "feed": ("fed", "fed"),
    "feel": ("felt", "felt"),
    "fight": ("fought", "fought"),
    "find": ("found", "found"),
    "fit": ("fitted", "fitted"),
    "flee": ("fled", "fled"),
    "fling": ("flung", "flung"),
    "fly": ("flew", "flown"),
    "forbid": ("forbade", "forbidden"),
    "forecast": ("forecast", "forecast"),
    "forget": ("forgot", "forgotten"),
    "forgive": ("forgave", "forgiven"),
    "freeze": ("froze", "frozen"),
    "get": ("got", "got"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grind": ("ground", "ground"),
    "grow": ("grew", "grown"),
    "hang": ("hung", "hung"),
    "have": ("had", "had"),
    "hear": ("heard", "heard"),
    "hide": ("hid", "hidden"),
    "hit": ("hit", "hit"),
    "hold": ("held", "held"),
    "hurt": ("hurt", "hurt"),
    "keep": ("kept", "kept"),
    "kneel": ("knelt", "knelt"),
    "know": ("knew", "known"),
    "lay": ("laid", "laid"),
    "lead": ("led", "led"),
    "lean": ("leaned", "leaned"),
    "leave": ("left", "left"),
    "lend": ("lent", "lent"),
    "let": ("let", "let"),
    "lie": ("lay", "lain"),
    "light": ("lit", "lit"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "mean": ("meant", "meant"),
    "meet": ("met", "met"),
    "mislead": ("misled", "misled"),
    "overcome": ("overcame", "overcome"),
    "overhear": ("overheard", "overheard"),
    "oversee": ("oversaw", "overseen"),
    "pay": ("paid", "paid"),
    "put": ("put", "put"),
    "quit": ("quit", "quit"),
    "read": ("read", "read"),
    "rebuild": ("rebuilt", "rebuilt"),
    "redo": ("redid", "redone"),
    "rethink": ("rethought", "rethought"),
    "rewrite": ("rewrote", "rewritten"),
    "ride": ("rode", "ridden"),
    "ring": ("rang", "rung"),
    "rise": ("rose", "risen"),
    "run": ("ran", "run"),
    "say": ("said", "said"),
    "see": ("saw", "seen"),
    "seek": ("sought", "sought"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "set": ("set", "set"),
    "sew": ("sewed", "sewn"),
    "shake": ("shook", "shaken"),
    "shed": ("shed", "shed"),
    "shine": ("shone", "shone"),
    "shoot": ("shot", "shot"),
    "show": ("showed", "shown"),
    "shrink": ("shrank", "shrunk"),
    "shut": ("shut", "shut"),
    "sing": ("sang", "sung"),
    "sink": ("sank", "sunk"),
    "sit": ("sat", "sat"),
    "sleep": ("slept", "slept"),
    "slide": ("slid", "slid"),
    "sow": ("sowed", "sown"),
    "speak": ("spoke", "spoken"),
    "speed": ("sped", "sped"),
    "spend": ("spent", "spent"),
    "spin": ("spun", "spun"),
    "split": ("split", "split"),
    "spread": ("spread", "spread"),
    "spring": ("sprang", "sprung"),
    "stand": ("stood", "stood"),
    "steal": ("stole", "stolen"),
    "stick": ("stuck", "stuck"),
    "sting": ("stung", "stung"),
    "stride": ("strode", "stridden"),
    "strike": ("struck", "struck"),
    "string": ("strung", "strung"),
    "strive": ("strove", "striven"),
    "swear": ("swore", "sworn"),
    "sweep": ("swept", "swept"),
    "swim": ("swam", "swum"),
    "swing": ("swung", "swung"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tear": ("tore", "torn"),
    "tell": ("told", "told"),
    "think": ("thought", "thought"),
    "throw": ("threw", "thrown"),
    "undergo": ("underwent", "undergone"),
    "understand": ("understood", "understood"),
    "undertake": ("undertook", "undertaken"),
    "upset": ("upset", "upset"),
    "wake": ("woke", "woken"),
    "wear": ("wore", "worn"),
    "weave": ("wove", "woven"),
    "weep": ("wept", "wept"),
    "win": ("won", "won"),
    "wind": ("wound", "wound"),
    "withdraw": ("withdrew", "withdrawn"),
    "write": ("wrote", "written"),
}

_VOWELS = "aeiou"


def _split_particle(verb: str) -> tuple[str, str]:
    """'set up' -> ('set', ' up'): inflect the head of a phrasal verb only."""
    head, sep, rest = verb.partition(" ")
    return head, (sep + rest) if sep else ""


def past(verb: str) -> str:
    head, rest = _split_particle(verb)
    if head in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[head][0] + rest
    if head in _DOUBLING:
        return head + head[-1] + "ed" + rest
    if head.endswith("e"):
        return head + "d" + rest
    if head.endswith("y") and head[-2:-1] not in _VOWELS:
        return head[:-1] + "ied" + rest
    return head + "ed" + rest


def participle(verb: str) -> str:
    head, rest = _split_particle(verb)
    if head in _IRREGULAR_VERBS:
        return _IRREGULAR_VERBS[head][1] + rest
    return past(verb)


def third_person(verb: str) -> str:
    head, rest = _split_particle(verb)
    if head == "be":
        return "is" + rest
    if head == "have":
        return "has" + rest
    if head.endswith(("s", "x", "z", "ch", "sh", "o")):
        return head + "es" + rest
    if head.endswith("y") and head[-2:-1] not in _VOWELS:
        return head[:-1] + "ies" + rest
    return head + "s" + rest


def gerund(verb: str) -> str:
    head, rest = _split_particle(verb)
    if head == "be":
        return "being" + rest
    if head.endswith("ie"):
        return head[:-2] + "ying" + rest
    if head in _DOUBLING:
        return head + head[-1] + "ing" + rest
    if head.endswith("e") and not head.endswith(("ee", "ye", "oe")) and len(head) > 2:
        return head[:-1] + "ing" + rest
    return head + "ing" + rest


def words(block: str) -> tuple[str, ...]:
    """A lexicon written as whitespace-separated words; ``_`` joins multi-word entries."""
    return tuple(w.replace("_", " ") for w in block.split())


def lines(block: str) -> tuple[str, ...]:
    """A lexicon or template list written one entry per line (blank lines ignored)."""
    return tuple(s.strip() for s in block.strip().splitlines() if s.strip())


_T = TypeVar("_T")


def pick(rng: random.Random, seq: Sequence[_T]) -> _T:
    return seq[rng.randrange(len(seq))]


class Deck:
    """Draws templates without replacement, reshuffling only when all were used.

    Why: Gopher's repetition rules count duplicated 5-grams inside a document, so a page must
    not reuse a template's fixed wording while fresh ones remain. A deck with a ``fallback``
    draws from the fallback once its own templates are used up, and starts over only when both
    are: a long page moves on to general sentences before it repeats a genre's.
    """

    __slots__ = ("_fallback", "_items", "_pool", "_rng", "_started")

    def __init__(self, rng: random.Random, items: Sequence[str], fallback: Deck | None = None) -> None:
        if not items:
            raise ValueError("a Deck needs at least one template")
        self._rng = rng
        self._items = list(items)
        self._pool: list[str] = []
        self._started = False
        self._fallback = fallback

    @property
    def exhausted(self) -> bool:
        return self._started and not self._pool

    def draw(self) -> str:
        if not self._pool:
            if self._fallback is not None and self._started and not self._fallback.exhausted:
                return self._fallback.draw()
            self._pool = self._items[:]
            self._rng.shuffle(self._pool)
            self._started = True
        return self._pool.pop()
