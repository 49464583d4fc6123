"""ExactDedup and NearDedup run for real on Beam's FnApiRunner (no Prism download)."""

from __future__ import annotations

import random
from collections import Counter

import apache_beam as beam
import pytest
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_pipeline import TestPipeline as BeamTestPipeline
from apache_beam.testing.util import BeamAssertException, assert_that, equal_to

from corpus.config import DedupConfig, MinHashConfig
from devkit.near_dedup_reference import reference_near_dedup
from devkit.synthetic import TextGenerator, drift_chain, jaccard, near_duplicate_pair
from formats.documents import DUPLICATE_EXACT, DUPLICATE_NEAR, Document
from pipelines.dedup import ExactDedup, NearDedup
from pipelines.transforms import NAMESPACE


def _doc(doc_id: str, text: str, **kw) -> Document:
    return Document(id=doc_id, url=f"https://example.com/{doc_id}", domain="web", text=text, **kw)


def _run(docs, transform, check, options: PipelineOptions | None = None) -> dict[str, int]:
    """Run ``transform`` over ``docs``; ``check(outputs)`` asserts inside the pipeline."""
    p = BeamTestPipeline(runner=FnApiRunner(), options=options or PipelineOptions())
    out = p | beam.Create(docs) | transform
    assert_that(out | "Count" >> beam.combiners.Count.Globally(), equal_to([len(docs)]), label="InEqualsOut")
    assert_that(out, check, label="Check")
    result = p.run()
    result.wait_until_finish()
    counters = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]
    return {c.key.metric.name: c.committed for c in counters}


def _marks(outputs, reason: str) -> dict[str, str]:
    return {d.id: d.drop_detail for d in outputs if d.drop_reason == reason}


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise BeamAssertException(message)


def test_exact_dedup_keeps_the_lowest_id_of_each_group():
    docs = [
        _doc("b", "The same page, page 1."),
        _doc("a", "the SAME page -- page 2!"),
        _doc("c", "The same page.  Page 3"),
        _doc("e", "Another page entirely."),
        _doc("d", "another page ENTIRELY"),
        _doc("f", "A page of its own."),
        _doc("g", "The same page, page 1.", drop_reason="language.language"),  # already dropped
    ]

    def check(outputs):
        _expect(_marks(outputs, DUPLICATE_EXACT) == {"b": "a", "c": "a", "e": "d"}, "wrong groups")
        dropped = [d for d in outputs if d.id == "g"]
        _expect(dropped[0].drop_reason == "language.language", "a dropped document was re-marked")
        _expect(sum(d.kept for d in outputs) == 3, "wrong number kept")

    counters = _run(docs, ExactDedup(DedupConfig()), check)
    assert counters["dedup.exact_duplicates"] == 3
    assert counters["dedup.exact_groups"] == 2


def test_exact_dedup_disabled_passes_everything_through():
    docs = [_doc("a", "x y"), _doc("b", "x y")]
    _run(docs, ExactDedup(DedupConfig(exact=False)), lambda out: _expect(all(d.kept for d in out), "dropped"))


def test_near_dedup_joins_a_chain_into_one_component_kept_at_the_lowest_id():
    gen = TextGenerator(seed=21, vocab_size=20_000)
    a, b, c = drift_chain(gen, 3, 300, step=0.82)
    assert jaccard(a, b) >= 0.75 and jaccard(b, c) >= 0.75 and jaccard(a, c) < 0.75
    docs = [_doc("id-b", b), _doc("id-c", c), _doc("id-a", a), _doc("other", gen.document(300))]

    def check(outputs):
        _expect(_marks(outputs, DUPLICATE_NEAR) == {"id-b": "id-a", "id-c": "id-a"}, str(outputs))

    config = DedupConfig(minhash=MinHashConfig(max_iterations=3))
    counters = _run(docs, NearDedup(config), check)
    assert counters["dedup.near_duplicates"] == 2
    assert counters["dedup.near_components"] == 1
    assert counters["dedup.candidate_pairs"] >= 2
    assert counters.get("dedup.unresolved_documents", 0) == 0


@pytest.fixture(scope="module")
def mixed_corpus() -> list[Document]:
    """A few hundred documents: near-duplicate pairs across the Jaccard range, chains, singles."""
    gen = TextGenerator(seed=4, vocab_size=20_000)
    rnd = random.Random(4)
    docs = []
    for i in range(90):
        pair = near_duplicate_pair(gen, rnd.randint(60, 250), rnd.uniform(0.5, 1.0))
        docs += [_doc(f"p{i:03d}x", pair.a), _doc(f"p{i:03d}y", pair.b)]
    for i in range(4):
        for k, text in enumerate(drift_chain(gen, 6, 150, step=0.8)):
            docs.append(_doc(f"c{i}-{rnd.random():.6f}-{k}", text))  # random id order along the chain
    docs += [_doc(f"s{i:03d}", gen.document(rnd.randint(3, 200))) for i in range(60)]
    docs.append(_doc("empty", "... --- !!!"))
    rnd.shuffle(docs)
    return docs


@pytest.mark.parametrize("verify", ["exact", "signature", "none"])
def test_near_dedup_equals_the_union_find_reference(mixed_corpus, verify):
    config = MinHashConfig(verify=verify)
    expected = reference_near_dedup([d.id for d in mixed_corpus], [d.text for d in mixed_corpus], config)
    assert len(expected) > 50  # the corpus really has duplicates to find

    def check(outputs):
        got = _marks(outputs, DUPLICATE_NEAR)
        _expect(got == expected, f"{len(got)} marks, reference {len(expected)}")

    counters = _run(mixed_corpus, NearDedup(DedupConfig(minhash=config)), check)
    assert counters["dedup.near_duplicates"] == len(expected)
    assert counters["dedup.no_shingles"] == 1
    assert counters.get("dedup.unresolved_documents", 0) == 0


def test_near_dedup_result_does_not_depend_on_input_order_or_workers(mixed_corpus):
    config = DedupConfig(minhash=MinHashConfig(max_iterations=6))
    expected = reference_near_dedup(
        [d.id for d in mixed_corpus], [d.text for d in mixed_corpus], config.minhash
    )
    reordered = sorted(mixed_corpus, key=lambda d: d.text)  # another order, other bundles

    def check(outputs):
        _expect(_marks(outputs, DUPLICATE_NEAR) == expected, "order changed the result")

    options = PipelineOptions(direct_num_workers=2, direct_running_mode="multi_threading")
    _run(reordered, NearDedup(config), check, options)


def test_unconverged_components_only_drop_documents_whose_kept_one_is_kept():
    gen = TextGenerator(seed=8, vocab_size=20_000)
    rnd = random.Random(8)
    chain = drift_chain(gen, 24, 120, step=0.85)
    ids = [f"n{rnd.random():.8f}" for _ in chain]  # random id order makes the path hard
    docs = [_doc(i, t) for i, t in zip(ids, chain, strict=True)]

    def check_partial(outputs):
        kept = {d.id for d in outputs if d.kept}
        marks = _marks(outputs, DUPLICATE_NEAR)
        _expect(all(k in kept for k in marks.values()), "a document names a dropped one as kept")
        _expect(min(ids) in kept, "the lowest id was dropped")

    counters = _run(docs, NearDedup(DedupConfig(minhash=MinHashConfig(max_iterations=1))), check_partial)
    assert counters["dedup.unresolved_documents"] > 0

    def check_full(outputs):
        _expect(_marks(outputs, DUPLICATE_NEAR) == {i: min(ids) for i in ids if i != min(ids)}, "not one")

    counters = _run(docs, NearDedup(DedupConfig(minhash=MinHashConfig(max_iterations=12))), check_full)
    assert counters.get("dedup.unresolved_documents", 0) == 0


def test_near_dedup_refuses_two_kept_documents_with_one_id():
    docs = [_doc("same", "one text of a few words here"), _doc("same", "another text entirely, other words")]
    with pytest.raises(Exception, match="share the id 'same'"):
        _run(docs, NearDedup(DedupConfig()), lambda out: None)


def test_exact_then_near_marks_each_document_once_with_the_first_reason():
    gen = TextGenerator(seed=2, vocab_size=20_000)
    pair = near_duplicate_pair(gen, 200, 0.9)
    docs = [_doc("a", pair.a), _doc("b", pair.a.upper()), _doc("c", pair.b)]

    def check(outputs):
        reasons = {d.id: (d.drop_reason, d.drop_detail) for d in outputs}
        _expect(
            reasons == {"a": (None, ""), "b": (DUPLICATE_EXACT, "a"), "c": (DUPLICATE_NEAR, "a")},
            str(reasons),
        )

    config = DedupConfig(minhash=MinHashConfig(max_iterations=2))
    counters = _run(docs, ExactDedup(config) | NearDedup(config), check)
    assert Counter({k: v for k, v in counters.items() if k.endswith("duplicates")}) == Counter(
        {"dedup.exact_duplicates": 1, "dedup.near_duplicates": 1}
    )
