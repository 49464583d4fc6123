"""Stage 3: domains drawn at set ratios, as a plan you read before a GPU is spent.

`mixer.plan.load_plan` checks a mix config against the Stage 2 manifest and says, per domain,
how many tokens exist, how many the run draws and how often each is repeated;
`mixer.streams.build_streams` turns the plan into mosaicml-streaming Streams that draw exactly
that. ``python -m mixer plan --mix configs/mix.yaml`` prints the plan.
"""
