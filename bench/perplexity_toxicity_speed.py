"""Documents per second of the perplexity and toxicity filters against their reference loops.

    python bench/perplexity_toxicity_speed.py [--passes 3] [--write-sample calib.jsonl]

Text: the 181 hand-made article bodies of ../shared/data/article-extraction-benchmark (real news
in several languages; all scored as if English, the worst case for the LM) plus the pages of the
calibration sample below. One process, one core, the same documents for both sides, in one run.

* Perplexity. Ours: `PerplexityFilter.score` (CCNet normalisation over the whole text at once,
  one SentencePiece batch call per document, KenLM per line). Peer: CCNet's ``DocLM`` loop
  (normalise, encode and score line by line), on the same model files. Both must give the same
  perplexities.
* Toxicity. Ours: `ToxicityFilter.score` (document + sentences in one closed-form batch). Peers:
  ``profanity_check.predict_prob`` with the document and its sentences in one call (what batching
  alone buys), and one call per sentence. All must give the same probabilities.

``--write-sample`` also writes the calibration sample the perplexity cutoffs in configs/clean.yaml
were computed from: the held-out articles' full pages and the pages of the shared WARC, through
the cleaning chain up to the perplexity filter, as JSON lines for ``python -m corpus.lm
calibrate --input``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.filters.language import identify, load_lid_model  # noqa: E402
from corpus.filters.perplexity import PerplexityConfig, PerplexityFilter  # noqa: E402
from corpus.filters.toxicity import ToxicityConfig, ToxicityFilter  # noqa: E402
from corpus.lm.normalize import _PUNCT_MAP  # noqa: E402
from corpus.lm.reference import HELDOUT_EVERY, MIN_LID_SCORE  # noqa: E402
from corpus.text import TextView  # noqa: E402
from formats.documents import Document  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
BENCH = SHARED / "article-extraction-benchmark"
WARC = SHARED / "warc" / "sample-0000.warc.gz"


def calibration_sample() -> list[dict[str, str]]:
    """Real English pages the built-in model never saw, with the text the perplexity filter gets.

    Each page goes through configs/clean.yaml's chain up to the perplexity filter (extraction,
    language, the quality filters, C4's line removal), exactly as ``pipelines.clean`` runs it;
    pages those filters keep are the sample, as a Stage 1 output's Parquet would hold them.
    """
    from common.config import load_config
    from corpus.cleaner import Cleaner
    from corpus.config import CleanConfig
    from corpus.warc import iter_records
    from formats.documents import RawRecord

    config = load_config(ROOT / "configs" / "clean.yaml", CleanConfig)
    names = [f.name for f in config.filters]
    before = config.model_copy(update={"filters": config.filters[: names.index("perplexity")]})
    lid = load_lid_model()
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))

    def is_english(text: str) -> bool:
        lang, score = identify(lid, text)[0]
        return lang == "en" and score > MIN_LID_SCORE

    english = [k for k in sorted(truth) if is_english(truth[k]["articleBody"])]
    records = [
        RawRecord(
            source=str(BENCH / "html" / f"{key}.html.gz"),
            offset=0,
            record_id=key,
            url=truth[key]["url"],
            http_status=200,
            content_type="text/html; charset=utf-8",
            body=gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes()),
        )
        for key in english[::HELDOUT_EVERY]  # the articles corpus.lm.reference held out
    ]
    records += list(iter_records(lambda: WARC.open("rb"), str(WARC)))
    rows = []
    with Cleaner(before) as cleaner:
        for record in records:
            doc = cleaner.clean(record)
            if doc.kept and doc.lang == "en":
                rows.append({"text": doc.text, "lang": doc.lang, "source": doc.url})
    return rows


_CONTROL_RE = re.compile("[" + "".join(map(chr, [*range(32), *range(127, 160)])) + "]")
_DIGIT_RE = re.compile(r"\d")


def ccnet_normalize(line: str) -> str:
    """cc_net/text_normalizer.normalize as published (per line, per character), but control
    characters become spaces as in ours, so both sides produce the same text."""
    line = line.strip()
    if not line:
        return line
    line = line.lower()
    nfd = unicodedata.normalize("NFD", line)
    line = "".join(c for c in nfd if unicodedata.category(c) != "Mn")
    line = _DIGIT_RE.sub("0", line)
    line = "".join(_PUNCT_MAP.get(c, c) for c in line)
    return _CONTROL_RE.sub(" ", line).strip()


def timed(fn: Callable[[str], object], texts: list[str], passes: int) -> tuple[float, list[object]]:
    """Best-of-``passes`` documents per second, and the outputs of the last pass."""
    best, out = 0.0, []
    for _ in range(passes):
        start = time.perf_counter()
        out = [fn(t) for t in texts]
        best = max(best, len(texts) / (time.perf_counter() - start))
    return best, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--write-sample", type=Path, help="also write the calibration sample here")
    args = parser.parse_args()
    if not BENCH.is_dir() or not WARC.is_file():
        sys.exit(f"needs {BENCH} and {WARC}")

    sample = calibration_sample()
    if args.write_sample:
        args.write_sample.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
        print(f"wrote {len(sample)} pages to {args.write_sample}")
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    texts = [v["articleBody"] for v in truth.values() if v.get("articleBody")] + [r["text"] for r in sample]
    print(f"{len(texts)} documents, {sum(map(len, texts)) / 1e6:.2f} M characters, best of {args.passes}")

    def doc(text: str) -> Document:
        return Document(id="d", url="u", domain="web", text=text, lang="en")

    ppl = PerplexityFilter(PerplexityConfig())
    ppl.setup()
    model = ppl._models["en"]
    lm, sp = model._lm, model._sp

    def ccnet_doclm(text: str) -> float | None:
        """cc_net/perplexity.py DocLM.do with cc_net/text_normalizer.normalize, on our model files."""
        log_score, length = 0.0, 0
        for line in text.split("\n"):
            line = ccnet_normalize(line)
            if not line:
                continue
            tokenized = " ".join(sp.encode_as_pieces(line))
            if not tokenized:  # CCNet would score "<s> </s>" here; ours skips such lines
                continue
            log_score += lm.score(tokenized)
            length += len(tokenized.split()) + 1
        return 10.0 ** (-log_score / length) if length else None

    ours_ppl, ours_out = timed(lambda t: ppl.score(doc(t), TextView(t)).get("value"), texts, args.passes)
    peer_ppl, peer_out = timed(ccnet_doclm, texts, args.passes)
    diff = max(abs(a - b) / b for a, b in zip(ours_out, peer_out, strict=True) if a is not None)

    tox = ToxicityFilter(ToxicityConfig())
    tox.setup()
    from profanity_check import predict_prob

    def batched_sklearn(text: str) -> float:
        sentences = TextView(text).sentences
        return float(predict_prob([text, *sentences])[1:].max())

    def per_sentence_sklearn(text: str) -> float:
        return max(float(predict_prob([s])[0]) for s in TextView(text).sentences)

    ours_tox, tox_out = timed(lambda t: tox.score(doc(t), TextView(t))["max_sentence"], texts, args.passes)
    batch_tox, batch_out = timed(batched_sklearn, texts, args.passes)
    single_tox, single_out = timed(per_sentence_sklearn, texts, 1)
    tox_diff = float(np.max(np.abs(np.array(tox_out) - np.array(batch_out))))
    assert np.allclose(batch_out, single_out, atol=1e-12)

    print(f"{'filter':<12} {'implementation':<46} {'docs/s':>8} {'ratio':>7}")
    rows = [
        ("perplexity", "ours (whole-text normalise, batch SentencePiece)", ours_ppl, ours_ppl / peer_ppl),
        ("perplexity", "CCNet DocLM loop (line by line)", peer_ppl, 1.0),
        ("toxicity", "ours (closed form, one batch per document)", ours_tox, ours_tox / batch_tox),
        ("toxicity", "predict_prob, document + sentences in 1 call", batch_tox, 1.0),
        ("toxicity", "predict_prob, one call per sentence", single_tox, single_tox / batch_tox),
    ]
    for name, impl, speed, ratio in rows:
        print(f"{name:<12} {impl:<46} {speed:>8.0f} {ratio:>6.2f}x")
    print(f"max relative perplexity difference ours vs CCNet loop: {diff:.1e}")
    print(f"max toxicity difference ours vs predict_prob: {tox_diff:.1e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
