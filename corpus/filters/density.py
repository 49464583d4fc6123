"""Information density, repetition and a cheap grammar signal: scores for the policy to use.

Gopher's and C4's rules catch pages that are short, symbol-laden or repeated line by line; what
they miss are pages that are long and well-formed yet say little (a keyword list, a table of
numbers, the same three sentences rotated) or that are word salad. These scores measure that,
each in one pass over the text and its shared `TextView`:

- ``char_entropy``: Shannon entropy of the characters, in bits per character. English prose
  sits near 4.2; a table of digits or a repeated phrase is lower; random strings and mixed
  scripts are higher.
- ``word_entropy``: Shannon entropy of the lower-cased word unigrams, in bits (RedPajama-V2's
  ``rps_doc_unigram_entropy``, which uses natural logarithms: divide ours by log2(e)). It grows
  with the length and the vocabulary of a text; a page that repeats a few words scores low.
- ``compression_ratio``: DEFLATE-compressed size over UTF-8 size (raw deflate, no header, so a
  short text is not penalised by it). Prose compresses to about 0.5; repeated text far lower.
- ``symbol_word_ratio``: characters that are neither letters, digits, whitespace nor ordinary
  prose punctuation (``| » • © → # * = < > { } ~ ^ $ € @ _`` and the like) per word. Gopher counts
  only "#" and ellipses (``gopher_quality.hash_word_ratio``); navigation crumbs, price grids and
  emoji spam are made of the others. ROOTS (Laurençon et al. 2022) filtered on a related
  "special characters" share of all characters.
- ``function_word_ratio``: share of words that are English function words (articles, pronouns,
  prepositions, conjunctions, auxiliaries; ``FUNCTION_WORDS``). Prose is about 0.4; keyword
  lists, product grids and navigation are far below. ROOTS used the share of stop words the same
  way (its own lists and cutoffs).
- ``article_function_ratio``: share of the articles "the", "a", "an" followed directly by another
  function word. An English article opens a noun phrase, so in prose this is rare (news: median
  under 0.01); in word salad (shuffled or generated word lists) it is about the function-word
  ratio itself (0.4). It is the cheap grammar signal: no model, one look at the next word. Shuffled
  English keeps every other score here (same characters, same words), so this is the one that
  sees it (measured in docs/benchmarks.md, "Density and repetition scores").

The two function-word scores are English and are given only to documents whose language (set
by the language filter) is in ``grammar_languages``; a document without them is never dropped by
their rules. Every threshold is off by default: no source gives numbers for these definitions
(ROOTS' cutoffs belong to its own lists and normalisation), so a team sets them from the
histograms in the statistics report and re-decides with ``python -m corpus.policy``.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from itertools import compress
from typing import Literal

import numpy as np
from pydantic import Field

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.text import TextView
from formats.documents import Document

FUNCTION_WORDS = frozenset(
    """
    a an the this that these those my your his her its our their some any no every each either
    neither all both few many much more most other another such what which whose
    i me you he him she it we us they them myself yourself himself herself itself ourselves
    themselves who whom
    of in to for with on at by from about as into like through after over between out against
    during without before under around among up down off above below near since until upon
    within across behind beyond along toward towards per via than
    and or but nor so yet if because while although though unless whether when where whereas
    be is am are was were been being have has had having do does did will would shall should
    can could may might must not
    """.split()
)
"""English closed-class words: what prose is held together by, whatever its topic."""
ARTICLES = frozenset(("the", "a", "an"))

# Characters that are not letters, digits, whitespace or the punctuation of ordinary prose
# (. , ; : ! ? ' " ’ ‘ “ ” ( ) [ ] - – — … / % &); "_" is a word character for the regex, not for us.
_SYMBOL_RE = re.compile(r"[^\w\s.,;:!?'\"’‘“”()\[\]\-–—…/%&]|_")


def shannon_bits(counts: Iterable[int] | np.ndarray) -> float:
    """Entropy in bits of the distribution given by ``counts``."""
    c = (
        np.fromiter(counts, dtype=np.float64)
        if not isinstance(counts, np.ndarray)
        else counts.astype(np.float64)
    )
    c = c[c > 0]
    total = c.sum()
    if not total:
        return 0.0
    return float(np.log2(total) - (c * np.log2(c)).sum() / total)


def char_entropy(text: str) -> float:
    """Bits per character: byte counts for ASCII text (most pages), code points otherwise (a
    Counter over the string is eight times slower)."""
    if text.isascii():
        return shannon_bits(np.bincount(np.frombuffer(text.encode("ascii"), np.uint8), minlength=128))
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    return shannon_bits(np.unique(codes, return_counts=True)[1])


def compression_ratio(text: str, level: int = 6) -> float:
    """Raw-DEFLATE size over UTF-8 size (0 for an empty text)."""
    data = text.encode("utf-8", "surrogatepass")
    if not data:
        return 0.0
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return len(packer.compress(data) + packer.flush()) / len(data)


class DensityConfig(FilterConfig):
    """Thresholds over the density scores, all off (None) by default: see the module docstring."""

    name: Literal["density"] = "density"

    # --- scoring parameters
    compression_level: int = Field(6, ge=1, le=9)
    """Scoring: zlib's level for ``compression_ratio`` (6, zlib's default)."""
    grammar_languages: list[str] = Field(default_factory=lambda: ["en"])
    """Scoring: languages (``doc.lang``) given the function-word scores; the list is English."""

    # --- thresholds
    min_char_entropy: float | None = Field(None, ge=0)
    """Drop below this many bits per character (tables of digits, one repeated phrase)."""
    max_char_entropy: float | None = Field(None, ge=0)
    """Drop above this many bits per character (random strings, encoded blobs)."""
    min_word_entropy: float | None = Field(None, ge=0)
    """Drop below this many bits of word-unigram entropy (a few words over and over)."""
    min_compression_ratio: float | None = Field(None, ge=0)
    """Drop when the text compresses below this share of its size (repeated text)."""
    max_symbol_word_ratio: float | None = Field(None, ge=0)
    """Drop above this many symbol characters per word (navigation, grids, emoji spam)."""
    min_function_word_ratio: float | None = Field(None, ge=0, le=1)
    """Drop below this share of function words (keyword lists, product grids)."""
    max_article_function_ratio: float | None = Field(None, ge=0, le=1)
    """Drop above this share of articles followed by a function word (word salad)."""


@register
class DensityFilter(Filter[DensityConfig]):
    """Scores ``density.*`` (module docstring); rules are the thresholds, in field order."""

    name = "density"
    Config = DensityConfig
    rules = (
        Rule("char_entropy", "min", "min_char_entropy"),
        Rule("char_entropy", "max", "max_char_entropy"),
        Rule("word_entropy", "min", "min_word_entropy"),
        Rule("compression_ratio", "min", "min_compression_ratio"),
        Rule("symbol_word_ratio", "max", "max_symbol_word_ratio"),
        Rule("function_word_ratio", "min", "min_function_word_ratio"),
        Rule("article_function_ratio", "max", "max_article_function_ratio"),
    )

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        text = view.text
        if not text:
            return {}
        words = view.words_lower
        n_words = len(words)
        scores = {
            "char_entropy": char_entropy(text),
            "word_entropy": shannon_bits(Counter(words).values()),
            "compression_ratio": compression_ratio(text, self.config.compression_level),
            "symbol_word_ratio": len(_SYMBOL_RE.findall(text)) / max(n_words, 1),
        }
        if doc.lang in self.config.grammar_languages and n_words:
            scores.update(grammar_scores(words))
        return scores


def grammar_scores(words: list[str]) -> dict[str, float]:
    """``function_word_ratio`` and ``article_function_ratio`` of lower-cased words."""
    is_fw = list(map(FUNCTION_WORDS.__contains__, words))
    is_article = list(map(ARTICLES.__contains__, words[:-1]))
    articles = sum(is_article)
    out = {"function_word_ratio": sum(is_fw) / len(words)}
    if articles:
        out["article_function_ratio"] = sum(compress(is_fw[1:], is_article)) / articles
    return out
