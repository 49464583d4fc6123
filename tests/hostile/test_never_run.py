"""What must never run on data we read: pickled code from a checkpoint, YAML tags that build
objects, a shell command line, a file name made from a URL or a document's text.

Checked on the library's syntax trees (not by importing it), so a new call of the kind fails here
with its file and line. Where the library needs one that cannot yet be made safe, it is listed in
``KNOWN`` with why; the list must match exactly, so fixing one fails here too until it is removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ["common", "formats", "corpus", "pipelines", "tokenization", "mixer", "train"]

KNOWN: set[tuple[str, str]] = set()
"""(file, finding) pairs accepted with a reason; none today."""


def _files() -> list[Path]:
    return sorted(p for pkg in LIBRARY for p in (ROOT / pkg).rglob("*.py"))


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _problems(call: ast.Call) -> list[str]:
    name = _dotted(call.func)
    found = []
    if name == "torch.load" and not _is_true(_keyword(call, "weights_only")):
        found.append("torch.load without weights_only=True")
    if name in ("pickle.load", "pickle.loads", "dill.load", "cloudpickle.load"):
        found.append(f"{name} of data")
    if name in ("yaml.unsafe_load", "yaml.full_load", "yaml.load_all"):
        found.append(name)
    if name == "yaml.load":
        loader = _keyword(call, "Loader") or (call.args[1] if len(call.args) > 1 else None)
        if loader is None or "Safe" not in _dotted(loader):
            found.append("yaml.load without a safe loader")
    if name in ("eval", "exec", "os.system", "os.popen", "commands.getoutput"):
        found.append(name)
    if name.startswith("subprocess.") and _is_true(_keyword(call, "shell")):
        found.append(f"{name} with shell=True")
    return found


def _offenders() -> dict[tuple[str, str], list[int]]:
    out: dict[tuple[str, str], list[int]] = {}
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for problem in _problems(node):
                    out.setdefault((path.relative_to(ROOT).as_posix(), problem), []).append(node.lineno)
    return out


def test_nothing_unsafe_runs_on_data_beyond_the_known_list():
    found = _offenders()
    assert set(found) == KNOWN, {
        k: v for k, v in found.items() if k not in KNOWN
    } or f"fixed: {KNOWN - set(found)}"


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("torch.load(f)", "torch.load without weights_only=True"),
        ("torch.load(f, weights_only=False)", "torch.load without weights_only=True"),
        ("yaml.load(text)", "yaml.load without a safe loader"),
        ("yaml.load(text, Loader=yaml.FullLoader)", "yaml.load without a safe loader"),
        ("subprocess.run(cmd, shell=True)", "subprocess.run with shell=True"),
        ("pickle.loads(blob)", "pickle.loads of data"),
        ("eval(expr)", "eval"),
    ],
)
def test_the_audit_sees_each_kind_of_unsafe_call(source, problem):
    (call,) = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert _problems(call) == [problem]


@pytest.mark.parametrize(
    "source",
    [
        "torch.load(f, weights_only=True)",
        "yaml.load(t, Loader=yaml.CSafeLoader)",
        "yaml.safe_load(t)",
        "model.eval()",
    ],
)
def test_the_audit_passes_the_safe_forms(source):
    (call,) = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call)]
    assert _problems(call) == []


def test_output_file_names_never_come_from_a_url_or_text(tmp_path):
    """The only per-input file name, the resumable work file, is a digest of the input's path, so
    a crafted path or URL cannot climb out of the output folder or collide with another."""
    from pipelines.transforms import work_file

    out = str(tmp_path)
    hostile = ["https://x.example/../../etc/passwd", "s3://b/a b/..%2f..%2f/€.warc.gz", "/" * 300]
    paths = [work_file(out, source) for source in hostile]
    assert len(set(paths)) == len(paths)
    for p in paths:
        name = p.removeprefix(f"{out}/_work/docs/")
        assert name.removesuffix(".parquet").isalnum() and "/" not in name
