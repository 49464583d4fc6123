"""The mix plan: draws that add up, and bad mixes refused with the key named."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from common.config import load_config
from common.errors import ConfigError
from mixer.__main__ import main
from mixer.config import MixConfig
from mixer.plan import MixError, apportion, load_plan
from tests.mixer.mix_tokens import write_mix, write_token_dir

SEQ = 32
SIZES = {"web": 6400, "code": 960, "math": 1600}  # ~200, ~30 and ~50 sequences of 32 tokens


@pytest.fixture(scope="module")
def tokens_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_token_dir(tmp_path_factory.mktemp("tok"), SIZES, seq_len=SEQ)


def test_plan_draws_ratio_times_budget_with_epochs_and_shares(tokens_dir: Path, tmp_path: Path):
    mix = write_mix(tmp_path / "mix.yaml", tokens_dir, 9600, {"web": 0.5, "code": 0.3, "math": 0.2}, seed=5)
    plan = load_plan(mix)
    assert plan.seq_len == SEQ and plan.seed == 5 and plan.domains == ("web", "code", "math")
    assert plan.total_sequences == 9600 // SEQ
    web, code, math = plan.rows
    assert (web.tokens_requested, code.tokens_requested, math.tokens_requested) == (4800, 2880, 1920)
    assert (web.sequences_drawn, code.sequences_drawn, math.sequences_drawn) == (150, 90, 60)
    for row in plan.rows:
        assert row.epochs == pytest.approx(row.sequences_drawn / row.sequences_available)
        assert row.share == pytest.approx(row.ratio)
        assert row.tokens_available > 0
        # document tokens per sequence of the domain, times the sequences drawn
        per_sequence = row.tokens_available / row.sequences_available
        assert row.tokens_drawn == round(row.sequences_drawn * per_sequence)
    assert web.downsampled and not web.upsampled
    assert code.upsampled and code.epochs == pytest.approx(90 / code.sequences_available)


def test_apportion_always_adds_up_and_stays_within_one_of_the_quota():
    rng = random.Random(0)
    for _ in range(200):
        weights = {f"d{i}": rng.random() for i in range(rng.randint(1, 6))}
        total = rng.randint(1, 10_000)
        parts = apportion(total, weights)
        assert sum(parts.values()) == total
        wsum = sum(weights.values())
        assert all(abs(parts[k] - total * w / wsum) < 1 for k, w in weights.items())


def test_each_domain_draws_within_one_sequence_of_its_share_of_the_budget(tmp_path: Path):
    # one sequence per domain is enough data for any budget here: max_epochs does not get in the way
    names = ("web", "books", "code", "math", "dialog")
    tok = write_token_dir(tmp_path / "tok", dict.fromkeys(names, 200), seq_len=SEQ)
    # 305 tokens round up to 10 sequences; splitting those 10 by ratio (5.2, 1.2, ...) and rounding
    # would give web 6 sequences, 192 tokens for a share of 158.6: more than a sequence over
    cases = [(305, {"web": 0.52, "books": 0.12, "code": 0.12, "math": 0.12, "dialog": 0.12})]
    rng = random.Random(1)
    for _ in range(60):
        raw = {d: rng.choice([rng.random(), rng.random() / 50]) for d in names}
        ratios = {d: round(r / sum(raw.values()), 9) for d, r in raw.items()}
        ratios["web"] = round(1 - sum(v for d, v in ratios.items() if d != "web"), 9)
        cases.append((rng.randint(SEQ * 10, SEQ * 400), ratios))
    for k, (budget, ratios) in enumerate(cases):
        mix = write_mix(tmp_path / f"m{k}.yaml", tok, budget, ratios, max_epochs=1e9)
        try:
            plan = load_plan(mix)
        except MixError as err:  # a tiny ratio may draw no whole sequence: refused, by name
            assert "draws no whole sequence" in str(err)
            continue
        assert plan.total_sequences == round(budget / SEQ)
        for row in plan.rows:
            assert abs(row.sequences_drawn * SEQ - ratios[row.domain] * budget) < SEQ, (k, row)


def test_zero_ratio_domains_are_listed_but_not_drawn(tokens_dir: Path, tmp_path: Path):
    plan = load_plan(write_mix(tmp_path / "m.yaml", tokens_dir, 3200, {"web": 1.0, "code": 0}))
    assert plan.domains == ("web",) and plan.excluded == ("code",) and plan.unused == ("math",)


def test_tokens_dir_argument_overrides_the_config(tokens_dir: Path, tmp_path: Path):
    mix = write_mix(tmp_path / "m.yaml", tmp_path / "nowhere", 3200, {"web": 1.0})
    assert load_plan(mix, tokens_dir=tokens_dir).tokens_dir == tokens_dir.resolve()


def test_ratios_within_the_tolerance_of_one_are_accepted(tokens_dir: Path, tmp_path: Path):
    plan = load_plan(write_mix(tmp_path / "m.yaml", tokens_dir, 3200, {"web": 0.5000005, "math": 0.5}))
    assert plan.total_sequences == 100


BAD_MIXES = [
    ({"web": 0.5, "poetry": 0.5}, {}, r"domains: .*unknown domain 'poetry'"),
    ({"web": 1.2, "code": -0.2}, {}, r"domains\.code: Input should be greater than or equal to 0"),
    ({"web": "lots", "code": 1.0}, {}, r"domains\.web: Input should be a valid number"),
    ({"web": '"0.5"', "code": 0.5}, {}, r"domains\.web: Input should be a valid number"),
    ({"web": 0.5, "code": 0.3}, {}, r"domains: ratios sum to 0\.8, not 1 \(tolerance 1e-06\)"),
    ({"web": 0.5, "math": 0.500002}, {}, r"ratios sum to 1\.000002"),
    ({"web": 0.0}, {}, r"no domain has a ratio above 0"),
    ({"web": 1.0}, {"max_epochs": "many"}, r"max_epochs: Input should be a valid number"),
    ({"web": 1.0}, {"colour": "blue"}, r"colour: Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("ratios", "extra", "message"), BAD_MIXES)
def test_bad_mix_configs_are_refused_naming_the_key(tokens_dir, tmp_path, ratios, extra, message):
    mix = write_mix(tmp_path / "mix.yaml", tokens_dir, 3200, ratios, **extra)
    with pytest.raises(ConfigError, match=message) as err:
        load_plan(mix)
    assert str(err.value).startswith(str(mix))


def test_a_missing_key_is_named(tmp_path: Path):
    mix = tmp_path / "mix.yaml"
    mix.write_text("tokens_dir: x\ndomains: {web: 1.0}\n")
    with pytest.raises(ConfigError, match="total_tokens: Field required"):
        load_plan(mix)


def test_missing_token_directory_or_manifest_is_named(tmp_path: Path):
    with pytest.raises(
        MixError, match=r"tokens_dir: .*nowhere: folder not found \(expected a completed Stage 2 output"
    ):
        load_plan(write_mix(tmp_path / "m.yaml", tmp_path / "nowhere", 3200, {"web": 1.0}))
    (tmp_path / "empty").mkdir()
    with pytest.raises(MixError, match=r"tokens_dir: .*manifest\.json: not found"):
        load_plan(write_mix(tmp_path / "m.yaml", tmp_path / "empty", 3200, {"web": 1.0}))


def test_a_domain_without_tokens_is_named(tmp_path: Path):
    tok = write_token_dir(tmp_path / "tok", {"web": 3200, "books": 0}, seq_len=SEQ)
    with pytest.raises(MixError, match=r"domains\.books: no tokens in"):
        load_plan(write_mix(tmp_path / "m.yaml", tok, 3200, {"web": 0.9, "books": 0.1}))
    with pytest.raises(MixError, match=r"domains\.dialog: not in .*manifest\.json"):
        load_plan(write_mix(tmp_path / "m.yaml", tok, 3200, {"web": 0.9, "dialog": 0.1}))


def test_a_plan_repeating_a_domain_beyond_max_epochs_is_refused(tokens_dir: Path, tmp_path: Path):
    # code has ~30 sequences; 0.3 of 16000 tokens is 150 sequences, about 5 epochs
    mix = write_mix(tmp_path / "m.yaml", tokens_dir, 16000, {"web": 0.7, "code": 0.3}, max_epochs=4)
    with pytest.raises(
        MixError, match=r"domains\.code: the plan repeats code [45]\.\d\d times, above max_epochs 4"
    ):
        load_plan(mix)
    write_mix(tmp_path / "m.yaml", tokens_dir, 16000, {"web": 0.7, "code": 0.3}, max_epochs=6)
    assert load_plan(mix).row("code").epochs > 4


def test_shipped_mix_config_has_the_demo_ratios():
    config = load_config(Path(__file__).parents[2] / "configs" / "mix.yaml", MixConfig)
    assert config.domains == {
        "web": 0.45,
        "books": 0.25,
        "code": 0.10,
        "encyclopedia": 0.08,
        "dialog": 0.08,
        "math": 0.04,
    }
    assert config.max_epochs == 4.0


def test_cli_prints_the_plan_table(tokens_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    mix = write_mix(tmp_path / "m.yaml", tokens_dir, 9600, {"web": 0.5, "code": 0.3, "math": 0.2})
    assert main(["plan", "--mix", str(mix)]) == 0
    out = capsys.readouterr().out
    for word in ("web", "code", "math", "repeat", "subset", "150", "90", "60"):
        assert word in out


def test_cli_gives_the_optimizer_steps_for_a_global_batch(tokens_dir: Path, tmp_path: Path, capsys):
    mix = write_mix(tmp_path / "m.yaml", tokens_dir, 9600, {"web": 0.5, "code": 0.3, "math": 0.2})
    assert main(["plan", "--mix", str(mix), "--global-batch", "7"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    # 9600 tokens are 300 sequences of 32; 300 / 7 rounds up to 43 steps of 7 * 32 tokens
    assert "budget 9,600 tokens = 300 sequences of 32" in out
    assert "43 optimizer steps of 7 sequences (224 tokens) draw the plan once" in out
    with pytest.raises(SystemExit):
        main(["plan", "--mix", str(mix), "--global-batch", "0"])


def test_cli_exits_2_with_one_message_on_a_bad_mix(tokens_dir: Path, tmp_path: Path, capsys):
    mix = write_mix(tmp_path / "m.yaml", tokens_dir, 9600, {"web": 0.5, "code": 0.3})
    assert main(["plan", "--mix", str(mix)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(f"error: {mix}: domains: ratios sum to 0.8")


def test_the_plan_says_how_many_optimizer_steps_draw_it_once(tokens_dir: Path, tmp_path: Path):
    plan = load_plan(write_mix(tmp_path / "m.yaml", tokens_dir, 9600, {"web": 0.5, "code": 0.3, "math": 0.2}))
    assert plan.total_sequences == 9600 // plan.seq_len
    assert plan.optimizer_steps(plan.total_sequences) == 1
    assert (
        plan.optimizer_steps(7) == -(-plan.total_sequences // 7)
        and plan.optimizer_steps(7) * 7 >= plan.total_sequences
    )
    with pytest.raises(ValueError, match="global batch must be positive"):
        plan.optimizer_steps(0)
