"""Command-line options of the cleaning pipeline; everything else passes through to Beam.

Standard Beam options (``--runner``, ``--project``, ``--region``, ``--temp_location``,
``--setup_file``, ``--sdk_container_image``, ``--direct_num_workers`` ...) go to
`PipelineOptions` untouched. Runner-specific requirements are checked here, before any work, so a
Dataflow launch without a project fails in one line instead of minutes later.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

from apache_beam.options.pipeline_options import GoogleCloudOptions, PipelineOptions, StandardOptions

from common.errors import UserError
from pipelines.inputs import CC_PREFIX

DEFAULT_CONFIG = "configs/clean.yaml"


class OptionsError(UserError, ValueError):
    """A missing or inconsistent option, reported before the pipeline starts."""


@dataclass(frozen=True)
class CleanArgs:
    inputs: list[str]
    output: str
    config: str
    overwrite: bool
    paths_prefix: str


def parse_args(argv: list[str] | None) -> tuple[CleanArgs, PipelineOptions]:
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.clean",
        description="WARC -> extraction -> language ID -> quality, perplexity, toxicity filters -> "
        "exact and MinHash dedup -> Parquet and MDS shards with statistics.",
        epilog="Any other --option is a Beam pipeline option, e.g. --runner=DataflowRunner --project P "
        "--region R --temp_location gs://B/tmp --setup_file ./setup.py",
    )
    parser.add_argument(
        "--input",
        action="append",
        required=True,
        help="WARC glob (local, gs://, s3://), an http(s):// URL, or a CommonCrawl warc.paths(.gz) file; repeatable",
    )
    parser.add_argument("--output", required=True, help="output folder (local or gs://)")
    parser.add_argument("--config", default=DEFAULT_CONFIG, help="cleaning config (default: %(default)s)")
    parser.add_argument("--overwrite", action="store_true", help="replace another run's output in --output")
    parser.add_argument(
        "--paths-prefix",
        default=CC_PREFIX,
        help="prefix joined to relative paths of a warc.paths file (default: %(default)s)",
    )
    known, beam_argv = parser.parse_known_args(argv)
    options = PipelineOptions(local_defaults(beam_argv), save_main_session=False)
    validate_runner_options(options)
    return CleanArgs(
        known.input, known.output.rstrip("/"), known.config, known.overwrite, known.paths_prefix
    ), options


def local_defaults(beam_argv: list[str]) -> list[str]:
    """Without --runner: the DirectRunner, one worker process per core, quiet workers."""
    if any(a == "--runner" or a.startswith("--runner=") for a in beam_argv):
        return beam_argv
    defaults = {
        "--runner": "DirectRunner",
        "--direct_running_mode": "multi_processing",
        "--direct_num_workers": str(os.cpu_count() or 1),
        "--default_sdk_harness_log_level": "WARNING",
    }
    given = {a.split("=", 1)[0] for a in beam_argv}
    if "--direct_running_mode" in given:  # the user's mode; worker count only if they say so
        defaults.pop("--direct_num_workers")
    return [f"{k}={v}" for k, v in defaults.items() if k not in given] + beam_argv


def validate_runner_options(options: PipelineOptions) -> None:
    runner = (options.view_as(StandardOptions).runner or "").lower()
    if runner in ("dataflowrunner", "dataflow"):
        gcp = options.view_as(GoogleCloudOptions)
        missing = [
            name
            for name, value in (
                ("--project", gcp.project),
                ("--region", gcp.region),
                ("--temp_location", gcp.temp_location),
            )
            if not value
        ]
        if missing:
            raise OptionsError(f"--runner=DataflowRunner needs {', '.join(missing)}")
        if not str(gcp.temp_location).startswith("gs://"):
            raise OptionsError(f"--temp_location must be a gs:// path for Dataflow, got {gcp.temp_location}")
        setup = options.get_all_options()
        if not (
            setup.get("setup_file") or setup.get("sdk_container_image") or setup.get("requirements_file")
        ):
            raise OptionsError(
                "--runner=DataflowRunner needs the project's code on the workers: pass --setup_file ./setup.py "
                "or --sdk_container_image (built from the Dockerfile); see README.md"
            )
