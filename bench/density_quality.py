"""What the density scores see on real text: prose against its own words shuffled, and per page type.

    python bench/density_quality.py [--seed 0]

Part 1, the 181 hand-made article bodies of ../shared/data/article-extraction-benchmark: each
article and a copy with its words shuffled (the same characters and words, no syntax). For each
score of the ``density`` filter: its median on both sides and the ROC AUC of telling them apart
(0.5: blind; 1.0 or 0.0: the score separates them completely, in one direction or the other).
This is what makes a grammar signal "measurable": only a score that reads word order can see it.

Part 2, WCXB dev (1,497 real pages of seven types): the median of each score among the pages the
default chain keeps, per page type, from the run `bench/paragraph_dedup.py` writes (run it
first). Every threshold of the filter is off; nothing here was tuned.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ARTICLES = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
RUNS = ROOT / "bench" / ".cache" / "paragraphs"
SCORES = (
    "char_entropy",
    "word_entropy",
    "compression_ratio",
    "symbol_word_ratio",
    "function_word_ratio",
    "article_function_ratio",
)


def _scores(texts: list[str]) -> list[dict[str, float]]:
    from corpus.filters.density import DensityConfig, DensityFilter
    from corpus.text import TextView
    from formats.documents import Document

    flt = DensityFilter(DensityConfig())
    return [flt.score(Document(id="d", url="", domain="web", lang="en", text=t), TextView(t)) for t in texts]


def shuffled_words(text: str, rng: random.Random) -> str:
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def part_articles(seed: int) -> dict:
    from sklearn.metrics import roc_auc_score

    truth = json.loads((ARTICLES / "ground-truth.json").read_text(encoding="utf-8"))
    texts = [v["articleBody"] for _, v in sorted(truth.items()) if len(v["articleBody"].split()) >= 50]
    rng = random.Random(seed)
    real, salad = _scores(texts), _scores([shuffled_words(t, rng) for t in texts])
    print(f"\n{len(texts)} article bodies (50+ words) against the same words shuffled\n")
    print("| score | median, articles | median, shuffled | ROC AUC (articles high) |")
    print("|---|---:|---:|---:|")
    rows = []
    for name in SCORES:
        pairs = [(r[name], s[name]) for r, s in zip(real, salad, strict=True) if name in r and name in s]
        a, b = [p[0] for p in pairs], [p[1] for p in pairs]
        auc = roc_auc_score([1] * len(a) + [0] * len(b), a + b)
        rows.append([name, f"{statistics.median(a):.4g}", f"{statistics.median(b):.4g}", f"{auc:.3f}"])
        print("| " + " | ".join(rows[-1]) + " |")
    return {
        "id": "density-shuffled",
        "columns": ["score", "median, articles", "median, shuffled", "ROC AUC (articles high)"],
        "rows": rows,
        "note": f"{len(texts)} article bodies (50+ words) against the same words shuffled (seed {seed}).",
    }


def part_wcxb() -> dict | None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from formats.clean_manifest import read_clean_manifest

    # a Stage 1 run of the WCXB dev pages through configs/clean.yaml that another bench made:
    # paragraph_dedup.py's Dolma run or tokenizer_speed.py's corpus (make bench runs the latter
    # first), the newest; the scores do not depend on sharding
    runs = [
        *RUNS.glob("dolma-*/manifest.json"),
        *(ROOT / "bench" / ".cache" / "tokenizer").glob("wcxb-keyed-clean/manifest.json"),
    ]
    meta = ROOT.parent / "shared" / "data" / "wcxb-dev" / "metadata.json"
    if not runs or not meta.is_file():
        print("\n(WCXB part skipped: run bench/tokenizer_speed.py or bench/paragraph_dedup.py first)")
        return None
    out = max(runs, key=lambda m: m.stat().st_mtime).parent
    m = read_clean_manifest(str(out))
    files = json.loads(meta.read_text(encoding="utf-8"))["files"]
    table = pa.concat_tables(
        [pq.read_table(out / rel, columns=["url", "drop_reason", "scores"]) for rel in m.attributes]
    )
    per_type: dict[str, dict[str, list[float]]] = {}
    for url, reason, scores in zip(
        *(table[c].to_pylist() for c in ("url", "drop_reason", "scores")), strict=True
    ):
        if reason is not None:
            continue
        if "wcxb=" not in url:
            raise SystemExit(f"{out}: page URL {url} carries no WCXB page key (wcxb=): not a wcxb_pages run")
        kind = files[url.rsplit("wcxb=", 1)[1]]["page_type"]
        s = dict(scores or [])
        for name in SCORES:
            if f"density.{name}" in s:
                per_type.setdefault(kind, {}).setdefault(name, []).append(s[f"density.{name}"])
    print(f"\nWCXB dev, pages kept by configs/clean.yaml ({out.name}): median per page type\n")
    print("| page type | pages | " + " | ".join(SCORES) + " |")
    print("|---|---:|" + "---:|" * len(SCORES))
    rows = []
    for kind in sorted(per_type):
        cols = per_type[kind]
        n = len(cols["char_entropy"])
        cells = " | ".join(f"{statistics.median(cols[s]):.3g}" if cols.get(s) else "-" for s in SCORES)
        print(f"| {kind} | {n} | {cells} |")
        rows.append([kind, str(n), *cells.split(" | ")])
    return {
        "id": "density-wcxb",
        "columns": ["page type", "pages", *SCORES],
        "rows": rows,
        "note": f"WCXB dev pages kept by configs/clean.yaml (the Stage 1 run in {out.relative_to(ROOT)}).",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results", action="store_true", help="store bench/results/density_quality.json")
    args = parser.parse_args()
    if not ARTICLES.is_dir():
        print(f"{ARTICLES}: not present; nothing to measure")
        return 0
    tables = [part_articles(args.seed), part_wcxb()]
    if args.results:
        sys.path.insert(0, str(ROOT / "bench"))
        from harness import write_result

        write_result("density_quality", [t for t in tables if t is not None])
    return 0


if __name__ == "__main__":
    sys.exit(main())
