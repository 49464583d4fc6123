"""What every stage uses and no stage owns: typed config loading, storage with atomic writes, the
mosaicml-streaming import, and the command-line runner.

Nothing here knows about documents, tokens or models; every stage package may import it, and it
imports none of them.
"""
