"""Which document of a group is kept, and how the others are marked."""

from __future__ import annotations

import pytest

from corpus.dedup import graph as g
from corpus.dedup.marking import mark_exact_group, mark_near
from formats.documents import DUPLICATE_EXACT, DUPLICATE_NEAR, Document


def _doc(doc_id: str, **kw) -> Document:
    return Document(id=doc_id, url="u", domain="web", text="t", **kw)


def test_exact_group_keeps_the_lowest_id_and_leaves_inputs_untouched():
    group = [_doc("c"), _doc("a"), _doc("b")]
    out = list(mark_exact_group(group))
    assert [(d.id, d.drop_reason, d.drop_detail) for d in out] == [
        ("c", DUPLICATE_EXACT, "a"),
        ("a", None, ""),
        ("b", DUPLICATE_EXACT, "a"),
    ]
    assert all(d.kept for d in group)  # marked copies, not mutated inputs


def test_exact_group_with_a_repeated_record_keeps_one_copy():
    group = [_doc("a", source="f", offset=1), _doc("a", source="f", offset=1), _doc("a", source="e")]
    out = list(mark_exact_group(group))
    assert [d.kept for d in out] == [False, False, True]  # (a, e, 0) sorts first
    assert {d.drop_detail for d in out if not d.kept} == {"a"}


def test_near_mark_names_the_kept_document_and_rejects_ambiguous_input():
    assert mark_near("x", [_doc("x")], []).kept
    marked = mark_near("x", [_doc("x")], ["a"])
    assert (marked.drop_reason, marked.drop_detail) == (DUPLICATE_NEAR, "a")
    with pytest.raises(ValueError, match="share the id 'x'"):
        mark_near("x", [_doc("x"), _doc("x")], [])
    with pytest.raises(ValueError, match="resolved into"):
        mark_near("x", [_doc("x")], ["a", "b"])


def test_leaves_are_confirmed_only_under_a_root():
    assert g.claim("a", g.Resolution(g.ROOT)) == ("a", None)
    assert g.claim("c", g.Resolution(g.LEAF, "a")) == ("a", "c")
    assert g.claim("c", g.Resolution(g.UNRESOLVED)) is None
    assert g.confirm_leaves("a", ["c", None, "b"]) == (["c", "b"], [])
    assert g.confirm_leaves("a", ["c", "b"]) == ([], ["c", "b"])
