"""mosaicml-streaming imports on this CPU torch build, also from several threads at once; the
ranks of a job on one node share one streaming scratch and leave each other's shared memory
alone while they read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from common.streaming import import_streaming

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import threading
from common.streaming import import_streaming
results = []
def first_import():
    results.append(hasattr(import_streaming(), "MDSWriter"))
threads = [threading.Thread(target=first_import) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(results)
"""


def test_first_imports_from_four_threads_all_get_the_whole_module():
    # a fresh interpreter: the first import is the one that races (Beam runs DoFns in threads)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[True, True, True, True]"


WRITER_SCRIPT = """
import sys
from common.streaming import import_streaming, mds_writer
with mds_writer()(out=sys.argv[1], columns={"n": "int", "text": "str"}) as w:
    for n in range(5):
        w.write({"n": n, "text": "x" * n})
heavy = sorted(m for m in ("transformers", "torchvision") if m in sys.modules)
streaming = import_streaming()
rows = [row["n"] for row in streaming.StreamingDataset(local=sys.argv[1], batch_size=1)]
print(heavy, rows, hasattr(streaming, "MDSWriter"))
"""


def test_the_mds_writer_alone_imports_no_datasets_and_the_whole_module_still_follows(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", WRITER_SCRIPT, str(tmp_path / "mds")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[] [0, 1, 2, 3, 4] True"


SCRATCH_SCRIPT = """
import json, sys, tempfile
from pathlib import Path
import torch.distributed as dist
dist.init_process_group("gloo")
from common.streaming import import_streaming, release_dataset_shared_memory, streaming_scratch
streaming = import_streaming()
out = Path(sys.argv[2])
rank = dist.get_rank()
with streaming_scratch() as scratch:
    dataset = streaming.StreamingDataset(local=sys.argv[1], batch_size=1)
    first = next(iter(dataset))["n"]
    segments = sorted(p.name for p in Path("/dev/shm").glob(f"{dataset._shm_prefix_int:06}_*"))
    if rank == 1:
        release_dataset_shared_memory(dataset)  # rank 1 is done with the data first
    dist.barrier()
    if rank == 0:  # rank 0 still reads: nothing of the dataset's may be gone
        still = sorted(p.name for p in Path("/dev/shm").glob(f"{dataset._shm_prefix_int:06}_*"))
        second = dataset[1]["n"]
        release_dataset_shared_memory(dataset)
    dist.barrier()
report = {"scratch": str(scratch), "tempdir": tempfile.gettempdir(), "first": int(first), "segments": segments}
if rank == 0:
    report.update(still=still, second=int(second))
(out / f"rank{rank}.json").write_text(json.dumps(report))
"""


def test_ranks_of_a_node_share_one_scratch_and_none_unlinks_what_another_still_reads(tmp_path: Path):
    streaming = import_streaming()
    data = tmp_path / "data"
    with streaming.MDSWriter(out=str(data), columns={"n": "int"}) as writer:
        for n in range(8):
            writer.write({"n": n})
    script = tmp_path / "scratch.py"
    script.write_text(SCRATCH_SCRIPT, encoding="utf-8")
    job_tmp = tmp_path / "tmp"
    job_tmp.mkdir()
    torchrun = Path(sys.executable).parent / "torchrun"
    done = subprocess.run(
        [str(torchrun), "--standalone", "--nproc_per_node=2", str(script), str(data), str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(job_tmp), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    rank0, rank1 = (json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1))
    # one scratch for the node (the barrier's file lock is in it), inside the job's temp dir
    assert rank0["scratch"] == rank1["scratch"]
    assert Path(rank0["scratch"]).parent == job_tmp
    assert rank0["tempdir"] == rank1["tempdir"] == str(job_tmp)  # restored on the way out
    assert rank0["segments"] and rank0["still"] == rank0["segments"]  # rank 1's release took nothing
    assert rank0["second"] == 1
    # the job is over: its scratch and its shared memory are gone
    assert not Path(rank0["scratch"]).exists()
    assert not [name for name in rank0["segments"] if (Path("/dev/shm") / name).exists()]
