"""Stage 3: domains drawn at set ratios, as a plan you read before a GPU is spent.

`load_plan` checks a mix config against the Stage 2 manifest and says, per domain, how many
tokens exist, how many the run draws and how often each is repeated; `build_streams` turns the
plan into mosaicml-streaming Streams that draw exactly that. ``python -m mixer plan --mix
configs/mix.yaml`` prints the plan. These names are the stage's public API: the trainer imports
them from here, never from the modules.
"""

from mixer.plan import MixError, MixPlan, PlanRow, load_plan
from mixer.split import SplitResult, split_tokens
from mixer.streams import build_streams

__all__ = ["MixError", "MixPlan", "PlanRow", "SplitResult", "build_streams", "load_plan", "split_tokens"]
