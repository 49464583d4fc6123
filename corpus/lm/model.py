"""Document perplexity under a KenLM model, the way CCNet computes it.

CCNet (Wenzek et al. 2020) normalises each line, tokenises it with the SentencePiece model the
LM was trained with, scores it with KenLM (``<s>`` and ``</s>`` added), and sums over the lines:
``perplexity = 10 ** (-sum(log10 p) / sum(tokens + 1))``, the ``+ 1`` being each line's ``</s>``.
A model without a SentencePiece file is taken to be over whitespace-separated words, the usual
``lmplz`` set-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corpus.lm.normalize import normalize_lines

_RESERVED = {"<s>", "</s>"}


class NGramLM:
    """A loaded KenLM model with its tokenizer; load once per worker, it is read-only."""

    def __init__(
        self, kenlm_path: str | Path, sentencepiece_path: str | Path | None = None, normalize: bool = True
    ) -> None:
        import kenlm

        self.kenlm_path = Path(kenlm_path)
        self.sentencepiece_path = Path(sentencepiece_path) if sentencepiece_path else None
        self.normalize = normalize
        for what, path in (
            ("KenLM model", self.kenlm_path),
            ("SentencePiece model", self.sentencepiece_path),
        ):
            if path is not None and not path.is_file():
                raise FileNotFoundError(f"{what} not found: {path}")
        config = kenlm.Config()
        config.show_progress = False
        try:
            self._lm = kenlm.Model(str(self.kenlm_path), config)
        except OSError as err:
            raise ValueError(f"{self.kenlm_path}: not a KenLM ARPA or binary model: {err}") from None
        self._sp = None
        if self.sentencepiece_path is not None:
            import sentencepiece as spm

            try:
                self._sp = spm.SentencePieceProcessor(model_file=str(self.sentencepiece_path))
            except (OSError, RuntimeError) as err:
                raise ValueError(f"{self.sentencepiece_path}: not a SentencePiece model: {err}") from None

    @property
    def order(self) -> int:
        return int(self._lm.order)

    def tokenize(self, lines: Iterable[str]) -> list[str]:
        """Lines as the model's training text looked: normalised, tokens joined by spaces.

        Lines empty after normalisation are dropped; they carry no evidence either way.
        """
        if self.normalize:
            prepared = normalize_lines(lines)
        else:
            prepared = [s for s in (line.strip() for line in lines) if s]
        if self._sp is not None:
            pieces = self._sp.encode(prepared, out_type=str, num_threads=1)
            return [" ".join(p) for p in pieces if p]
        # Padding tokens in the text would be read by KenLM as sentence boundaries.
        return [" ".join(w if w not in _RESERVED else "<unk>" for w in line.split()) for line in prepared]

    def log10_and_length(self, lines: Iterable[str]) -> tuple[float, int]:
        """Summed log10 probability of the lines and their token count (each ``</s>`` included)."""
        score = self._lm.score
        total, length = 0.0, 0
        for line in self.tokenize(lines):
            total += score(line, bos=True, eos=True)
            length += line.count(" ") + 2
        return total, length

    def perplexity(self, lines: Iterable[str]) -> float | None:
        """CCNet's document perplexity; None when nothing is left to score."""
        total, length = self.log10_and_length(lines)
        return 10.0 ** (-total / length) if length else None
