"""Converters from each task's public release layout, on hand-written records in that layout;
the expected prompts are written out here as lm-evaluation-harness builds them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.errors import InputError
from formats.tasks import read_task
from train.tasks_convert import convert_arc, convert_piqa, main


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _convert(tmp_path: Path, *args: str) -> list:
    out = tmp_path / "task.jsonl"
    assert main([*args, "--output", str(out)]) == 0
    return list(read_task(out).items)


def test_hellaswag_validation_record(tmp_path):
    src = _jsonl(
        tmp_path / "hellaswag_val.jsonl",
        [
            {
                "ind": 24,
                "activity_label": "Roof shingle removal",
                "ctx_a": "A man is sitting on a roof.",
                "ctx_b": "he",
                "ctx": "A man is sitting on a roof. he",
                "split": "val",
                "split_type": "indomain",
                "label": 3,
                "endings": [
                    "is using wrap to wrap a pair of skis.",
                    "is ripping level tiles off.",
                    "is holding a rubik's cube.",
                    "starts pulling up roofing on a roof. [title] Remove  the nails.",
                ],
                "source_id": "activitynet~v_-JhWjGDPHMY",
            }
        ],
    )
    [item] = _convert(tmp_path, "hellaswag", "--input", str(src))
    assert item.context == "Roof shingle removal: A man is sitting on a roof. He"
    assert item.choices[3] == "starts pulling up roofing on a roof.. Remove the nails."
    assert (item.label, item.id) == (3, "hellaswag-24")


def test_hellaswag_test_split_without_labels_is_refused(tmp_path):
    src = _jsonl(
        tmp_path / "t.jsonl",
        [{"ind": 1, "activity_label": "a", "ctx_a": "b", "ctx_b": "c", "endings": ["x", "y"]}],
    )
    assert main(["hellaswag", "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 2


def test_piqa_records_with_their_labels_file(tmp_path):
    src = _jsonl(
        tmp_path / "valid.jsonl",
        [
            {"goal": "How do I ready a guinea pig cage for it's new occupants?", "sol1": "Provide the guinea pig with a cage full of a few inches of bedding made of ripped paper strips.", "sol2": "Provide the guinea pig with a cage full of a few inches of bedding made of ripped jeans material."},
            {"goal": "dresser", "sol1": "replace drawer with bobby pin", "sol2": "finish, woodgrain with  bobby pin"},
        ],
    )  # fmt: skip
    labels = tmp_path / "valid-labels.lst"
    labels.write_text("0\n1\n")
    items = _convert(tmp_path, "piqa", "--input", str(src), "--labels", str(labels))
    assert items[0].context == "Question: How do I ready a guinea pig cage for it's new occupants?\nAnswer:"
    assert [i.label for i in items] == [0, 1]
    labels.write_text("0\n")
    with pytest.raises(InputError, match="1 labels for 2 records"):
        convert_piqa(src, labels)


def test_arc_records_with_letter_and_number_answer_keys(tmp_path):
    src = _jsonl(
        tmp_path / "ARC-Easy-Test.jsonl",
        [
            {"id": "Mercury_7175875", "question": {"stem": "An astronomer observes that a planet rotates faster after a meteorite impact. Which is the most likely effect of this increase in rotation?", "choices": [{"text": "Planetary density will decrease.", "label": "A"}, {"text": "Planetary years will become longer.", "label": "B"}, {"text": "Planetary days will become shorter.", "label": "C"}, {"text": "Planetary gravity will become stronger.", "label": "D"}]}, "answerKey": "C"},
            {"id": "NYSEDREGENTS_2015_4_8", "question": {"stem": "Which is a mixture?", "choices": [{"text": "salt", "label": "1"}, {"text": "sugar", "label": "2"}, {"text": "trail mix", "label": "3"}]}, "answerKey": "3"},
        ],
    )  # fmt: skip
    first, second = _convert(tmp_path, "arc", "--input", str(src))
    assert first.context.startswith("Question: An astronomer") and first.context.endswith(
        "rotation?\nAnswer:"
    )
    assert (first.label, first.choices[2], first.id) == (
        2,
        "Planetary days will become shorter.",
        "Mercury_7175875",
    )
    assert (second.label, len(second.choices)) == (2, 3)


def test_lambada_jsonl_and_plain_text(tmp_path):
    text = "in my palm is a clear stone , and inside it is a small ivory statuette . a guardian angel"
    src = _jsonl(tmp_path / "lambada_test.jsonl", [{"text": text}])
    [item] = _convert(tmp_path, "lambada", "--input", str(src))
    assert (item.context, item.target) == (text.rsplit(" ", 1)[0], "angel")
    plain = tmp_path / "lambada_test_plain_text.txt"
    plain.write_text(text + "\n")
    assert _convert(tmp_path, "lambada", "--input", str(plain))[0] == item


def test_a_record_in_another_layout_is_named(tmp_path):
    src = _jsonl(tmp_path / "arc.jsonl", [{"id": "x", "question": "flat string", "answerKey": "A"}])
    with pytest.raises(InputError, match=r"arc.jsonl:1: no 'question.choices'"):
        convert_arc(src)
