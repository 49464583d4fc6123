"""Marking duplicates on documents: which one of a group is kept, and how the others are dropped.

Kept is always the lowest ``doc.id``, so the choice depends on the group, never on the order a
runner delivers it in. Duplicates are copies of the input marked with the dedup drop reason and,
as the detail, the id of the document they duplicate; the inputs are left untouched (Beam forbids
mutating elements a transform received).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from formats.documents import DUPLICATE_EXACT, DUPLICATE_NEAR, Document


def lowest_first(doc: Document) -> tuple[str, str, int, str]:
    """Order within a group: lowest id; source, offset and url only break ties of equal ids."""
    return (doc.id, doc.source, doc.offset, doc.url)


def mark_exact_group(docs: Iterable[Document]) -> Iterator[Document]:
    """Every document of one exact-hash group: the first lowest is kept, the rest marked.

    ``docs`` is read twice and never copied into a list (Beam's grouped values are re-iterable,
    and one boilerplate page can have millions of copies).
    """
    keep = min(lowest_first(d) for d in docs)
    kept_one = False
    for doc in docs:
        if not kept_one and lowest_first(doc) == keep:
            kept_one = True
            yield doc
        else:
            yield replace(doc).drop(DUPLICATE_EXACT, detail=keep[0])


def mark_near(doc_id: str, docs: Iterable[Document], kept_as: Iterable[str]) -> Document:
    """The document with ``doc_id``, marked a near-duplicate of ``kept_as`` if there is one.

    Near dedup identifies documents by id, so two kept documents with one id are an error of the
    input (a reader or a merge upstream), named here rather than silently merged.
    """
    docs = list(docs)
    kept_as = sorted(set(kept_as))
    if len(docs) != 1:
        sources = sorted({d.source for d in docs})
        raise ValueError(
            f"near dedup: {len(docs)} kept documents share the id {doc_id!r} (from {sources}); "
            "document ids must be unique"
        )
    if len(kept_as) > 1:
        raise ValueError(f"near dedup: document {doc_id!r} was resolved into {kept_as}")
    doc = docs[0]
    if kept_as:
        return replace(doc).drop(DUPLICATE_NEAR, detail=kept_as[0])
    return doc
