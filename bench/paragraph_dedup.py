"""What paragraph dedup removes from real pages: WCXB dev through the whole cleaning pipeline.

    python bench/paragraph_dedup.py [--config configs/clean.yaml] [--ccnet] [--top 15]

The 1,497 pages of ../shared/data/wcxb-dev (the development split of WCXB: seven page types from
many sites) are written once as a WARC file, one response record per page in page-key order (so
"first" is the lowest key), under bench/.cache/inputs; ``python -m pipelines.clean`` runs on it
with the given config, and the run's manifest says what paragraph dedup saw and removed, with
the paragraphs removed most often. ``--ccnet`` runs again with ``keep_first: false`` (CCNet's
paper: every copy goes, the first too) to set the two settings side by side. The counts are from
the development split; nothing was tuned on them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WCXB = ROOT.parent / "shared" / "data" / "wcxb-dev"
CACHE = ROOT / "bench" / ".cache"


def build_input(data: Path) -> tuple[Path, dict[str, str]]:
    """The WARC of every WCXB dev page (built once), and each page's URL -> page type."""
    from devkit.warc import response, uuid7, write_members

    files = json.loads((data / "metadata.json").read_text(encoding="utf-8"))["files"]
    folder = CACHE / "inputs" / f"wcxb-dev-{len(files)}"
    types: dict[str, str] = {}
    members = []
    rng = random.Random(0)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    for i, key in enumerate(sorted(files)):
        truth = json.loads((data / "ground-truth" / f"{key}.json").read_text(encoding="utf-8"))
        url = truth.get("url") or f"https://wcxb.invalid/{key}"
        url = f"{url}{'&' if '?' in url else '?'}wcxb={key}"  # one URL per page, even where two share one
        types[url] = files[key]["page_type"]
        if (folder / "pages.warc.gz").is_file():
            continue
        body = gzip.decompress((data / "html" / f"{key}.html.gz").read_bytes())
        when = start + timedelta(seconds=i)
        headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
        members.append(response(url, "200 OK", headers, body, record_id=uuid7(when, rng), date=when))
    if members:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / "pages.warc.gz.part"
        write_members(tmp, members)
        tmp.replace(folder / "pages.warc.gz")
    return folder / "pages.warc.gz", types


def run(warc: Path, config: dict, name: str) -> Path:
    from common.config import parse_config
    from corpus.config import CleanConfig
    from pipelines import clean

    checked = parse_config(config, CleanConfig, name)
    out = CACHE / "paragraphs" / f"{name}-{checked.hash()}"
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


def report(out: Path, types: dict[str, str], top: int, title: str) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from formats.clean_manifest import read_clean_manifest

    m = read_clean_manifest(str(out))
    p = m.paragraph_dedup
    print(f"\n## {title}\n")
    if p is None:
        print("paragraph dedup was off")
        return
    print(
        f"records {m.counts.records:,}, kept {m.counts.kept:,}; paragraph dedup saw {p.documents:,} documents"
    )
    print(
        f"paragraphs removed: {p.paragraphs_removed:,} of {p.paragraphs:,} ({p.paragraphs_removed / max(p.paragraphs, 1):.2%}); "
        f"characters {p.chars_removed:,} of {p.chars:,} ({p.chars_removed / max(p.chars, 1):.2%})"
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
    print(
        "\ndocuments changed per WCXB page type: "
        + ", ".join(f"{k} {changed[k]}/{seen[k]}" for k in sorted(seen))
    )
    print("\n| documents holding it | removed from | paragraph (first 120 characters) |\n|---:|---:|---|")
    for r in p.most_removed[:top]:
        text = r.text[:120].replace("|", "\\|")
        print(f"| {r.documents} | {r.removed} | {text} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=WCXB)
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "clean.yaml")
    parser.add_argument("--ccnet", action="store_true", help="also run with keep_first: false")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    if not (args.data / "metadata.json").is_file():
        print(f"{args.data}: no WCXB dev pages there; nothing to measure")
        return 0
    warc, types = build_input(args.data)
    config = yaml.safe_load(args.config.read_text(encoding="utf-8"))
    runs = [("dolma", "Dolma's setting (configs/clean.yaml: the first copy stays)", config)]
    if args.ccnet:
        ccnet = json.loads(json.dumps(config))
        ccnet.setdefault("dedup", {}).setdefault("paragraphs", {})["keep_first"] = False
        runs.append(("ccnet", "CCNet's setting (keep_first: false: every copy goes)", ccnet))
    for name, title, cfg in runs:
        report(run(warc, cfg, name), types, args.top, title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
