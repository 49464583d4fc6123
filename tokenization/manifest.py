"""``TOK/manifest.json``: what Stage 2 wrote, read by the mixer and the trainer.

Written last by `tokenization.encode`, so its presence means every domain's MDS dataset is
complete. Layout in docs/formats.md; keys beyond the contract (``version``, ``bos_id``,
``tokenizer``, per-domain ``padding`` and ``shards``) are extra detail for people and stats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1


class ManifestError(RuntimeError):
    """The token directory or its manifest is missing or malformed; the message names the file."""


@dataclass(frozen=True, slots=True)
class DomainTokens:
    documents: int
    tokens: int
    """Document tokens including each document's EOS, excluding padding."""
    sequences: int
    """Packed samples of exactly ``seq_len`` tokens (the last one padded)."""
    padding: int = 0
    shards: int = 0
    """Stage 1 Parquet shards read for this domain."""


@dataclass(frozen=True, slots=True)
class TokenManifest:
    seq_len: int
    vocab_size: int
    eos_id: int
    pad_id: int
    domains: dict[str, DomainTokens]
    bos_id: int = -1
    tokenizer_sha256: str = ""
    source_config_hash: str = ""
    version: int = MANIFEST_VERSION

    def to_json(self) -> str:
        obj = {
            "version": self.version,
            "seq_len": self.seq_len,
            "vocab_size": self.vocab_size,
            "eos_id": self.eos_id,
            "pad_id": self.pad_id,
            "bos_id": self.bos_id,
            "tokenizer": {"model": "tokenizer.model", "sha256": self.tokenizer_sha256},
            "source": {"config_hash": self.source_config_hash},
            "domains": {
                name: {
                    "documents": d.documents,
                    "tokens": d.tokens,
                    "sequences": d.sequences,
                    "padding": d.padding,
                    "shards": d.shards,
                }
                for name, d in sorted(self.domains.items())
            },
        }
        return json.dumps(obj, indent=2, sort_keys=True) + "\n"


def read_token_manifest(tokens_dir: str | Path) -> TokenManifest:
    """Parse ``tokens_dir/manifest.json``; every problem names the file and the key."""
    tokens_dir = Path(tokens_dir)
    path = tokens_dir / MANIFEST_FILE
    if not tokens_dir.is_dir():
        raise ManifestError(f"{tokens_dir}: token directory not found (run python -m tokenization.encode)")
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path}: not found; {tokens_dir} is not a completed Stage 2 output "
            "(python -m tokenization.encode writes it last)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ManifestError(f"{path}: cannot read manifest: {err}") from None

    def need_int(mapping: dict, key: str, where: str) -> int:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ManifestError(f"{path}: {where}{key}: expected an integer, got {value!r}")
        return value

    if not isinstance(obj, dict):
        raise ManifestError(f"{path}: expected a JSON object")
    domains_obj = obj.get("domains")
    if not isinstance(domains_obj, dict):
        raise ManifestError(f"{path}: domains: expected an object of domain -> counts")
    domains = {
        name: DomainTokens(
            documents=need_int(d, "documents", f"domains.{name}."),
            tokens=need_int(d, "tokens", f"domains.{name}."),
            sequences=need_int(d, "sequences", f"domains.{name}."),
            padding=d.get("padding", 0),  # need_int above has checked that d is an object
            shards=d.get("shards", 0),
        )
        for name, d in domains_obj.items()
    }
    seq_len = need_int(obj, "seq_len", "")
    if seq_len <= 0:
        raise ManifestError(f"{path}: seq_len: must be positive, got {seq_len}")
    return TokenManifest(
        seq_len=seq_len,
        vocab_size=need_int(obj, "vocab_size", ""),
        eos_id=need_int(obj, "eos_id", ""),
        pad_id=need_int(obj, "pad_id", ""),
        bos_id=obj.get("bos_id", -1),
        tokenizer_sha256=(obj.get("tokenizer") or {}).get("sha256", ""),
        source_config_hash=(obj.get("source") or {}).get("config_hash", ""),
        version=obj.get("version", MANIFEST_VERSION),
        domains=domains,
    )
