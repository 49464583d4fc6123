"""Documents per second of the perplexity and toxicity filters against their reference loops.

    python bench/perplexity_toxicity_speed.py [--rounds 3] [--results] [--write-sample calib.jsonl]

Text: the 181 hand-made article bodies of ../shared/data/article-extraction-benchmark (real news
in several languages; all scored as if English, the worst case for the LM) plus the pages of the
calibration sample below. One process, one core, the same documents for both sides, in
``--rounds`` alternating rounds (ours, peer, peer, ours, ...), each a pass over all documents;
reported: documents per CPU-second, median and spread, wall seconds beside CPU seconds, and the
median of the per-round ratios (``--results`` stores bench/results/perplexity_toxicity.json).

* Perplexity. Ours: `PerplexityFilter.score` (CCNet normalisation over the whole text at once,
  one SentencePiece batch call per document, KenLM per line). Peer: CCNet's ``DocLM`` loop
  (normalise, encode and score line by line) with CCNet's own ``text_normalizer`` (its
  punctuation table and its deletion of control characters, copied here, nothing of ours), on
  the same model files. Reported: how many documents' perplexities differ and by how much.
* Toxicity. Ours: `ToxicityFilter.score` (document + sentences in one closed-form batch). Peer:
  ``profanity_check.predict_prob`` at its best, one call per batch of ``--batch`` documents (every
  document and its sentences in one call; its ~5 ms is per call, not per text); the maximum per
  document is taken after. Both must give the same probabilities.

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
import statistics
import sys
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import alternate, ratio_summary, spread, summary, write_result  # noqa: E402

from corpus.filters.language import identify, load_lid_model  # noqa: E402
from corpus.filters.perplexity import PerplexityConfig, PerplexityFilter  # noqa: E402
from corpus.filters.toxicity import ToxicityConfig, ToxicityFilter  # noqa: E402
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


# cc_net/text_normalizer.py (facebookresearch/cc_net, MIT), the peer's own table and rules.
CCNET_UNICODE_PUNCT = {
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
CCNET_NON_PRINTING_CHARS_RE = re.compile(f"[{''.join(map(chr, list(range(0, 32)) + list(range(127, 160))))}]")
CCNET_DIGIT_RE = re.compile(r"\d")


def ccnet_strip_accents(line: str) -> str:
    nfd = unicodedata.normalize("NFD", line)
    output = [c for c in nfd if unicodedata.category(c) != "Mn"]
    if len(output) == line:
        return line
    return "".join(output)


def ccnet_normalize(line: str) -> str:
    """cc_net/text_normalizer.normalize with its defaults (accent, case, numbers, punct=1)."""
    line = line.strip()
    if not line:
        return line
    line = line.lower()
    line = ccnet_strip_accents(line)
    line = CCNET_DIGIT_RE.sub("0", line)
    line = "".join(CCNET_UNICODE_PUNCT.get(c, c) for c in line)
    return CCNET_NON_PRINTING_CHARS_RE.sub("", line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256, help="documents per predict_prob call (peer)")
    parser.add_argument("--results", action="store_true", help="store bench/results/perplexity_toxicity.json")
    parser.add_argument("--write-sample", type=Path, help="also write the calibration sample here")
    args = parser.parse_args()
    if not BENCH.is_dir() or not WARC.is_file():
        sys.exit(
            f"needs {BENCH.relative_to(ROOT.parent)} and {WARC.relative_to(ROOT.parent)} beside the repository"
        )

    sample = calibration_sample()
    if args.write_sample:
        args.write_sample.write_text("".join(json.dumps(r) + "\n" for r in sample), encoding="utf-8")
        print(f"wrote {len(sample)} pages to {args.write_sample}")
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    texts = [v["articleBody"] for v in truth.values() if v.get("articleBody")] + [r["text"] for r in sample]
    n = len(texts)
    print(f"{n} documents, {sum(map(len, texts)) / 1e6:.2f} M characters, {args.rounds} alternating rounds")

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

    tox = ToxicityFilter(ToxicityConfig())
    tox.setup()
    from profanity_check import predict_prob

    def profanity_check_batched() -> list[float]:
        """One predict_prob call per batch of documents: each document and its sentences."""
        out: list[float] = []
        for i in range(0, n, args.batch):
            chunk = [TextView(t).sentences for t in texts[i : i + args.batch]]
            flat = [s for sentences in chunk for s in sentences]
            probs = predict_prob(flat) if flat else []
            at = 0
            for sentences in chunk:
                out.append(float(np.max(probs[at : at + len(sentences)])) if sentences else 0.0)
                at += len(sentences)
        return out

    contenders = {
        "perplexity": {
            "ours": lambda: [ppl.score(doc(t), TextView(t)).get("value") for t in texts],
            "peer": lambda: [ccnet_doclm(t) for t in texts],
        },
        "toxicity": {
            "ours": lambda: [tox.score(doc(t), TextView(t))["max_sentence"] for t in texts],
            "peer": profanity_check_batched,
        },
    }
    labels = {
        ("perplexity", "ours"): "ours (whole-text normalise, batch SentencePiece)",
        ("perplexity", "peer"): "CCNet DocLM loop, CCNet's normaliser (line by line)",
        ("toxicity", "ours"): "ours (closed form, one batch per document)",
        ("toxicity", "peer"): f"profanity-check predict_prob, one call per {args.batch} documents",
    }
    cols = ["filter", "implementation", "docs/CPU-s, median (min-max)", "CPU s", "wall s", "ours is"]
    rows, raw, agreement = [], {}, {}
    for name, pair in contenders.items():
        runs = alternate(pair, args.rounds, warmup=False)
        ratio = ratio_summary(runs["ours"].cpu, runs["peer"].cpu)
        ours_out, peer_out = runs["ours"].extra[-1], runs["peer"].extra[-1]
        if name == "perplexity":
            rel = [abs(a - b) / b for a, b in zip(ours_out, peer_out, strict=True) if a is not None and b]
            differ = sum(1 for d in rel if d > 1e-6)
            agreement[name] = (
                f"{differ} of {len(rel)} documents differ by > 1e-6 (max {max(rel):.1e} relative)"
            )
        else:
            diff = float(np.max(np.abs(np.array(ours_out) - np.array(peer_out))))
            if diff > 1e-9:
                raise SystemExit(
                    f"toxicity: ours and profanity-check disagree by {diff:.1e}: comparison void"
                )
            agreement[name] = f"same probabilities (max difference {diff:.1e})"
        for who in ("ours", "peer"):
            r = runs[who]
            rows.append(
                [
                    name,
                    labels[(name, who)],
                    spread(summary([n / c for c in r.cpu]), ",.0f"),
                    f"{statistics.median(r.cpu):.2f}",
                    f"{statistics.median(r.wall):.2f}",
                    f"{spread(ratio)}x" if who == "peer" else "",
                ]
            )
        raw[name] = {who: {"cpu_s": runs[who].cpu, "wall_s": runs[who].wall} for who in runs}
    print(" | ".join(cols))
    for row in rows:
        print(" | ".join(row))
    for name, text in agreement.items():
        print(f"{name}: {text}")
    if args.results:
        note = f"{n} documents, one core, {args.rounds} alternating rounds; " + "; ".join(
            f"{k}: {v}" for k, v in agreement.items()
        )
        write_result(
            "perplexity_toxicity",
            [{"id": "perplexity-toxicity", "columns": cols, "rows": rows, "note": note}],
            raw,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
