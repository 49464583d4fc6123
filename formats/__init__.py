"""The contracts between stages, as code: what one stage writes and the next one reads.

- `documents`: `RawRecord`, `Document`, the drop reasons, and the Arrow schema of document
  tables, derived from `Document` once;
- `clean_manifest`: Stage 1's ``manifest.json``, as a typed model;
- `token_manifest`: Stage 2's ``manifest.json``, as a typed model;
- `token_shards`: the columns of a packed token sample;
- `domains`: the domains a corpus is split into.

docs/formats.md describes the same layouts for people; a reader or writer that bypasses these
models is a second definition of the contract. Every stage may import this package; it imports
only `common`.
"""
