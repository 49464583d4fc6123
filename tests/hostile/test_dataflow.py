"""The README's Dataflow command, translated into a Dataflow job without submitting it (Beam's
``--dry_run``), so that a transform Dataflow cannot run, or a DoFn that does not pickle, fails here
rather than in the cloud. Needs the ``gcp`` extra; skipped without it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import apache_beam as beam
import pytest

from common.config import load_config
from corpus.config import CleanConfig
from pipelines import clean
from pipelines.options import parse_args

pytest.importorskip("apache_beam.runners.dataflow.internal.apiclient")  # the gcp extra

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDERS = {"PROJECT": "headwater-ci", "REGION": "us-central1", "BUCKET": "headwater-ci-bucket"}


def readme_command() -> list[str]:
    """The arguments of the README's ``python -m pipelines.clean`` under "Running on Dataflow"."""
    section = (ROOT / "README.md").read_text().split("### Running on Dataflow", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    command = block[block.index("python -m pipelines.clean") :].replace("\\\n", " ")
    for name, value in PLACEHOLDERS.items():
        command = re.sub(rf"\b{name}\b", value, command)
    return shlex.split(command)[3:]


def test_the_readme_command_translates_into_a_dataflow_job(tmp_path):
    argv = readme_command()
    assert "--runner=DataflowRunner" in argv
    args, options = parse_args([*argv, "--dry_run=True"])
    assert args.inputs[0].startswith("https://data.commoncrawl.org/")
    config = load_config(args.config, CleanConfig)
    # the listing would read CommonCrawl over the network: two paths as it would give them
    inputs = [f"{args.paths_prefix}crawl-data/CC-MAIN-2024-10/segments/x/warc/{i}.warc.gz" for i in range(2)]
    p = beam.Pipeline(options=options)
    clean.build(p, config, inputs, args.output)
    result = p.run()
    job = result.job  # translated, not submitted
    assert job.proto.type.name == "JOB_TYPE_BATCH"
    names = {t.unique_name for t in p.runner.proto_pipeline.components.transforms.values()}
    for step in ("CleanFiles", "ExactDedup", "NearDedup", "ParagraphDedup", "WriteShards", "WriteManifest"):
        assert step in names
