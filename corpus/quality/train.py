"""Training a quality classifier: a deterministic split, fastText on one thread, held-out metrics.

Every step is fixed by the data and the seed, not by the order the files list their texts: the
texts are deduplicated, split by a seeded hash of the text (a copy can never sit on both sides)
and fed to fastText in hash order; fastText on one thread with a seed then writes the same bytes
every time (a test trains twice and compares them).

Defaults are DCLM's (Li et al. 2024, ``baselines/train_fasttext_classifier.py``): learning rate
0.1, 100 dimensions, 5 epochs, every word kept (minCount 1), fastText's 2,000,000 hash buckets
for the bigrams its DCLM-Baseline classifier used. Those suit hundreds of thousands of texts;
a few hundred need more epochs and a higher rate (the tests use 25 and 0.5), and the buckets
(4 bytes x ``dim`` each) set the model's size: 800 MB at the defaults, so a small task wants
fewer.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import numpy as np
import xxhash
from sklearn.metrics import accuracy_score, precision_recall_fscore_support, roc_auc_score

from common import storage
from common.errors import InputError, OutputConflict, UserError
from corpus.quality.card import (
    CARD_FILE,
    MODEL_FILE,
    ClassData,
    Data,
    Metrics,
    ModelCard,
    ModelFile,
    Reference,
    SourceFile,
    Training,
    file_sha256,
)
from corpus.quality.fit import FitError, fit
from corpus.quality.model import (
    LABEL_PREFIX,
    PREPROCESSING,
    QualityModel,
    prepare,
)

log = logging.getLogger(__name__)


class TrainingError(UserError):
    """Training failed in a way the settings can fix (the message says which)."""


REFERENCE_POINTS = 1001
"""Order statistics kept in the card for percentiles (every score when there are fewer)."""


@dataclass(frozen=True)
class Settings:
    seed: int = 0
    heldout_fraction: float = 0.1
    lr: float = 0.1
    dim: int = 100
    epoch: int = 5
    word_ngrams: int = 2
    min_count: int = 1
    bucket: int = 2_000_000
    max_per_class: int | None = None


def _key(text: str, seed: int) -> int:
    return xxhash.xxh64_intdigest(text.encode("utf-8", "surrogatepass"), seed=seed)


def split(texts: Sequence[str], settings: Settings) -> tuple[list[str], list[str]]:
    """(train, held out), each in seeded-hash order; ``max_per_class`` keeps the smallest hashes."""
    ordered = sorted(set(texts), key=lambda t: (_key(t, settings.seed), t))
    if settings.max_per_class is not None:
        ordered = ordered[: settings.max_per_class]
    cut = int(settings.heldout_fraction * 10_000)
    heldout = [t for t in ordered if _key(t, settings.seed + 1) % 10_000 < cut]
    held = set(heldout)
    return [t for t in ordered if t not in held], heldout


def _class_data(sources: list[SourceFile], train: list[str], heldout: list[str]) -> ClassData:
    return ClassData(
        sources=sources,
        texts=len(train) + len(heldout),
        train=len(train),
        heldout=len(heldout),
        chars=sum(map(len, train)) + sum(map(len, heldout)),
    )


def _reference_scores(scores: np.ndarray) -> list[float]:
    s = np.sort(scores)
    if len(s) > REFERENCE_POINTS:
        s = s[np.linspace(0, len(s) - 1, REFERENCE_POINTS).round().astype(int)]
    return [float(x) for x in s]


def metrics(pos_scores: np.ndarray, neg_scores: np.ndarray, threshold: float = 0.5) -> Metrics:
    """Held-out precision, recall, F1 and accuracy of "positive from ``threshold`` up", and ROC AUC."""
    y = np.r_[np.ones(len(pos_scores)), np.zeros(len(neg_scores))]
    s = np.r_[pos_scores, neg_scores]
    pred = (s >= threshold).astype(int)
    p, r, f, _ = precision_recall_fscore_support(y, pred, average="binary", zero_division=0)
    both = len(pos_scores) and len(neg_scores)
    return Metrics(
        threshold=threshold,
        precision=float(p),
        recall=float(r),
        f1=float(f),
        accuracy=float(accuracy_score(y, pred)) if len(y) else 0.0,
        roc_auc=float(roc_auc_score(y, s)) if both else None,
        positives=len(pos_scores),
        negatives=len(neg_scores),
    )


def train(
    positives: tuple[list[str], list[SourceFile]],
    negatives: tuple[list[str], list[SourceFile]],
    output: str,
    settings: Settings,
    command: list[str],
    reference: tuple[str, list[str]] | None = None,
    overwrite: bool = False,
) -> ModelCard:
    """Train on the two classes, measure on the held-out texts, write ``output/model.bin`` and
    ``output/card.json`` (the folder appears complete or not at all). ``reference`` is
    ``(what, texts)`` to read percentiles against; default the held-out negatives."""
    out = Path(output)
    if storage.has_entries(str(out)) and not overwrite:
        raise OutputConflict(f"{output}: folder is not empty; pass --overwrite to replace it")
    pos_texts, pos_sources = positives
    neg_texts, neg_sources = negatives
    both = set(pos_texts) & set(neg_texts)
    if both:
        log.warning("%d distinct texts are given as positive and as negative: left out of both", len(both))
    pos_train, pos_held = split([t for t in pos_texts if t not in both], settings)
    neg_train, neg_held = split([t for t in neg_texts if t not in both], settings)
    for name, part, held in (("positive", pos_train, pos_held), ("negative", neg_train, neg_held)):
        if not part or not held:
            raise InputError(
                f"{len(part)} {name} texts to train on and {len(held)} held out (after blanks, repeats and "
                f"the {settings.heldout_fraction:.0%} split): each needs at least one; bring more texts"
            )
    labels = ("positive", "negative")
    rows = [(t, labels[0]) for t in pos_train] + [(t, labels[1]) for t in neg_train]
    rows.sort(key=lambda r: (_key(r[0], settings.seed + 2), r[1], r[0]))
    with storage.staged_dir(out) as staged, tempfile.TemporaryDirectory() as tmp:
        train_file = Path(tmp) / "train.txt"
        with train_file.open("w", encoding="utf-8") as f:
            for text, label in rows:
                f.write(f"{LABEL_PREFIX}{label} {prepare(text)}\n")
        log.info("training on %d positive and %d negative texts", len(pos_train), len(neg_train))
        params = {
            "lr": settings.lr,
            "dim": settings.dim,
            "epoch": settings.epoch,
            "wordNgrams": settings.word_ngrams,
            "minCount": settings.min_count,
            "bucket": settings.bucket,
            "thread": 1,
            "seed": settings.seed,
            "verbose": 0,
        }
        try:
            fit(str(train_file), str(staged / MODEL_FILE), params)
        except FitError as err:
            if "NaN" not in str(err):
                raise
            raise TrainingError(
                f"fastText's training diverged ({err}) at learning rate {settings.lr}: lower --lr"
            ) from None
        size = (staged / MODEL_FILE).stat().st_size
        model_file = ModelFile(bytes=size, sha256=file_sha256(staged / MODEL_FILE))
        provisional = ModelCard(
            preprocessing=PREPROCESSING,
            labels=list(labels),
            model=model_file,
            data=Data(
                positive=_class_data(pos_sources, pos_train, pos_held),
                negative=_class_data(neg_sources, neg_train, neg_held),
                in_both_classes=len(both),
                heldout_fraction=settings.heldout_fraction,
            ),
            training=Training(
                fasttext=f"fasttext-numpy2 {version('fasttext-numpy2')}",
                **{k: v for k, v in asdict(settings).items() if k != "heldout_fraction"},
            ),
            metrics=Metrics(
                threshold=0.5, precision=0, recall=0, f1=0, accuracy=0, roc_auc=None, positives=0, negatives=0
            ),
            reference=Reference(source="", texts=0, scores=[]),
            command=list(command),
        )
        _write_card(staged, provisional)
        scorer = QualityModel(staged)
        pos_scores, neg_scores = scorer.scores(pos_held), scorer.scores(neg_held)
        what, ref_texts = reference or ("held-out negatives", neg_held)
        ref_scores = neg_scores if reference is None else scorer.scores(ref_texts)
        card = provisional.model_copy(
            update={
                "metrics": metrics(pos_scores, neg_scores),
                "reference": Reference(
                    source=what, texts=len(ref_texts), scores=_reference_scores(ref_scores)
                ),
            }
        )
        _write_card(staged, card)
    return card


def _write_card(folder: Path, card: ModelCard) -> None:
    text = card.model_dump_json(indent=2) + "\n"
    storage.write_bytes(str(folder / CARD_FILE), text.encode("utf-8"))
