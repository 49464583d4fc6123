"""C4's line and page rules (Raffel et al. 2020; TFDS c4_utils.clean_page), the shipped
bad-words list, and the sentence splitter C4 counts with."""

from __future__ import annotations

from importlib import resources

import pytest

from common.config import parse_config
from common.errors import ConfigError
from corpus.cleaner import score_and_decide
from corpus.config import CleanConfig
from corpus.filters.c4 import BadWords, C4Config, C4Filter, load_badwords, read_badwords
from corpus.text import TextView, split_sentences
from formats.documents import Document

GOOD = [
    "The river rose slowly through the night and reached the old bridge.",
    "Farmers moved their animals to the higher fields before dawn.",
    "By noon the water had started to fall again across the valley.",
]


def run(text: str, config: C4Config | None = None) -> tuple[Document, dict[str, float], str | None]:
    """The document after the chain's own loop (rewrite, then score), C4's scores and its rule."""
    flt = C4Filter(config or C4Config())
    flt.setup()
    doc = Document(id="d", url="u", domain="web", text=text)
    score_and_decide(doc, [flt], score_all=True)
    scores = flt.scores_of(doc.scores)
    return doc, scores, flt.verdict(scores)


# --- line rules -----------------------------------------------------------------------------------


def test_clean_page_keeps_every_line_and_its_text():
    text = "\n".join(GOOD)
    doc, s, rule = run(text)
    assert rule is None and doc.text == text
    assert s["lines"] == 3.0 and s["kept_lines"] == 3.0 and s["removed_chars_frac"] == 0.0


def test_five_words_stay_and_four_words_go():
    doc, s, _ = run("\n".join([*GOOD, "Five words stay right here.", "Four words go here."]))
    assert "Five words stay right here." in doc.text
    assert "Four words go here." not in doc.text
    assert s["removed_too_few_words"] == 1.0


def test_minimum_words_per_line_is_a_scoring_parameter():
    doc, _, _ = run("\n".join([*GOOD, "Three words stay."]), C4Config(min_words_per_line=3))
    assert "Three words stay." in doc.text


@pytest.mark.parametrize("end", [".", "!", "?", '"', "'", "”", "’"])
def test_lines_ending_in_terminal_punctuation_or_closing_quote_stay(end):
    line = f"She said that the harvest was good this year{end}"
    doc, s, _ = run("\n".join([*GOOD, line]))
    assert line in doc.text and s["removed_no_terminal_punct"] == 0.0


@pytest.mark.parametrize(
    "line", ["A heading without any end mark", "And then it trailed off...", "Read more ›"]
)
def test_lines_without_terminal_punctuation_or_with_an_ellipsis_go(line):
    doc, s, _ = run("\n".join([*GOOD, line]))
    assert line not in doc.text and s["removed_no_terminal_punct"] == 1.0


def test_terminal_punctuation_rule_can_be_turned_off_as_fineweb_does():
    line = "A heading with five words"
    doc, _, _ = run("\n".join([line, *GOOD]), C4Config(require_terminal_punct=False))
    assert doc.text.startswith(line)


def test_javascript_and_policy_lines_go_whatever_their_case():
    lines = [
        *GOOD,
        "Please enable JavaScript in your browser to see this page.",
        "This website uses cookies to improve your experience with it.",
        "By using this site you agree to our Terms of Use and more.",
    ]
    doc, s, rule = run("\n".join(lines))
    assert doc.text == "\n".join(GOOD) and rule is None
    assert s["removed_javascript"] == 1.0 and s["removed_policy"] == 2.0


@pytest.mark.parametrize(
    "phrase",
    ["terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"],
)
def test_each_policy_phrase_of_tfds_removes_its_line(phrase):
    line = f"Please read the {phrase} notice before you go on."
    doc, s, _ = run("\n".join([*GOOD, line]))
    assert line not in doc.text and s["removed_policy"] == 1.0


def test_a_word_over_one_thousand_characters_removes_its_line():
    ok = "This line has a long word " + "a" * 999 + "."  # the word with its stop: 1000
    too_long = "This line has a longer word " + "b" * 1000 + "."
    doc, s, _ = run("\n".join([*GOOD, ok, too_long]))
    assert ok in doc.text and too_long not in doc.text and s["removed_long_word"] == 1.0


def test_citation_marks_are_removed_from_kept_lines():
    doc, _, _ = run("\n".join([*GOOD, "The town was founded in the year 1820.[1][citation needed]"]))
    assert doc.text.endswith("The town was founded in the year 1820.")


def test_rewritten_text_keeps_paragraph_breaks_and_counts_removed_characters():
    text = f"{GOOD[0]}\nMenu\n\n{GOOD[1]}\nShare\n{GOOD[2]}"
    doc, s, _ = run(text)
    assert doc.text == f"{GOOD[0]}\n\n{GOOD[1]}\n{GOOD[2]}"
    total = sum(len(x) for x in GOOD) + len("Menu") + len("Share")
    assert s["removed_chars_frac"] == pytest.approx(9 / total)
    assert s["lines"] == 5.0 and s["kept_lines"] == 3.0


def test_rewrite_returns_the_kept_lines_and_score_leaves_the_document_text_alone():
    flt = C4Filter(C4Config())
    flt.setup()
    text = "\n".join([*GOOD, "Menu"])
    rewritten, measured = flt.rewrite(text)
    assert rewritten == "\n".join(GOOD)
    assert measured["lines"] == 4.0 and measured["kept_lines"] == 3.0
    assert measured["removed_no_terminal_punct"] == 1.0
    doc = Document(id="d", url="u", domain="web", text=text)
    assert flt.score(doc, TextView(rewritten)) == {"sentences": 3.0, "bad_words": 0.0}
    assert doc.text == text


def test_the_chain_rewrites_before_scoring_so_later_filters_read_the_kept_lines():
    doc, s, _ = run("\n".join([*GOOD, "Share this page"]))
    assert doc.text == "\n".join(GOOD) and s["sentences"] == 3.0 and s["removed_no_terminal_punct"] == 1.0


# --- page rules -----------------------------------------------------------------------------------


def test_lorem_ipsum_drops_the_page():
    _, s, rule = run("\n".join([*GOOD, "Lorem ipsum dolor sit amet, consectetur adipiscing elit."]))
    assert s["lorem_ipsum"] == 1.0 and rule == "lorem_ipsum"


def test_curly_bracket_drops_the_page():
    _, s, rule = run("\n".join([*GOOD, "The function returns {value} to the caller."]))
    assert s["curly_bracket"] == 1.0 and rule == "curly_bracket"


def test_page_rules_see_only_lines_that_passed_the_line_rules_before_them():
    lines = [
        *GOOD,
        "function main() { return 1 }",  # no end mark: removed first
        "Enable javascript: var x = { a: 1 };",  # javascript line: removed before the bracket rule
        "lorem ipsum",  # too few words
    ]
    doc, s, rule = run("\n".join(lines))
    assert s["curly_bracket"] == 0.0 and s["lorem_ipsum"] == 0.0 and rule is None
    assert doc.text == "\n".join(GOOD)


C4_BAD_WORDS = C4Config(max_bad_words=0)
"""C4's own setting: any listed word drops the page (off by default)."""


def test_bad_words_are_scored_but_drop_nothing_by_default():
    text = "\n".join([*GOOD, "The film was criticised for its explicit sex scenes."])
    doc, s, rule = run(text)
    assert s["bad_words"] == 1.0 and rule is None and doc.drop_reason is None


def test_a_bad_word_drops_the_page_under_c4s_setting_and_max_bad_words_relaxes_it():
    text = "\n".join([*GOOD, "The film was criticised for its explicit sex scenes."])
    _, s, rule = run(text, C4_BAD_WORDS)
    assert s["bad_words"] == 1.0 and rule == "bad_words"
    assert C4Filter(C4Config(max_bad_words=1)).verdict(s) is None


def test_a_bad_words_drop_records_the_matched_entries_as_its_detail():
    text = "\n".join([*GOOD, "The film was criticised for its explicit sex scenes and its nude poster."])
    doc, _, _ = run(text, C4_BAD_WORDS)
    assert doc.drop_reason == "c4.bad_words"
    # two distinct entries against a threshold of 0, then the entries themselves, sorted
    assert doc.drop_detail == "2 > 0: nude, sex"


def test_other_rules_record_the_value_against_the_threshold_as_detail():
    doc, _, _ = run("\n".join(GOOD[:2]))
    assert (doc.drop_reason, doc.drop_detail) == ("c4.sentences", "2 < 3")
    doc, _, _ = run("\n".join([*GOOD, "Lorem ipsum dolor sit amet, consectetur adipiscing."]))
    assert (doc.drop_reason, doc.drop_detail) == ("c4.lorem_ipsum", "1 > 0")


def test_bad_words_in_removed_lines_do_not_count():
    _, s, rule = run("\n".join([*GOOD, "Sex and the City"]))  # no end mark: removed
    assert s["bad_words"] == 0.0 and rule is None


def test_bad_words_match_whole_words_only():
    text = "\n".join([*GOOD, "The Sussex sextant and the Essex sexton were shown at Middlesex."])
    assert run(text)[1]["bad_words"] == 0.0


def test_three_sentences_keep_and_two_drop():
    _, s, rule = run("\n".join(GOOD))
    assert s["sentences"] == 3.0 and rule is None
    _, s, rule = run("\n".join(GOOD[:2]))
    assert s["sentences"] == 2.0 and rule == "sentences"


def test_sentences_are_counted_within_lines():
    _, s, rule = run("The river rose. The farmers moved away. The water fell again.")
    assert s["sentences"] == 3.0 and rule is None


def test_min_lines_is_off_by_default_and_drops_below_it_when_set():
    assert run("\n".join(GOOD))[2] is None
    _, s, rule = run("\n".join(GOOD), C4Config(min_lines=4))
    assert rule == "lines"
    assert C4Filter(C4Config(min_lines=3)).verdict(s) is None


def test_first_failing_page_rule_in_order_is_reported():
    text = "\n".join(
        [GOOD[0], "Lorem ipsum dolor sit amet, and {more} here.", "Explicit sex content is here."]
    )
    _, s, rule = run(text)
    assert s["lorem_ipsum"] == s["curly_bracket"] == s["bad_words"] == 1.0 and s["sentences"] == 3.0
    assert rule == "lorem_ipsum"
    assert C4Filter(C4Config(drop_lorem_ipsum=False)).verdict(s) == "curly_bracket"
    no_switches = C4Config(drop_lorem_ipsum=False, drop_curly_bracket=False, max_bad_words=0)
    assert C4Filter(no_switches).verdict(s) == "bad_words"


def test_new_thresholds_redecide_stored_scores_without_scoring(monkeypatch):
    _, stored, rule = run("\n".join(GOOD[:2]))
    assert rule == "sentences"
    relaxed = C4Filter(C4Config(min_sentences=2))
    monkeypatch.setattr(relaxed, "score", lambda *a, **k: pytest.fail("verdict must not score again"))
    assert relaxed.verdict(stored) is None


def test_missing_scores_never_drop():
    assert C4Filter(C4Config()).verdict({}) is None


def test_empty_page_has_no_sentences():
    doc, s, rule = run("")
    assert doc.text == "" and s["lines"] == 0.0 and rule == "sentences"


# --- the bad-words list ---------------------------------------------------------------------------


def test_english_bad_words_list_is_package_data_with_its_licence():
    folder = resources.files("corpus").joinpath("data", "badwords")
    assert folder.joinpath("en.txt").is_file()
    assert "Attribution 4.0 International" in folder.joinpath("LICENSE").read_text(encoding="utf-8")
    entries = read_badwords("en")
    assert len(entries) == 403 and "2 girls 1 cup" in entries and "s&m" in entries


def test_bad_words_matcher_finds_single_words_phrases_and_symbol_entries():
    bw = load_badwords("en")
    assert bw.find("Nothing to see here at all.") == set()
    assert bw.find("It was about 2 girls 1 cup, apparently.") == {"2 girls 1 cup"}
    assert bw.find("the G-Spot myth") == {"g-spot"}
    assert bw.find("an s&m club") == {"s&m"}
    assert bw.find("he sent 🖕 back") == {"🖕"}
    assert bw.find("two girls, 1 cup") == set()


def test_bad_words_phrases_do_not_span_a_sentence_end_or_a_line_break():
    bw = load_badwords("en")
    assert bw.find("Season with pepper to taste my friends.") == {"taste my"}
    assert bw.find("Season with pepper to taste.\n\nMy first try went badly.") == set()
    assert bw.find("Add salt to taste. My grandmother did.") == set()
    assert bw.find("Add salt to taste\nmy way") == set()


def test_a_custom_bad_words_file_replaces_the_list(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# house list\nflorp\nblue moon\n", encoding="utf-8")
    text = "\n".join([*GOOD, "We saw a Blue Moon over the florp hills tonight."])
    _, s, rule = run(text, C4Config(badwords=str(path), max_bad_words=0))
    assert s["bad_words"] == 2.0 and rule == "bad_words"
    assert BadWords(["blue moon"]).find("blue\tmoon") == {"blue moon"}


def test_unknown_bad_words_list_is_a_config_error_naming_the_key():
    with pytest.raises(ConfigError) as info:
        parse_config({"filters": [{"name": "c4", "badwords": "xx"}]}, CleanConfig, "c.yaml")
    assert "c.yaml" in str(info.value) and "badwords" in str(info.value)


def test_badwords_null_turns_the_rule_off():
    _, s, rule = run("\n".join([*GOOD, "The film had explicit sex scenes in it."]), C4Config(badwords=None))
    assert s["bad_words"] == 0.0 and rule is None


# --- sentences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Hello there. Dr. Smith went home! Did he? Yes.",
            ["Hello there.", "Dr. Smith went home!", "Did he?", "Yes."],
        ),
        ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
        (
            "J. K. Rowling wrote it, e.g. this one. It sold.",
            ["J. K. Rowling wrote it, e.g. this one.", "It sold."],
        ),
        ("Version 3.14 is out. more text follows", ["Version 3.14 is out. more text follows"]),
        ("The U.S. Senate voted. It passed.", ["The U.S. Senate voted.", "It passed."]),
        ("A heading\nThe body starts here.", ["A heading", "The body starts here."]),
        ("第一句。第二句！", ["第一句。", "第二句！"]),
        ("  \n ", []),
    ],
)
def test_sentence_splitter(text, expected):
    assert split_sentences(text) == expected
    assert TextView(text).sentences == expected
