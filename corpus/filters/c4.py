"""C4's line and page rules (Raffel et al. 2020, "Exploring the Limits of Transfer Learning with a
Unified Text-to-Text Transformer", Section 2.2), as built in TFDS's ``c4_utils.clean_page``.

Line rules remove lines (the filter's `C4Filter.rewrite`, which the chain applies before scoring,
so every filter after this one reads the rewritten text): a line stays when it ends in terminal
punctuation (not an ellipsis), has at least ``min_words_per_line`` words, has no word over
``max_word_length`` characters, does not mention "javascript" and is not a cookie or terms-of-use
notice. Page rules drop the page: "lorem ipsum", a curly bracket, a word from the LDNOOBW
bad-words list, fewer than ``min_sentences`` sentences in what remains. As in TFDS the page
rules look only at lines that passed the line rules before them (a javascript line with a "{"
is removed, it does not drop the page).

The line rules' parameters change the rewritten text and every score after them, so they are
scoring parameters; the page rules are thresholds over the stored scores.

Numbers: the code that built C4, TFDS's ``c4_utils.py`` (``_MIN_WORDS_PER_LINE = 5``,
``_MIN_NUM_SENTENCES = 3``, ``_MAX_WORD_LENGTH = 1000``, end marks ``. ? ! "``). DataTrove's
C4QualityFilter defaults to 3 words per line and 5 sentences, quoting the paper's text that
way round; FineWeb turned the terminal-punctuation rule off (``require_terminal_punct: false``
reproduces that).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from corpus.filters.base import Filter, FilterConfig, Rule, register
from corpus.text import TextView
from formats.documents import Document

END_MARKS = (".", "!", "?", '"', "'", "”", "’", "»")
"""TFDS's ``. ? ! "``, DataTrove's ``'``, and the typographic closing quotes that extractors keep."""
ELLIPSIS = "..."
POLICY_SUBSTRINGS = (
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
)
"""TFDS's ``_POLICY_SUBSTRINGS``: lines with these are cookie and legal notices."""
CITATION_RE = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
"""Wikipedia-style citation marks TFDS removes from every line."""

SHIPPED_BADWORDS = ("en",)
"""Bad-words lists shipped as package data in ``corpus/data/badwords/<name>.txt``."""

_TOKEN_RE = re.compile(r"\w+")
_PHRASE_BREAK = re.compile(r"[.!?;:\n]")  # what may not stand between the words of a phrase


def _shipped_list(name: str):
    return resources.files("corpus").joinpath("data", "badwords", f"{name}.txt")


def read_badwords(source: str) -> list[str]:
    """Entries of a bad-words list: a shipped list's name (``en``) or a path, one entry a line
    (lower-cased; blank lines and lines starting with "#" are skipped).

    The English list is LDNOOBW's "List of Dirty, Naughty, Obscene, and Otherwise Bad Words"
    (CC-BY-4.0, licence beside it), the list C4 used, read through `importlib.resources` so it
    works from a wheel or a zip as well as from the checkout.
    """
    if source in SHIPPED_BADWORDS:
        text = _shipped_list(source).read_text(encoding="utf-8")
    else:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise ValueError(f"bad-words list {source}: cannot read it: {err}") from None
    entries = [line.strip().lower() for line in text.splitlines()]
    entries = [e for e in entries if e and not e.startswith("#")]
    if not entries:
        raise ValueError(f"bad-words list {source}: no entries")
    return entries


class BadWords:
    """Finds list entries that occur as whole words, without a 400-way regex alternation.

    Entries that are words separated by spaces are matched on the text's ``\\w+`` tokens: single
    words by one set intersection, phrases by comparing the tokens after each occurrence of
    their first word. The few entries with other characters ("s&m", "g-spot", an emoji) are
    looked for as substrings and confirmed with DataTrove's boundary regex
    ``(?:\\W|^)entry(?:\\W|$)``. A phrase's words may be separated by spaces, tabs, commas
    and the like ("2 girls, 1 cup"), where the regex would need single spaces, but never by a
    sentence end or a line break: "to taste.\\n\\nMy first try" does not contain "taste my".
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.words: set[str] = set()
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        self.other: dict[str, re.Pattern[str]] = {}
        for entry in entries:
            tokens = tuple(_TOKEN_RE.findall(entry))
            if " ".join(tokens) != entry:
                self.other[entry] = re.compile(r"(?:\W|^)" + re.escape(entry) + r"(?:\W|$)")
            elif len(tokens) == 1:
                self.words.add(tokens[0])
            else:
                self.phrases.setdefault(tokens[0], []).append(tokens)

    def find(self, text: str) -> set[str]:
        """The distinct entries present in ``text`` (any case)."""
        lower = text.lower()
        tokens = _TOKEN_RE.findall(lower)
        present = set(tokens)
        found = self.words & present
        firsts = present.intersection(self.phrases)
        if firsts:
            spans = [m.span() for m in _TOKEN_RE.finditer(lower)]
            for i, token in enumerate(tokens):
                if token in firsts:
                    for phrase in self.phrases[token]:
                        end = i + len(phrase)
                        if tuple(tokens[i:end]) == phrase and not any(
                            _PHRASE_BREAK.search(lower, spans[j][1], spans[j + 1][0])
                            for j in range(i, end - 1)
                        ):
                            found.add(" ".join(phrase))
        for entry, pattern in self.other.items():
            if entry in lower and pattern.search(lower):
                found.add(entry)
        return found


@cache
def load_badwords(source: str) -> BadWords:
    """One matcher per list and process."""
    return BadWords(read_badwords(source))


class C4Config(FilterConfig):
    """C4's rules (Raffel et al. 2020; TFDS ``c4_utils.py``, the code that built C4).

    Scoring parameters (they decide which lines stay, so changing one means scoring again):
    ``require_terminal_punct``, ``min_words_per_line``, ``max_word_length``, ``remove_citations``,
    ``remove_javascript_lines``, ``remove_policy_lines``, ``badwords``. Thresholds over stored
    scores: ``drop_lorem_ipsum``, ``drop_curly_bracket``, ``max_bad_words``, ``min_sentences``,
    ``min_lines``.
    """

    name: Literal["c4"] = "c4"

    # --- scoring parameters: line removal and what is looked for
    require_terminal_punct: bool = True
    """Scoring: remove lines that do not end in ``END_MARKS`` or that end in "..." (C4). FineWeb
    sets this false and uses its own line-punctuation ratio instead."""
    min_words_per_line: int = Field(5, ge=0)
    """Scoring: remove lines with fewer whitespace-separated words (TFDS: 5; DataTrove's default,
    quoting the paper: 3)."""
    max_word_length: int | None = Field(1000, gt=0)
    """Scoring: remove lines with a word longer than this (TFDS: 1000); ``None`` keeps them."""
    remove_citations: bool = True
    """Scoring: delete "[1]", "[edit]", "[citation needed]" from lines (TFDS)."""
    remove_javascript_lines: bool = True
    """Scoring: remove lines mentioning "javascript" ("enable JavaScript" notices; C4)."""
    remove_policy_lines: bool = True
    """Scoring: remove cookie and terms-of-use lines (``POLICY_SUBSTRINGS``, TFDS)."""
    badwords: str | None = "en"
    """Scoring: the bad-words list, a shipped name (``en``: LDNOOBW, as C4) or a path to a UTF-8
    file with one entry a line; ``None`` does not look for bad words."""

    # --- thresholds over stored scores
    drop_lorem_ipsum: bool = True
    """Drop pages with "lorem ipsum" (placeholder text; C4): a switch, true drops any page whose
    ``lorem_ipsum`` score is above 0."""
    drop_curly_bracket: bool = True
    """Drop pages with a "{" (code; C4), a switch like ``drop_lorem_ipsum``. Skip the rule for
    domains made of code or LaTeX."""
    max_bad_words: int | None = Field(None, ge=0)
    """Drop pages with more distinct bad-words entries than this; off by default (the count is
    still scored as ``bad_words``). C4 dropped any (0 reproduces it), but the list's bias against
    benign text is documented (Dodge et al. 2021), FineWeb leaves the rule out, and on WCXB dev
    every page it dropped was benign: health, fitness and travel guides, reviews, a PubMed Central
    article (docs/benchmarks.md, "The default policy on real pages")."""
    min_sentences: int | None = Field(3, ge=0)
    """Drop pages with fewer sentences left after line removal (TFDS: 3; DataTrove's default,
    quoting the paper: 5)."""
    min_lines: int | None = Field(None, ge=0)
    """Drop pages with fewer lines left after line removal; off by default (not a C4 rule, a
    cheaper stand-in for the sentence count that some ports use, e.g. 5)."""

    @field_validator("badwords")
    @classmethod
    def _badwords_exists(cls, value: str | None) -> str | None:
        if value is None or value in SHIPPED_BADWORDS:
            return value
        if not Path(value).is_file():
            shipped = ", ".join(SHIPPED_BADWORDS)
            raise ValueError(f"{value!r} is neither a shipped list ({shipped}) nor a readable file")
        return value


@register
class C4Filter(Filter[C4Config]):
    """Removes lines (`rewrite`), then scores ``c4.*`` on what is left.

    Scores of the rewrite: ``lines`` (non-empty lines in), ``kept_lines``, ``removed_chars_frac``
    (of the non-empty lines' characters), the number of lines removed by each line rule
    (``removed_long_word``, ``removed_no_terminal_punct``, ``removed_too_few_words``,
    ``removed_javascript``, ``removed_policy``), and the page rules' line-level measurements
    ``lorem_ipsum`` and ``curly_bracket`` (0/1). Scores of the rewritten text: ``sentences`` and
    ``bad_words`` (distinct entries found). Rules, in order: ``lorem_ipsum``, ``curly_bracket``,
    ``bad_words``, ``sentences``, ``lines``.

    Kept lines are stripped, as in TFDS, and joined by one line break, or by a blank line where
    the original had one between them, so paragraphs survive for the stages after this one.
    """

    name = "c4"
    Config = C4Config
    rules = (
        Rule("lorem_ipsum", "max", "drop_lorem_ipsum"),
        Rule("curly_bracket", "max", "drop_curly_bracket"),
        Rule("bad_words", "max", "max_bad_words"),
        Rule("sentences", "min", "min_sentences"),
        Rule("kept_lines", "min", "min_lines", name="lines"),
    )

    def setup(self) -> None:
        self._badwords = load_badwords(self.config.badwords) if self.config.badwords else None

    def rewrite(self, text: str) -> tuple[str, dict[str, float]]:
        """The page without the lines C4's line rules remove, and what the line walk measured.

        ``lorem_ipsum`` and ``curly_bracket`` are measured here, not on the result, because TFDS
        looks for them part-way through the line rules: a javascript line with "lorem ipsum" still
        counts, a javascript line with a "{" does not.
        """
        c = self.config
        max_word = c.max_word_length
        n_lines = total_chars = kept_chars = 0
        long_word = no_punct = few_words = javascript = policy = 0
        lorem = curly = False
        parts: list[str] = []  # kept lines and the line breaks between them
        n_kept = 0
        blank_before = False
        for raw in text.split("\n"):
            line = raw.strip()
            if not line:
                blank_before = n_kept > 0
                continue
            n_lines += 1
            total_chars += len(line)
            if max_word is not None and len(line) > max_word and any(len(w) > max_word for w in line.split()):
                long_word += 1
                continue
            if c.remove_citations and "[" in line:
                line = CITATION_RE.sub("", line).rstrip()
            if c.require_terminal_punct and (not line.endswith(END_MARKS) or line.endswith(ELLIPSIS)):
                no_punct += 1
                continue
            if len(line.split()) < c.min_words_per_line:
                few_words += 1
                continue
            lower = line.lower()
            if "lorem ipsum" in lower:
                lorem = True
            if c.remove_javascript_lines and "javascript" in lower:
                javascript += 1
                continue
            if "{" in line:
                curly = True
            if c.remove_policy_lines and any(p in lower for p in POLICY_SUBSTRINGS):
                policy += 1
                continue
            if n_kept:
                parts.append("\n\n" if blank_before else "\n")
            parts.append(line)
            n_kept += 1
            kept_chars += len(line)
            blank_before = False
        return "".join(parts), {
            "lines": float(n_lines),
            "kept_lines": float(n_kept),
            "removed_chars_frac": 1.0 - kept_chars / total_chars if total_chars else 0.0,
            "removed_long_word": float(long_word),
            "removed_no_terminal_punct": float(no_punct),
            "removed_too_few_words": float(few_words),
            "removed_javascript": float(javascript),
            "removed_policy": float(policy),
            "lorem_ipsum": float(lorem),
            "curly_bracket": float(curly),
        }

    def drop_detail(self, rule: str, doc: Document) -> str:
        """For ``bad_words``, the entries found, so a reader sees which word did it (the list's
        bias against benign text is documented: Dodge et al. 2021)."""
        detail = super().drop_detail(rule, doc)
        if rule == "bad_words" and self._badwords is not None and doc.text:
            detail += ": " + ", ".join(sorted(self._badwords.find(doc.text)))
        return detail

    def score(self, doc: Document, view: TextView) -> dict[str, float]:
        """Sentences and bad words of the rewritten text; the sentence split is the view's, so
        the toxicity filter after this one reuses it."""
        text = view.text
        bad = len(self._badwords.find(text)) if self._badwords is not None and text else 0
        return {"sentences": float(len(view.sentences)), "bad_words": float(bad)}
