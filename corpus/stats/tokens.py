"""Tokens per domain and sequence fill, from a Stage 2 token folder's manifest.

Packing concatenates a domain's documents and cuts them into sequences of exactly ``seq_len``
tokens, so only a domain's last sequence holds padding and the manifest's counts give the fill
exactly: ``tokens / (sequences x seq_len)``. The MDS indexes are checked to be there.
"""

from __future__ import annotations

from typing import Any

from common import storage
from formats.manifest_io import ManifestError
from formats.token_manifest import read_token_manifest


def token_summary(
    tokens_dir: str, config_hash: str, problems: list[str], notes: list[str]
) -> dict[str, Any] | None:
    try:
        manifest = read_token_manifest(tokens_dir)
    except ManifestError as err:
        problems.append(f"cannot read the token manifest: {err}")
        return None
    if manifest.source.config_hash and manifest.source.config_hash != config_hash:
        notes.append(
            f"{tokens_dir} was encoded from a run with config {manifest.source.config_hash}, "
            f"this run's is {config_hash}"
        )
    rows = []
    for domain, d in sorted(manifest.domains.items()):
        if d.documents and not storage.exists(storage.join(tokens_dir, domain, "index.json")):
            problems.append(f"{storage.join(tokens_dir, domain)}/index.json: token shards missing")
        capacity = d.sequences * manifest.seq_len
        rows.append(
            {
                "domain": domain,
                "documents": d.documents,
                "tokens": d.tokens,
                "sequences": d.sequences,
                "padding": d.padding,
                "fill": d.tokens / capacity if capacity else None,
                "tokens_per_document": d.tokens / d.documents if d.documents else None,
            }
        )
    total = sum(r["tokens"] for r in rows)
    capacity = sum(r["sequences"] for r in rows) * manifest.seq_len
    return {
        "path": tokens_dir,
        "seq_len": manifest.seq_len,
        "vocab_size": manifest.vocab_size,
        "tokens": total,
        "fill": total / capacity if capacity else None,
        "domains": rows,
    }
