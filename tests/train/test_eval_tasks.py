"""Zero-shot scores are earned: on a generated world of facts, a tiny model trained a few hundred
steps beats chance by far, the same model untrained scores at chance within its interval."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import torch

from devkit.toy_tasks import last_word_task, multiple_choice_task, toy_world, word_tokenizer
from formats.tasks import LastWord, MultipleChoice, Task, read_task, write_task
from train.model import IGNORE_INDEX, Llama, LlamaConfig
from train.tasks import Scorer, score_task

STEPS = 300


def _model(vocab: int) -> Llama:
    torch.manual_seed(0)
    return Llama(
        LlamaConfig(
            vocab_size=vocab, max_seq_len=16, dim=64, n_layers=2, n_heads=4, n_kv_heads=2, ffn_dim=128
        )
    )


def _train(model: Llama, tok, sentences: list[str]) -> None:
    """A plain AdamW loop over the corpus sentences, each framed <s> ... </s>."""
    ids = [
        [tok.bos_token_id, *tok(s, add_special_tokens=False)["input_ids"], tok.eos_token_id]
        for s in sentences
    ]
    width = max(map(len, ids))
    tokens = torch.full((len(ids), width), tok.pad_token_id)
    for i, row in enumerate(ids):
        tokens[i, : len(row)] = torch.tensor(row)
    inputs, labels = tokens[:, :-1], tokens[:, 1:].clone()
    labels[labels == tok.pad_token_id] = IGNORE_INDEX
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(STEPS):
        pick = torch.randint(0, len(ids), (32,), generator=g)
        _, loss = model(inputs[pick], None, labels[pick])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory):
    world = toy_world(n_entities=48, seed=0)
    folder = tmp_path_factory.mktemp("tasks")
    mc = read_task(write_task(folder / "toy_mc.jsonl", multiple_choice_task(world)))
    lw = read_task(write_task(folder / "toy_lastword.jsonl", last_word_task(world)))
    tok = word_tokenizer(world)
    untrained = _model(len(tok))
    trained = _model(len(tok))
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny matrices: more threads only contend (10x slower on 2 busy cores)
    try:
        _train(trained, tok, world.sentences())
    finally:
        torch.set_num_threads(threads)

    def scores(model: Llama) -> dict[str, object]:
        scorer = Scorer(lambda t, s: model(t, s)[0], tok, model.cfg.max_seq_len, 16, tok.bos_token_id)
        return {task.name: score_task(task, scorer) for task in (mc, lw)}

    return scores(trained), scores(untrained)


def test_trained_model_beats_chance_on_multiple_choice_and_last_word(toy):
    trained, _ = toy
    mc, lw = trained["toy_mc"], trained["toy_lastword"]
    assert mc.n == 96 and mc.chance == pytest.approx(0.25)
    assert mc.acc > mc.chance + 5 * math.sqrt(0.25 * 0.75 / mc.n)
    assert mc.acc_norm > mc.chance + 5 * math.sqrt(0.25 * 0.75 / mc.n)
    # last word: 10 candidate words a relation, greedy over the whole vocabulary
    assert lw.acc > 0.5 and lw.perplexity < 3


def test_untrained_model_scores_at_chance_within_its_interval(toy):
    trained, untrained = toy
    mc, lw = untrained["toy_mc"], untrained["toy_lastword"]
    sd = math.sqrt(mc.chance * (1 - mc.chance) / mc.n)
    assert abs(mc.acc - mc.chance) < 3.5 * sd
    assert abs(mc.acc_norm - mc.chance) < 3.5 * sd
    vocab = trained["toy_mc"]  # same tokenizer: the untrained model is near-uniform over it
    assert lw.acc < 0.1 and lw.perplexity > 20, vocab


def test_acc_norm_divides_by_the_choice_length_in_characters():
    """Log-likelihoods chosen by hand: the short choice has the higher sum, the long (right) one
    the higher per character (lm-evaluation-harness's acc_norm)."""

    class Fixed:
        def loglikelihoods(self, requests):
            table = {" ab": -1.0, " abcdefgh": -1.5}
            return [(table[c], False) for _, c in requests]

    task = Task(
        "t",
        "multiple_choice",
        (MultipleChoice(id="0", context="x", choices=["ab", "abcdefgh"], label=1),),
        Path("t"),
    )
    s = score_task(task, Fixed())  # type: ignore[arg-type]
    assert (s.acc, s.acc_norm) == (0.0, 1.0)


def test_continuation_tokens_are_those_past_the_context():
    world = toy_world(n_entities=4, seed=0)
    tok = word_tokenizer(world)
    scorer = Scorer(lambda t, s: t, tok, 16, bos_id=tok.bos_token_id)
    entity = world.entities[0]
    colour = world.facts[(entity, "colour")]
    ctx, cont = scorer.encode_pair(f"the colour of {entity} is ", colour)  # the space moves over
    assert ctx[0] == tok.bos_token_id and tok.convert_ids_to_tokens(ctx[1:]) == [
        "the",
        "colour",
        "of",
        entity,
        "is",
    ]
    assert tok.convert_ids_to_tokens(cont) == [colour]


def test_bad_task_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        '{"id": "a", "context": "x", "target": "y"}\n{"id": "b", "context": "x", "target": "two words"}\n'
    )
    with pytest.raises(ValueError, match=r"bad.jsonl:2: target"):
        read_task(path)
    path.write_text('{"id": "a", "context": "x", "choices": ["p", "q"], "label": 2}\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:1"):
        read_task(path)
    assert LastWord  # the record models are the documented format
