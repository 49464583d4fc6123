"""Zero-shot tasks from their public releases to our JSONL (`formats.tasks`), as
lm-evaluation-harness prompts them. Nothing is downloaded: bring the release's files.

``python -m train.tasks_convert KIND --input FILE [--labels FILE] --output TASK.jsonl``

- ``hellaswag``: the release's ``hellaswag_{train,val}.jsonl`` (``ind``, ``activity_label``,
  ``ctx_a``, ``ctx_b``, ``endings``, ``label``); context ``activity_label: ctx_a Ctx_b`` and
  endings cleaned as the harness's ``preprocess`` does (`` [title]`` -> ``. ``, bracketed tags
  dropped, double spaces single). The test split has no labels and is refused.
- ``piqa``: ``{train,valid}.jsonl`` (``goal``, ``sol1``, ``sol2``) with its labels file
  (``{train,valid}-labels.lst``, one 0/1 per line) given as ``--labels``; ``Question: goal\\nAnswer:``.
- ``arc``: AI2's ``ARC-{Easy,Challenge}-{Train,Dev,Test}.jsonl`` (``id``, ``question.stem``,
  ``question.choices[].{text,label}``, ``answerKey``); ``Question: stem\\nAnswer:``.
- ``lambada``: ``lambada_test.jsonl`` (OpenAI's release, ``{"text": ...}``) or the original
  release's plain text, one passage per line; the last space-separated word is the target.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from common.cli import command
from common.config import format_validation_error
from common.errors import InputError
from formats.tasks import LastWord, MultipleChoice, jsonl_records, write_task


def _field(record: dict[str, Any], key: str, where: str) -> Any:
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise InputError(f"{where}: no {key!r} (is this the release's layout?)")
        value = value[part]
    return value


def _item(model: type, where: str, **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as err:
        raise InputError(format_validation_error(err, where)) from None


def hellaswag_preprocess(text: str) -> str:
    """lm-evaluation-harness's ``hellaswag.utils.preprocess``."""
    text = text.strip()
    text = text.replace(" [title]", ". ")
    text = re.sub("\\[.*?\\]", "", text)
    return text.replace("  ", " ")


def convert_hellaswag(path: Path) -> list[MultipleChoice]:
    items = []
    for where, r in jsonl_records(path):
        if r.get("label") in (None, ""):
            raise InputError(f"{where}: no 'label' (the test split is unlabelled; use train or val)")
        ctx = _field(r, "ctx_a", where) + " " + _field(r, "ctx_b", where).capitalize()
        items.append(
            _item(
                MultipleChoice,
                where,
                id=f"hellaswag-{r.get('ind', len(items))}",
                context=hellaswag_preprocess(_field(r, "activity_label", where) + ": " + ctx),
                choices=[hellaswag_preprocess(e) for e in _field(r, "endings", where)],
                label=int(r["label"]),
            )
        )
    return items


def convert_piqa(path: Path, labels: Path | None) -> list[MultipleChoice]:
    if labels is None:
        raise InputError(
            f"{path}: PIQA's labels are in a separate file; pass --labels (e.g. valid-labels.lst)"
        )
    try:
        answers = [line.strip() for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise InputError(f"{labels}: not found") from None
    records = list(jsonl_records(path))
    if len(answers) != len(records):
        raise InputError(f"{labels}: {len(answers)} labels for {len(records)} records in {path}")
    items = []
    for i, ((where, r), answer) in enumerate(zip(records, answers, strict=True)):
        if answer not in ("0", "1"):
            raise InputError(f"{labels}:{i + 1}: label {answer!r} is not 0 or 1")
        items.append(
            _item(
                MultipleChoice,
                where,
                id=f"piqa-{i}",
                context=f"Question: {_field(r, 'goal', where)}\nAnswer:",
                choices=[_field(r, "sol1", where), _field(r, "sol2", where)],
                label=int(answer),
            )
        )
    return items


def convert_arc(path: Path) -> list[MultipleChoice]:
    items = []
    for where, r in jsonl_records(path):
        choices = _field(r, "question.choices", where)
        letters = [str(c.get("label")) for c in choices]
        key = str(_field(r, "answerKey", where))
        if key not in letters:
            raise InputError(f"{where}: answerKey {key!r} is none of the choice labels {letters}")
        items.append(
            _item(
                MultipleChoice,
                where,
                id=str(r.get("id", f"arc-{len(items)}")),
                context=f"Question: {_field(r, 'question.stem', where)}\nAnswer:",
                choices=[str(c.get("text", "")) for c in choices],
                label=letters.index(key),
            )
        )
    return items


def convert_lambada(path: Path) -> list[LastWord]:
    if path.suffix == ".jsonl":
        texts = [(where, str(_field(r, "text", where))) for where, r in jsonl_records(path)]
    else:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            raise InputError(f"{path}: not found") from None
        texts = [(f"{path}:{n}", line) for n, line in enumerate(lines, 1) if line.strip()]
    items = []
    for i, (where, text) in enumerate(texts):
        context, sep, target = text.strip().rpartition(" ")
        if not sep:
            raise InputError(f"{where}: one word only; nothing to predict it from")
        items.append(_item(LastWord, where, id=f"lambada-{i}", context=context, target=target))
    return items


@command()
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m train.tasks_convert", description=__doc__.split("\n\n")[0])
    p.add_argument("kind", choices=("hellaswag", "piqa", "arc", "lambada"))
    p.add_argument("--input", type=Path, required=True, help="the release's file")
    p.add_argument("--labels", type=Path, default=None, help="PIQA's labels file")
    p.add_argument("--output", type=Path, required=True, help="task JSONL to write (its name is the task's)")
    args = p.parse_args(argv)
    if args.kind == "piqa":
        items: list = convert_piqa(args.input, args.labels)
    else:
        items = {"hellaswag": convert_hellaswag, "arc": convert_arc, "lambada": convert_lambada}[args.kind](
            args.input
        )
    write_task(args.output, items)
    print(f"{args.kind}: {len(items)} items -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
