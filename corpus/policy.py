"""Keep or drop, decided over stored scores.

`decide` walks the configured filters in order and returns the first rule whose threshold the
document's scores break. It never runs a model, and it is the only place a verdict is reached:
the cleaner's loop asks it as the scores come in, and `redecide` asks it again over the
``scores`` column of a previous run's ``attributes/`` with a config of new thresholds (``python
-m corpus.policy``), which is how a team tunes thresholds without re-scoring and gets the answer
a fresh run would give. With ``--output`` the new outcomes are written as a run of their own
(``attributes/`` and a manifest naming the source run, whose shards keep the text), which
``python -m corpus.stats --compare`` sets beside the original before anything is trained on it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator, Mapping, Sequence

import pyarrow as pa
from rich.console import Console
from rich.table import Table

from common import storage
from common.cli import command
from common.config import load_config
from common.errors import OutputConflict
from common.storage import join
from corpus import manifest as mf
from corpus import shards
from corpus.config import CleanConfig
from corpus.filters.base import FILTERS, Filter
from formats.clean_manifest import KEPT, CleanManifest, read_clean_manifest, write_clean_manifest
from formats.documents import is_error_reason


def build_filters(config: CleanConfig) -> list[Filter]:
    """The configured chain, in order; models are loaded later by each filter's ``setup``."""
    return [FILTERS[spec.name](spec) for spec in config.filters]


def applies(flt: Filter, domain: str) -> bool:
    return domain not in flt.config.skip_domains


def decide(filters: Sequence[Filter], scores: Mapping[str, float], domain: str) -> str | None:
    """The drop reason (``<filter>.<rule>``) of the first filter, in chain order, whose rules
    ``scores`` (a document's prefixed score map) break, or None to keep.

    Filters that skip ``domain`` are passed over; a filter without scores of its own (it never
    ran on the document) drops nothing.
    """
    for flt in filters:
        if applies(flt, domain) and (rule := flt.verdict(flt.scores_of(scores))) is not None:
            return flt.reason(rule)
    return None


def _redecided(
    out: str, config: CleanConfig, columns: Sequence[str] | None = None
) -> Iterator[tuple[str, pa.Table, list[str | None]]]:
    """Per ``attributes/`` file of the run in ``out``: its path, its rows and each row's outcome
    under ``config`` (None: kept).

    Documents dropped before the filters (corrupt, not HTML, extraction ...), by a filter that
    raised (``<filter>.error``: never fully scored) and duplicates keep their reason; the others
    are re-decided.
    """
    filters = build_filters(config)
    filter_prefixes = tuple(f"{name}." for name in FILTERS)
    for rel in read_clean_manifest(out).attributes:
        table = shards.read_parquet(join(out, rel), columns)
        new: list[str | None] = []
        for domain, scores, reason in zip(
            table["domain"].to_pylist(),
            table["scores"].to_pylist(),
            table["drop_reason"].to_pylist(),
            strict=True,
        ):
            if reason is None or (reason.startswith(filter_prefixes) and not is_error_reason(reason)):
                new.append(decide(filters, dict(scores or []), domain))
            else:
                new.append(reason)
        yield rel, table, new


def redecide(out: str, config: CleanConfig) -> dict[str, dict[str, int]]:
    """Outcome counts of a finished run under ``config``'s thresholds, from stored scores only:
    ``{"before": {...}, "after": {...}}`` mapping outcome (``kept`` or reason) to documents."""
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    for _, table, new in _redecided(out, config, ["domain", "scores", "drop_reason"]):
        for old, now in zip(table["drop_reason"].to_pylist(), new, strict=True):
            before[old or KEPT] = before.get(old or KEPT, 0) + 1
            after[now or KEPT] = after.get(now or KEPT, 0) + 1
    return {"before": before, "after": after}


def write_redecision(out: str, config: CleanConfig, dest: str, overwrite: bool = False) -> CleanManifest:
    """Write the run in ``out`` re-decided under ``config`` to ``dest``: ``attributes/`` with the
    new outcomes (a changed row's ``drop_detail`` is cleared: it described the old reason) and a
    manifest that counts them, records ``config`` and names ``out`` as ``redecided_from``. The
    text stays in ``out``; ``python -m corpus.stats --input out --compare dest`` sets the two
    side by side. The manifest is written last."""
    source = read_clean_manifest(out)
    if storage.has_entries(dest):
        if not overwrite:
            raise OutputConflict(f"{dest}: folder is not empty; pass --overwrite to replace it")
        fs, p = storage.filesystem(dest)
        fs.delete_dir_contents(p)
    counts = mf.new_counts()
    files = []
    for rel, table, new in _redecided(out, config):
        old = table["drop_reason"].to_pylist()
        detail = [
            d if o == n else "" for d, o, n in zip(table["drop_detail"].to_pylist(), old, new, strict=True)
        ]
        for domain, reason, chars in zip(
            table["domain"].to_pylist(), new, table["n_chars"].to_pylist(), strict=True
        ):
            mf.add_count(counts, domain, reason or KEPT, 1, chars if reason is None else 0)
        columns = {n: table[n] for n in table.column_names}
        columns["drop_reason"] = pa.array(new, pa.string())
        columns["drop_detail"] = pa.array(detail, pa.string())
        shards.write_parquet(pa.table(columns, schema=table.schema), join(dest, rel))
        files.append(rel)
    origin = out if "://" in out else os.path.abspath(out)
    manifest = mf.build_manifest(
        config.hash(), source.inputs, counts, [], files, [], config=config.model_dump(mode="json")
    )
    manifest = manifest.model_copy(update={"redecided_from": origin})
    write_clean_manifest(dest, manifest)
    return manifest


@command()
def main(argv: list[str] | None = None) -> int:
    """``python -m corpus.policy --input CLEAN_OUT --config new.yaml [--output DIR]``: what new
    thresholds would keep and drop, from the stored scores; ``--output`` writes the re-decided
    outcomes for ``python -m corpus.stats --compare``."""
    parser = argparse.ArgumentParser(prog="python -m corpus.policy", description=main.__doc__)
    parser.add_argument("--input", required=True, help="a finished `pipelines.clean` output folder")
    parser.add_argument("--config", required=True, help="a cleaning config with the thresholds to try")
    parser.add_argument(
        "--output", help="write the re-decided outcomes here (attributes/ and manifest.json, no text)"
    )
    parser.add_argument("--overwrite", action="store_true", help="replace what --output holds")
    args = parser.parse_args(argv)
    config = load_config(args.config, CleanConfig)
    if args.output:
        before = read_clean_manifest(args.input).counts
        after = write_redecision(args.input, config, args.output, args.overwrite).counts
        result = {
            "before": {KEPT: before.kept, **before.dropped},
            "after": {KEPT: after.kept, **after.dropped},
        }
    else:
        result = redecide(args.input, config)
    table = Table(title=f"{args.input} re-decided with {args.config} (no re-scoring)")
    for col in ("outcome", "before", "after", "change"):
        table.add_column(col, justify="left" if col == "outcome" else "right")
    outcomes = sorted(set(result["before"]) | set(result["after"]), key=lambda o: (o != KEPT, o))
    for o in outcomes:
        b, a = result["before"].get(o, 0), result["after"].get(o, 0)
        table.add_row(o, f"{b:,}", f"{a:,}", f"{a - b:+,}")
    Console().print(table)
    if args.output:
        print(
            f"re-decided outcomes: {args.output}; compare: python -m corpus.stats --input {args.input} --compare {args.output}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
