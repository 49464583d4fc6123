"""CCNet's line normalisation, applied before tokenising for the n-gram model.

CCNet (Wenzek et al. 2020, ``cc_net/text_normalizer.py``) lower-cases, strips accents, maps every
digit to ``0``, folds typographic punctuation to ASCII and removes control characters before a
line is tokenised and scored. Its published KenLM models were trained on text normalised this way,
so a user who points the perplexity filter at a CCNet model must feed it the same normalisation;
our own reference model is trained through the same function so both paths agree. Folding case,
digits and quotes also shrinks the vocabulary a small model has to learn.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import regex

# Full-width and typographic punctuation folded to its ASCII form (CCNet's table).
_PUNCT_MAP = {
    "，": ",",
    "。": ".",
    "、": ",",
    "„": '"',
    "”": '"',
    "“": '"',
    "«": '"',
    "»": '"',
    "１": '"',
    "」": '"',
    "「": '"',
    "《": '"',
    "》": '"',
    "´": "'",
    "∶": ":",
    "：": ":",
    "？": "?",
    "！": "!",
    "（": "(",
    "）": ")",
    "；": ";",
    "–": "-",
    "—": " - ",
    "．": ". ",
    "～": "~",
    "’": "'",
    "…": "...",
    "━": "-",
    "〈": "<",
    "〉": ">",
    "【": "[",
    "】": "]",
    "％": "%",
    "►": "-",
}
_PUNCT_TABLE = str.maketrans(_PUNCT_MAP)
_DIGIT_RE = re.compile(r"\d")
_COMBINING_RE = regex.compile(r"\p{Mn}+")
# C0 and C1 control characters but the newline. CCNet deletes them; we turn them into a space so
# a tab between two words does not glue them into one unseen word.
_CONTROL_RE = re.compile("[" + "".join(chr(c) for c in [*range(10), *range(11, 32), *range(127, 160)]) + "]")


def strip_accents(text: str) -> str:
    """Decompose and drop combining marks: ``café`` -> ``cafe``."""
    if text.isascii():
        return text
    return _COMBINING_RE.sub("", unicodedata.normalize("NFD", text))


def normalize_lines(lines: Iterable[str]) -> list[str]:
    """Lines as CCNet's models saw them, empty ones dropped: lower case, no accents, digits as 0,
    ASCII punctuation, no control characters.

    The whole text goes through each step at once (one call per step, not per line), which is
    what makes normalisation cheap next to tokenising and scoring. CCNet strips accents before
    mapping digits and punctuation; no character with an accent is a digit or in the
    punctuation table, so the order here gives the same text.
    """
    text = "\n".join(lines).lower()
    text = _DIGIT_RE.sub("0", text).translate(_PUNCT_TABLE)
    text = _CONTROL_RE.sub(" ", strip_accents(text))
    return [line for line in (raw.strip() for raw in text.split("\n")) if line]


def normalize_line(line: str) -> str:
    """One line normalised as `normalize_lines` does (a newline inside becomes a space)."""
    return " ".join(normalize_lines([line.replace("\n", " ")])) if line.strip() else ""
