"""Write the tables of docs/benchmarks.md from the results files under bench/results/.

    python bench/report.py            # rewrite every marked section from bench/results/*.json
    python bench/report.py --check    # exit 1 if a marked section differs from its results file

A generated section sits between ``<!-- results:<id> -->`` and ``<!-- /results:<id> -->``;
everything between the two markers is replaced by the table of that id (see
`bench.harness.write_result`) and a line saying when, where and by which command it was
measured. Text outside the markers is prose and stays as written. A marker without a results
file, or a results table without a marker, is reported so neither goes stale unseen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
CLAIMS = ROOT / "bench" / "claims_before.json"
SECTION = re.compile(
    r"(<!-- results:(?P<id>[\w.-]+) -->\n)(?P<body>.*?)(<!-- /results:(?P=id) -->)", re.DOTALL
)


def render(table: dict, meta: dict) -> str:
    """One results table as Markdown, with its provenance line."""
    cols = table["columns"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in table["rows"]:
        if len(row) != len(cols):
            raise ValueError(f"table {table['id']}: row {row} has {len(row)} cells for {len(cols)} columns")
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    lines.append("")
    if table.get("note"):
        lines.append(table["note"])
        lines.append("")
    lines.append(
        f"<sub>`{meta['command']}` at {meta['commit']}, {meta['date']}, {meta['cpus']} CPUs, "
        f"load average {meta['load_avg_1m_end']} at the end.</sub>"
    )
    return "\n".join(lines) + "\n"


def load_tables(results: Path) -> tuple[dict[str, str], dict[str, dict]]:
    """Rendered tables by id, and the raw tables (for the claims)."""
    out: dict[str, str] = {}
    raw: dict[str, dict] = {}
    for path in sorted(results.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        for table in payload["tables"]:
            if table["id"] in out:
                raise ValueError(
                    f"{path.name}: table id {table['id']!r} also comes from another results file"
                )
            out[table["id"]] = render(table, payload["meta"])
            raw[table["id"]] = table
    return out, raw


def claims_table(claims: list[dict], raw: dict[str, dict]) -> str:
    """Each old claim beside the cell of the current results it became: the first row holding the
    claim's row label in any cell, its named column ("not measured" if absent)."""
    lines = ["| claim | before issue 16 | now | from |", "|---|---:|---:|---|"]
    for c in claims:
        now = "not measured"
        table = raw.get(c["table"])
        if table is not None:
            col = table["columns"].index(c["column"])
            row = next((r for r in table["rows"] if c["row"] in r), None)
            if row is not None:
                now = str(row[col])
        lines.append(f"| {c['claim']} | {c['before']} | {now} | `{c['table']}` |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 on a difference")
    ap.add_argument("--doc", type=Path, default=DOC)
    ap.add_argument("--results", type=Path, default=RESULTS)
    args = ap.parse_args(argv)

    tables, raw = load_tables(args.results)
    tables["claims"] = claims_table(json.loads(CLAIMS.read_text(encoding="utf-8")), raw)
    text = args.doc.read_text(encoding="utf-8")
    seen: set[str] = set()
    missing: list[str] = []

    def fill(m: re.Match) -> str:
        table_id = m.group("id")
        seen.add(table_id)
        if table_id not in tables:
            missing.append(table_id)
            return m.group(0)
        return m.group(1) + tables[table_id] + m.group(4)

    new = SECTION.sub(fill, text)
    for table_id in missing:
        print(f"no results for marked section {table_id!r} (run its bench)", file=sys.stderr)
    for table_id in sorted(set(tables) - seen - {"claims"}):
        print(f"results table {table_id!r} has no marked section in {args.doc.name}", file=sys.stderr)
    if args.check:
        if new != text:
            print(f"{args.doc.name} is out of date with {args.results.name}/: run python bench/report.py")
            return 1
        return 0
    if new != text:
        args.doc.write_text(new, encoding="utf-8")
        print(f"{args.doc.name}: {len(seen) - len(missing)} sections written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
