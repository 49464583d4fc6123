"""Held-out metrics of ``python -m corpus.quality train`` on a tiny generated task, and whether a
second training gives the same bytes.

    python bench/classifier_quality.py [--texts 2000] [--seed 5]

The task (tests/quality/generated.py): positives are prose from the sample generator's writer
(devkit.sample), negatives are other generated prose with its words shuffled. The two classes have
the same vocabulary and the same word frequencies, so only word order separates them: a model with
word bigrams (DCLM's setting) should, a bag-of-words model (unigrams) should not. Each model is
trained through the command, on one thread with a seed, twice; the table gives the card's
held-out metrics (the command's own 10% split, by a seeded hash of the text) and fresh-text
accuracy on another 200 texts per class generated with another seed, which no model saw.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = ["--epoch", "25", "--lr", "0.5", "--bucket", "200000"]
"""DCLM's dimensions (100) and bigrams; more epochs and a higher rate for a few thousand texts, and
200k buckets (80 MB) instead of 2M (800 MB): the bucket count sets the size, not the accuracy here."""


def main() -> int:
    from corpus.quality.__main__ import main as quality
    from corpus.quality.card import read_card
    from corpus.quality.model import QualityModel
    from tests.quality.generated import task, write_jsonl

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts per class")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--results", action="store_true", help="store bench/results/classifier_quality.json")
    args = parser.parse_args()
    cols = ["features", "held-out pos/neg", "precision", "recall", "F1", "ROC AUC", "fresh accuracy"]
    cols += ["train s", "same bytes twice"]
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        prose, salad = task(args.texts, seed=args.seed)
        pos, neg = write_jsonl(folder / "prose.jsonl", prose), write_jsonl(folder / "salad.jsonl", salad)
        fresh_prose, fresh_salad = task(200, seed=args.seed + 1000)
        print(f"generated {2 * args.texts:,} texts in {time.perf_counter() - start:.1f} s")
        print(
            "\n| features | held-out pos/neg | precision | recall | F1 | ROC AUC | fresh accuracy | train s | same bytes twice |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for ngrams in ("2", "1"):
            digests = []
            seconds = 0.0
            for attempt in range(2):
                out = folder / f"m{ngrams}-{attempt}"
                cmd = ["train", "--positive", str(pos), "--negative", str(neg), "--output", str(out)]
                start = time.perf_counter()
                if quality([*cmd, "--word-ngrams", ngrams, *SETTINGS]) != 0:
                    return 1
                seconds = time.perf_counter() - start
                digests.append(hashlib.sha256((out / "model.bin").read_bytes()).hexdigest())
            card = read_card(out)
            m = card.metrics
            model = QualityModel(out)
            right = (model.scores(fresh_prose) >= 0.5).sum() + (model.scores(fresh_salad) < 0.5).sum()
            rows.append(
                [
                    "word bigrams" if ngrams == "2" else "unigrams",
                    f"{m.positives}/{m.negatives}",
                    f"{m.precision:.3f}",
                    f"{m.recall:.3f}",
                    f"{m.f1:.3f}",
                    f"{m.roc_auc:.3f}",
                    f"{right / 400:.3f}",
                    f"{seconds:.1f}",
                    f"{'yes' if digests[0] == digests[1] else 'NO'} ({digests[0][:12]})",
                ]
            )
            print("| " + " | ".join(rows[-1]) + " |")
    if args.results:
        sys.path.insert(0, str(ROOT / "bench"))
        from harness import write_result

        note = f"{args.texts:,} texts per class, seed {args.seed}; fresh = 200 per class, seed {args.seed + 1000}."
        write_result(
            "classifier_quality", [{"id": "classifier-quality", "columns": cols, "rows": rows, "note": note}]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
