"""Whether the exported Hugging Face tokenizer gives, document by document, the ids we write.

"Ours" is what `tokenization.encode` writes for a document: `DocumentEncoder`'s ids framed by
`frame_documents` with the training record's BOS/EOS. "Theirs" is
``AutoTokenizer.from_pretrained(folder)(texts)["input_ids"]``, loaded offline. A difference is
reported with the document's name and the first differing position, with the pieces around it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from tokenization.encoder import DocumentEncoder
from tokenization.model_files import TokenizerFiles, load_processor
from tokenization.packing import frame_documents
from tokenization.sources import find_shards, iter_text_batches, read_ids

BATCH = 512
SHOWN = 10
"""Mismatches described in a report; the rest are counted."""

TRAPS = {
    "empty": "",
    "one space": " ",
    "leading spaces": "  two leading spaces",
    "trailing spaces": "trailing spaces  ",
    "trailing space": "one trailing space ",
    "only spaces": "    ",
    "special-token strings": "</s> <s> <unk> <pad> </s>x<s>y <s></s>",
    "byte-piece strings": "<0x41> <0xE6><0x97> <0x0A>",
    "the whitespace mark": "\u2581 \u2581\u2581already \u2581 marked\u2581",
    "CJK": "漢字とかな、カタカナ。한국어 문장. 中文句子没有空格",
    "emoji": "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇫🇷!",
    "code indentation": "def f(x):\n    if x:\n\treturn  x\n\n        pass\n",
    "whitespace runs": "a\n\n\n  b\t\tc \r\n d\u00a0e\u3000f   \n",
    "digits": "12345 3.14159 1,000,000 0x1F",
    "control characters": "\x00nul\x01\x7f del \u200b\ufeff zero width",
    "combining and compatibility forms": "e\u0301 A\u030a ﬁ ① Ａ ｶ",
    "right to left": "שלום עולם مرحبا بالعالم",
}
"""Hand-written traps: the dummy prefix, special-token strings typed as text, byte fallback,
whitespace, scripts without spaces, emoji sequences, code, characters NFKC would change."""

_FRAGMENTS = [" ", "  ", "    ", "\n", "\n\n", "\t", "</s>", "<s>", "<unk>", "<pad>", "\u2581", "<0x20>"]
_CHARS = "éüßçøΩжЖ漢字かな한😀👍🏽\u200d🇫🇷\u0301①ﬁ\x00\x1f¿€"


def trap_texts(vocabulary: Sequence[str] = (), n: int = 200, seed: int = 0) -> list[tuple[str, str]]:
    """The hand-written traps, then ``n`` seeded random texts mixing words (from
    ``vocabulary``, else ASCII), whitespace runs, special-token strings and rare characters."""
    rng = random.Random(seed)
    words = [w for w in vocabulary if w.strip()] or ["the", "of", "river", "def", "x", "42", "Town"]
    texts = list(TRAPS.items())
    for k in range(n):
        parts = []
        for _ in range(rng.randint(1, 60)):
            roll = rng.random()
            if roll < 0.6:
                parts.append(rng.choice(words))
            elif roll < 0.85:
                parts.append(rng.choice(_FRAGMENTS))
            else:
                parts.append("".join(rng.choices(_CHARS, k=rng.randint(1, 4))))
        texts.append((f"generated text {k} (seed {seed})", "".join(parts)))
    return texts


def vocabulary_words(files: TokenizerFiles) -> list[str]:
    """The model's ordinary pieces as text (``▁`` as a space): words its merges will build."""
    sp = load_processor(files.model)
    return [
        sp.id_to_piece(i).replace("\u2581", " ")
        for i in range(sp.get_piece_size())
        if not (sp.is_control(i) or sp.is_unknown(i) or sp.is_byte(i) or sp.is_unused(i))
    ]


def first_difference(ours: Sequence[int], theirs: Sequence[int]) -> int | None:
    """Index of the first position where the id lists differ (a length difference counts at the
    shorter one's end); None when they are equal."""
    a, b = np.asarray(ours, dtype=np.int64), np.asarray(theirs, dtype=np.int64)
    m = min(len(a), len(b))
    differ = np.flatnonzero(a[:m] != b[:m])
    if len(differ):
        return int(differ[0])
    return None if len(a) == len(b) else m


@dataclass(frozen=True, slots=True)
class Mismatch:
    document: str
    position: int
    ours: tuple[str, ...]
    theirs: tuple[str, ...]
    """Pieces from the first differing position on (a few)."""

    def describe(self) -> str:
        return (
            f"{self.document}: first difference at token {self.position}: "
            f"ours {list(self.ours)} vs Hugging Face {list(self.theirs)}"
        )


@dataclass
class ParityReport:
    what: str
    documents: int = 0
    tokens: int = 0
    mismatched: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return self.mismatched == 0

    def add(self, name: str, ours: Sequence[int], theirs: Sequence[int], piece: Any) -> None:
        self.documents += 1
        self.tokens += len(ours)
        at = first_difference(ours, theirs)
        if at is None:
            return
        self.mismatched += 1
        if len(self.mismatches) < SHOWN:
            window = slice(at, at + 4)
            self.mismatches.append(
                Mismatch(
                    name,
                    at,
                    tuple(piece(int(i)) for i in ours[window]),
                    tuple(piece(int(i)) for i in theirs[window]),
                )
            )

    def summary(self) -> str:
        same = self.documents - self.mismatched
        share = same / self.documents if self.documents else 1.0
        lines = [
            f"{self.what}: {same:,} of {self.documents:,} documents ({share:.2%}) encode to identical ids "
            f"({self.tokens:,} tokens)"
        ]
        lines += [f"  {m.describe()}" for m in self.mismatches]
        if self.mismatched > len(self.mismatches):
            lines.append(f"  ... and {self.mismatched - len(self.mismatches):,} more")
        return "\n".join(lines)


def load_hf_tokenizer(folder: str | Path) -> Any:
    """``AutoTokenizer.from_pretrained(folder)``, offline (a local folder never touches the hub)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(folder), local_files_only=True)


def our_ids(encoder: DocumentEncoder, files: TokenizerFiles, texts: list[str]) -> list[np.ndarray]:
    """Each text's ids as `tokenization.encode` writes them (framed)."""
    flat, lengths = encoder.encode(texts)
    framed, framed_lengths = frame_documents(flat, lengths, files.framing.bos_id, files.framing.eos_id)
    return np.split(framed, np.cumsum(framed_lengths)[:-1])


def check_texts(files: TokenizerFiles, hf: Any, named: Iterable[tuple[str, str]], what: str) -> ParityReport:
    """Compare ours and Hugging Face's ids on ``(name, text)`` pairs."""
    encoder = DocumentEncoder(files.model)
    report = ParityReport(what)
    batch: list[tuple[str, str]] = []
    for item in named:
        batch.append(item)
        if len(batch) == BATCH:
            _compare(encoder, files, hf, batch, report)
            batch = []
    if batch:
        _compare(encoder, files, hf, batch, report)
    return report


def _compare(
    encoder: DocumentEncoder,
    files: TokenizerFiles,
    hf: Any,
    batch: list[tuple[str, str]],
    report: ParityReport,
) -> None:
    texts = [text for _, text in batch]
    ours = our_ids(encoder, files, texts)
    theirs = hf(texts)["input_ids"]
    for (name, _), a, b in zip(batch, ours, theirs, strict=True):
        report.add(name, a, b, encoder.sp.id_to_piece)


def corpus_texts(clean_out: str | Path) -> Iterator[tuple[str, str]]:
    """Every kept document of a Stage 1 output, named by shard, row and id."""
    root = Path(clean_out)
    for shards in find_shards(root).values():
        for shard in shards:
            ids, _ = read_ids(shard)
            row = 0
            for texts in iter_text_batches(shard):
                for text in texts:
                    yield f"{shard.path.relative_to(root)} row {row} (id {ids[row]})", text
                    row += 1


def check_corpus(files: TokenizerFiles, hf: Any, clean_out: str | Path) -> ParityReport:
    return check_texts(files, hf, corpus_texts(clean_out), f"{clean_out} (every kept document)")
