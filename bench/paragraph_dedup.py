"""What paragraph dedup removes from real pages: WCXB dev through the whole cleaning pipeline.

    python bench/paragraph_dedup.py [--config configs/clean.yaml] [--ccnet] [--top 15] [--results]

The 1,497 pages of ../shared/data/wcxb-dev (the development split of WCXB: seven page types from
many sites) are written once as a WARC file, one response record per page in page-key order (so
"first" is the lowest key), under bench/.cache/inputs; ``python -m pipelines.clean`` runs on it
with the given config, and the run's manifest says what paragraph dedup saw and removed, with
the paragraphs removed most often. ``--ccnet`` runs again with ``keep_first: false`` (CCNet's
paper: every copy goes, the first too) to set the two settings side by side. The counts are from
the development split; nothing was tuned on them.

``--results [NAME]`` stores two tables as bench/results/NAME.json (``paragraph_dedup`` if NAME is
left out): the settings side by side, and the paragraphs removed most often under the first.
``--every K`` runs on every K-th page only, a quick look whose input and runs are cached apart
(``every<K>/``), so they never stand in for the full run that bench/density_quality.py reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import add_results_option, pages_chosen, table_id, write_result  # noqa: E402

WCXB = ROOT.parent / "shared" / "data" / "wcxb-dev"
CACHE = ROOT / "bench" / ".cache"


RESULTS = "paragraph_dedup"


def build_input(data: Path, every: int) -> tuple[Path, dict[str, str]]:
    """The WARC of every ``every``-th WCXB dev page (built once, from `warc_inputs.wcxb_pages`),
    and each page's URL -> page type."""
    from warc_inputs import response_record, wcxb_pages

    from devkit.warc import uuid7, write_members

    files = json.loads((data / "metadata.json").read_text(encoding="utf-8"))["files"]
    pages = wcxb_pages(every, data)
    folder = CACHE / "inputs" / (f"wcxb-dev-{len(pages)}" + (f"-every{every}" if every > 1 else ""))
    types = {page.url: files[page.origin.rsplit("/", 1)[1]]["page_type"] for page in pages}
    if not (folder / "pages.warc.gz").is_file():
        rng = random.Random(0)
        start = datetime(2025, 1, 1, tzinfo=UTC)
        members = []
        for i, page in enumerate(pages):
            when = start + timedelta(seconds=i)
            members.append(response_record(page, page.url, uuid7(when, rng), when))
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "pages.warc.gz.part"
        write_members(tmp, members)
        tmp.replace(folder / "pages.warc.gz")
    return folder / "pages.warc.gz", types


def run(warc: Path, config: dict, name: str, every: int) -> Path:
    from common.config import parse_config
    from corpus.config import CleanConfig
    from pipelines import clean

    checked = parse_config(config, CleanConfig, name)
    runs = CACHE / "paragraphs" / (f"every{every}" if every > 1 else "")
    out = runs / f"{name}-{checked.hash()}"
    cfg = out.parent / f"{out.name}.yaml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    if not (out / "manifest.json").is_file():
        clean.run(
            [
                "--input",
                str(warc),
                "--output",
                str(out),
                "--config",
                str(cfg),
                "--runner=FnApiRunner",
                "--overwrite",
            ]
        )
    return out


def _part(part: int, whole: int) -> str:
    return f"{part:,} of {whole:,} ({part / max(whole, 1):.2%})"


def report(out: Path, types: dict[str, str], top: int, title: str) -> dict | None:
    """Print what paragraph dedup did in one run; return its figures for the tables (None when
    the config had it off)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from formats.clean_manifest import read_clean_manifest

    m = read_clean_manifest(str(out))
    p = m.paragraph_dedup
    print(f"\n## {title}\n")
    if p is None:
        print("paragraph dedup was off")
        return None
    print(
        f"records {m.counts.records:,}, kept {m.counts.kept:,}; paragraph dedup saw {p.documents:,} documents"
    )
    print(
        f"paragraphs removed: {_part(p.paragraphs_removed, p.paragraphs)}; "
        f"characters {_part(p.chars_removed, p.chars)}"
    )
    print(
        f"distinct repeated paragraphs: {p.repeated:,}; documents changed: {p.documents_changed:,}; "
        f"dropped as duplicate_paragraphs: {p.documents_dropped:,}"
    )
    attributes = pa.concat_tables([pq.read_table(out / rel) for rel in m.attributes])
    changed: dict[str, int] = {}
    seen: dict[str, int] = {}
    for url, scores in zip(attributes["url"].to_pylist(), attributes["scores"].to_pylist(), strict=True):
        s = dict(scores or [])
        if "paragraph_dedup.removed" in s:
            kind = types.get(url, "?")
            seen[kind] = seen.get(kind, 0) + 1
            changed[kind] = changed.get(kind, 0) + (s["paragraph_dedup.removed"] > 0)
    per_type = ", ".join(f"{k} {changed[k]}/{seen[k]}" for k in sorted(seen))
    print(f"\ndocuments changed per WCXB page type: {per_type}")
    print("\n| documents holding it | removed from | paragraph (first 120 characters) |\n|---:|---:|---|")
    most = []
    for r in p.most_removed[:top]:
        text = r.text[:120].replace("|", "\\|") + (" ..." if len(r.text) > 120 else "")
        print(f"| {r.documents} | {r.removed} | {text} |")
        most.append([f"{r.documents:,}", f"{r.removed:,}", text])
    row = [
        f"{p.documents:,}",
        _part(p.paragraphs_removed, p.paragraphs),
        _part(p.chars_removed, p.chars),
        f"{p.repeated:,}",
        f"{p.documents_changed:,}",
        f"{p.documents_dropped:,}",
    ]
    return {"row": row, "per_type": per_type, "most": most, "records": m.counts.records}


def tables(figures: dict[str, dict], labels: dict[str, str], pages: str, results: str) -> list[dict]:
    """The settings side by side, and the paragraphs removed most often under the first setting."""
    first = next(iter(figures))
    settings = {
        "id": table_id("paragraph-dedup-settings", results, RESULTS),
        "columns": [
            "setting",
            "documents seen",
            "paragraphs removed",
            "characters removed",
            "repeated paragraphs",
            "documents changed",
            "dropped",
        ],
        "rows": [[labels[name], *f["row"]] for name, f in figures.items()],
        "note": (
            f"WCXB dev, {pages}, {figures[first]['records']:,} records through `python -m pipelines.clean`; "
            "documents seen = those paragraph dedup saw (kept by the filters before it). Documents "
            "changed per page type: "
            + "; ".join(f"{labels[name]}: {f['per_type']}" for name, f in figures.items())
            + "."
        ),
    }
    most = {
        "id": table_id("paragraph-dedup-top", results, RESULTS),
        "columns": ["holding", "removed", "paragraph"],
        "rows": figures[first]["most"],
        "note": (
            f"The paragraphs removed most often under the {labels[first]} setting: documents holding "
            "the paragraph, documents it was removed from; the first 120 characters."
        ),
    }
    return [settings, most]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=WCXB)
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "clean.yaml")
    parser.add_argument("--ccnet", action="store_true", help="also run with keep_first: false")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--every", type=int, default=1, help="every K-th page only (a quick look)")
    add_results_option(parser, RESULTS)
    args = parser.parse_args()
    if not (args.data / "metadata.json").is_file():
        print(f"{args.data}: no WCXB dev pages there; nothing to measure")
        return 0
    warc, types = build_input(args.data, args.every)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    runs = [("dolma", "Dolma's setting (configs/clean.yaml: the first copy stays)", config)]
    labels = {"dolma": "Dolma (default)", "ccnet": "CCNet"}
    if args.ccnet:
        ccnet = json.loads(json.dumps(config))
        ccnet.setdefault("dedup", {}).setdefault("paragraphs", {})["keep_first"] = False
        runs.append(("ccnet", "CCNet's setting (keep_first: false: every copy goes)", ccnet))
    figures = {}
    for name, title, cfg in runs:
        got = report(run(warc, cfg, name, args.every), types, args.top, title)
        if got is not None:
            figures[name] = got
    if args.results is not None and figures:
        pages = pages_chosen(len(types), args.every)
        write_result(args.results, tables(figures, labels, pages, args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
