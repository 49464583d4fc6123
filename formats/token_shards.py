"""The samples of Stage 2's token shards: one MDS sample per packed sequence.

``tokens`` holds ``seq_len`` token ids; ``segments`` numbers the document each token belongs to
within the sequence (0, 0, 1, 1, 1, 2, ...), -1 on the padding of a domain's last sequence
(docs/formats.md, Stage 2).
"""

from __future__ import annotations

TOKEN_COLUMNS = {"tokens": "ndarray:int32", "segments": "ndarray:int32"}
"""MDS column encodings, as streaming's ``MDSWriter`` takes them."""
PADDING_SEGMENT = -1
