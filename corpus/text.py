"""A document's text: the one layout every extractor returns, and its splits, computed once and
shared by every filter.

DataTrove re-tokenises the text in each filter; here a `TextView` caches lines, words and
paragraphs so a chain of ten filters splits the text once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property

_SPACE_RE = re.compile(r"[^\S\n]+")
# C0/C1 control characters other than tab, newline and carriage return, and lone surrogates
# (no UTF-8 encodes them: fastText and the Parquet writer refuse a text that holds one)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Unicode-aware word pattern: letters, digits and apostrophes/hyphens inside words.
_WORD_RE = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)
_PARAGRAPH_SPLIT_RE = re.compile(r"\n\s*\n")
# A sentence ends after a run of terminal punctuation and optional closing quotes or brackets
# (group 1) when whitespace and a character that is not a lower-case letter follow, or after a
# CJK full stop (group 2). Line breaks end sentences too. The leading look-ahead lets the regex
# engine skip straight to candidate characters instead of trying the alternation at each one.
# Linear on any line: a run of punctuation is tried once, from its first character (the
# look-behind), and the possessive quantifiers never give back what they took (giving back could
# not match anyway: what follows a run must be a quote or a space). With backtracking a line of
# "!" took time quadratic in its length (docs/reliability.md; tests/hostile/test_adversarial.py).
_SENTENCE_END_RE = re.compile(
    r"(?=[.!?…。！？])(?:(?<![.!?…])([.!?…]++[\"'”’»)\]]*+)\s++(?=[^\sa-z])|([。！？]+))"
)
# A stop right after these is not an end: titles, "e.g.", "i.e.", initials ("J. K. Rowling",
# "U.S. Senate").
_ABBREVIATION_RE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|vs|No|e\.g|i\.e)|(?<!\w)[A-Z])\Z")


def normalise_text(text: str | None) -> str:
    """The one layout of a document's text: a block per line, NFC, no control characters.

    The quality filters (C4, FineWeb, Gopher) reason about lines, so every extractor returns this
    layout whatever its own conventions (trafilatura's list dashes stay, they are text), and the
    extraction benchmark scores what the filters see. Per line: whitespace runs (spaces, tabs,
    NBSP) become one space, every line break `str.splitlines` knows ends a line, empty lines go;
    then NFC, C0 and C1 control characters and lone surrogates removed, trailing spaces trimmed (a line
    that held only control characters leaves one blank line). Control characters go after the
    spaces are collapsed, so ``"a \\x01 b"`` keeps two spaces: byte for byte what the extractors'
    layout pass and the cleaner's clean-up gave when they were two functions run back to back,
    so stored texts did not move when they became one. Apply it once: it is not idempotent.
    """
    if not text:
        return ""
    out: list[str] = []
    for raw in text.splitlines():
        line = _SPACE_RE.sub(" ", raw).strip()
        if not line:
            continue
        # NFC line by line equals NFC of the whole text: nothing composes across a line break.
        line = _CONTROL_RE.sub("", unicodedata.normalize("NFC", line)).rstrip()
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, stripped, with their end punctuation; no model, no download.

    NLTK's punkt (what C4 used) needs a downloaded model. This splitter handles the usual traps
    of prose (titles, initials, "e.g.", closing quotes, decimals, CJK full stops) with one regex
    pass per line; it does not learn abbreviations. Line breaks also end a sentence,
    so a heading is a sentence of its own. Every filter that counts or scores sentences (C4's
    minimum, per-sentence toxicity) shares this one definition.
    """
    out: list[str] = []
    for line in text.split("\n"):
        start = 0
        for m in _SENTENCE_END_RE.finditer(line):
            if m.start(1) >= 0:
                stop = m.start()
                if _ABBREVIATION_RE.search(line, max(0, stop - 4), stop):
                    continue
                end = m.end(1)
            else:
                end = m.end()
            piece = line[start:end].strip()
            if piece:
                out.append(piece)
            start = m.end()
        piece = line[start:].strip()
        if piece:
            out.append(piece)
    return out


class TextView:
    """Lazily computed views of one text; create a new view after the text changes."""

    __slots__ = ("__dict__", "text")

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lines(self) -> list[str]:
        """Non-empty lines, stripped."""
        return [line.strip() for line in self.text.split("\n") if line.strip()]

    @cached_property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in _PARAGRAPH_SPLIT_RE.split(self.text) if p.strip()]

    @cached_property
    def tokens(self) -> list[str]:
        """Whitespace-separated tokens, punctuation attached (what Gopher calls words)."""
        return self.text.split()

    @cached_property
    def words(self) -> list[str]:
        """Alphanumeric words without punctuation."""
        return _WORD_RE.findall(self.text)

    @cached_property
    def sentences(self) -> list[str]:
        """`split_sentences` of the whole text."""
        return split_sentences(self.text)

    @cached_property
    def words_lower(self) -> list[str]:
        """`words` in lower case; one pass over the lowered text unless `words` is already split."""
        if "words" in self.__dict__:
            return [w.lower() for w in self.words]
        return _WORD_RE.findall(self.text.lower())
