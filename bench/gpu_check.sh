#!/usr/bin/env bash
# The GPU checks on one GPU, in under 10 minutes on an H100/H200, ending in one summary table:
#   flash-attn vs torch SDPA in bf16 (plain causal and varlen with document masking), a whole
#   model's forward and backward varlen vs masked SDPA, flash vs SDPA speed at 2,048 tokens,
#   two bf16 runs with the deterministic switches (bit for bit), and a 20-step run of the 1b
#   preset with its tokens/s per GPU and MFU (goal: 50%).
# Usage: bash bench/gpu_check.sh            (PY=path/to/python to use another interpreter)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
report=$(mktemp -t headwater-gpu-check-XXXXXX.jsonl)

"$PY" - <<'PYEOF' || exit 1
import torch
from train.model import flash_available
if not torch.cuda.is_available():
    raise SystemExit("gpu_check: no CUDA device visible to torch")
print(f"device: {torch.cuda.get_device_name()}, torch {torch.__version__}, CUDA {torch.version.cuda}, "
      f"flash-attn {'installed' if flash_available() else 'NOT installed (pip install -e .[gpu]): flash checks skip'}")
PYEOF

start=$(date +%s)
HEADWATER_GPU_REPORT="$report" timeout 570 "$PY" -m pytest tests/gpu -q -s -p no:cacheprovider -rs
status=$?
echo
echo "gpu_check: pytest exit status $status, $(( $(date +%s) - start )) s"
"$PY" - "$report" <<'PYEOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
def fmt(v):
    if isinstance(v, float):
        return f"{v:.1%}" if 0 < v < 1 and "mfu" in key else f"{v:,.4g}"
    return str(v)
print(f"{'check':<44} result")
print("-" * 100)
for row in rows:
    check = row.pop("check")
    parts = []
    for key, value in row.items():
        parts.append(f"{key}={fmt(value)}")
    print(f"{check:<44} {', '.join(parts)}")
if not rows:
    print("(no check reported: see the pytest output above)")
PYEOF
exit $status
