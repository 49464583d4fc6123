"""Exact, MinHash near- and paragraph dedup as Beam transforms: wiring of `corpus.dedup`, no logic
of its own.

The document transforms take a ``PCollection[Document]`` and return every document again (count in ==
count out): duplicates are marked with ``doc.drop(DUPLICATE_EXACT | DUPLICATE_NEAR, detail=<id
of the kept document>)``, documents already dropped pass through untouched. The kept document of
a group is its lowest id, whatever the runner, bundling or worker count. Nothing is held on one
machine: every step is a per-key group (GroupByKey / CoGroupByKey), as on Dataflow.

Near dedup, stage by stage:
  kept docs -> (id, text) -> batches -> signatures (numpy, `MinHasher`) -> (band key, id)
  -> GroupByKey per band key -> star edges to each bucket's lowest id -> distinct candidate pairs
  -> [verify: join both ends' payloads (shingle sets or signatures), keep Jaccard >= threshold]
  -> connected components (alternating large-star / small-star, ``max_iterations`` rounds)
  -> resolve: (duplicate id, kept id) for each leaf whose parent is a confirmed root
  -> CoGroupByKey with the documents by id -> marked documents.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.pvalue import AsDict, AsSingleton

from corpus.cleaner import score_and_decide
from corpus.config import CleanConfig, DedupConfig
from corpus.dedup import exact_hash
from corpus.dedup import graph as g
from corpus.dedup import paragraphs as para
from corpus.dedup.marking import mark_exact_group, mark_near
from corpus.dedup.minhash import MinHasher, is_empty, payload_similarity, verification_payload
from corpus.dedup.paragraphs import ParagraphDedupConfig
from corpus.policy import build_filters
from formats.clean_manifest import ParagraphDedupCounts, RepeatedParagraph
from formats.documents import DUPLICATE_EXACT, DUPLICATE_PARAGRAPHS, Document
from pipelines.transforms import NAMESPACE

PAYLOADS = "payloads"  # tagged output of `_Sign`: (id, verification payload bytes)


def _counter(name: str):
    return Metrics.counter(NAMESPACE, name)


def _split_kept(docs: beam.PCollection, label: str) -> tuple[beam.PCollection, beam.PCollection]:
    kept, dropped = docs | f"{label}SplitKept" >> beam.Partition(lambda d, _: 0 if d.kept else 1, 2)
    return kept, dropped


# --------------------------------------------------------------------------------------------
# Exact dedup


class _MarkExactGroup(beam.DoFn):
    def __init__(self) -> None:
        self.duplicates = _counter("dedup.exact_duplicates")
        self.groups = _counter("dedup.exact_groups")

    def process(self, element: tuple[bytes, Iterable[Document]]) -> Iterator[Document]:
        _, docs = element
        n = 0
        for doc in mark_exact_group(docs):
            n += doc.drop_reason == DUPLICATE_EXACT
            yield doc
        if n:
            self.duplicates.inc(n)
            self.groups.inc()


class ExactDedup(beam.PTransform):
    """Marks documents whose normalised text (`corpus.dedup.normalize_for_exact`) equals that of
    a document with a lower id. One shuffle of the kept documents, keyed by the 128-bit hash."""

    def __init__(self, config: DedupConfig) -> None:
        super().__init__()
        self.config = config

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        if not self.config.exact:
            return docs
        kept, dropped = _split_kept(docs, "Exact")
        marked = (
            kept
            | "ExactKey" >> beam.Map(lambda d: (exact_hash(d.text), d))
            | "ExactGroup" >> beam.GroupByKey()
            | "ExactMark" >> beam.ParDo(_MarkExactGroup())
        )
        return (marked, dropped) | "ExactMerge" >> beam.Flatten()


# --------------------------------------------------------------------------------------------
# Near dedup


class _Sign(beam.DoFn):
    """A batch of (id, text) -> (band key, id) per band, and (id, payload) for verification."""

    def __init__(self, hasher: MinHasher, verify: str) -> None:
        self.hasher = hasher  # about 1 KB pickled (its permutations): travels with the DoFn
        self.verify = verify
        self.signed = _counter("dedup.signatures")
        self.no_shingles = _counter("dedup.no_shingles")

    def process(self, batch: list[tuple[str, str]]) -> Iterator:
        sigs, hashes, offsets = self.hasher.signatures_and_shingles([text for _, text in batch])
        self.signed.inc(len(batch))
        for i, (doc_id, _) in enumerate(batch):
            row = sigs[i]
            if is_empty(row):
                self.no_shingles.inc()
                continue
            for key in self.hasher.band_keys(row):
                yield (key, doc_id)
            if self.verify != "none":
                payload = verification_payload(self.verify, row, hashes[offsets[i] : offsets[i + 1]])
                yield beam.pvalue.TaggedOutput(PAYLOADS, (doc_id, payload))


class _BucketEdges(beam.DoFn):
    def __init__(self) -> None:
        self.buckets = _counter("dedup.candidate_buckets")

    def process(self, element: tuple[bytes, Iterable[str]]) -> Iterator[g.Edge]:
        _, ids = element
        any_edge = False
        for edge in g.star_edges(ids):
            any_edge = True
            yield edge
        if any_edge:
            self.buckets.inc()


def _count(name: str):
    counter = _counter(name)

    def inc(x):
        counter.inc()
        return x

    return inc


def _only_payload(doc_id: str, payloads: Iterable[bytes]) -> bytes:
    payloads = list(payloads)
    if len(payloads) != 1:  # only signed documents fall into buckets, and ids are unique
        raise ValueError(f"near dedup: document {doc_id!r} has {len(payloads)} verification payloads")
    return payloads[0]


class _AttachChildPayload(beam.DoFn):
    """Join step 1, keyed by the child: (parent, (child, child payload)) per edge."""

    def process(self, element) -> Iterator[tuple[str, tuple[str, bytes]]]:
        child, grouped = element
        edges = list(grouped["edge"])
        if not edges:
            return
        payload = _only_payload(child, grouped["payload"])
        for parent in edges:
            yield (parent, (child, payload))


class _VerifyAtParent(beam.DoFn):
    """Join step 2, keyed by the parent: keep the edges whose Jaccard reaches the threshold."""

    def __init__(self, mode: str, threshold: float) -> None:
        self.mode = mode
        self.threshold = threshold
        self.passed = _counter("dedup.verified_pairs")
        self.rejected = _counter("dedup.rejected_pairs")

    def process(self, element) -> Iterator[g.Edge]:
        parent, grouped = element
        edges = list(grouped["edge"])
        if not edges:
            return
        payload = _only_payload(parent, grouped["payload"])
        for child, child_payload in edges:
            if payload_similarity(self.mode, payload, child_payload) >= self.threshold:
                self.passed.inc()
                yield (child, parent)
            else:
                self.rejected.inc()


def _neighbours_step(directed: beam.PCollection, label: str, step) -> beam.PCollection:
    """One large- or small-star step on ``(node, neighbour)`` records, emitting its edges in both
    directions ready for the next step's grouping: one ParDo per step, not two. The unrolled
    rounds are most of the pipeline's transforms, and each ParDo costs Beam's construction-time
    DoFn introspection and its per-bundle set-up on every worker (docs/benchmarks.md, Scaling)."""
    return (
        directed
        | f"{label}Group" >> beam.GroupByKey()
        | f"{label}Star" >> beam.FlatMapTuple(functools.partial(_star_both_ways, step))
    )


def _star_both_ways(step, node: str, neighbours: Iterable[str]) -> Iterator[tuple[str, str]]:
    for edge in step(node, neighbours):
        yield from g.both_directions(edge)


class _Resolve(beam.DoFn):
    """(node, neighbours) -> claims: (node, None) for a root, (parent, child) for a leaf."""

    def __init__(self) -> None:
        self.unresolved = _counter("dedup.unresolved_documents")

    def process(self, element: tuple[str, Iterable[str]]) -> Iterator[tuple[str, str | None]]:
        node, neighbours = element
        claim = g.claim(node, g.resolve(node, neighbours))
        if claim is None:
            self.unresolved.inc()
        else:
            yield claim


class _ConfirmLeaves(beam.DoFn):
    """At a parent: its leaves are duplicates of it only if it is itself a root."""

    def __init__(self) -> None:
        self.unresolved = _counter("dedup.unresolved_documents")
        self.components = _counter("dedup.near_components")

    def process(self, element: tuple[str, Iterable[str | None]]) -> Iterator[tuple[str, str]]:
        parent, claims = element
        duplicates, unresolved = g.confirm_leaves(parent, claims)
        if unresolved:
            self.unresolved.inc(len(unresolved))
        if duplicates:
            self.components.inc()
        for child in duplicates:
            yield (child, parent)


class _MarkNear(beam.DoFn):
    def __init__(self) -> None:
        self.duplicates = _counter("dedup.near_duplicates")

    def process(self, element) -> Iterator[Document]:
        doc_id, grouped = element
        doc = mark_near(doc_id, grouped["doc"], grouped["mark"])
        if not doc.kept:
            self.duplicates.inc()
        yield doc


class NearDedup(beam.PTransform):
    """MinHash LSH near-dedup (see the module doc); parameters from ``config.minhash``."""

    def __init__(self, config: DedupConfig, batch_size: int = 256) -> None:
        super().__init__()
        self.config = config
        self.batch_size = batch_size

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        mh = self.config.minhash
        if not mh.enabled:
            return docs
        kept, dropped = _split_kept(docs, "Near")
        signed = (
            kept
            | "NearText" >> beam.Map(lambda d: (d.id, d.text))
            | "NearBatch"
            >> beam.BatchElements(min_batch_size=min(32, self.batch_size), max_batch_size=self.batch_size)
            | "NearSign"
            >> beam.ParDo(_Sign(MinHasher.from_config(mh), mh.verify)).with_outputs(PAYLOADS, main="bands")
        )
        edges = (
            signed.bands
            | "NearBuckets" >> beam.GroupByKey()
            | "NearStarEdges" >> beam.ParDo(_BucketEdges())
            | "NearDistinct" >> beam.Distinct()
            | "NearCountPairs" >> beam.Map(_count("dedup.candidate_pairs"))
        )
        if mh.verify != "none":
            payloads = signed[PAYLOADS]
            at_parent = (
                {"payload": payloads, "edge": edges}
                | "NearJoinChild" >> beam.CoGroupByKey()
                | "NearChildPayload" >> beam.ParDo(_AttachChildPayload())
            )
            edges = (
                {"payload": payloads, "edge": at_parent}
                | "NearJoinParent" >> beam.CoGroupByKey()
                | "NearVerify" >> beam.ParDo(_VerifyAtParent(mh.verify, mh.threshold))
            )
        directed = edges | "NearBoth" >> beam.FlatMap(g.both_directions)
        for i in range(mh.max_iterations):
            directed = _neighbours_step(directed, f"NearLarge{i}", g.large_star)
            directed = _neighbours_step(directed, f"NearSmall{i}", g.small_star)
        marks = (
            directed
            | "NearFinalGroup" >> beam.GroupByKey()
            | "NearResolve" >> beam.ParDo(_Resolve())
            | "NearClaimsGroup" >> beam.GroupByKey()
            | "NearConfirm" >> beam.ParDo(_ConfirmLeaves())
        )
        marked = (
            {"doc": kept | "NearKeyDocs" >> beam.Map(lambda d: (d.id, d)), "mark": marks}
            | "NearJoinDocs" >> beam.CoGroupByKey()
            | "NearMark" >> beam.ParDo(_MarkNear())
        )
        return (marked, dropped) | "NearMerge" >> beam.Flatten()


# --------------------------------------------------------------------------------------------
# Paragraph dedup


REPEATED = "repeated"  # tagged output of `_Holders`: (key, documents holding it, copies removed)
TOTALS = "totals"  # tagged outputs of `_RemoveParagraphs`: per-document counts (TOTAL_FIELDS)
EXAMPLES = "examples"  # ... and (key, removed copy) for the paragraphs removed most often


class _Holders(beam.DoFn):
    """(paragraph key, ids of the documents holding it) -> (id, key) for each document that
    loses it, and (key, documents, removed) for each repeated paragraph."""

    def __init__(self, config: ParagraphDedupConfig) -> None:
        self.config = config
        self.repeated = _counter("dedup.repeated_paragraphs")

    def process(self, element: tuple[bytes, Iterable[str]]) -> Iterator:
        key, ids = element
        n, keep = para.holders(ids, self.config)
        if not para.repeated(n, self.config):
            return
        self.repeated.inc()
        removed = 0
        for doc_id in ids:
            if doc_id != keep:
                removed += 1
                yield (doc_id, key)
        yield beam.pvalue.TaggedOutput(REPEATED, (key, n, removed))


class _RemoveParagraphs(beam.DoFn):
    """(id, {doc, marks}) -> the document without its marked paragraphs, scored again by the
    cleaner's chain when it changed (`corpus.dedup.paragraphs.apply`)."""

    def __init__(self, config: CleanConfig) -> None:
        self.config = config
        self.filters: list = []
        self.changed = _counter("dedup.paragraph_documents_changed")
        self.dropped = _counter("dedup.paragraph_documents_dropped")
        self.removed = _counter("dedup.paragraphs_removed")

    def setup(self) -> None:
        self.filters = build_filters(self.config)
        for flt in self.filters:
            flt.setup()

    def _rescore(self, doc: Document) -> None:
        score_and_decide(doc, self.filters, score_all=self.config.policy.score_all)

    def process(self, element, top: list[bytes]) -> Iterator:
        doc_id, grouped = element
        docs = list(grouped["doc"])
        if len(docs) != 1:
            sources = sorted({d.source for d in docs})
            raise ValueError(
                f"paragraph dedup: {len(docs)} kept documents share the id {doc_id!r} (from {sources}); "
                "document ids must be unique"
            )
        doc = docs[0]
        out, removal = para.apply(doc, set(grouped["mark"]), self._rescore)
        if removal.removed:
            self.changed.inc()
            self.removed.inc(removal.removed)
            self.dropped.inc(out.drop_reason == DUPLICATE_PARAGRAPHS)
        yield out
        yield beam.pvalue.TaggedOutput(TOTALS, para.totals(out, removal))
        wanted = set(top)
        for key, text in removal.examples:
            if key in wanted:
                yield beam.pvalue.TaggedOutput(EXAMPLES, (key, text))


def _summary(
    _: object,
    totals: tuple[int, ...],
    repeated: int,
    top: list[tuple[bytes, int, int]],
    examples: dict[bytes, str],
) -> ParagraphDedupCounts:
    counts = dict(zip(para.TOTAL_FIELDS, totals, strict=True))
    most = [RepeatedParagraph(text=examples.get(key, ""), documents=n, removed=r) for key, n, r in top if r]
    return ParagraphDedupCounts(**counts, repeated=repeated, most_removed=most)


class ParagraphDedup(beam.PTransform):
    """Removes paragraphs repeated across the kept documents (`corpus.dedup.paragraphs`).

    Returns ``(documents, summary)``: every document again (count in == count out), those that
    lost paragraphs with their new text and scores, and one `ParagraphDedupCounts` for the
    manifest (None when ``dedup.paragraphs`` is off). Stage by stage, each a per-key group:
      kept docs -> (paragraph key, id) per distinct paragraph -> GroupByKey per key
      -> (id, key) for the documents that lose it -> CoGroupByKey with the documents by id
      -> paragraphs removed, document scored again -> documents.
    """

    def __init__(self, config: CleanConfig, most_removed: int = 20) -> None:
        super().__init__()
        self.config = config
        self.most_removed = most_removed

    def expand(self, docs: beam.PCollection) -> tuple[beam.PCollection, beam.PCollection]:
        cfg = self.config.dedup.paragraphs
        if not cfg.enabled:
            return docs, docs.pipeline | "ParagraphsOff" >> beam.Create([None])
        taking, passing = docs | "ParagraphsSplit" >> beam.Partition(
            lambda d, _: 0 if para.applies(cfg, d) else 1, 2
        )
        holders = (
            taking
            | "ParagraphKeys" >> beam.FlatMap(lambda d: ((key, d.id) for key in para.paragraph_keys(d.text)))
            | "ParagraphGroup" >> beam.GroupByKey()
            | "ParagraphHolders" >> beam.ParDo(_Holders(cfg)).with_outputs(REPEATED, main="marks")
        )
        top = holders[REPEATED] | "ParagraphsTop" >> beam.combiners.Top.Of(
            self.most_removed, key=para.removal_order
        )
        top_keys = top | "ParagraphsTopKeys" >> beam.Map(lambda entries: [e[0] for e in entries])
        removed = (
            {"doc": taking | "ParagraphKeyDocs" >> beam.Map(lambda d: (d.id, d)), "mark": holders.marks}
            | "ParagraphJoin" >> beam.CoGroupByKey()
            | "ParagraphRemove"
            >> beam.ParDo(_RemoveParagraphs(self.config), top=AsSingleton(top_keys)).with_outputs(
                TOTALS, EXAMPLES, main="docs"
            )
        )
        summary = (
            docs.pipeline
            | "ParagraphSummaryTrigger" >> beam.Create([None])
            | "ParagraphSummary"
            >> beam.Map(
                _summary,
                totals=AsSingleton(
                    removed[TOTALS] | "ParagraphTotals" >> beam.CombineGlobally(para.add_totals)
                ),
                repeated=AsSingleton(
                    holders[REPEATED] | "ParagraphsRepeated" >> beam.combiners.Count.Globally()
                ),
                top=AsSingleton(top),
                examples=AsDict(removed[EXAMPLES] | "ParagraphExample" >> beam.CombinePerKey(min)),
            )
        )
        return (removed.docs, passing) | "ParagraphMerge" >> beam.Flatten(), summary
