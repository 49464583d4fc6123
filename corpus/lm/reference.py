"""The reference text the built-in language model is trained on, and how it was made.

CCNet trains one model per language on Wikipedia; nothing may be downloaded here, so the project
ships real English news text instead: the hand-made article bodies of the article-extraction
benchmark (Scrapinghub, MIT licence, shipped beside the text). Articles that fastText's lid.176
does not call English above 0.65 (FineWeb's cut) are left out; every sixth remaining article (in
key order) is held out of training, so calibration and tests can use real English the model
has never seen. The files are gzip'd with a zero timestamp, so `make_reference` rebuilds them
byte for byte.

Layout of ``corpus/data/lm/<lang>.<split>.txt.gz``: one paragraph per line, a blank line between
articles; ``split`` is ``train`` or ``heldout``.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "lm"
HELDOUT_EVERY = 6
MIN_LID_SCORE = 0.65


def reference_path(lang: str, split: str = "train") -> Path:
    return DATA_DIR / f"{lang}.{split}.txt.gz"


def shipped_languages() -> list[str]:
    """Languages with a shipped training text, i.e. a built-in model."""
    return sorted(p.name.split(".")[0] for p in DATA_DIR.glob("*.train.txt.gz"))


def read_documents(path: Path) -> Iterator[str]:
    """The articles of a reference file, paragraphs joined by newlines."""
    if not path.is_file():
        raise FileNotFoundError(f"reference text {path} is missing (see corpus/data/lm/README.txt)")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        doc: list[str] = []
        for line in f:
            line = line.rstrip("\n")
            if line:
                doc.append(line)
            elif doc:
                yield "\n".join(doc)
                doc = []
        if doc:
            yield "\n".join(doc)


def read_lines(path: Path) -> Iterator[str]:
    """Non-empty paragraphs of a reference file: the "sentences" the model is trained on."""
    for doc in read_documents(path):
        yield from doc.split("\n")


def _write_gzip(path: Path, docs: list[str]) -> None:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write("\n\n".join(docs).encode("utf-8") + b"\n")
    path.write_bytes(buf.getvalue())


def make_reference(ground_truth: Path, out_dir: Path = DATA_DIR, lang: str = "en") -> dict[str, int]:
    """Write ``<lang>.train.txt.gz`` and ``<lang>.heldout.txt.gz`` from the benchmark's JSON.

    ``ground_truth`` is ``ground-truth.json`` of scrapinghub/article-extraction-benchmark: a map
    from page hash to ``{"articleBody", "url"}``. Returns article counts per split.
    """
    from corpus.filters.language import identify, load_lid_model

    try:
        articles = json.loads(ground_truth.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise ValueError(f"{ground_truth}: cannot read the benchmark's ground truth: {e}") from e
    model = load_lid_model()
    kept: list[str] = []
    for key in sorted(articles):
        body = articles[key].get("articleBody") if isinstance(articles[key], dict) else None
        if not isinstance(body, str):
            raise ValueError(f"{ground_truth}: record {key!r} has no string 'articleBody'")
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        if not paragraphs:
            continue
        top, score = identify(model, body)[0]
        if top == lang and score > MIN_LID_SCORE:
            kept.append("\n".join(paragraphs))
    train = [d for i, d in enumerate(kept) if i % HELDOUT_EVERY != 0]
    heldout = [d for i, d in enumerate(kept) if i % HELDOUT_EVERY == 0]
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_gzip(out_dir / f"{lang}.train.txt.gz", train)
    _write_gzip(out_dir / f"{lang}.heldout.txt.gz", heldout)
    log.info("%s: %d articles for training, %d held out", lang, len(train), len(heldout))
    return {"train": len(train), "heldout": len(heldout)}
