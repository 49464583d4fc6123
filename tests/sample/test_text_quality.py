"""The main texts: good pages pass the published rules, the bad ones fail them, copies are copies.

The rules are checked with this directory's own reading of the papers (`reference_rules`) on the
text the generator wrote and on what the configured extractor recovers from the HTML.
"""

from __future__ import annotations

import itertools
from dataclasses import fields

import pytest

from corpus.sample import junk, vocab
from corpus.sample.text import GENRES, english_doc
from tests.sample import reference_rules as rr

GOOD = ("good", "latin1", "exact_dup", "near_dup")


@pytest.fixture(scope="module")
def badwords():
    path = rr.badwords_path()
    if path is None:
        pytest.skip("no LDNOOBW list in corpus/data or ../shared/data")
    return rr.badwords_regex(path)


def test_good_texts_pass_gopher_c4_and_fineweb_rules(default_sample) -> None:
    failures = {t.url: rr.quality_failures(t.text) for t in default_sample.of_kind(*GOOD)}
    assert not {u: f for u, f in failures.items() if f}


def test_good_pages_still_pass_after_extraction_from_their_html(default_sample, extracted) -> None:
    failures = {t.url: rr.quality_failures(extracted[t.record_id]) for t in default_sample.of_kind(*GOOD)}
    assert not {u: f for u, f in failures.items() if f}


def test_extraction_recovers_the_generated_main_text(default_sample, extracted) -> None:
    """The main text sits where extractors look (post headers like "x · 3 points" may go)."""
    recalls = []
    for t in default_sample.of_kind("good"):
        truth = rr.shingles(t.text)
        recalls.append(len(truth & rr.shingles(extracted[t.record_id])) / len(truth))
        assert recalls[-1] > 0.8, t.url
    assert sum(recalls) / len(recalls) > 0.95


def test_distinct_good_documents_share_few_word_5grams(default_sample) -> None:
    docs = default_sample.of_kind("good", "latin1")
    worst, i, j = rr.max_pairwise_jaccard([rr.shingles(t.text) for t in docs])
    assert worst < 0.2, (worst, docs[i].url, docs[j].url)


def test_distinct_good_pages_stay_apart_after_extraction(default_sample, extracted) -> None:
    """Shared chrome that extractors keep must not push two pages towards the MinHash threshold."""
    docs = default_sample.of_kind("good", "latin1")
    worst, i, j = rr.max_pairwise_jaccard([rr.shingles(extracted[t.record_id]) for t in docs])
    assert worst < 0.3, (worst, docs[i].url, docs[j].url)


def test_max_pairwise_jaccard_agrees_with_brute_force() -> None:
    sets = [{"a", "b", "c"}, {"b", "c", "d"}, {"x"}, {"a", "b", "c", "e", "f"}]
    brute = max((rr.jaccard(sets[i], sets[j]), i, j) for i, j in itertools.combinations(range(len(sets)), 2))
    assert rr.max_pairwise_jaccard(sets) == brute


def test_exact_duplicates_extract_to_the_same_text(default_sample, extracted) -> None:
    for t in default_sample.of_kind("exact_dup"):
        copy, original = extracted[t.record_id], extracted[t.duplicate_of]
        assert " ".join(copy.split()) == " ".join(original.split()), t.url


def test_near_duplicates_change_a_few_words_and_stay_above_jaccard_0_8(default_sample, extracted) -> None:
    by_id = default_sample.by_id()
    for t in default_sample.of_kind("near_dup"):
        original = by_id[t.duplicate_of]
        a, b = original.text.split(), t.text.split()
        assert abs(len(a) - len(b)) / len(a) < 0.06
        assert rr.jaccard(rr.shingles(original.text), rr.shingles(t.text)) > 0.85, t.url
        assert rr.jaccard(rr.shingles(extracted[t.duplicate_of]), rr.shingles(extracted[t.record_id])) > 0.8
        assert " ".join(a) != " ".join(b)


def test_spam_fails_a_quality_rule(default_sample, extracted) -> None:
    spam = default_sample.of_kind("spam")
    assert {t.genre for t in spam} == {"spam_stuffing", "spam_repeated", "spam_prices", "spam_links"}
    for t in spam:
        assert rr.quality_failures(t.text), t.url
        assert rr.quality_failures(extracted[t.record_id]), t.url


def test_boilerplate_pages_have_no_article(default_sample, extracted) -> None:
    pages = default_sample.of_kind("boilerplate")
    assert {t.genre for t in pages} == {"tag_index", "login", "search_empty"}
    for t in pages:
        assert rr.quality_failures(extracted[t.record_id]), t.url


def test_good_pages_contain_no_listed_bad_words(default_sample, extracted, badwords) -> None:
    for t in default_sample.of_kind(*GOOD, "spam", "boilerplate", "toxic"):
        hit = badwords.search(extracted[t.record_id].lower())
        assert hit is None, (t.url, hit and hit.group(1))


def test_bad_words_pages_use_list_words_in_otherwise_good_text(default_sample, extracted, badwords) -> None:
    for t in default_sample.of_kind("bad_words"):
        text = extracted[t.record_id]
        assert badwords.search(text.lower()), t.url
        assert not rr.quality_failures(text), t.url


def test_the_bad_words_used_are_entries_of_the_list(badwords) -> None:
    entries = set(rr.badwords_path().read_text(encoding="utf-8").split("\n"))
    assert set(junk.BAD_WORDS_USED) <= entries


def test_lexicons_hold_no_listed_phrase(badwords) -> None:
    topics = vocab.WEB_TOPICS + vocab.ENCYCLOPEDIA_KINDS
    entries = [w for t in topics for f in fields(t) if f.name != "name" for w in getattr(t, f.name)]
    entries += list(
        vocab.ABSTRACT_NOUNS + vocab.GENERAL_ADJS + vocab.ADVERBS + vocab.FIRST_NAMES + vocab.SURNAMES
    )
    hits = [w for w in entries if badwords.search(w.lower())]
    assert not hits


def test_generated_documents_of_every_genre_are_clean_over_many_seeds(badwords) -> None:
    """Beyond the default sample: 20 documents per genre, rules and bad words."""
    import random

    for genre in GENRES:
        for i in range(20):
            rng = random.Random(f"quality-{genre}-{i}")
            doc = english_doc(rng, genre, rng.randint(200, 900))
            assert not rr.quality_failures(doc.text), (genre, i)
            assert not badwords.search(doc.text.lower()), (genre, i)


def test_toxic_pages_avoid_list_words_but_a_classifier_flags_them(
    default_sample, extracted, badwords
) -> None:
    from profanity_check import predict_prob

    toxic = default_sample.of_kind("toxic")
    texts = [extracted[t.record_id] for t in toxic]
    for t, text in zip(toxic, texts, strict=True):
        assert not badwords.search(text.lower()), t.url
        assert not rr.quality_failures(text), t.url
    assert min(predict_prob(texts)) > 0.9
    good = [extracted[t.record_id] for t in default_sample.of_kind("good")]
    assert max(predict_prob(good)) < 0.4
