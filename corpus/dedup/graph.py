"""Candidate pairs and connected components: the per-key steps a Beam pipeline runs.

Documents are nodes named by their ids; an edge joins two near-duplicates. Each component keeps
its lowest id and every other member is a duplicate of it, so the result depends only on the
set of edges, never on the order documents or edges arrive in.

The distributed algorithm is Kiveris et al.'s alternating large-star / small-star ("Connected
Components in MapReduce and Beyond", SoCC 2014): each step is one group-by-node, it needs
O(log^2 n) rounds in the worst case and a handful on real graphs, and no step holds more than one
node's neighbours. Edges are written ``(child, parent)`` with ``parent < child``. At the fixed
point every component is a star whose centre is its lowest id.

A pipeline unrolls a fixed number of rounds. `resolve` then decides each node from its final
neighbours: a node with no smaller neighbour is a *root* (kept); a node whose only neighbour is
smaller is a *leaf* of that parent; anything else has not converged. A leaf is dropped only when
its parent is confirmed to be a root, so every dropped document names a kept document of its
own component, even where the rounds ran out; what an unconverged component can lose is only
optimality (some of its duplicates stay kept), never a document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

Edge = tuple[str, str]  # (child, parent), parent < child


def star_edges(ids: Iterable[str]) -> Iterator[Edge]:
    """Edges from every member of one LSH bucket to the bucket's lowest id: k-1 edges, not
    k(k-1)/2, and the same connectivity. ``ids`` is iterated twice (Beam's grouped values are
    re-iterable) so a huge bucket is never copied into memory."""
    lowest = min(ids, default=None)
    if lowest is None:
        return
    for doc_id in ids:
        if doc_id != lowest:
            yield (doc_id, lowest)


def large_star(node: str, neighbours: Iterable[str]) -> Iterator[Edge]:
    """Link every neighbour larger than ``node`` to the smallest id around ``node``."""
    around = set(neighbours)
    around.discard(node)
    if not around:
        return
    m = min(min(around), node)
    for v in around:
        if v > node:
            yield (v, m)


def small_star(node: str, neighbours: Iterable[str]) -> Iterator[Edge]:
    """Link ``node`` and its smaller neighbours to the smallest of them."""
    smaller = {v for v in neighbours if v < node}
    if not smaller:
        return
    m = min(smaller)
    yield (node, m)
    for v in smaller:
        if v != m:
            yield (v, m)


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the final neighbours say about one node (see the module doc)."""

    role: str  # "root", "leaf" or "unresolved"
    parent: str | None = None


ROOT, LEAF, UNRESOLVED = "root", "leaf", "unresolved"


def resolve(node: str, neighbours: Iterable[str]) -> Resolution:
    around = set(neighbours)
    around.discard(node)
    smaller = [v for v in around if v < node]
    if not smaller:
        return Resolution(ROOT)
    if len(around) == 1:
        return Resolution(LEAF, smaller[0])
    return Resolution(UNRESOLVED)


def claim(node: str, resolution: Resolution) -> tuple[str, str | None] | None:
    """What a node tells the node it depends on, keyed for grouping by that node: a root says
    ``(itself, None)``, a leaf ``(parent, itself)``; an unresolved node says nothing."""
    if resolution.role == ROOT:
        return (node, None)
    if resolution.role == LEAF:
        return (resolution.parent, node)
    return None


def confirm_leaves(parent: str, claims: Iterable[str | None]) -> tuple[list[str], list[str]]:
    """At ``parent``: ``(leaves that are its duplicates, leaves left kept)``.

    Leaves are duplicates of their parent only when the parent claimed to be a root; otherwise
    the rounds ran out before this part of the component became a star.
    """
    is_root = False
    children = []
    for c in claims:
        if c is None:
            is_root = True
        else:
            children.append(c)
    return (children, []) if is_root else ([], children)


def both_directions(edge: Edge) -> Iterator[tuple[str, str]]:
    """(node, neighbour) records for grouping an undirected edge by either end."""
    a, b = edge
    yield (a, b)
    yield (b, a)
