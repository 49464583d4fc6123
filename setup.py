"""Shim for Beam's ``--setup_file``: Dataflow workers install the project from pyproject.toml."""

from setuptools import setup

setup()
