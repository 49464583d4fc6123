"""Derived pages: near-duplicate copies, Latin-1 pages and the bodies of broken records."""

from __future__ import annotations

import random
import re
from dataclasses import replace

from devkit.sample import vocab
from devkit.sample.grammar import lines, pick
from devkit.sample.text import Block, Doc, Writer
from devkit.synthetic import jaccard

# ----------------------------------------------------------------------------------------------
# Near duplicates

_SYNONYMS = {
    "said": "stated",
    "says": "states",
    "many": "several",
    "big": "large",
    "small": "little",
    "quickly": "rapidly",
    "started": "began",
    "help": "assist",
    "show": "reveal",
    "about": "around",
    "also": "additionally",
    "but": "yet",
    "because": "since",
    "new": "fresh",
    "old": "former",
    "most": "the majority of",
    "people": "residents",
    "very": "extremely",
    "often": "frequently",
    "almost": "nearly",
    "later": "afterwards",
    "before": "prior to",
    "important": "significant",
    "enough": "sufficient",
}

_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _edit_words(text: str, start: int, count: int, rng: random.Random) -> tuple[str, int]:
    """Replace ``count`` consecutive words from word index ``start``; returns (text, words changed)."""
    matches = list(_WORD_RE.finditer(text))
    if start >= len(matches):
        return text, 0
    out, last, changed = [], 0, 0
    for m in matches[start : start + count]:
        word = m.group(0)
        low = word.lower()
        new = _SYNONYMS.get(low) or pick(rng, vocab.GENERAL_ADJS + vocab.ADVERBS + vocab.ABSTRACT_NOUNS)
        if new == low:
            continue
        if word[0].isupper():
            new = new[0].upper() + new[1:]
        out.append(text[last : m.start()])
        out.append(new)
        last = m.end()
        changed += 1
    out.append(text[last:])
    return "".join(out), changed


def near_duplicate(doc: Doc, rng: random.Random, *, note: str = "", min_jaccard: float = 0.88) -> Doc:
    """A copy of ``doc`` with about 2-5% of its words changed in a few contiguous edits.

    Edits are clustered (an editor rewrites a phrase, not every twentieth word), which is how a
    syndicated or lightly revised page differs from its source and keeps the word 5-gram Jaccard
    well above 0.8; the result is re-measured on the MinHash stage's own shingles (so the bound
    holds for what the pipeline compares) and the edit redone smaller (and without the note) if
    it fell below ``min_jaccard``. ``note`` (a syndication credit) is appended as a
    last paragraph.
    """
    total = doc.n_words()
    share = rng.uniform(0.02, 0.05)
    for attempt in range(8):
        budget = max(1, round(total * share))
        blocks = [replace(b) for b in doc.blocks]
        paragraphs = [i for i, b in enumerate(blocks) if b.tag == "p" and len(b.text.split()) >= 12]
        n_spans = min(len(paragraphs), rng.randint(2, 3))
        changed = 0
        for i in rng.sample(paragraphs, n_spans):
            n_words = len(_WORD_RE.findall(blocks[i].text))
            span = max(1, budget // n_spans)
            start = rng.randrange(max(1, n_words - span))
            blocks[i].text, c = _edit_words(blocks[i].text, start, span, rng)
            changed += c
        if note and attempt < 4:  # a long credit line costs too much Jaccard on a short page
            blocks.append(Block("p", note))
        copy = replace(doc, blocks=blocks, extra=dict(doc.extra))
        if changed and jaccard(doc.text, copy.text) >= min_jaccard:
            return copy
        share *= 0.7
    raise ValueError(f"could not make a near duplicate of {doc.title!r} above Jaccard {min_jaccard}")


# ----------------------------------------------------------------------------------------------
# Latin-1 / windows-1252 pages

LATIN1_SENTENCES = lines(
    """
    We stopped at a small café near the {place} for a crème brûlée and a café au lait before the rain started.
    The façade of the old hôtel de ville in {town} was cleaned last spring and looks better than it has in years.
    Our guide, Zoë, gave us a naïve but charming résumé of the town's history on the walk back.
    The jalapeño salsa at the bistro on the corner was the best thing we ate all week.
    A stallholder at the market sold us Gruyère, Emmental and a jar of chestnut purée for the journey home.
    {first} swears that the piñata at the school fête was the highlight of the summer.
    The menu lists a soupçon of lemon in the dressing, which is exactly what the salad needs.
    Renée, who runs the bakery, learned to make pâte brisée from her grandmother in Zürich.
    """
)


def latin1_doc(base: Doc, rng: random.Random, *, smart_quotes: bool) -> Doc:
    """``base`` with sentences full of accented words; ``smart_quotes`` adds ’ “ ” (windows-1252 only)."""
    (travel,) = vocab.web_topics("travel")
    w = Writer(rng, travel)
    blocks = [replace(b) for b in base.blocks]
    paragraphs = [i for i, b in enumerate(blocks) if b.tag == "p"]
    for i, sentence in zip(
        rng.sample(paragraphs, min(3, len(paragraphs))), rng.sample(LATIN1_SENTENCES, 3), strict=False
    ):
        blocks[i].text = blocks[i].text + " " + w.say(sentence)
    if smart_quotes:
        for b in blocks:
            b.text = b.text.replace("'", "\u2019")
            b.text = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", b.text)
    return replace(base, blocks=blocks, extra=dict(base.extra))


# ----------------------------------------------------------------------------------------------
# Bodies of broken records

_CP1252_UNDEFINED = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D])


def garbage_html(rng: random.Random, n_bytes: int = 6000) -> bytes:
    """An HTML page whose text is bytes that no plausible charset decodes.

    High bytes in random order are invalid UTF-8 (a lead byte must be followed by continuation
    bytes), and the five bytes windows-1252 leaves undefined are sprinkled in so a strict cp1252
    fallback fails too. No NUL bytes: this should read as broken text, not as a binary file.
    """
    junk = bytearray()
    while len(junk) < n_bytes:
        r = rng.random()
        if r < 0.08:
            junk += bytes([pick(rng, list(_CP1252_UNDEFINED))])
        elif r < 0.15:
            junk += b" "
        else:
            junk.append(rng.randint(0xC0, 0xFF) if rng.random() < 0.5 else rng.randint(0x80, 0xBF))
            junk.append(rng.randint(0xC0, 0xFF))  # a lead byte where a continuation byte must be
    return (
        b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>'
        + bytes(junk[:40])
        + b"</title></head>\n<body><main><article><p>"
        + bytes(junk)
        + b"</p></article></main></body></html>\n"
    )


def pdf_bytes(rng: random.Random, title: str) -> bytes:
    """A small PDF file: header, catalogue objects, a compressed-looking binary stream, trailer."""
    stream = rng.randbytes(rng.randint(4000, 12000))
    parts = [
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n",
        b"4 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream),
        stream,
        b"\nendstream\nendobj\n",
        b"5 0 obj\n<< /Title (" + title.encode("ascii", "ignore")[:60] + b") >>\nendobj\n",
        b"xref\n0 6\n0000000000 65535 f \ntrailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n0\n%%EOF\n",
    ]
    return b"".join(parts)


def jpeg_bytes(rng: random.Random) -> bytes:
    """JFIF header, quantisation-table-like bytes and random scan data, ending with EOI."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"
    dqt = b"\xff\xdb\x00\x43\x00" + bytes(rng.randint(1, 64) for _ in range(64))
    sof = b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    scan = rng.randbytes(rng.randint(8000, 30000)).replace(b"\xff", b"\xff\x00")
    return (
        header + dqt + sof + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00" + scan + b"\xff\xd9"
    )
