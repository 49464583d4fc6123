"""``python -m corpus.lm``: calibrate perplexity cutoffs, train a model, build the built-in ones.

``calibrate`` is CCNet's cutoff step: score a sample of documents per language and print the
30th and 60th percentile of their perplexities, the numbers ``head_cutoff`` and ``tail_cutoff``
of the perplexity filter's config take. Inputs: Parquet files or folders of them (a
``pipelines.clean`` output's ``parquet/``; ``text`` and ``lang`` columns), JSON lines
(``{"text": ..., "lang": ...}``), or text files with documents separated by blank lines.

``train`` builds a model for another language (or domain) from your own text with the same
recipe as the built-in one; ``build`` fills the cache ahead of a run (a Docker image, say).
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from tqdm import tqdm

from common.cli import command
from common.errors import InputError
from corpus.lm.builtin import ORDER, VOCAB_SIZE, build_model, builtin_model
from corpus.lm.model import NGramLM
from corpus.lm.reference import make_reference, read_documents, shipped_languages

log = logging.getLogger("corpus.lm")


def _open_text(path: Path):
    return gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")


def iter_documents(
    path: Path, default_lang: str, text_column: str = "text", lang_column: str = "lang"
) -> Iterator[tuple[str, str]]:
    """(lang, text) of every document in a Parquet file or folder, a JSON-lines or a text file."""
    if path.is_dir():
        files = sorted(path.rglob("*.parquet"))
        if not files:
            raise FileNotFoundError(f"{path}: no .parquet files under this folder")
        for f in files:
            yield from iter_documents(f, default_lang, text_column, lang_column)
        return
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    name = path.name.removesuffix(".gz")
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        if text_column not in names:
            raise ValueError(f"{path}: no {text_column!r} column (columns: {', '.join(names)})")
        columns = [text_column] + ([lang_column] if lang_column in names else [])
        for batch in pf.iter_batches(columns=columns):
            texts = batch.column(text_column).to_pylist()
            langs = batch.column(lang_column).to_pylist() if lang_column in names else [None] * len(texts)
            for lang, text in zip(langs, texts, strict=True):
                if text:
                    yield lang or default_lang, text
    elif name.endswith((".jsonl", ".json")):
        with _open_text(path) as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    text = record[text_column]
                except (json.JSONDecodeError, KeyError, TypeError) as err:
                    raise ValueError(
                        f"{path}:{n}: expected a JSON object with {text_column!r}: {err}"
                    ) from None
                if text:
                    yield record.get(lang_column) or default_lang, text
    elif name.endswith(".txt"):
        for text in read_documents(path):
            yield default_lang, text
    else:
        raise ValueError(f"{path}: unknown input type (expected .parquet, .jsonl or .txt, optionally .gz)")


def calibrate(
    inputs: list[Path],
    models: dict[str, NGramLM],
    default_lang: str,
    percentiles: tuple[float, ...] = (30.0, 60.0),
    max_docs: int | None = None,
) -> dict[str, dict[str, float]]:
    """Per language: document count and the perplexity at each requested percentile."""
    values: dict[str, list[float]] = {lang: [] for lang in models}
    skipped = 0
    docs = (d for path in inputs for d in iter_documents(path, default_lang))
    for lang, text in tqdm(docs, desc="score", unit="doc"):
        model = models.get(lang)
        if model is None or (max_docs is not None and len(values[lang]) >= max_docs):
            skipped += 1
            continue
        value = model.perplexity(text.split("\n"))
        if value is not None:
            values[lang].append(value)
    if skipped:
        log.info("%d documents skipped (no model for their language, or over --max-docs)", skipped)
    out: dict[str, dict[str, float]] = {}
    for lang, vals in values.items():
        if vals:
            cuts = np.percentile(np.asarray(vals), percentiles)
            out[lang] = {
                "docs": float(len(vals)),
                **{f"p{p:g}": float(c) for p, c in zip(percentiles, cuts, strict=True)},
            }
    return out


def _models_for(args: argparse.Namespace) -> dict[str, NGramLM]:
    if args.kenlm:
        return {args.lang: NGramLM(args.kenlm, args.sentencepiece, normalize=not args.no_normalize)}
    if args.config:
        from common.config import load_config
        from corpus.config import CleanConfig
        from corpus.filters.perplexity import load_models

        config = load_config(args.config, CleanConfig)
        specs = [f for f in config.filters if f.name == "perplexity"]
        if not specs:
            raise ValueError(f"{args.config}: no perplexity filter in filters")
        return load_models(specs[0])
    files = builtin_model(args.lang)
    return {args.lang: NGramLM(files.kenlm, files.sentencepiece)}


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    percentiles = tuple(args.percentiles) + tuple(p for p in args.extra if p not in args.percentiles)
    result = calibrate(args.input, _models_for(args), args.lang, percentiles, args.max_docs)
    if not result:
        raise InputError("no document in a language with a model")
    table = Table(title="perplexity percentiles per language")
    table.add_column("lang")
    table.add_column("docs", justify="right")
    for p in percentiles:
        table.add_column(f"p{p:g}", justify="right")
    for lang, row in sorted(result.items()):
        table.add_row(lang, f"{int(row['docs']):,}", *(f"{row[f'p{p:g}']:.1f}" for p in percentiles))
    Console().print(table)
    head, tail = args.percentiles
    print("# perplexity filter config (models.<lang>):")
    for lang, row in sorted(result.items()):
        print(f"{lang}: {{head_cutoff: {row[f'p{head:g}']:.1f}, tail_cutoff: {row[f'p{tail:g}']:.1f}}}")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    lines = [line for path in args.input for doc in read_documents(path) for line in doc.split("\n")]
    files = build_model(lines, args.output, order=args.order, vocab_size=args.vocab_size)
    print(f"kenlm_path: {files.kenlm}\nsentencepiece_path: {files.sentencepiece}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    for lang in args.lang or shipped_languages():
        files = builtin_model(lang)
        print(f"{lang}: {files.kenlm} {files.sentencepiece}")
    return 0


def _cmd_make_reference(args: argparse.Namespace) -> int:
    print(make_reference(args.ground_truth, lang=args.lang))
    return 0


@command()
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m corpus.lm", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    cal = sub.add_parser("calibrate", help="print perplexity percentiles per language of a sample")
    cal.add_argument("--input", type=Path, action="append", required=True, help="repeatable")
    cal.add_argument("--lang", default="en", help="language of documents without a lang column")
    cal.add_argument("--config", help="use the perplexity filter's models of this clean.yaml")
    cal.add_argument("--kenlm", help="a KenLM model for --lang (instead of the built-in one)")
    cal.add_argument("--sentencepiece", help="the SentencePiece model of --kenlm")
    cal.add_argument("--no-normalize", action="store_true", help="--kenlm was trained on raw text")
    cal.add_argument("--percentiles", type=float, nargs=2, default=[30.0, 60.0], metavar=("HEAD", "TAIL"))
    cal.add_argument("--extra", type=float, nargs="*", default=[10.0, 90.0, 99.0], help="also print these")
    cal.add_argument("--max-docs", type=int, default=None, help="per language")
    cal.set_defaults(fn=_cmd_calibrate)

    tr = sub.add_parser("train", help="train SentencePiece + a Kneser-Ney n-gram model on text files")
    tr.add_argument(
        "--input", type=Path, action="append", required=True, help=".txt(.gz), one paragraph a line"
    )
    tr.add_argument("--output", type=Path, required=True, help="folder for lm.arpa and sp.model")
    tr.add_argument("--order", type=int, default=ORDER)
    tr.add_argument("--vocab-size", type=int, default=VOCAB_SIZE)
    tr.set_defaults(fn=_cmd_train)

    bd = sub.add_parser("build", help="build the built-in models into the cache now")
    bd.add_argument("--lang", action="append", help="default: every shipped language")
    bd.set_defaults(fn=_cmd_build)

    mr = sub.add_parser("make-reference", help="rebuild corpus/data/lm from the benchmark's ground truth")
    mr.add_argument("--ground-truth", type=Path, required=True)
    mr.add_argument("--lang", default="en")
    mr.set_defaults(fn=_cmd_make_reference)

    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except (FileNotFoundError, ValueError, KeyError) as err:  # a path, file or language the user named
        raise InputError(str(err)) from None


if __name__ == "__main__":
    raise SystemExit(main())
