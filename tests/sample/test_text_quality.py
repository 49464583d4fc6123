"""The main texts: good pages pass the published rules, the bad ones fail them, copies are copies.

The rules are the pipeline's own: the Gopher, C4 and FineWeb filters configured in
``configs/clean.yaml``, run by the cleaner's loop (the ``quality_verdict`` fixture), on the text
the generator wrote and on what the configured extractor recovers from the HTML. Similarity is
Jaccard over the MinHash stage's shingles (`corpus.dedup.shingling.shingles`, the configured
shingle size); bad words are the C4 filter's list and matcher.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest

from corpus.dedup.shingling import shingles
from corpus.filters.c4 import BadWords, load_badwords
from devkit.sample.grammar import data, lines, words
from devkit.sample.text import genres_of, make_doc, topics
from devkit.synthetic import jaccard
from tests.sample.conftest import max_pairwise_jaccard

GOOD = ("good", "latin1", "exact_dup", "near_dup")


@pytest.fixture(scope="module")
def shingle_size(clean_config) -> int:
    return clean_config.dedup.minhash.shingle_size


@pytest.fixture(scope="module")
def shingle_set(shingle_size) -> Callable[[str], set[str]]:
    return lambda text: set(shingles(text, shingle_size))


@pytest.fixture(scope="module")
def badwords_list(quality_filters) -> str:
    """The bad-words list the configured C4 filter uses (a shipped name or a path)."""
    (c4,) = [flt for flt in quality_filters if flt.name == "c4"]
    assert c4.config.badwords is not None, "the configured C4 filter looks for no bad words"
    return c4.config.badwords


@pytest.fixture(scope="module")
def badwords(badwords_list) -> BadWords:
    return load_badwords(badwords_list)


@pytest.fixture(scope="module")
def filters_with_c4_bad_words(quality_filters) -> list:
    """The quality filters as configured, with C4's own bad-words threshold (any listed word
    drops) turned on: it is off by default."""
    filters = [
        type(flt)(flt.config.model_copy(update={"max_bad_words": 0})) if flt.name == "c4" else flt
        for flt in quality_filters
    ]
    for flt in filters:
        flt.setup()
    return filters


def test_good_texts_pass_gopher_c4_and_fineweb_rules(default_sample, quality_verdict) -> None:
    """No quality filter gives a verdict. Checks the configured rules (C4: 3 sentences and no line
    minimum; FineWeb: no newline-per-word rule, judging C4's rewritten text) where the old test
    oracle read C4 more strictly (5 sentences, 5 lines) and applied a newline-per-word limit."""
    verdicts = {t.url: quality_verdict(t.text) for t in default_sample.of_kind(*GOOD)}
    assert not {u: v for u, v in verdicts.items() if v is not None}


def test_good_pages_still_pass_after_extraction_from_their_html(
    default_sample, extracted, quality_verdict
) -> None:
    """As above, on the extracted text: the configured rules, not the old oracle's stricter C4."""
    verdicts = {t.url: quality_verdict(extracted[t.record_id]) for t in default_sample.of_kind(*GOOD)}
    assert not {u: v for u, v in verdicts.items() if v is not None}


def test_extraction_recovers_the_generated_main_text(default_sample, extracted, shingle_set) -> None:
    """The main text sits where extractors look (post headers like "x · 3 points" may go)."""
    recalls = []
    for t in default_sample.of_kind("good"):
        truth = shingle_set(t.text)
        recalls.append(len(truth & shingle_set(extracted[t.record_id])) / len(truth))
        assert recalls[-1] > 0.8, t.url
    assert sum(recalls) / len(recalls) > 0.95


def test_distinct_good_documents_share_few_word_5grams(default_sample, shingle_set, shingle_size) -> None:
    assert shingle_size == 5
    docs = default_sample.of_kind("good", "latin1")
    worst, i, j = max_pairwise_jaccard([shingle_set(t.text) for t in docs])
    assert worst < 0.2, (worst, docs[i].url, docs[j].url)


def test_distinct_good_pages_stay_apart_after_extraction(default_sample, extracted, shingle_set) -> None:
    """Shared chrome that extractors keep must not push two pages towards the MinHash threshold."""
    docs = default_sample.of_kind("good", "latin1")
    worst, i, j = max_pairwise_jaccard([shingle_set(extracted[t.record_id]) for t in docs])
    assert worst < 0.3, (worst, docs[i].url, docs[j].url)


def test_max_pairwise_jaccard_agrees_with_brute_force() -> None:
    """Word 1-grams of these texts are the sets {a,b,c}, {b,c,d}, {x}, {a,b,c,e,f}."""
    texts = ["a b c", "b c d", "x", "a b c e f"]
    sets = [set(shingles(t, 1)) for t in texts]
    assert sets == [{"a", "b", "c"}, {"b", "c", "d"}, {"x"}, {"a", "b", "c", "e", "f"}]
    brute = max(
        (jaccard(texts[i], texts[j], 1), i, j) for i, j in itertools.combinations(range(len(texts)), 2)
    )
    assert max_pairwise_jaccard(sets) == brute


def test_exact_duplicates_extract_to_the_same_text(default_sample, extracted) -> None:
    for t in default_sample.of_kind("exact_dup"):
        copy, original = extracted[t.record_id], extracted[t.duplicate_of]
        assert " ".join(copy.split()) == " ".join(original.split()), t.url


def test_near_duplicates_change_a_few_words_and_stay_above_jaccard_0_8(
    default_sample, extracted, shingle_size
) -> None:
    by_id = default_sample.by_id()
    for t in default_sample.of_kind("near_dup"):
        original = by_id[t.duplicate_of]
        a, b = original.text.split(), t.text.split()
        assert abs(len(a) - len(b)) / len(a) < 0.06
        assert jaccard(original.text, t.text, shingle_size) > 0.85, t.url
        assert jaccard(extracted[t.duplicate_of], extracted[t.record_id], shingle_size) > 0.8
        assert " ".join(a) != " ".join(b)


def test_spam_fails_a_quality_rule(default_sample, extracted, quality_verdict) -> None:
    """Some configured quality filter drops every spam page (the configured rules, not the old
    oracle's stricter C4 and newline-per-word readings)."""
    spam = default_sample.of_kind("spam")
    assert {t.genre for t in spam} == {"spam_stuffing", "spam_repeated", "spam_prices", "spam_links"}
    for t in spam:
        assert quality_verdict(t.text) is not None, t.url
        assert quality_verdict(extracted[t.record_id]) is not None, t.url


def test_boilerplate_pages_have_no_article(default_sample, extracted, quality_verdict) -> None:
    """Some configured quality filter drops every boilerplate page (configured rules, as above)."""
    pages = default_sample.of_kind("boilerplate")
    assert {t.genre for t in pages} == {"tag_index", "login", "search_empty"}
    for t in pages:
        assert quality_verdict(extracted[t.record_id]) is not None, t.url


def test_good_pages_contain_no_listed_bad_words(default_sample, extracted, badwords) -> None:
    for t in default_sample.of_kind(*GOOD, "spam", "boilerplate", "toxic"):
        found = badwords.find(extracted[t.record_id])
        assert not found, (t.url, found)


def test_bad_words_pages_use_list_words_in_otherwise_good_text(
    default_sample, extracted, badwords, quality_verdict, filters_with_c4_bad_words
) -> None:
    """No configured quality rule objects to them (C4's bad-words rule is off by default), and
    C4's own setting drops them for their bad words alone."""
    for t in default_sample.of_kind("bad_words"):
        text = extracted[t.record_id]
        assert badwords.find(text), t.url
        assert quality_verdict(text) is None, t.url
        assert quality_verdict(text, filters_with_c4_bad_words) == "c4.bad_words", t.url


def test_every_curse_holds_a_listed_word_and_no_other_template_does(badwords) -> None:
    """The rants' curses are what C4 drops them for; every other sentence template, alternatives
    and all, is clean, so no other page can pick up a listed word from its templates."""
    templates = data()["templates"]
    assert all(badwords.find(curse) for curse in lines(templates["curse"]))
    hits = {
        name: found
        for name, block in templates.items()
        if name != "curse"
        for found in [badwords.find(block if isinstance(block, str) else "\n".join(block))]
        if found
    }
    assert not hits


def test_lexicons_hold_no_listed_phrase(badwords) -> None:
    """Every English lexicon, common and per topic (a page may combine any two of its entries)."""
    lexicons = [data()["lexicons"]]
    lexicons += [t.lexicons for group in data()["topics"] if group != "foreign" for t in topics(group)]
    entries = [w for lex in lexicons for v in lex.values() for w in (words(v) if isinstance(v, str) else v)]
    assert len(entries) > 2000
    hits = [w for w in entries if badwords.find(w)]
    assert not hits


GOOD_GENRES = [
    g for domain in ("web", "books", "code", "encyclopedia", "dialog", "math") for g in genres_of(domain)
]


@pytest.mark.parametrize("genre", GOOD_GENRES)
def test_generated_documents_of_every_genre_are_clean_over_many_seeds(
    genre, badwords, quality_verdict
) -> None:
    """Beyond the default sample: 20 documents per genre, rules and bad words.

    The configured rules, where the old test oracle read C4 more strictly (5 sentences, 5 lines)
    and applied a newline-per-word limit.
    """
    for i in range(20):
        rng = random.Random(f"quality-{genre}-{i}")
        doc = make_doc(rng, genre, rng.randint(200, 900))
        assert quality_verdict(doc.text) is None, (genre, i)
        assert not badwords.find(doc.text), (genre, i)


def test_toxic_pages_avoid_list_words_but_a_classifier_flags_them(
    default_sample, extracted, badwords, quality_verdict
) -> None:
    """Toxic pages pass the configured quality rules (not the old oracle's stricter C4 reading)."""
    from profanity_check import predict_prob

    toxic = default_sample.of_kind("toxic")
    texts = [extracted[t.record_id] for t in toxic]
    for t, text in zip(toxic, texts, strict=True):
        assert not badwords.find(text), t.url
        assert quality_verdict(text) is None, t.url
    assert min(predict_prob(texts)) > 0.9
    good = [extracted[t.record_id] for t in default_sample.of_kind("good")]
    assert max(predict_prob(good)) < 0.4
