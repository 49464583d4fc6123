"""The plan as mosaicml-streaming Streams: one per drawn domain, sized with ``choose``.

``choose`` is the exact number of samples a stream contributes to each epoch of a
`streaming.StreamingDataset`: more than the stream holds repeats it (whole passes, then a seeded
subset for the remainder), fewer draws a seeded subset without repetition. The sum of the
streams' ``choose`` is the epoch size, so one epoch of the loader is exactly the plan.
"""

from __future__ import annotations

from typing import Any

from common.streaming import import_streaming
from mixer.plan import MixPlan


def build_streams(plan: MixPlan) -> list[Any]:
    """``streaming.Stream`` objects in ``plan.rows`` order (stream i draws ``plan.rows[i]``)."""
    streaming = import_streaming()
    return [
        streaming.Stream(local=str(plan.tokens_dir / row.domain), choose=row.sequences_drawn)
        for row in plan.rows
    ]
