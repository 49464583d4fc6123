"""``python -m corpus.quality train``: a real fastText model on a generated task where the classes
differ only in word order, its card, determinism, and the errors a user can fix."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus.quality.card import CardError, read_card
from corpus.quality.fit import fasttext_module
from corpus.quality.model import QualityModel
from formats.documents import Document
from tests.quality.generated import task, write_jsonl
from tests.quality.models import train_small
from tests.stage1_output import write_stage1_output


def fresh_accuracy(model_dir: Path, n: int = 60) -> float:
    """Share of never-seen generated texts (another seed) fastText itself labels right."""
    model = fasttext_module().load_model(str(model_dir / "model.bin"))
    prose, salad = task(n, seed=99)
    right = 0
    for text, truth in [(t, "__label__positive") for t in prose] + [(t, "__label__negative") for t in salad]:
        (label,), _ = model.predict(" ".join(text.split()))
        right += label == truth
    return right / (2 * n)


train = train_small


def test_a_model_with_word_bigrams_separates_prose_from_its_words_shuffled(trained):
    m = read_card(trained).metrics
    assert m.roc_auc > 0.95 and m.precision > 0.9 and m.recall > 0.9
    assert fresh_accuracy(trained) > 0.9


def test_bag_of_words_features_cannot_see_word_order(generated, tmp_path):
    """The same task with unigrams only: both classes have the same words, so it is at chance
    (what makes the test above able to fail)."""
    assert train(*generated, tmp_path / "m", "--word-ngrams", "1") == 0
    assert read_card(tmp_path / "m").metrics.roc_auc < 0.75
    assert fresh_accuracy(tmp_path / "m") < 0.7


def test_training_twice_gives_the_same_bytes_whatever_the_input_order(generated, trained, tmp_path):
    pos, neg = generated
    reversed_pos = tmp_path / "pos.jsonl"
    reversed_pos.write_text("".join(reversed(pos.read_text().splitlines(keepends=True))))
    assert train(reversed_pos, neg, tmp_path / "again") == 0
    assert (tmp_path / "again" / "model.bin").read_bytes() == (trained / "model.bin").read_bytes()
    assert train(*generated, tmp_path / "seed", "--seed", "1") == 0
    assert (tmp_path / "seed" / "model.bin").read_bytes() != (trained / "model.bin").read_bytes()


def test_the_card_records_data_sizes_hashes_and_metrics(generated, trained):
    pos, neg = generated
    card = read_card(trained)
    assert card.model.sha256 == hashlib.sha256((trained / "model.bin").read_bytes()).hexdigest()
    for cls, path in ((card.data.positive, pos), (card.data.negative, neg)):
        (source,) = cls.sources
        assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.texts == 300 and cls.texts == 300
        assert cls.train + cls.heldout == 300 and 10 < cls.heldout < 60
        texts = [json.loads(line)["text"] for line in path.read_text().splitlines()]
        assert cls.chars == sum(map(len, texts))
    assert (card.metrics.positives, card.metrics.negatives) == (
        card.data.positive.heldout,
        card.data.negative.heldout,
    )
    ref = card.reference
    assert ref.source == "held-out negatives" and ref.texts == card.data.negative.heldout
    assert ref.scores == sorted(ref.scores) and len(ref.scores) == ref.texts
    assert card.training.threads == 1 and card.training.word_ngrams == 2
    assert card.command[:4] == ["python", "-m", "corpus.quality", "train"]


def test_texts_given_as_both_classes_are_left_out_of_both(generated, tmp_path):
    pos, neg = generated
    shared = pos.read_text().splitlines(keepends=True)[:5]
    both = tmp_path / "neg.jsonl"
    both.write_text(neg.read_text() + "".join(shared))
    assert train(pos, both, tmp_path / "m") == 0
    card = read_card(tmp_path / "m")
    assert card.data.in_both_classes == 5
    assert card.data.positive.texts == 295 and card.data.negative.texts == 300


def test_stage1_outputs_and_parquet_files_are_inputs(generated, tmp_path):
    pos, neg = generated
    texts = [json.loads(line)["text"] for line in neg.read_text().splitlines()]
    docs = [Document(id=f"{i:04d}", url=f"https://x/{i}", domain="web", text=t) for i, t in enumerate(texts)]
    write_stage1_output(tmp_path / "run", docs, shards_per_domain=2)
    assert train(pos, tmp_path / "run", tmp_path / "m") == 0
    sources = read_card(tmp_path / "m").data.negative.sources
    assert [Path(s.path).name for s in sources] == [
        "part-00000-of-00002.parquet",
        "part-00001-of-00002.parquet",
    ]
    assert sum(s.texts for s in sources) == 300


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "fine"}\n\n{not json}\n', "bad.jsonl:3: not a JSON object"),
        ('{"text": "fine"}\n{"body": "x"}\n', "bad.jsonl:2: no string 'text' in this record"),
    ],
)
def test_a_bad_record_is_named_by_file_and_line(generated, tmp_path, capsys, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content)
    assert train(generated[0], bad, tmp_path / "m") == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_inputs_and_outputs_a_user_can_fix_are_one_line_errors(generated, trained, tmp_path, capsys):
    pos, _ = generated
    assert train(pos, tmp_path / "nowhere.jsonl", tmp_path / "m") == 2
    assert "nowhere.jsonl: not found" in capsys.readouterr().err
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "no_text.parquet")
    assert train(pos, tmp_path / "no_text.parquet", tmp_path / "m") == 2
    assert "no_text.parquet: no 'text' column (columns: body)" in capsys.readouterr().err
    few = write_jsonl(tmp_path / "few.jsonl", ["one text", "another text"])
    assert train(pos, few, tmp_path / "m") == 2
    assert "negative texts to train on" in capsys.readouterr().err
    assert train(*generated, trained) == 2
    assert "pass --overwrite" in capsys.readouterr().err


def test_a_model_file_that_is_not_the_cards_is_refused(trained, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(trained, copy)
    with (copy / "model.bin").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(CardError, match="SHA-256 .* is not the card's"):
        QualityModel(copy)
