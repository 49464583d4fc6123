"""What the default sample holds: every kind in about its share, domains, URLs, copies."""

from __future__ import annotations

from collections import Counter

import pytest

from corpus.domains import DomainResolver
from devkit.sample import BROKEN_KINDS, EXPECT, KINDS, REASON, allocate
from devkit.sample.build import DOMAIN_MIX, MIN_PAGES, SHARES

# The shares the sample is specified with (task brief), independent of the generator's table.
SPECIFIED = {
    "good": 0.65,
    "exact_dup": 0.05,
    "near_dup": 0.05,
    "spam": 0.06,
    "boilerplate": 0.04,
    "other_lang": 0.06,
    "bad_words": 0.03,
    "toxic": 0.03,
}
SPECIFIED_DOMAINS = {
    "web": 0.45,
    "books": 0.15,
    "code": 0.10,
    "encyclopedia": 0.12,
    "dialog": 0.10,
    "math": 0.08,
}


def test_default_sample_has_about_600_records_in_4_files(default_sample) -> None:
    assert len(default_sample.truth) == 600
    assert [p.name for p in default_sample.summary.warc_files] == [f"crawl-{k:05d}.warc.gz" for k in range(4)]
    assert {t.file for t in default_sample.truth} == {p.name for p in default_sample.summary.warc_files}


def test_every_kind_is_present_in_about_its_share(default_sample) -> None:
    counts = Counter(t.kind for t in default_sample.truth)
    n = len(default_sample.truth)
    assert set(counts) == set(KINDS)
    for kind, share in SPECIFIED.items():
        assert counts[kind] / n == pytest.approx(share, abs=0.01), kind
    broken = sum(counts[k] for k in BROKEN_KINDS)
    assert broken / n == pytest.approx(0.03, abs=0.01)


def test_good_pages_follow_the_domain_mix(default_sample) -> None:
    good = [t for t in default_sample.truth if t.kind == "good"]
    counts = Counter(t.domain for t in good)
    for domain, share in SPECIFIED_DOMAINS.items():
        assert counts[domain] / len(good) == pytest.approx(share, abs=0.02), domain


def test_generator_tables_match_the_specification() -> None:
    assert {k: v for k, v in SHARES.items() if k != "broken"} == SPECIFIED
    assert DOMAIN_MIX == SPECIFIED_DOMAINS


def test_small_samples_still_hold_every_kind() -> None:
    for pages in (MIN_PAGES, 40, 100, 250):
        counts = allocate(pages)
        assert sum(counts.values()) == pages
        assert all(counts[k] >= 1 for k in KINDS), pages


def test_too_few_pages_is_an_error_naming_the_minimum() -> None:
    with pytest.raises(ValueError, match=f"at least {MIN_PAGES}"):
        allocate(MIN_PAGES - 1)


def test_expectation_and_reason_follow_the_kind(default_sample) -> None:
    for t in default_sample.truth:
        assert t.expect == EXPECT[t.kind]
        assert t.reason == REASON[t.kind]


def test_urls_are_unique_and_their_domain_follows_the_config_rules(default_sample, clean_config) -> None:
    resolve = DomainResolver(clean_config.domains)
    urls = [t.url for t in default_sample.truth]
    assert len(set(urls)) == len(urls)
    wrong = [(t.url, t.domain, resolve(t.url)) for t in default_sample.truth if resolve(t.url) != t.domain]
    assert not wrong


def test_copies_come_after_their_original_and_sort_after_it(default_sample) -> None:
    by_id = default_sample.by_id()
    files = sorted({t.file for t in default_sample.truth})
    copies = default_sample.of_kind("exact_dup", "near_dup")
    assert len({t.duplicate_of for t in copies}) == len(copies), "one copy per original"
    for t in copies:
        original = by_id[t.duplicate_of]
        assert original.kind == "good"
        assert original.domain == t.domain, "copies stay in their original's domain"
        assert original.record_id < t.record_id, "the dedup keeps the lowest id: the original's"
        assert (files.index(original.file), original.offset) < (files.index(t.file), t.offset)
        if t.kind == "exact_dup":
            assert " ".join(t.text.split()) == " ".join(original.text.split())
        else:
            assert t.text != original.text


def test_good_pages_have_200_to_1500_words(default_sample) -> None:
    lengths = [len(t.text.split()) for t in default_sample.of_kind("good")]
    assert min(lengths) >= 200
    assert max(lengths) <= 1500


def test_other_languages_include_german_french_spanish_and_a_non_latin_script(default_sample) -> None:
    langs = Counter(t.lang for t in default_sample.of_kind("other_lang"))
    assert set(langs) == {"de", "fr", "es", "ru"}
    assert min(langs.values()) >= 5
