"""The published quality rules, written out independently to check the sample's ground truth.

These follow the papers and DataTrove's reference code (Gopher: Rae et al. 2021; C4: Raffel et
al. 2020 and TFDS; FineWeb: Penedo et al. 2024) with the thresholds of
../shared/notes/data-anchors.md. They are a test oracle for the generator, not the pipeline's
filters: where the ports differ (C4's words per line and sentence minimum) the stricter reading
is applied, so text that passes here passes any of them.

Each function returns the names of the rules the text breaks (empty: passes).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

_TOKEN_RE = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]+")
_PUNCT_ONLY_RE = re.compile(r"^[^\w]+$")
STOP_WORDS = {"the", "be", "to", "of", "and", "that", "have", "with"}


def tokens(text: str) -> list[str]:
    """Words and punctuation runs, the way a word tokenizer splits (DataTrove's split_into_words)."""
    return _TOKEN_RE.findall(text)


def gopher_quality(text: str) -> list[str]:
    failed = []
    toks = tokens(text)
    words = [t for t in toks if not _PUNCT_ONLY_RE.match(t)]
    n = len(words)
    if n < 50 or n > 100_000:
        return ["word_count"]
    mean_len = sum(len(w) for w in words) / n
    if not 3 <= mean_len <= 10:
        failed.append("mean_word_length")
    if text.count("#") / n > 0.1:
        failed.append("hash_ratio")
    if (text.count("...") + text.count("…")) / n > 0.1:
        failed.append("ellipsis_ratio")
    lines = [line for line in text.splitlines() if line.strip()]
    if lines:
        bullets = sum(line.lstrip().startswith(("•", "-", "*")) for line in lines)
        if bullets / len(lines) > 0.9:
            failed.append("bullet_lines")
        ellipsis = sum(line.rstrip().endswith(("...", "…")) for line in lines)
        if ellipsis / len(lines) > 0.3:
            failed.append("ellipsis_lines")
    if sum(any(c.isalpha() for c in w) for w in words) / n < 0.8:
        failed.append("alpha_words")
    if sum(w.lower() in STOP_WORDS for w in words) < 2:
        failed.append("stop_words")
    return failed


def _duplicates(items: list[str]) -> tuple[int, int]:
    seen: set[str] = set()
    dup_items = dup_chars = 0
    for item in items:
        if item in seen:
            dup_items += 1
            dup_chars += len(item)
        else:
            seen.add(item)
    return dup_items, dup_chars


def _all_duplicate_chars(words: list[str], n: int) -> int:
    seen: set[str] = set()
    repeated = i = 0
    while i < len(words) - n + 1:
        gram = "".join(words[i : i + n])
        if gram in seen:
            repeated += len(gram)
            i += n
        else:
            seen.add(gram)
            i += 1
    return repeated


def gopher_repetition(text: str) -> list[str]:
    failed = []
    total = len(text)
    if not total:
        return ["empty"]
    paragraphs = [p for p in re.split(r"\n{2,}", text.strip()) if p.strip()]
    dup, chars = _duplicates(paragraphs)
    if paragraphs and dup / len(paragraphs) > 0.3:
        failed.append("dup_para_frac")
    if chars / total > 0.2:
        failed.append("dup_para_char_frac")
    lines = [line for line in re.split(r"\n+", text) if line.strip()]
    dup, chars = _duplicates(lines)
    if lines and dup / len(lines) > 0.3:
        failed.append("dup_line_frac")
    if chars / total > 0.2:
        failed.append("dup_line_char_frac")
    words = [t.lower() for t in tokens(text) if not _PUNCT_ONLY_RE.match(t)]
    for n, limit in ((2, 0.20), (3, 0.18), (4, 0.16)):
        grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        if grams:
            gram, count = Counter(grams).most_common(1)[0]
            if len(gram) * count / total > limit:
                failed.append(f"top_{n}_gram")
    for n, limit in ((5, 0.15), (6, 0.14), (7, 0.13), (8, 0.12), (9, 0.11), (10, 0.10)):
        if _all_duplicate_chars(words, n) / total > limit:
            failed.append(f"dup_{n}_gram")
    return failed


_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
_END_MARKS = (".", "?", "!", '"', "'", "\u201d")
_SENTENCE_RE = re.compile(r"[.!?]+(?:[\"'\u201d])?(?=\s|$)")


def c4(text: str) -> list[str]:
    """C4's page rules; also reports ``too_few_lines`` when under 5 valid lines survive (TFDS)."""
    kept: list[str] = []
    sentences = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line.endswith(_END_MARKS) or line.endswith(("...", "…")):
            continue
        if len(line.split()) < 5:
            continue
        low = line.lower()
        if "lorem ipsum" in low:
            return ["lorem_ipsum"]
        if "javascript" in low:
            continue
        if "{" in line:
            return ["curly_bracket"]
        if any(p in low for p in _POLICY):
            continue
        kept.append(line)
        sentences += max(1, len(_SENTENCE_RE.findall(line)))
    failed = []
    if sentences < 5:
        failed.append("too_few_sentences")
    if len(kept) < 5:
        failed.append("too_few_lines")
    return failed


def fineweb(text: str) -> list[str]:
    failed = []
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return ["empty"]
    terminal = (".", "!", "?", "\u201d", '"', "'", ":", ";", "\u3002", "!")
    if sum(line.rstrip().endswith(terminal) for line in lines) / len(lines) <= 0.12:
        failed.append("line_punct_ratio")
    if sum(len(line) <= 30 for line in lines) / len(lines) >= 0.67:
        failed.append("short_line_ratio")
    _, dup_chars = _duplicates(lines)
    if dup_chars / max(1, len(text.replace("\n", ""))) >= 0.1:
        failed.append("char_dup_ratio")
    n_words = len([t for t in tokens(text) if not _PUNCT_ONLY_RE.match(t)])
    if n_words and text.count("\n") / n_words > 0.3:
        failed.append("list_ratio")
    return failed


def quality_failures(text: str) -> list[str]:
    """Every rule of the four filters that ``text`` breaks, prefixed with the filter name."""
    out = []
    for name, fn in (
        ("gopher_quality", gopher_quality),
        ("gopher_repetition", gopher_repetition),
        ("c4", c4),
        ("fineweb", fineweb),
    ):
        out.extend(f"{name}.{rule}" for rule in fn(text))
    return out


def badwords_path() -> Path | None:
    """The LDNOOBW English list: the package copy when it exists, else the shared data copy."""
    here = Path(__file__).resolve().parents[2]
    for candidate in (
        here / "corpus" / "data" / "badwords" / "en.txt",
        here.parent / "shared" / "data" / "badwords" / "en",
        Path("/work/shared/data/badwords/en"),
    ):
        if candidate.is_file():
            return candidate
    return None


def badwords_regex(path: Path) -> re.Pattern[str]:
    """C4's matcher: a list entry bounded by non-word characters, on lower-cased text."""
    entries = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines() if w.strip()]
    entries.sort(key=len, reverse=True)
    return re.compile(r"(?:\W|^)(" + "|".join(re.escape(w) for w in entries) + r")(?:\W|$)")


def shingles(text: str, n: int = 5) -> set[str]:
    """Word n-gram shingles (lower-cased ``\\w+`` words), FineWeb's MinHash input."""
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def max_pairwise_jaccard(sets: list[set[str]]) -> tuple[float, int, int]:
    """(Jaccard, i, j) of the most similar pair, via an inverted index of the shingles.

    Only pairs that share a shingle are counted, so this is linear in the number of shared
    shingles rather than quadratic in the number of documents.
    """
    index: dict[str, list[int]] = {}
    for i, s in enumerate(sets):
        for sh in s:
            index.setdefault(sh, []).append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in index.values():
        for a in range(len(docs)):
            for b in range(a + 1, len(docs)):
                shared[(docs[a], docs[b])] += 1
    best = (0.0, -1, -1)
    for (i, j), n in shared.items():
        jac = n / (len(sets[i]) + len(sets[j]) - n)
        if jac > best[0]:
            best = (jac, i, j)
    return best
