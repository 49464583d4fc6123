"""A generated world of facts and zero-shot tasks about it, to show scores are earned.

Each made-up entity has a colour and a home town, fixed by the seed. The corpus states the facts
("the colour of zorvek is purple ."); the tasks ask them back: multiple choice (the right colour
among distractors of other lengths, so acc and acc_norm can differ) and last word (the colour as
the target). A model trained on the corpus beats chance; an untrained one scores at chance.
Words are whole tokens of a word-level `tokenizers` tokenizer, so a tiny model learns them fast.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from formats.tasks import LastWord, MultipleChoice

COLOURS = ("red", "blue", "green", "yellow", "purple", "orange", "black", "white", "grey", "turquoise")
TOWNS = ("oslo", "lima", "quito", "dakar", "hanoi", "bergen", "toledo", "nairobi", "kyoto", "valparaiso")
TEMPLATES = {"colour": ("the colour of {e} is", COLOURS), "town": ("{e} lives in", TOWNS)}
SPECIALS = ("<pad>", "<s>", "</s>", "<unk>")


@dataclass(frozen=True)
class ToyWorld:
    entities: tuple[str, ...]
    facts: dict[tuple[str, str], str]
    """(entity, relation) -> the right word."""

    def sentences(self) -> list[str]:
        return [TEMPLATES[rel][0].format(e=e) + f" {word} ." for (e, rel), word in self.facts.items()]

    def vocabulary(self) -> list[str]:
        words = {w for s in self.sentences() for w in s.split()}
        return [*SPECIALS, *sorted(words)]


def toy_world(n_entities: int = 48, seed: int = 0) -> ToyWorld:
    rng = random.Random(seed)
    syllables = ["zor", "vek", "mal", "tin", "qua", "bre", "sol", "dra", "ni", "fex", "lum", "por"]
    names: set[str] = set()
    while len(names) < n_entities:
        names.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))))
    entities = tuple(sorted(names))
    facts = {(e, rel): rng.choice(words) for e in entities for rel, (_, words) in TEMPLATES.items()}
    return ToyWorld(entities, facts)


def multiple_choice_task(world: ToyWorld, n_choices: int = 4, seed: int = 1) -> list[MultipleChoice]:
    rng = random.Random(seed)
    items = []
    for i, ((e, rel), right) in enumerate(sorted(world.facts.items())):
        template, words = TEMPLATES[rel]
        choices = [right, *rng.sample([w for w in words if w != right], n_choices - 1)]
        rng.shuffle(choices)
        items.append(
            MultipleChoice(
                id=f"toy-{i}", context=template.format(e=e), choices=choices, label=choices.index(right)
            )
        )
    return items


def last_word_task(world: ToyWorld) -> list[LastWord]:
    return [
        LastWord(id=f"toy-{i}", context=TEMPLATES[rel][0].format(e=e), target=right)
        for i, ((e, rel), right) in enumerate(sorted(world.facts.items()))
    ]


def word_tokenizer(world: ToyWorld):  # -> transformers.PreTrainedTokenizerFast
    """A word-level tokenizer over the world's vocabulary (real `tokenizers`, wrapped for
    transformers), framing nothing: the scorer adds BOS itself."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    vocab = {w: i for i, w in enumerate(world.vocabulary())}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="<unk>"
    )
