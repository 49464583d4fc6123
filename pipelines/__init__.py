"""Beam wiring of `corpus/`: transforms, options and the runnable pipelines. No document logic."""
