"""Zero-shot tasks as local JSONL files: one record per line, one kind of record per file.

Multiple choice (HellaSwag, PIQA, ARC):
    {"id": "piqa-0", "context": "Question: ...\\nAnswer:", "choices": ["...", "..."], "label": 1}
Each choice is scored as the continuation ``" " + choice`` of ``context``.

Last word (LAMBADA):
    {"id": "lambada-0", "context": "... she handed him the", "target": "key"}
``target`` is scored as the continuation ``" " + target``.

`train.tasks` scores both kinds, `train.tasks_convert` writes them from each task's public
release, and the lm-evaluation-harness task definitions `train.tasks` writes read the same
files. The file's name without ``.jsonl`` is the task's name.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from common import storage
from common.config import StrictModel, format_validation_error
from common.errors import InputError

CONTINUATION_DELIMITER = " "
"""Put between the context and a choice or target (lm-evaluation-harness's target_delimiter)."""


class MultipleChoice(StrictModel):
    id: str = Field(min_length=1)
    context: str
    choices: list[str] = Field(min_length=2)
    label: int = Field(ge=0)
    """Index of the right choice."""

    @model_validator(mode="after")
    def _label_names_a_choice(self) -> MultipleChoice:
        if self.label >= len(self.choices):
            raise ValueError(f"label {self.label} but only {len(self.choices)} choices")
        return self


class LastWord(StrictModel):
    id: str = Field(min_length=1)
    context: str = Field(min_length=1)
    target: str = Field(min_length=1, pattern=r"^\S+$")
    """One word, no whitespace."""


TaskKind = Literal["multiple_choice", "last_word"]


@dataclass(frozen=True)
class Task:
    name: str
    kind: TaskKind
    items: tuple[MultipleChoice, ...] | tuple[LastWord, ...]
    path: Path


def write_task(path: str | Path, items: list[MultipleChoice] | list[LastWord]) -> Path:
    data = "".join(json.dumps(item.model_dump(), ensure_ascii=False) + "\n" for item in items)
    storage.write_bytes(str(path), data.encode("utf-8"))
    return Path(path)


def jsonl_records(path: str | Path, what: str = "file") -> Iterator[tuple[str, dict[str, Any]]]:
    """The JSON objects of a JSONL file, each with ``path:line`` for errors; blank lines skipped.
    A line that is not a JSON object is an `InputError` naming the file and the line."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"{path}: {what} not found") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(f"{where}: not a JSON record ({err})") from None
        if not isinstance(record, dict):
            raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
        yield where, record


def read_task(path: str | Path) -> Task:
    """A task file; a bad line is an `InputError` naming the file, the line and the key."""
    path = Path(path)
    items: list = []
    kind: TaskKind | None = None
    for where, record in jsonl_records(path, "task file"):
        this: TaskKind = "multiple_choice" if "choices" in record else "last_word"
        if kind is not None and this != kind:
            raise InputError(f"{where}: a {this} record in a {kind} task (one kind per file)")
        kind = this
        model = MultipleChoice if this == "multiple_choice" else LastWord
        try:
            items.append(model.model_validate(record))
        except ValidationError as err:
            raise InputError(format_validation_error(err, where)) from None
    if kind is None:
        raise InputError(f"{path}: no records")
    return Task(path.name.removesuffix(".jsonl"), kind, tuple(items), path)
