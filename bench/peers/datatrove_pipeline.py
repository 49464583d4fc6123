"""DataTrove's cleaning pipeline, FineWeb's way, on one core: the peer of bench/clean_pipeline.py.

Runs inside DataTrove's own venv (it pins numpy and trafilatura versions that conflict with
ours), never imported by the project:

    .venv-peers/datatrove/bin/python bench/peers/datatrove_pipeline.py \\
        --input DIR --glob '*.warc.gz' --work WORK --lid-model lid.176.ftz [--dedup] \\
        [--thresholds '{"c4": {...}}'] --report report.json

One task and one worker in every stage (LocalPipelineExecutor runs a single worker in this
process, sequentially), so the whole run uses one core; the extractor's sandbox is a child
process that only works while this one waits for it. The stages are the ones FineWeb ran as
separate jobs, timed one by one (wall and user+sys CPU of this process and its reaped children):

1. ``filter``: WarcReader -> Trafilatura(favour_precision, timeout) -> LanguageFilter ->
   GopherRepetitionFilter -> GopherQualityFilter -> C4QualityFilter [-> C4BadWordsFilter] ->
   FineWebQualityFilter -> JsonlWriter. Without ``--dedup`` this is the whole pipeline.
2. With ``--dedup``, exact dedup then MinHash dedup, each reading what the step before wrote:
   ``exact_signature`` (ExactDedupSignature over DataTrove's own `simplify_text` normalisation:
   lower case, digits, punctuation, diacritics, whitespace), ``exact_find`` (ExactFindDedups),
   ``exact_filter+minhash_signature`` (ExactDedupFilter -> JsonlWriter -> MinhashDedupSignature
   in one pass), ``minhash_buckets`` (14 tasks, one per bucket, as DataTrove requires, run one
   after another on the one worker), ``minhash_cluster``, ``minhash_filter`` (MinhashDedupFilter
   -> JsonlWriter). MinHash: 5-grams, 14 buckets x 8 hashes, 64-bit (FineWeb).

Offline: LanguageFilter downloads lid.176 at first use, C4BadWordsFilter its word list; the
files given by ``--lid-model`` and ``--badwords`` are copied first to the paths DataTrove's
`cached_asset_path_or_download` computes, with their ``.completed`` markers, under ``--assets``
(HF_ASSETS_CACHE), so no download is attempted.

Thresholds default to DataTrove's own; ``--thresholds`` (JSON, per filter: constructor keyword
arguments) sets them, which the bench uses to give DataTrove the values of our config.
The report lists each stage's figures, the documents read and kept, and the kept URLs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

_STARTED = time.perf_counter()


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", required=True, help="folder with the WARC files")
    parser.add_argument("--glob", default="*.warc.gz", help="WARC files under --input (default: %(default)s)")
    parser.add_argument("--work", required=True, help="output and intermediate folder (emptied first)")
    parser.add_argument("--lid-model", required=True, help="lid.176 fastText model to use offline")
    parser.add_argument("--assets", help="DataTrove's asset cache (default: WORK/../datatrove-assets)")
    parser.add_argument("--dedup", action="store_true", help="add exact and MinHash dedup after filtering")
    parser.add_argument(
        "--thresholds", default="{}", help="JSON: filter name -> constructor keyword arguments"
    )
    parser.add_argument("--timeout", type=float, default=1.0, help="extraction timeout per page, s")
    parser.add_argument(
        "--badwords",
        help="bad-words list (one a line) for C4BadWordsFilter, used when --thresholds names c4_badwords",
    )
    parser.add_argument(
        "--trafilatura-dedup",
        action="store_true",
        help="keep trafilatura's process-wide duplicate-paragraph cache on (DataTrove's default); off "
        "by default, as in our extractor, so repeated pages are extracted in full in both pipelines",
    )
    parser.add_argument("--report", required=True, help="JSON report to write")
    return parser.parse_args(argv)


ARGS = _parse_args(None)  # before the imports below: they read HF_ASSETS_CACHE
WORK = Path(ARGS.work).resolve()
ASSETS = Path(ARGS.assets).resolve() if ARGS.assets else WORK.parent / "datatrove-assets"
# Read once by huggingface_hub at import: DataTrove's asset cache lives in the bench cache.
os.environ["HF_ASSETS_CACHE"] = str(ASSETS)
os.environ["HF_HUB_OFFLINE"] = "1"

from datatrove.data import Document  # noqa: E402
from datatrove.executor.local import LocalPipelineExecutor  # noqa: E402
from datatrove.io import cached_assets_path  # noqa: E402
from datatrove.pipeline.dedup import (  # noqa: E402
    ExactDedupConfig,
    ExactDedupFilter,
    ExactDedupSignature,
    ExactFindDedups,
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.extractors import Trafilatura  # noqa: E402
from datatrove.pipeline.filters import (  # noqa: E402
    C4BadWordsFilter,
    C4QualityFilter,
    FineWebQualityFilter,
    GopherQualityFilter,
    GopherRepetitionFilter,
    LanguageFilter,
    c4_filters,
)
from datatrove.pipeline.readers import JsonlReader, WarcReader  # noqa: E402
from datatrove.pipeline.writers.jsonl import JsonlWriter  # noqa: E402
from datatrove.utils.hashing import HashConfig  # noqa: E402
from datatrove.utils.lid import FT176LID  # noqa: E402
from datatrove.utils.text import simplify_text  # noqa: E402
from fsspec.core import strip_protocol  # noqa: E402

IMPORTED = time.perf_counter()


def install_lid_model(model: Path) -> Path:
    """Put lid.176 where FT176LID looks for it, marked complete, so it is never downloaded."""
    if not model.is_file():
        sys.exit(f"error: --lid-model {model}: no such file")
    folder = Path(
        cached_assets_path(library_name="datatrove", namespace="lid", subfolder=FT176LID.MODEL_SUBFOLDER)
    )
    target = folder / strip_protocol(FT176LID.MODEL_URL).replace("/", "_")
    if not target.is_file() or target.stat().st_size != model.stat().st_size:
        shutil.copyfile(model, target)
    Path(f"{target}.completed").touch()
    return target


def install_badwords(words: Path) -> Path:
    """Put a bad-words list where C4BadWordsFilter would download its English one, marked complete."""
    if not words.is_file():
        sys.exit(f"error: --badwords {words}: no such file")
    folder = Path(cached_assets_path(library_name="datatrove", namespace="filters", subfolder="c4_badwords"))
    target = folder / strip_protocol(c4_filters._EN_BADWORDS_URL).replace("/", "_")
    shutil.copyfile(words, target)
    Path(f"{target}.completed").touch()
    return target


def exact_content(doc: Document) -> str:
    """DataTrove's own normalisation for matching (its TextNormConfig defaults)."""
    return simplify_text(doc.text)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_stage(name: str, steps: list[Any], logs: Path, tasks: int = 1) -> dict[str, Any]:
    """One DataTrove job on one worker: its tasks run one after another in this process."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    LocalPipelineExecutor(
        pipeline=steps, tasks=tasks, workers=1, logging_dir=str(logs / name), skip_completed=False
    ).run()
    return {"stage": name, "wall_s": time.perf_counter() - wall, "cpu_s": _cpu_seconds() - cpu}


_NUMERIC_ONLY = {"new_line_ratio", "char_duplicates_ratio", "line_punct_thr", "short_line_thr"}
"""Arguments DataTrove only takes as numbers: a null threshold (rule off) becomes infinity."""


def _filter(
    thresholds: dict[str, dict[str, Any]], name: str, cls: Callable[..., Any], **defaults: Any
) -> Any:
    """DataTrove's ``cls`` with our thresholds for ``name``; ``defaults`` are ours where DataTrove's
    own differ (it keeps every language unless told which)."""
    kwargs = {**defaults, **thresholds.get(name, {})}
    # JSON has no infinity: null means "rule off" where DataTrove only takes a number
    return cls(**{k: (float("inf") if v is None and k in _NUMERIC_ONLY else v) for k, v in kwargs.items()})


def count_jsonl(folder: Path) -> tuple[int, list[str]]:
    """Documents and their URLs in a JsonlWriter output folder."""
    urls = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                urls.append(json.loads(line).get("metadata", {}).get("url", ""))
    return len(urls), urls


def read_stat(logs: Path, stage: str, step_prefix: str, key: str) -> int | None:
    """A counter of one step from DataTrove's own stats.json (e.g. documents read by the reader)."""
    stats_file = logs / stage / "stats.json"
    if not stats_file.is_file():
        return None
    for step in json.loads(stats_file.read_text(encoding="utf-8")):
        if step_prefix in step.get("name", ""):
            stats = step.get("stats", {})
            value = stats.get(key)
            if isinstance(value, dict):
                value = value.get("total")
            return int(value) if value is not None else None
    return None


def main() -> int:
    thresholds: dict[str, dict[str, Any]] = json.loads(ARGS.thresholds)
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    ASSETS.mkdir(parents=True, exist_ok=True)
    install_lid_model(Path(ARGS.lid_model))
    badwords: list[Any] = []
    if "c4_badwords" in thresholds:
        if not ARGS.badwords:
            sys.exit("error: --thresholds names c4_badwords: give its list with --badwords")
        install_badwords(Path(ARGS.badwords))
        badwords = [C4BadWordsFilter(**thresholds["c4_badwords"])]
    logs = WORK / "logs"
    filtered, exact_out, final = WORK / "filtered", WORK / "exact_deduped", WORK / "output"

    stages = [
        run_stage(
            "filter",
            [
                WarcReader(ARGS.input, glob_pattern=ARGS.glob, compression="infer"),
                Trafilatura(favour_precision=True, timeout=ARGS.timeout, deduplicate=ARGS.trafilatura_dedup),
                _filter(thresholds, "language", LanguageFilter, languages=["en"]),
                _filter(thresholds, "gopher_repetition", GopherRepetitionFilter),
                _filter(thresholds, "gopher_quality", GopherQualityFilter),
                _filter(thresholds, "c4", C4QualityFilter),
                *badwords,
                _filter(thresholds, "fineweb", FineWebQualityFilter),
                JsonlWriter(str(filtered)),
            ],
            logs,
        )
    ]
    out = filtered
    if ARGS.dedup and not any(filtered.glob("*.jsonl.gz")):
        # DataTrove's readers fail on a folder without files: nothing kept, nothing to dedup
        stages.append({"stage": "dedup (skipped: nothing kept)", "wall_s": 0.0, "cpu_s": 0.0})
    elif ARGS.dedup:
        exact = ExactDedupConfig(content_getter=exact_content)
        minhash = MinhashConfig(
            n_grams=5, num_buckets=14, hashes_per_bucket=8, hash_config=HashConfig(precision=64)
        )
        stages.append(
            run_stage(
                "exact_signature",
                [JsonlReader(str(filtered)), ExactDedupSignature(str(WORK / "exact_sigs"), exact)],
                logs,
            )
        )
        stages.append(
            run_stage(
                "exact_find",
                [ExactFindDedups(str(WORK / "exact_sigs"), str(WORK / "exact_dups"), exact)],
                logs,
            )
        )
        stages.append(
            run_stage(
                "exact_filter+minhash_signature",
                [
                    JsonlReader(str(filtered)),
                    ExactDedupFilter(str(WORK / "exact_dups"), exact),
                    JsonlWriter(str(exact_out)),
                    MinhashDedupSignature(str(WORK / "minhash_sigs"), minhash),
                ],
                logs,
            )
        )
        stages.append(
            run_stage(
                "minhash_buckets",
                [
                    MinhashDedupBuckets(
                        str(WORK / "minhash_sigs"), str(WORK / "minhash_buckets"), config=minhash
                    )
                ],
                logs,
                tasks=minhash.num_buckets,  # DataTrove needs one task per bucket (run in turn here)
            )
        )
        stages.append(
            run_stage(
                "minhash_cluster",
                [
                    MinhashDedupCluster(
                        str(WORK / "minhash_buckets"), str(WORK / "minhash_remove"), config=minhash
                    )
                ],
                logs,
            )
        )
        stages.append(
            run_stage(
                "minhash_filter",
                [
                    JsonlReader(str(exact_out)),
                    MinhashDedupFilter(str(WORK / "minhash_remove")),
                    JsonlWriter(str(final)),
                ],
                logs,
            )
        )
        out = final
    finished = time.perf_counter()

    kept_filtered, urls_filtered = count_jsonl(filtered)
    kept, urls = count_jsonl(out)
    report = {
        "peer": "datatrove",
        "version": version("datatrove"),
        "dedup": ARGS.dedup,
        "imports_s": IMPORTED - _STARTED,
        "stages": stages,
        "pipeline_wall_s": finished - IMPORTED,
        "docs_in": read_stat(logs, "filter", "Warc", "documents"),
        "kept_after_filters": kept_filtered,
        "kept_urls_after_filters": urls_filtered,
        "kept_after_exact": count_jsonl(exact_out)[0] if ARGS.dedup else None,
        "kept": kept,
        "kept_urls": urls,
        "thresholds": thresholds,
        "output": str(out),
    }
    Path(ARGS.report).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
