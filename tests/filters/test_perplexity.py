"""The perplexity filter: our Kneser-Ney trainer against KenLM, the built-in model, buckets, policy."""

from __future__ import annotations

import itertools
import json
import math
import random
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import kenlm
import numpy as np
import pytest

from common.config import parse_config
from common.errors import ConfigError
from corpus.filters.perplexity import (
    EN_HEAD_CUTOFF,
    EN_TAIL_CUTOFF,
    LanguageModelConfig,
    PerplexityConfig,
    PerplexityFilter,
    bucket_of,
)
from corpus.lm.__main__ import calibrate, main
from corpus.lm.builtin import build_model
from corpus.lm.kneser_ney import FALLBACK_DISCOUNTS, train_kneser_ney
from corpus.lm.model import NGramLM
from corpus.lm.normalize import _PUNCT_MAP, normalize_line, normalize_lines
from corpus.lm.reference import make_reference, read_documents, reference_path
from corpus.text import TextView
from formats.documents import Document

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

_NOUNS = ["cat", "dog", "bird", "farmer", "teacher", "river", "city", "market", "child", "storm"]
_VERBS = ["sees", "likes", "follows", "builds", "finds", "leaves", "crosses", "opens"]
_ADJS = ["small", "old", "red", "quiet", "busy", "green"]


def _grammar_sentences(n: int, seed: int) -> list[list[str]]:
    """Seeded sentences of a toy grammar: enough structure for every n-gram order to matter."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = ["the", rng.choice(_ADJS), rng.choice(_NOUNS), rng.choice(_VERBS), "a", rng.choice(_NOUNS)]
        if rng.random() < 0.4:
            words += ["near", "the", rng.choice(_NOUNS)]
        if rng.random() < 0.2:
            words = words[:3]
        out.append(words)
    return out


@pytest.fixture(scope="module")
def builtin_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Build the built-in English model once for this module, in a private cache."""
    cache = tmp_path_factory.mktemp("lm-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HEADWATER_CACHE", str(cache))
        yield cache


@pytest.fixture(scope="module")
def english(builtin_cache: Path) -> PerplexityFilter:
    flt = PerplexityFilter(PerplexityConfig())
    flt.setup()
    return flt


def _doc(text: str, lang: str = "en") -> Document:
    return Document(id="d", url="https://example.com/", domain="web", text=text, lang=lang)


def _score(flt: PerplexityFilter, text: str, lang: str = "en") -> dict[str, float]:
    return flt.score(_doc(text, lang), TextView(text))


# --- the trainer ---------------------------------------------------------------------------


@pytest.mark.parametrize("order", [2, 3, 5])
def test_arpa_written_by_trainer_loads_in_kenlm_and_kenlm_scores_match_our_computation(
    tmp_path: Path, order: int
) -> None:
    sentences = _grammar_sentences(400, seed=order)
    model = train_kneser_ney(sentences, order=order)
    arpa = tmp_path / "toy.arpa"
    model.write_arpa(arpa)
    lm = kenlm.Model(str(arpa))
    assert lm.order == order
    probes = [
        " ".join(sentences[0]),
        " ".join(sentences[7]),
        "river the near market a finds child busy the",  # unseen n-grams: backoff weights at work
        "the old dog the old dog sees sees a a",
        "a zebra sees the unicorn",  # two out-of-vocabulary words
        "the",
        "",
    ]
    for probe in probes:
        words = probe.split()
        ours = model.score(words)
        theirs = lm.score(" ".join(words), bos=True, eos=True)
        assert theirs == pytest.approx(ours, abs=1e-4), words
        # Word by word too, so errors cannot cancel out over a sentence.
        history = ["<s>"]
        for (log10p, _, _), word in zip(lm.full_scores(" ".join(words)), [*words, "</s>"], strict=True):
            assert log10p == pytest.approx(model.logprob(word, history), abs=1e-5), (words, word)
            history.append(word)


def test_kenlm_matches_our_computation_for_a_5_gram_model_of_real_news(tmp_path: Path) -> None:
    """Real text: every order estimates its own discounts (the toy grammar falls back at 4-5)."""
    docs = read_documents(reference_path("en"))
    lines = [normalize_line(line).split() for doc in itertools.islice(docs, 12) for line in doc.split("\n")]
    model = train_kneser_ney(lines, order=5)
    assert all(d != FALLBACK_DISCOUNTS for d in model.discounts)
    model.write_arpa(tmp_path / "news.arpa")
    lm = kenlm.Model(str(tmp_path / "news.arpa"))
    held = next(iter(read_documents(reference_path("en", "heldout")))).split("\n")
    for line in [*held[:4], " ".join(lines[3])]:
        words = normalize_line(line).split()
        assert lm.score(" ".join(words)) == pytest.approx(model.score(words), abs=1e-3 + 1e-6 * len(words))


def test_trained_model_is_a_probability_distribution_in_every_context() -> None:
    model = train_kneser_ney(_grammar_sentences(300, seed=11), order=3)
    vocab = [w for w in model.words if w != "<s>"]
    for context in [(), ("<s>",), ("the", "old"), ("near", "the"), ("never", "seen")]:
        total = sum(10 ** model.logprob(w, context) for w in vocab)
        assert total == pytest.approx(1.0, abs=1e-9), context


def test_model_build_is_deterministic(tmp_path: Path) -> None:
    """The cache key assumes the same text always gives the same files, byte for byte."""
    lines = [
        line for doc in itertools.islice(read_documents(reference_path("en")), 30) for line in doc.split("\n")
    ]
    first = build_model(lines, tmp_path / "a", order=3, vocab_size=500)
    second = build_model(lines, tmp_path / "b", order=3, vocab_size=500)
    assert first.kenlm.read_bytes() == second.kenlm.read_bytes()
    assert first.sentencepiece.read_bytes() == second.sentencepiece.read_bytes()


def test_trainer_refuses_padding_tokens_in_its_input() -> None:
    with pytest.raises(ValueError, match="sentence 2.*reserved"):
        train_kneser_ney([["a", "b"], ["a", "</s>", "b"]], order=2)


# --- the built-in model --------------------------------------------------------------------


def test_builtin_model_gives_fluent_english_lower_perplexity_than_shuffled_words_or_keyword_spam(
    english: PerplexityFilter,
) -> None:
    rng = random.Random(5)
    docs = list(read_documents(reference_path("en", "heldout")))[:6]  # real news the model never saw
    spam = "\n".join(["cheap viagra buy online best price casino bonus free spins replica watches"] * 10)
    spam_value = _score(english, spam)["value"]
    for text in docs:
        fluent = _score(english, text)["value"]
        words = text.split()
        rng.shuffle(words)
        assert fluent < _score(english, " ".join(words))["value"]
        assert fluent * 4 < spam_value
    own = (
        "The city council voted on Tuesday to approve a new budget for the coming year. The plan "
        "includes more money for schools and public transport, and the mayor said it would help "
        "families who are struggling with rising costs."
    )
    assert _score(english, own)["value"] < EN_TAIL_CUTOFF < spam_value


def test_builtin_model_scores_each_line_the_ccnet_way(english: PerplexityFilter) -> None:
    """value = 10 ** (-sum of line log10 probs / sum of (tokens + 1)), from KenLM directly."""
    text = "Prices rose 3% in March.\n\nThe bank’s chief economist was not surprised."
    model = english._models["en"]
    lm, sp = model._lm, model._sp
    total, length = 0.0, 0
    for line in text.split("\n"):
        if line.strip():
            pieces = sp.encode(normalize_line(line), out_type=str)
            total += lm.score(" ".join(pieces))
            length += len(pieces) + 1
    assert _score(english, text)["value"] == pytest.approx(10 ** (-total / length), rel=1e-9)


def test_documents_in_languages_without_a_model_get_no_scores_and_are_kept(english: PerplexityFilter) -> None:
    scores = _score(english, "Der Bundestag hat am Dienstag ein neues Gesetz beschlossen.", lang="de")
    assert scores == {}
    assert english.verdict(scores) is None
    assert _score(english, "   \n  ") == {}  # nothing to score


# --- buckets and policy --------------------------------------------------------------------


def test_buckets_follow_the_cutoffs_exactly_at_the_boundaries() -> None:
    assert bucket_of(99.999, 100.0, 200.0) == 0
    assert bucket_of(100.0, 100.0, 200.0) == 1  # CCNet: head is strictly below its cutoff
    assert bucket_of(199.999, 100.0, 200.0) == 1
    assert bucket_of(200.0, 100.0, 200.0) == 2
    assert bucket_of(150.0, 150.0, 150.0) == 2  # equal cutoffs: no middle bucket


def test_filter_buckets_with_the_configured_cutoffs_of_the_documents_language(builtin_cache: Path) -> None:
    text = "The council met on Monday and approved the plan for the new library."
    base = PerplexityFilter(PerplexityConfig())
    base.setup()
    value = _score(base, text)["value"]

    def bucket(head: float, tail: float) -> float:
        cfg = PerplexityConfig(models={"en": LanguageModelConfig(head_cutoff=head, tail_cutoff=tail)})
        flt = PerplexityFilter(cfg)
        flt.setup()
        return _score(flt, text)["bucket"]

    above = math.nextafter(value, math.inf)
    assert bucket(above, above * 2) == 0
    assert bucket(value, above * 2) == 1
    assert bucket(value / 2, above) == 1
    assert bucket(value / 2, value) == 2


def test_verdict_drops_only_beyond_max_perplexity_and_in_dropped_buckets() -> None:
    flt = PerplexityFilter(PerplexityConfig(max_perplexity=1000.0))
    assert flt.verdict({"value": 1000.0, "bucket": 2.0}) is None  # "beyond": equal is kept
    assert flt.verdict({"value": math.nextafter(1000.0, math.inf), "bucket": 2.0}) == "value"
    assert flt.verdict({}) is None
    keep_head_middle = PerplexityFilter(PerplexityConfig(max_perplexity=None, drop_buckets=["tail"]))
    assert keep_head_middle.verdict({"value": 1e9, "bucket": 2.0}) == "bucket"
    assert keep_head_middle.verdict({"value": 10.0, "bucket": 1.0}) is None


def test_default_policy_keeps_every_bucket_and_drops_keyword_spam(english: PerplexityFilter) -> None:
    assert english.config.drop_buckets == []
    spam = "\n".join(["cheap viagra buy online best price casino bonus free spins replica watches"] * 10)
    assert english.verdict(_score(english, spam)) == "value"
    news = next(iter(read_documents(reference_path("en", "heldout"))))
    assert english.verdict(_score(english, news)) is None


# --- user models and config ----------------------------------------------------------------


def test_user_given_model_paths_are_used_for_their_language(tmp_path: Path) -> None:
    lines = [" ".join(s) for s in _grammar_sentences(300, seed=4)]
    files = build_model(lines, tmp_path / "toy", order=3, vocab_size=60)
    cfg = PerplexityConfig(
        models={
            "xx": LanguageModelConfig(
                kenlm_path=str(files.kenlm),
                sentencepiece_path=str(files.sentencepiece),
                head_cutoff=5.0,
                tail_cutoff=10.0,
            )
        }
    )
    flt = PerplexityFilter(cfg)
    flt.setup()
    assert set(flt._models) == {"xx"}
    grammatical = "The old dog sees a river.\nThe busy child finds a market near the city."
    scrambled = "river a sees dog old the.\ncity the near market a finds child busy the."
    value = _score(flt, grammatical, lang="xx")["value"]
    assert value < _score(flt, scrambled, lang="xx")["value"]
    direct = NGramLM(files.kenlm, files.sentencepiece).perplexity(grammatical.split("\n"))
    assert value == pytest.approx(direct)
    assert _score(flt, grammatical, lang="en") == {}  # English was not configured, so not scored


def test_word_level_kenlm_model_without_sentencepiece(tmp_path: Path) -> None:
    sentences = _grammar_sentences(200, seed=9)
    model = train_kneser_ney(sentences, order=3)
    model.write_arpa(tmp_path / "words.arpa")
    lm = NGramLM(tmp_path / "words.arpa", normalize=True)
    text = "The Old Dog sees a river"
    expected = model.score(["the", "old", "dog", "sees", "a", "river"])
    assert lm.perplexity([text]) == pytest.approx(10 ** (-expected / 7), rel=1e-5)


def test_config_names_the_language_without_a_builtin_model() -> None:
    with pytest.raises(ConfigError, match=r"models\.fr\.kenlm_path: no built-in model for 'fr'"):
        parse_config({"models": {"fr": {"head_cutoff": 1, "tail_cutoff": 2}}}, PerplexityConfig)
    with pytest.raises(ConfigError, match="tail_cutoff .* is below head_cutoff"):
        parse_config({"models": {"en": {"head_cutoff": 300, "tail_cutoff": 200}}}, PerplexityConfig)


def test_missing_model_file_fails_at_setup_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.arpa"
    cfg = PerplexityConfig(
        models={"xx": LanguageModelConfig(kenlm_path=str(missing), head_cutoff=1, tail_cutoff=2)}
    )
    with pytest.raises(FileNotFoundError, match="nope.arpa"):
        PerplexityFilter(cfg).setup()
    garbage = tmp_path / "garbage.arpa"
    garbage.write_text("not a model\n")
    cfg = PerplexityConfig(
        models={"xx": LanguageModelConfig(kenlm_path=str(garbage), head_cutoff=1, tail_cutoff=2)}
    )
    with pytest.raises(ValueError, match="garbage.arpa"):
        PerplexityFilter(cfg).setup()


def test_shipped_cutoffs_are_the_ones_in_clean_yaml() -> None:
    from common.config import load_config
    from corpus.config import CleanConfig

    config = load_config(Path(__file__).resolve().parents[2] / "configs" / "clean.yaml", CleanConfig)
    (spec,) = [f for f in config.filters if f.name == "perplexity"]
    assert (spec.models["en"].head_cutoff, spec.models["en"].tail_cutoff) == (EN_HEAD_CUTOFF, EN_TAIL_CUTOFF)
    assert spec.max_perplexity == PerplexityConfig().max_perplexity


# --- calibration and reference text --------------------------------------------------------


def test_calibrate_prints_the_percentiles_of_each_languages_perplexities(
    english: PerplexityFilter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = list(read_documents(reference_path("en", "heldout")))[:10]
    sample = tmp_path / "sample.jsonl"
    rows = [{"text": d, "lang": "en"} for d in docs] + [{"text": "Hallo Welt, wie geht es?", "lang": "de"}]
    sample.write_text("".join(json.dumps(r) + "\n" for r in rows))
    values = [_score(english, d)["value"] for d in docs]
    result = calibrate([sample], english._models, "en")
    assert set(result) == {"en"}
    assert result["en"]["docs"] == 10
    assert result["en"]["p30"] == pytest.approx(np.percentile(values, 30))
    assert result["en"]["p60"] == pytest.approx(np.percentile(values, 60))
    assert main(["calibrate", "--input", str(sample)]) == 0
    assert f"en: {{head_cutoff: {np.percentile(values, 30):.1f}" in capsys.readouterr().out


def test_calibrate_names_the_bad_line_of_its_input(
    english: PerplexityFilter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"body": "no text key"}\n')
    assert main(["calibrate", "--input", str(bad)]) == 2
    assert f"{bad}:2: expected a JSON object with 'text'" in capsys.readouterr().err
    assert main(["calibrate", "--input", str(bad), "--kenlm", str(tmp_path / "x.arpa")]) == 2
    assert "KenLM model not found" in capsys.readouterr().err


def test_normalisation_folds_case_accents_digits_and_typographic_punctuation() -> None:
    assert normalize_line("  Café “Zürich” — 2019’s BEST\tmenu… ") == 'cafe "zurich"  -  0000\'s best menu...'


def _ccnet_normalize(line: str) -> str:
    """CCNet's step order, line by line: case, accents, digits, punctuation, control characters."""
    line = unicodedata.normalize("NFD", line.strip().lower())
    line = "".join(c for c in line if unicodedata.category(c) != "Mn")
    line = re.sub(r"\d", "0", line).translate(str.maketrans(_PUNCT_MAP))
    return re.sub("[\x00-\x1f\x7f-\x9f]", " ", line).strip()


def test_whole_text_normalisation_equals_ccnets_line_by_line_steps() -> None:
    lines = [line for doc in read_documents(reference_path("en", "heldout")) for line in doc.split("\n")]
    lines += [
        "Ｔｏｋｙｏ １２３：（ｏｋ）！",
        "naïve façade — Ångström’s 4½\x85 «quote»",
        "\t\x01",
        "Ελληνικά ά",
    ]
    expected = [n for n in (_ccnet_normalize(line) for line in lines) if n]
    assert normalize_lines(lines) == expected


@pytest.mark.skipif(not (SHARED / "article-extraction-benchmark").is_dir(), reason="needs ../shared/data")
def test_shipped_reference_text_is_rebuilt_byte_for_byte(tmp_path: Path) -> None:
    counts = make_reference(SHARED / "article-extraction-benchmark" / "ground-truth.json", tmp_path)
    assert counts == {"train": 134, "heldout": 27}
    for split in ("train", "heldout"):
        assert (tmp_path / f"en.{split}.txt.gz").read_bytes() == reference_path("en", split).read_bytes()
