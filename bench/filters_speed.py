"""Documents per second of the quality filters (Gopher repetition, Gopher quality, C4, FineWeb)
against DataTrove's implementations of the same rules, on the same texts, in one run.

    python bench/filters_speed.py [--texts articles|pages|both] [--rounds 3] [--results]
                                  [--datatrove-python .venv-peers/datatrove/bin/python]

Texts (../shared/data/article-extraction-benchmark, 181 real pages): ``articles`` are the
hand-made article bodies of ``ground-truth.json``; ``pages`` are the same pages' main text as
resiliparse extracts it from the HTML (with bylines, captions and teasers, closer to what the
filters see in a crawl). One process and one core per side; each figure is documents per
CPU-second (``time.process_time``, so load from other jobs does not skew it) of one pass over
all texts, in ``--rounds`` alternating rounds (ours, peer, peer, ours, ...): the median with the
spread, and ours against the peer as the median of the per-round ratios (``--results`` stores
bench/results/filters_speed.json, and the second table below bench/results/filters_new.json: a
file per table family, so ``make bench``'s ``--only quality`` run and the full ``--only new`` run
never overwrite each other).

Ours run the cleaner's own loop (`corpus.cleaner.score_and_decide`: C4's line removal, scores,
the policy's verdict) with the thresholds of configs/clean.yaml. "per filter" runs each filter
alone on a fresh document, so each pays for its own splits as DataTrove's filters do; "chain"
runs the four in FineWeb's order on one shared view and stops at the first drop (DataTrove's
way), "chain, score all" scores every filter (our default policy).

The peer is DataTrove 0.10.1 (FineWeb's code) in its own venv, because it conflicts with our
pins: the git-ignored ``.venv-peers/datatrove`` that ``make bench-peers`` builds from the pinned
bench/peers/datatrove.txt. It is configured with the numbers we use (C4, as TFDS: 5 words per
line, 3 sentences, plus its C4BadWordsFilter with the same LDNOOBW list, copied into a private
asset cache so nothing is downloaded, when our config drops on bad words, ``max_bad_words: 0``;
FineWeb: duplicate-line characters 0.1). Its English word splitting is spaCy's, cached per text (``lru_cache(5)``), so
its chain shares one tokenisation between the Gopher filters as ours shares a `TextView`. This
script runs itself in that venv with ``--peer`` (it imports nothing from headwater then).

The second table is the scorers added for issue 21, per scorer against the closest peer in
DataTrove (Dolma 0.x has none of them), in ``--rounds`` alternating rounds (ours, peer, ours, ...),
each a pass of ``--repeat`` times over the texts, as documents per CPU-second, median and spread:

- ``density`` (all six scores, the filter as the chain runs it) against DataTrove's ``DocStats``
  and ``WordStats`` ``extract_stats``, which compute the two of its signals DataTrove has in some
  form (``non_alpha_digit_ratio``, ``stop_word_ratio`` over spaCy words) with their other stats;
  character and word entropy, compression ratio and the article signal have no peer;
- ``quality_model`` against DataTrove's ``FastTextClassifierFilter`` on the same ``model.bin``
  (trained here with DCLM's dimensions and bigrams on the generated task of tests/quality,
  200k buckets), lines joined by a space as DCLM does (``newline_replacement=" "``); "max |diff|"
  is the largest difference between the two sides' probabilities.

"agree" is the share of texts that both sides keep or both drop. The definitions differ where
the docstrings of corpus/filters/gopher.py, c4.py and fineweb.py say (word splitting, stripped
lines), so agreement is high but not total.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "data" / "article-extraction-benchmark"
FILTER_NAMES = ("gopher_repetition", "gopher_quality", "c4", "fineweb")
DEFAULT_PEER_PYTHON = str(ROOT / ".venv-peers" / "datatrove" / "bin" / "python")  # make bench-peers
QUALITY_MODEL = ROOT / "bench" / ".cache" / "quality-model-speed"


def load_texts(kind: str) -> list[str]:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    if kind == "articles":
        return [v["articleBody"] for _, v in sorted(truth.items())]
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    texts = []
    for key in sorted(truth):
        body = gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes())
        texts.append(extract_plain_text(bytes_to_str(body, detect_encoding(body)), main_content=True))
    return [t for t in texts if t.strip()]


def best_time(run: Callable[[], None], passes: int) -> float:
    """CPU seconds of the fastest pass: other jobs on a shared machine slow the wall clock, not
    the CPU time a single-threaded pass needs."""
    times = []
    for _ in range(passes):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


# ------------------------------------------------------------------------------------------------
# ours
# ------------------------------------------------------------------------------------------------


def measure_ours(texts: list[str], passes: int) -> dict[str, dict]:
    sys.path.insert(0, str(ROOT))
    from tqdm import tqdm

    from common.config import load_config
    from corpus.cleaner import score_and_decide
    from corpus.config import CleanConfig
    from corpus.filters import FILTERS
    from formats.documents import Document

    config = load_config(ROOT / "configs" / "clean.yaml", CleanConfig)
    filters = {s.name: FILTERS[s.name](s) for s in config.filters if s.name in FILTER_NAMES}
    for flt in filters.values():
        flt.setup()
    out: dict[str, dict] = {}

    for name in tqdm(FILTER_NAMES, desc="ours", unit="filter", leave=False):
        flt = filters[name]
        drops: list[bool] = []

        def one_filter(flt=flt, drops=drops) -> None:
            drops.clear()
            for i, text in enumerate(texts):
                doc = Document(id=str(i), url="", domain="web", text=text)
                score_and_decide(doc, [flt])
                drops.append(doc.drop_reason is not None)

        out[name] = {"seconds": best_time(one_filter, passes), "drops": list(drops)}

    chained = [filters[name] for name in FILTER_NAMES]

    def chain(score_all: bool) -> Callable[[], None]:
        def run() -> None:
            for i, text in enumerate(texts):
                score_and_decide(
                    Document(id=str(i), url="", domain="web", text=text), chained, score_all=score_all
                )

        return run

    out["chain"] = {"seconds": best_time(chain(False), passes)}
    out["chain, score all"] = {"seconds": best_time(chain(True), passes)}
    return out


# ------------------------------------------------------------------------------------------------
# DataTrove (runs in its own venv: python bench/filters_speed.py --peer IN OUT)
# ------------------------------------------------------------------------------------------------


def _install_badwords_offline(badwords_path: str) -> None:
    """Put our LDNOOBW copy where DataTrove's C4BadWordsFilter would download its English list."""
    from datatrove.io import cached_assets_path, strip_protocol
    from datatrove.pipeline.filters import c4_filters

    folder = cached_assets_path(library_name="datatrove", namespace="filters", subfolder="c4_badwords")
    # the name cached_asset_path_or_download gives it (needs fsspec's HTTP extras: aiohttp, requests)
    target = os.path.join(folder, strip_protocol(c4_filters._EN_BADWORDS_URL).replace("/", "_"))
    with open(badwords_path, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        dst.write(src.read())
    open(target + ".completed", "w").close()


def run_peer(in_path: str, out_path: str) -> None:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4BadWordsFilter,
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    job = json.loads(Path(in_path).read_text(encoding="utf-8"))
    _install_badwords_offline(job["badwords"])
    texts, passes = job["texts"], job["passes"]
    c4_lines = C4QualityFilter(min_num_sentences=3, min_words_per_line=5)
    # DataTrove's bad-words step only where ours drops on bad words (C4's rule, max_bad_words: 0);
    # with the rule off, ours still counts them (more work on our side), the peer does not
    c4_bad = [C4BadWordsFilter(default_language="en")] if job["badwords_drop"] else []
    steps: dict[str, list] = {
        "gopher_repetition": [GopherRepetitionFilter()],
        "gopher_quality": [GopherQualityFilter()],
        "c4": [c4_lines, *c4_bad],
        "fineweb": [FineWebQualityFilter(char_duplicates_ratio=0.1)],
    }

    def keeps(step: list, doc: Document) -> bool:
        for flt in step:
            result = flt.filter(doc)
            if result is not True and (result is False or not result[0]):
                return False
        return True

    out: dict[str, dict] = {}
    for name in FILTER_NAMES:
        drops: list[bool] = []

        def one_filter(step=steps[name], drops=drops) -> None:
            drops.clear()
            for i, text in enumerate(texts):
                drops.append(not keeps(step, Document(text=text, id=str(i))))

        out[name] = {"seconds": best_time(one_filter, passes), "drops": list(drops)}

    def chain() -> None:
        for i, text in enumerate(texts):
            doc = Document(text=text, id=str(i))
            for name in FILTER_NAMES:
                if not keeps(steps[name], doc):
                    break

    out["chain"] = {"seconds": best_time(chain, passes)}
    Path(out_path).write_text(json.dumps(out), encoding="utf-8")


def c4_drops_on_badwords() -> bool:
    """Whether configs/clean.yaml's C4 drops a page for any bad word (C4's own rule)."""
    sys.path.insert(0, str(ROOT))
    from common.config import load_config
    from corpus.config import CleanConfig

    config = load_config(ROOT / "configs" / "clean.yaml", CleanConfig)
    c4 = next(f for f in config.filters if f.name == "c4")
    return bool(c4.badwords) and c4.max_bad_words == 0


def measure_peer(python: str, texts: list[str], passes: int) -> dict[str, dict] | None:
    if not Path(python).exists():
        print(f"(DataTrove not measured: {python} not found; see this script's docstring)")
        return None
    badwords = ROOT / "corpus" / "data" / "badwords" / "en.txt"
    with tempfile.TemporaryDirectory() as tmp:
        job, result = Path(tmp) / "job.json", Path(tmp) / "result.json"
        job.write_text(
            json.dumps(
                {
                    "texts": texts,
                    "passes": passes,
                    "badwords": str(badwords),
                    "badwords_drop": c4_drops_on_badwords(),
                }
            )
        )
        env = {**os.environ, "HF_ASSETS_CACHE": str(Path(tmp) / "assets"), "HF_HUB_OFFLINE": "1"}
        cmd = [python, str(Path(__file__).resolve()), "--peer", str(job), str(result)]
        print(f"running DataTrove ({python}), about a minute ...", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"(DataTrove run failed:\n{proc.stderr[-3000:]})")
            return None
        return json.loads(result.read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------------


def measure_rounds(python: str, texts: list[str], rounds: int) -> tuple[dict, dict | None]:
    """``rounds`` alternating rounds (ours then the peer, then the peer first, ...), one pass
    each: per filter the CPU seconds of every round, and the drops of the first."""
    ours: dict[str, dict] = {}
    peer: dict[str, dict] | None = {}

    def add(into: dict, got: dict) -> None:
        for name, row in got.items():
            slot = into.setdefault(
                name, {"seconds": [], **({"drops": row["drops"]} if "drops" in row else {})}
            )
            slot["seconds"].append(row["seconds"])

    for r in range(rounds):
        for side in ("ours", "peer") if r % 2 == 0 else ("peer", "ours"):
            if side == "ours":
                add(ours, measure_ours(texts, 1))
            elif peer is not None:
                got = measure_peer(python, texts, 1)
                if got is None:
                    peer = None
                else:
                    add(peer, got)
    return ours, peer


def report(kind: str, texts: list[str], ours: dict, peer: dict | None) -> dict:
    """Print the table (docs per CPU-second, median and spread over rounds, ratio the median of
    per-round ratios) and return it for the results file."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import ratio_summary, spread, summary

    n = len(texts)
    mean_chars = sum(map(len, texts)) / n
    print(f"\n{kind}: {n} texts, {mean_chars:,.0f} characters on average")
    cols = [
        "filter",
        "ours docs/CPU-s (min-max)",
        "DataTrove docs/CPU-s (min-max)",
        "ours is",
        "same decision",
    ]
    rows = []
    for name, row in ours.items():
        cells = [name, spread(summary([n / s for s in row["seconds"]]), ",.0f")]
        peer_key = "chain" if name.startswith("chain") else name
        if peer and peer_key in peer:
            theirs = peer[peer_key]["seconds"]
            cells += [spread(summary([n / s for s in theirs]), ",.0f")]
            cells += [f"{spread(ratio_summary(row['seconds'], theirs))}x"]
            if "drops" in row:
                same = sum(a == b for a, b in zip(row["drops"], peer[name]["drops"], strict=True))
                cells += [
                    f"{same / n:.0%} (dropped: ours {sum(row['drops'])}, DataTrove {sum(peer[name]['drops'])})"
                ]
            else:
                cells += [""]
        else:
            cells += ["-", "-", ""]
        rows.append(cells)
    print(" | ".join(cols))
    for cells in rows:
        print(" | ".join(cells))
    return {
        "id": f"filters-{kind}",
        "columns": cols,
        "rows": rows,
        "note": f"{kind}: {n} texts, {mean_chars:,.0f} characters on average; "
        f"{len(next(iter(ours.values()))['seconds'])} alternating rounds, one core each.",
    }


# ------------------------------------------------------------------------------------------------
# the scorers of issue 21: density and quality_model, alternating rounds against DataTrove
# ------------------------------------------------------------------------------------------------

NEW_SCORERS = ("density", "quality_model")


def speed_model() -> Path:
    """A quality model with DCLM's dimensions and bigrams, trained once on the generated task."""
    if (QUALITY_MODEL / "card.json").is_file():
        return QUALITY_MODEL
    from corpus.quality.__main__ import main as quality
    from tests.quality.generated import task, write_jsonl

    prose, salad = task(1000, seed=5)
    with tempfile.TemporaryDirectory() as tmp:
        pos, neg = write_jsonl(Path(tmp) / "p.jsonl", prose), write_jsonl(Path(tmp) / "n.jsonl", salad)
        args = ["train", "--positive", str(pos), "--negative", str(neg), "--output", str(QUALITY_MODEL)]
        if quality([*args, "--epoch", "25", "--lr", "0.5", "--bucket", "200000", "--overwrite"]) != 0:
            sys.exit("could not train the model for the quality_model rows")
    return QUALITY_MODEL


class OursNew:
    def __init__(self, texts: list[str], model: Path) -> None:
        from corpus.cleaner import score_and_decide
        from corpus.filters.density import DensityConfig, DensityFilter
        from corpus.filters.quality_model import QualityModelConfig, QualityModelFilter
        from formats.documents import Document

        self.texts, self.score_and_decide, self.Document = texts, score_and_decide, Document
        self.filters = {
            "density": DensityFilter(DensityConfig()),
            "quality_model": QualityModelFilter(QualityModelConfig(model=str(model))),
        }
        for flt in self.filters.values():
            flt.setup()
        self.scores: dict[str, list[float]] = {}

    def one_pass(self, name: str, repeat: int) -> float:
        flt = [self.filters[name]]
        start = time.process_time()
        for _ in range(repeat):
            docs = [
                self.Document(id=str(i), url="", domain="web", lang="en", text=t)
                for i, t in enumerate(self.texts)
            ]
            for doc in docs:
                self.score_and_decide(doc, flt)
        seconds = time.process_time() - start
        if name == "quality_model":
            self.scores[name] = [d.scores["quality_model.score"] for d in docs]
        return seconds


def run_new_peer(in_path: str, out_path: str) -> None:
    """In DataTrove's venv: one pass per scorer, CPU seconds and the classifier's probabilities."""
    from datatrove.data import Document
    from datatrove.pipeline.filters import FastTextClassifierFilter
    from datatrove.pipeline.stats import DocStats, WordStats

    job = json.loads(Path(in_path).read_text(encoding="utf-8"))
    texts, repeat, tmp = job["texts"], job["repeat"], job["tmp"]
    doc_stats, word_stats = DocStats(output_folder=tmp), WordStats(output_folder=tmp)
    classifier = FastTextClassifierFilter(
        job["model"], keep_labels=[("positive", 0.0)], newline_replacement=" "
    )
    out: dict[str, float | list[float]] = {}
    start = time.process_time()
    for _ in range(repeat):
        for i, text in enumerate(texts):
            doc = Document(text=text, id=str(i))
            doc_stats.extract_stats(doc)
            word_stats.extract_stats(doc)
    out["density"] = time.process_time() - start
    _ = classifier.model  # loaded (copied into the asset cache) before the clock starts
    start = time.process_time()
    probs = []
    for _ in range(repeat):
        probs = []
        for i, text in enumerate(texts):
            doc = Document(text=text, id=str(i))
            classifier.filter(doc)
            probs.append(doc.metadata["__label__positive"])
    out["quality_model"] = time.process_time() - start
    out["quality_model_scores"] = probs
    Path(out_path).write_text(json.dumps(out), encoding="utf-8")


def measure_new(
    python: str, texts: list[str], rounds: int, repeat: int
) -> tuple[dict, dict | None, float | None]:
    """CPU seconds per pass, ``rounds`` alternating rounds of ours then the peer."""
    sys.path.insert(0, str(ROOT))
    model = speed_model()
    ours = OursNew(texts, model)
    mine: dict[str, list[float]] = {n: [] for n in NEW_SCORERS}
    peer: dict[str, list[float]] | None = {n: [] for n in NEW_SCORERS} if Path(python).exists() else None
    if peer is None:
        print(f"(DataTrove not measured: {python} not found; see this script's docstring)")
    diff = None
    with tempfile.TemporaryDirectory() as tmp:
        job, result = Path(tmp) / "job.json", Path(tmp) / "result.json"
        job.write_text(
            json.dumps({"texts": texts, "repeat": repeat, "model": str(model / "model.bin"), "tmp": tmp})
        )
        env = {**os.environ, "HF_ASSETS_CACHE": str(Path(tmp) / "assets"), "HF_HUB_OFFLINE": "1"}
        for r in range(rounds):
            print(f"round {r + 1}/{rounds} ...", file=sys.stderr, flush=True)
            for name in NEW_SCORERS:
                mine[name].append(ours.one_pass(name, repeat))
            if peer is None:
                continue
            cmd = [python, str(Path(__file__).resolve()), "--peer-new", str(job), str(result)]
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"(DataTrove run failed:\n{proc.stderr[-3000:]})")
                peer = None
                continue
            got = json.loads(result.read_text(encoding="utf-8"))
            for name in NEW_SCORERS:
                peer[name].append(got[name])
            diff = max(
                abs(a - b)
                for a, b in zip(ours.scores["quality_model"], got["quality_model_scores"], strict=True)
            )
    return mine, peer, diff


NEW_COLUMNS = [
    "scorer",
    "texts",
    "ours docs/CPU-s (min-max)",
    "peer",
    "peer docs/CPU-s (min-max)",
    "ours is",
]
NEW_PEERS = {
    "density": "DataTrove `DocStats` + `WordStats` (2 of the 6 signals)",
    "quality_model": "DataTrove `FastTextClassifierFilter`, same model",
}


def report_new(
    kind: str, texts: list[str], repeat: int, mine: dict, peer: dict | None, diff: float | None
) -> tuple[list[list[str]], str]:
    """Print the issue-21 scorers' rows for one kind of text and return them with the note's part
    for that kind (the classifier's largest probability difference)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from harness import ratio_summary, spread, summary

    n = len(texts) * repeat
    print(
        f"\nnew scorers, {kind}: {len(texts)} texts x {repeat} per pass, {len(mine['density'])} alternating rounds"
    )
    rows = []
    for name in NEW_SCORERS:
        cells = [f"`{name}`", kind, spread(summary([n / s for s in mine[name]]), ",.0f"), NEW_PEERS[name]]
        if peer and peer[name]:
            cells += [spread(summary([n / s for s in peer[name]]), ",.0f")]
            cells += [f"{spread(ratio_summary(mine[name], peer[name]), '.1f')}x"]
        else:
            cells += ["-", "-"]
        rows.append(cells)
        print(" | ".join(cells))
    part = f"{kind}: {len(texts)} texts"
    if diff is not None:
        print(f"quality_model: max |diff| of the positive probability, ours vs DataTrove: {diff:.2e}")
        part += f", largest difference between the two classifiers' probabilities {diff:.2g}"
    return rows, part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", choices=["articles", "pages", "both"], default="both")
    parser.add_argument(
        "--results",
        action="store_true",
        help="store bench/results/filters_speed.json (quality) and filters_new.json (new)",
    )
    parser.add_argument("--datatrove-python", default=DEFAULT_PEER_PYTHON)
    parser.add_argument(
        "--only",
        choices=["quality", "new", "all"],
        default="all",
        help="the Gopher/C4/FineWeb table, the issue-21 scorers' table, or both",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of ours and the peer")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the texts per round (new scorers)")
    parser.add_argument("--peer", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--peer-new", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        run_peer(*args.peer)
        return
    if args.peer_new:
        run_new_peer(*args.peer_new)
        return
    if not BENCH.is_dir():
        sys.exit(f"{BENCH} not found: this benchmark needs ../shared/data")
    kinds = ["articles", "pages"] if args.texts == "both" else [args.texts]
    tables, new_rows, new_notes = [], [], []
    for kind in kinds:
        texts = load_texts(kind)
        if args.only in ("quality", "all"):
            tables.append(report(kind, texts, *measure_rounds(args.datatrove_python, texts, args.rounds)))
        if args.only in ("new", "all"):
            rows, part = report_new(
                kind,
                texts,
                args.repeat,
                *measure_new(args.datatrove_python, texts, args.rounds, args.repeat),
            )
            new_rows += rows
            new_notes.append(part)
    if args.results:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from harness import write_result

        if tables:
            write_result("filters_speed", tables)
        if new_rows:
            note = (
                f"{'; '.join(new_notes)}. Each round a pass of {args.repeat} times over the texts, "
                f"{args.rounds} rounds alternating ours and the peer, one core each; ours is = the "
                "median of the per-round ratios of CPU seconds, the peer's over ours."
            )
            table = {"id": "filters-new", "columns": NEW_COLUMNS, "rows": new_rows, "note": note}
            write_result("filters_new", [table])


if __name__ == "__main__":
    main()
