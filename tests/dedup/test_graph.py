"""Connected-components steps: large-star / small-star reach the union-find answer."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

from corpus.dedup import graph as g
from devkit.near_dedup_reference import UnionFind


def test_star_edges_link_a_bucket_to_its_lowest_id_with_k_minus_1_edges():
    assert sorted(g.star_edges(["d", "b", "c", "a"])) == [("b", "a"), ("c", "a"), ("d", "a")]
    assert list(g.star_edges(["only"])) == []
    assert list(g.star_edges([])) == []


def _adjacency(edges) -> dict[str, set[str]]:
    """What the pipeline's group-by-node hands each step: every node with its neighbours."""
    adjacency = defaultdict(set)
    for edge in edges:
        for node, other in g.both_directions(edge):
            adjacency[node].add(other)
    return adjacency


def _round(edges, step):
    return {e for node, around in _adjacency(edges).items() for e in step(node, around)}


def _run(edges, rounds):
    for _ in range(rounds):
        edges = _round(_round(edges, g.large_star), g.small_star)
    return edges


def _resolved(edges):
    return {node: g.resolve(node, around) for node, around in _adjacency(edges).items()}


def test_alternating_stars_converge_to_the_union_find_components():
    rnd = random.Random(5)
    nodes = [f"n{i:03d}" for i in range(300)]
    edges = set()
    for _ in range(260):  # a sparse random graph: many components, some long paths
        a, b = rnd.sample(nodes, 2)
        edges.add((max(a, b), min(a, b)))
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    expected = {x: root for x, root in uf.components().items() if x != root}
    final = _run(edges, rounds=12)
    roles = _resolved(final)
    assert {n: r.parent for n, r in roles.items() if r.role == g.LEAF} == expected
    assert all(r.role != g.UNRESOLVED for r in roles.values())


def test_a_long_path_in_random_id_order_needs_rounds_and_resolve_says_so():
    rnd = random.Random(1)
    ids = [f"p{i:03d}" for i in range(64)]
    rnd.shuffle(ids)
    path = {(max(a, b), min(a, b)) for a, b in itertools.pairwise(ids)}
    early = _resolved(_run(path, rounds=1))
    assert any(r.role == g.UNRESOLVED for r in early.values()) or any(
        r.role == g.LEAF and early[r.parent].role != g.ROOT for r in early.values()
    )
    final = _resolved(_run(path, rounds=12))
    assert {r.parent for r in final.values() if r.role == g.LEAF} == {min(ids)}


def test_resolve_names_roots_leaves_and_the_rest():
    assert g.resolve("a", ["b", "c"]) == g.Resolution(g.ROOT)
    assert g.resolve("c", ["a"]) == g.Resolution(g.LEAF, "a")
    assert g.resolve("c", ["a", "b"]).role == g.UNRESOLVED
    assert g.resolve("b", ["a", "c"]).role == g.UNRESOLVED


def test_union_find_representative_is_the_lowest_id():
    uf = UnionFind()
    uf.union("m", "z")
    uf.union("z", "b")
    uf.union("q", "r")
    assert uf.components() == {"m": "b", "z": "b", "b": "b", "q": "q", "r": "q"}
