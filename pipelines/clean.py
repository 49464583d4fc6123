"""``python -m pipelines.clean``: the cleaning pipeline, WARC in, shards and statistics out.

The graph: input files -> CleanFile (read, decode, extract, score, decide; resumable per file)
-> kept documents through exact, near and paragraph dedup (documents that lost paragraphs scored
again) -> Parquet + MDS shards per domain; every
document (kept or dropped) -> attributes/ and exact counts; error drops -> errors/; then the
manifest, written last.
"""

from __future__ import annotations

import logging
import sys
import time

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.pvalue import AsList, AsSingleton

from common.cli import command
from common.config import load_config
from corpus import manifest as mf
from corpus import shards
from corpus.config import CleanConfig
from formats.clean_manifest import CleanManifest, read_clean_manifest
from formats.documents import ATTRIBUTE_COLUMNS, DROPPED_COLUMNS
from formats.manifest_io import manifest_path
from pipelines import transforms as t
from pipelines.dedup import ExactDedup, NearDedup, ParagraphDedup
from pipelines.inputs import list_inputs
from pipelines.options import CleanArgs, parse_args

log = logging.getLogger("pipelines.clean")


def build(p: beam.Pipeline, config: CleanConfig, inputs: list[str], out: str) -> None:
    docs = (
        p
        | "Inputs" >> beam.Create(inputs)
        | "SpreadFiles" >> beam.Reshuffle()
        | "CleanFiles" >> beam.ParDo(t.CleanFile(config, out))
    )
    # the dedup transforms pass dropped documents through and mark duplicates among the kept;
    # paragraph dedup then removes what is repeated across the documents still kept
    deduped = docs | "ExactDedup" >> ExactDedup(config.dedup) | "NearDedup" >> NearDedup(config.dedup)
    everything, paragraphs = deduped | "ParagraphDedup" >> ParagraphDedup(config)
    survivors = everything | "StillKept" >> beam.Filter(lambda d: d.kept)

    n = config.output.shards_per_domain
    shard_infos = (
        survivors
        | "KeyByShard" >> beam.Map(lambda d: ((d.domain, shards.shard_index(d.id, n)), d))
        | "GroupShards" >> beam.GroupByKey()
        | "WriteShards" >> beam.ParDo(t.WriteDocumentShard(config, out))
    )
    na = config.output.attribute_shards
    attribute_files = _by_id_shard(everything, "Attributes", na) | "WriteAttributes" >> beam.ParDo(
        t.WriteDocumentTable(out, "attributes", na, ATTRIBUTE_COLUMNS)
    )
    errors = everything | "Errors" >> beam.Filter(t.is_error)
    error_files = _by_id_shard(errors, "Errors", na) | "WriteErrors" >> beam.ParDo(t.WriteErrors(out, na))
    if config.policy.keep_dropped_text:
        dropped = everything | "DroppedWithText" >> beam.Filter(lambda d: not d.kept and d.text)
        dropped_files = _by_id_shard(dropped, "Dropped", na) | "WriteDropped" >> beam.ParDo(
            t.WriteDocumentTable(out, "dropped", na, DROPPED_COLUMNS)
        )
    else:
        dropped_files = p | "NoDroppedText" >> beam.Create([])
    counts = everything | "Count" >> beam.CombineGlobally(t.CountOutcomes())
    _ = (
        p
        | "ManifestTrigger" >> beam.Create([None])
        | "WriteManifest"
        >> beam.Map(
            t.write_manifest,
            out=out,
            config=config,
            inputs=inputs,
            counts=AsSingleton(counts),
            shard_infos=AsList(shard_infos),
            attribute_files=AsList(attribute_files),
            error_files=AsList(error_files),
            dropped_files=AsList(dropped_files),
            paragraph_dedup=AsSingleton(paragraphs),
        )
    )


def _by_id_shard(docs: beam.PCollection, label: str, num_shards: int) -> beam.PCollection:
    """Documents grouped into ``num_shards`` groups by a hash of their id."""
    return (
        docs
        | f"Key{label}" >> beam.Map(lambda d: (shards.shard_index(d.id, num_shards), d))
        | f"Group{label}" >> beam.GroupByKey()
    )


def log_counters(result: beam.runners.runner.PipelineResult) -> dict[str, int]:
    counters = {}
    try:
        for c in result.metrics().query(MetricsFilter().with_namespace(t.NAMESPACE))["counters"]:
            counters[c.key.metric.name] = counters.get(c.key.metric.name, 0) + c.committed
    except Exception:
        return counters
    for name in sorted(counters):
        log.info("counter %s = %d", name, counters[name])
    return counters


def run(argv: list[str] | None = None) -> CleanManifest:
    """Run the pipeline to completion; returns the manifest it wrote."""
    return execute(*parse_args(argv))


def execute(args: CleanArgs, options: PipelineOptions) -> CleanManifest:
    config = load_config(args.config, CleanConfig)
    # the inputs are listed here, before the pipeline exists: give Beam's filesystems the run's
    # options now (an S3 endpoint and keys, a GCP project), as the pipeline would on its workers
    FileSystems.set_options(options)
    inputs = list_inputs(args.inputs, args.paths_prefix)
    resumed = mf.claim_output(args.output, config.hash(), inputs, args.overwrite)
    log.info(
        "%s %d input file(s) into %s (config %s)",
        "resuming" if resumed else "cleaning",
        len(inputs),
        args.output,
        config.hash(),
    )
    start = time.perf_counter()
    p = beam.Pipeline(options=options)
    build(p, config, inputs, args.output)
    result = p.run()
    result.wait_until_finish()
    log_counters(result)
    manifest = read_clean_manifest(args.output)
    c = manifest.counts
    log.info(
        "done in %.1f s: %d records, %d kept, dropped %s",
        time.perf_counter() - start,
        c.records,
        c.kept,
        c.dropped,
    )
    return manifest


@command()
def main(argv: list[str] | None = None) -> int:
    args, options = parse_args(argv)
    c = execute(args, options).counts
    print(f"kept {c.kept} of {c.records} records; manifest: {manifest_path(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
