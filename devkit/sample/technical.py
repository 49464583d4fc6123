"""Code and math pages: programming Q&A, project READMEs, math Q&A and paper excerpts.

Code is Python, SQL and shell written without curly braces and formulas are plain text with
Unicode symbols (no LaTeX braces), so the pages stay good under C4's curly-brace rule whether or
not a run exempts the code domain; real pages with braces are the extractors' problem, not the
ground truth's. Code blocks are a minority of each page's lines so FineWeb's short-line rule and
Gopher's alphabetic-word rule see mostly prose.
"""

from __future__ import annotations

import random
from string import Template

from devkit.sample import vocab
from devkit.sample.grammar import Deck, lines, pick, plural, words
from devkit.sample.text import Block, Doc, Writer, fill_to, make_handle, register_genre, sentence_case

# ----------------------------------------------------------------------------------------------
# Code

CODE_TOPIC = vocab.Topic(
    name="code",
    nouns=words(
        """list dictionary tuple string file path directory module package function method class
        decorator generator iterator exception traceback argument parameter variable loop index
        query table column row schema migration request response header endpoint session cookie
        token thread process queue worker cache buffer socket connection transaction cursor
        dataframe array matrix parser tokenizer regex pattern test fixture mock benchmark
        profiler logger handler config setting environment container image dependency wheel
        virtualenv interpreter compiler commit branch merge pull_request release tag
        timestamp timezone encoding byte"""
    ),
    adjs=words(
        """nested empty mutable immutable recursive asynchronous synchronous deprecated
        idiomatic thread-safe concurrent verbose slow fast brittle flaky readable reusable
        optional default global local temporary sorted duplicate missing invalid"""
    ),
    verbs=words(
        """parse sort filter group merge flatten serialise deserialise validate cache profile
        refactor import install configure debug log retry batch stream compress hash encode
        decode rename patch deploy"""
    ),
    places=words("production staging test_suite notebook terminal CI_pipeline container server laptop"),
    roles=words("maintainer contributor reviewer user beginner colleague"),
    subjects=words("merging_lists grouping_records parsing_dates retrying_requests reading_large_files"),
)

_RECORDS = words(
    "order invoice user reading sample event message ticket booking shipment sensor customer "
    "article station measurement transaction payment visit review"
)
_PACKAGE_SUFFIXES = words("tools check clean sync lint kit")
_FIELDS = words(
    "name email created_at price quantity status timestamp score size city region total label kind"
)

SNIPPETS = (
    """import csv

def load_${records}(path):
    with open(path, newline="", encoding="utf-8") as ${handle}:
        reader = csv.DictReader(${handle})
        return [${row} for ${row} in reader if ${row}["${field}"]]""",
    """from collections import defaultdict

def group_by_${field}(${records}):
    ${groups} = defaultdict(list)
    for ${record} in ${records}:
        ${groups}[${record}["${field}"]].append(${record})
    return ${groups}""",
    """import time
import requests

def fetch_${records}(url, attempts=${n}, delay=0.${n}):
    for attempt in range(attempts):
        try:
            response = requests.get(url, timeout=${n}0)
            response.raise_for_status()
            return response.json()
        except requests.RequestException:
            time.sleep(delay * 2 ** attempt)
    raise RuntimeError("could not fetch ${records} from " + url)""",
    """SELECT ${field}, COUNT(*) AS ${count_name}, SUM(total) AS ${sum_name}
FROM ${records}
WHERE created_at >= DATE '20${yy}-0${n}-01'
GROUP BY ${field}
ORDER BY ${sum_name} DESC
LIMIT ${n}0;""",
    """$$ python -m venv ${env}
$$ . ${env}/bin/activate
$$ pip install ${package}
$$ ${package} --input ${records}.csv --output ${outdir}/""",
    """from datetime import datetime, timezone

def parse_${field}(${value}):
    stamp = datetime.strptime(${value}, "${datefmt}")
    return stamp.replace(tzinfo=timezone.utc)""",
    """def ${chunked}(${records}, size=${n}00):
    ${batch} = []
    for ${record} in ${records}:
        ${batch}.append(${record})
        if len(${batch}) == size:
            yield ${batch}
            ${batch} = []
    if ${batch}:
        yield ${batch}""",
    """import pandas as pd

${frame} = pd.read_csv("${records}.csv", parse_dates=["created_at"])
${summary} = ${frame}.groupby("${field}")["total"].agg(["count", "mean"])
print(${summary}.sort_values("count", ascending=False).head(${n}))""",
    """class ${Record}Cache:
    def __init__(self, loader, max_size=${n}00):
        self.loader = loader
        self.max_size = max_size
        self.${groups} = dict()

    def get(self, key):
        if key not in self.${groups}:
            if len(self.${groups}) >= self.max_size:
                self.${groups}.pop(next(iter(self.${groups})))
            self.${groups}[key] = self.loader(key)
        return self.${groups}[key]""",
    """import pytest

@pytest.mark.parametrize("raw, expected", [("  ${record} ", "${record}"), ("", None)])
def test_clean_${field}_strips_${value}(raw, expected):
    assert clean_${field}(raw) == expected""",
    """import logging

log = logging.getLogger("${package}")

def ${verb}_${records}(${records}):
    for index, ${record} in enumerate(${records}):
        if ${record}.get("${field}") is None:
            log.warning("skipping ${record} %d without ${field}", index)
            continue
        ${verb}_one(${record})""",
    """import re

${pattern} = re.compile(r"^(?P<${field}>[a-z_]+)=(?P<${value}>.*)$$")

def parse_line(line):
    match = ${pattern}.match(line.strip())
    return (match["${field}"], match["${value}"]) if match else None""",
    """from pathlib import Path

def find_${records}(root, suffix=".${ext}"):
    ${found} = sorted(Path(root).rglob("*" + suffix))
    return [path for path in ${found} if path.stat().st_size > 0]""",
    """import json

def write_${records}(${records}, path):
    with open(path, "w", encoding="utf-8") as ${handle}:
        for ${record} in ${records}:
            ${handle}.write(json.dumps(${record}, sort_keys=True) + "\\n")""",
    """import sqlite3

${conn} = sqlite3.connect("${records}.db")
${conn}.execute("CREATE INDEX IF NOT EXISTS idx_${field} ON ${records} (${field})")
${rows} = ${conn}.execute("SELECT * FROM ${records} WHERE ${field} = ?", (${value},)).fetchall()""",
    """$$ git checkout -b fix-${field}-${verb}
$$ python -m pytest tests/test_${records}.py -x -q
$$ git commit -am "Fix ${verb} of ${records} without ${field}"
$$ git push origin fix-${field}-${verb}""",
    """from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers=${n}) as pool:
    ${results} = list(pool.map(${verb}_${record}, ${records}))
print(len(${results}), "${records} done")""",
    """import heapq

def top_${records}(${records}, k=${n}):
    return heapq.nlargest(k, ${records}, key=lambda ${record}: ${record}["${field}"])""",
)

QUESTION = lines(
    """
    I have a (list|file|table) of (about|roughly|around) {big} {records} and I (need|want) to {v} them by {field} (before|without) (writing|saving) them (back|out) to disk.
    My current (approach|solution|attempt) (uses|relies on) a {adj} loop, which (works|runs) but (takes|needs) (about|nearly) {digit} seconds (on|for) the (full|real) data.
    I (tried|also tried) (using|calling) the {n} (directly|on its own), but it (raises|throws|fails with) (a|an) {error} (when|whenever) the {n} is (empty|missing|not set).
    (Is there|What is) a (cleaner|more idiomatic|faster|simpler) way to (do this|handle this) in Python {pyver}?
    (The|My) {n} (comes|is read) from a (CSV export|JSON file|database query|web request), so (I cannot|I can't) (change|control) its (format|structure).
    (Here is|This is) a (minimal|small|cut-down) example (that reproduces|showing) the (problem|behaviour|error):
    (I have|I've) (read|looked at) the (documentation|docs) (for|about) the {n}, (but|and) (it is|it's) not clear (whether|if) it is {adj}.
    (What|The part that) (confuses|puzzles) me is that the (same|identical) code (works|runs fine) (in|on) my {place} but (fails|breaks) in {place}.
    (Ideally|If possible) I (would|'d) like to keep the (original|input) order of the {records}, (which|and that) rules out (a plain|the usual) {n}.
    (For context|Some background), this (runs|is part of) a (nightly|weekly|hourly) job that (loads|pulls) {records} (from|out of) (an API|a shared drive|an old database).
    (Edit|Update): the {records} (can|may) (contain|have) a {field} of None, (which|and that) is (probably|likely) (where|why) the {error} (comes from|is raised).
    (Performance|Speed) (matters|is important) (here|in this case) (because|since) the (same|whole) (step|function) (runs|is called) (for|on) every {record} (in|of) the (feed|export).
    (I am|I'm) (fairly|quite|relatively) new to Python, so (apologies|sorry) if (the answer|this) is obvious; (most|all) of my (experience|background) is with (spreadsheets|shell scripts|another language).
    (The|My) (expected|desired) output is one {n} per {field}, (with|holding) the {records} (sorted|ordered) by (date|timestamp|size).
    (Things|What) (I have|I've) (already|so far) (ruled out|checked): the (file|input) (encoding|format), the (version|build) of the {n}, and the {adj} {n} in my {place}.
    """
)

ANSWER = lines(
    """
    (The|Your) {error} (happens|comes|is raised) because the {n} is {adj} (by the time|when) you {v} it, so (the|your) {n} (never sees|does not get) the (value|data) you expect.
    You can (do this|avoid the loop|solve this) with a {adj} {n}: (build|create) it once, then {v} each {record} (into|by) its {field}.
    (Note|Keep in mind) that this (is|runs in) linear time, (whereas|while) (the|your) (original|nested) loop (is|was) quadratic in the number of {records}.
    (If you need|When your code needs) to {v} (very large|huge|millions of) {records}, (read|process) them in (batches|chunks) (instead of|rather than) loading everything at once.
    (I would|I'd) (also|additionally) (recommend|suggest) (adding|writing) a (small|short) test (for|around) the {adj} case, (since|because) (that|this) is where (these|such) bugs (usually|tend to) (hide|appear).
    (As|Like) (another|the other) answer (says|mentions|points out), the {n} (is|was) {adj} (in|since) Python {pyver}, so (prefer|use) the {n} (in new code|going forward).
    (In|From) my (experience|tests), the (second|first) version is about {digit} times faster (on|with) {big} {records}, (though|but) (it|the difference) (depends|will depend) on your data.
    (One|A) (caveat|warning): (this|the {n}) (will|does) not {v} {adj} {ns}, so (check|validate) (the|your) input (first|beforehand).
    (Personally|Myself), (I would|I'd) (reach for|use) the standard library (first|here): (it is|it's) (well tested|boring in a good way) and (your|the) {records} (are|look) small enough.
    (The|A) (cleaner|simpler) (fix|option) is to {v} the {n} (once|up front), (outside|before) the loop, and (pass|hand) it (in|down) (as|like) an argument.
    (Your|The) {n} (is|gets) (rebuilt|recreated|reopened) on every (iteration|call), which (explains|accounts for) (most|nearly all) of the (time|slowdown) you (see|measured).
    (If|When) (ordering|the order) (matters|is important), (sort|order) the {records} by {field} (first|beforehand); (grouping|merging) then (works|needs) (only|just) a single pass.
    (Do not|Don't) (catch|hide) the {error} (silently|and carry on); (log|record) the {record} that (caused|triggered) it (so|and) you can (fix|repair) the (data|source) later.
    (Also|Additionally), (check|make sure) that your {n} (closes|releases) the (file|connection|handle); a (with|context manager) block (does|handles) (this|that) for you.
    (This|That) (behaviour|change) (is|was) (documented|mentioned) in the (changelog|release notes) (for|of) Python {pyver}, (though|but) (it is|it's) (easy|very easy) to (miss|overlook).
    (For|With) {big} {records} (the|this) (difference|gap) (hardly|barely) matters; (at|with) (a few million|tens of millions) (it|the choice) (starts|begins) to (count|matter).
    """
)

README = lines(
    """
    (This|The) (project|library|tool) (is|was) (a|an) {adj} (toolkit|library|command-line tool) for (reading|cleaning|checking) {records} (exports|files|feeds) (and|before) (loading|writing) them (into|to) a database.
    (It|The package) (started|began) as a (weekend|side) project (to|for) {v} (our|the) {records} (at work|in a {place}) and (grew|has grown) from there.
    (Install|You can install) (it|the package) (with pip|from PyPI) (into|in) a (fresh|new) virtual environment; Python {pyver} or (newer|later) is (required|needed).
    (Every|Each) command (reads|takes) a {n} and (writes|produces) a {adj} {n}, so (steps|commands) can be (chained|combined) in a (shell|CI) pipeline.
    (Settings|Options) (live|are kept) in a (single|small) (YAML|TOML) file; (unknown|misspelt) keys are (rejected|reported) at start-up with the (name|line) of the key.
    (Contributions|Pull requests) are (welcome|very welcome): (please|kindly) (open|file) an issue (first|before starting) (for|if you plan) (large|bigger) changes.
    (Run|Please run) the test suite (before|prior to) (opening|sending) a pull request; (it|the suite) (takes|runs in) (about|under) a minute on a laptop.
    (The|This) project is (released|distributed) under the (MIT|Apache 2.0|BSD) licence; see the (licence|LICENSE) file for (details|the full text).
    (Output|Results) (are|is) (written|saved) (atomically|to a temporary file first), so (an interrupted|a failed|a cancelled) run never leaves a (half-written|partial|broken) {n} behind.
    (By default|Out of the box) the tool (reads|processes) {records} in (batches|chunks) of {big}, which (keeps|holds) memory (use|usage) (flat|low|steady) on (large|big) (exports|inputs).
    (Errors|Bad rows|Invalid {records}) are (reported|listed) with the (file|path) and line number (instead of|rather than) (stopping|aborting) the (whole|entire) run.
    (There is|We keep) a (small|short) (benchmark|timing script) in the repository (that|which) (compares|measures) (the|each) {n} (against|with) a (plain|naive) {adj} loop.
    (Version|Release) {num}.0 (dropped|removed) support for (old|older) Python releases and (renamed|reorganised) (several|a few) (options|commands); (see|read) the changelog (before|when) (upgrading|you upgrade).
    (The|Our) (roadmap|plan) for the next release (includes|covers) (better|clearer) error messages, (faster|parallel) {ving} and (support|an option) for (compressed|remote) (inputs|files).
    (Questions|Bug reports) (go|belong) (in|on) the issue tracker; (please|kindly) (include|attach) (a|the) (small|minimal) (example|input file) and the (full|complete) traceback.
    (Thanks|Many thanks) to (everyone who has|all the people who have) (reported|fixed) (bugs|issues) or (improved|written) the (documentation|docs) (over|during) the (years|past year).
    (The|A) (design|goal) (is|was) to (keep|make) (each|every) (command|step) (small|simple), (predictable|deterministic) and (easy|straightforward) to (test|script).
    """
)


def _snippet(rng: random.Random, deck: Deck) -> str:
    """A code block from a per-page deck, so no page repeats a snippet (FineWeb's duplicate lines)."""
    record = pick(rng, _RECORDS)
    mapping = {
        "record": record,
        "records": plural(record),
        "Record": record.capitalize(),
        "field": pick(rng, _FIELDS),
        "n": str(rng.randint(3, 9)),
        "yy": str(rng.randint(15, 24)),
        "package": f"{record}{pick(rng, _PACKAGE_SUFFIXES)}",
        "handle": pick(rng, ("handle", "fh", "stream", "source", "infile", "f")),
        "row": pick(rng, ("row", "item", "entry", "rec", "line")),
        "groups": pick(rng, ("groups", "buckets", "by_key", "index", "seen", "table")),
        "count_name": pick(rng, ("n", "cnt", "how_many", "num_rows")),
        "sum_name": pick(rng, ("revenue", "total_sum", "amount", "value")),
        "env": pick(rng, (".venv", "venv", "env", ".env-dev")),
        "outdir": pick(rng, ("out", "build", "results", "output", "data/clean")),
        "value": pick(rng, ("value", "text", "raw", "s", "token")),
        "datefmt": pick(rng, ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y%m%d")),
        "chunked": pick(rng, ("chunked", "batched", "in_batches", "take_chunks")),
        "batch": pick(rng, ("batch", "chunk", "bucket", "pending", "buf")),
        "frame": pick(rng, ("frame", "df", "data", "table")),
        "summary": pick(rng, ("summary", "stats", "report", "agg")),
        "verb": pick(rng, CODE_TOPIC.verbs),
        "pattern": pick(rng, ("PATTERN", "LINE_RE", "KEY_VALUE", "RULE")),
        "ext": pick(rng, ("csv", "json", "txt", "log", "parquet")),
        "found": pick(rng, ("found", "paths", "files", "candidates")),
        "conn": pick(rng, ("conn", "db", "connection", "con")),
        "rows": pick(rng, ("rows", "matches", "hits", "result")),
        "results": pick(rng, ("results", "done", "outputs", "fetched")),
    }
    return Template(deck.draw()).substitute(mapping)


def _code_writer(rng: random.Random) -> Writer:
    w = Writer(rng, CODE_TOPIC)
    record = pick(rng, _RECORDS)
    w.extra_slots.update(
        {
            "records": lambda: plural(record),
            "record": lambda: record,
            "field": lambda: pick(rng, _FIELDS),
            "error": lambda: pick(
                rng, ("KeyError", "TypeError", "ValueError", "IndexError", "AttributeError")
            ),
            "pyver": lambda: pick(rng, ("3.9", "3.10", "3.11", "3.12")),
        }
    )
    return w


@register_genre("qa", "code", words=(220, 950))
def qa(rng: random.Random, target_words: int) -> Doc:
    w = _code_writer(rng)
    question, answer, snippets = Deck(rng, QUESTION), Deck(rng, ANSWER), Deck(rng, SNIPPETS)
    title = sentence_case(
        w.phrase(
            pick(
                rng,
                (
                    "How (do I|can I|to) {v} a {adj} {n} of {records} by {field} in Python?",
                    "Why does (my|this) {n} raise {error} (when|if) the {n} is empty?",
                    "(Fastest|Cleanest|Best) way to {v} {records} (without|instead of) a {adj} loop",
                ),
            )
        )
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(question, 2, 4))]
    blocks.append(Block("pre", _snippet(rng, snippets)))
    blocks.append(Block("p", w.paragraph(question, 1, 2)))
    n_answer = [0]

    def an_answer() -> list[Block]:
        n_answer[0] += 1
        votes = rng.randint(0, 250) if n_answer[0] == 1 else rng.randint(0, 40)
        out = [
            Block("meta", f"Answer {n_answer[0]} by {make_handle(rng)}, score {votes}"),
            Block("p", w.paragraph(answer, 2, 4)),
        ]
        if rng.random() < 0.6:
            out.append(Block("pre", _snippet(rng, snippets)))
            out.append(Block("p", w.paragraph(answer, 1, 3)))
        return out

    fill_to(target_words, an_answer, blocks)
    return Doc(title, blocks, "qa", "code", byline=f"Asked by {make_handle(rng)}")


@register_genre("readme", "code", words=(220, 750))
def readme(rng: random.Random, target_words: int) -> Doc:
    w = _code_writer(rng)
    body, answer, snippets = Deck(rng, README), Deck(rng, ANSWER), Deck(rng, SNIPPETS)
    name = f"{w.slot('record')}-{pick(rng, _PACKAGE_SUFFIXES)}"
    blocks = [Block("h1", name), Block("p", w.paragraph(body, 2, 3))]
    sections = ["Installation", "Usage", "Configuration", "Performance", "Contributing", "Licence"]

    def section() -> list[Block]:
        head = sections.pop(0) if sections else sentence_case(w.phrase("(Notes on|About) the {n}"))
        out = [Block("h2", head), Block("p", w.paragraph(body if rng.random() < 0.6 else answer, 2, 4))]
        if head in ("Installation", "Usage") or rng.random() < 0.3:
            out.append(Block("pre", _snippet(rng, snippets)))
        return out

    fill_to(target_words, section, blocks)
    return Doc(name, blocks, "readme", "code", byline=make_handle(rng))


# ----------------------------------------------------------------------------------------------
# Math

MATH_TOPIC = vocab.Topic(
    name="math",
    nouns=words(
        """group subgroup ring ideal field vector_space subspace matrix eigenvalue eigenvector
        polynomial root sequence series integral derivative function set subset graph vertex
        edge prime divisor permutation random_variable distribution estimator norm metric
        topology sum product bound inequality lemma theorem corollary conjecture partition
        lattice operator kernel basis dimension interval"""
    ),
    adjs=words(
        """finite infinite compact continuous bounded convergent abelian cyclic normal invertible
        symmetric positive nonnegative irreducible monotone differentiable measurable countable
        dense connected linear quadratic orthogonal unique arbitrary sufficient"""
    ),
    verbs=words("prove show assume compute bound define construct estimate apply extend generalise verify"),
    places=words("textbook literature lecture_notes exercise_sheet exam"),
    roles=words("student referee author reader lecturer"),
    subjects=words("the_main_theorem"),
)

_VARS = words("x y z t n k m")


def formula(rng: random.Random) -> str:
    """A plain-text formula (Unicode operators, no braces), the way it reads on an HTML page."""
    a, b, c = rng.randint(2, 9), rng.randint(1, 9), rng.randint(1, 9)
    v = pick(rng, _VARS[:4])
    p = rng.randint(2, 5)
    m = pick(rng, (3, 4, 5, 7, 8, 11))
    forms = (
        f"f({v}) = {a}{v}^2 + {b}{v} + {c}",
        f"a_n = 1/(n^2 + {a})",
        f"|f(x) − f(y)| ≤ {a}|x − y|",
        f"n^{p} ≡ {b % m} (mod {m})",
        f"∫ x^{p} dx = x^{p + 1}/{p + 1} + C",
        "P(X ≥ t) ≤ E[X]/t",
        "det(A − λI) = 0",
        "∑ k = n(n + 1)/2",
        "(1 + 1/n)^n → e",
        f"gcd({a * b}, {a * c}) = {a}·gcd({b}, {c})",
        f"‖Ax‖ ≤ {a}‖x‖",
        f"x^2 − {a + b}x + {a * b} = (x − {a})(x − {b})",
        "∑ 1/k^2 = π^2/6",
        f"lim f(x)/g(x) = {a}",
        f"Var(X) = E[X^2] − E[X]^2 = {a}/{b + c}",
    )
    return pick(rng, forms)


MATH_BODY = lines(
    """
    Let {F} be a {adj} {n} and suppose that {formula} for every {var} in the {n}.
    (We|I) (want|need|would like) to {v} that the {n} is {adj}, (using|with) (only|nothing more than) the fact that {formula}.
    (It|This) (follows|is immediate) from the (previous|first|second) (lemma|step|claim) that {formula}, (and|so) the {n} (is|must be) {adj}.
    (Note|Observe|Notice) that {formula}; (in particular|hence|consequently), every {n} of the {n} is {adj}.
    (Suppose|Assume), (for|towards) a contradiction, that the {n} is not {adj}. Then {formula}, which is impossible.
    (The|This) (argument|proof|estimate) (works|goes through) (equally|just as) well when the {n} is {adj}, (provided|as long as) {formula}.
    (A|One) (standard|classical|useful) (trick|approach) is to (write|rewrite) the {n} as a {n} of {adj} {ns} and {v} each term (separately|on its own).
    (In|For) the (case|special case) {formula}, the (claim|statement|result) (reduces|is equivalent) to (a|the) (well-known|classical|familiar) {adj} {n}.
    (I|We) (tried|attempted) to {v} the {n} (by induction|directly|by contradiction), but the (step|case) {formula} (does not|doesn't) (seem to|appear to) (work|follow).
    (The|A) (key|crucial|main) (observation|point|idea) is that {formula} (implies|forces) the {n} to be {adj}.
    (Taking|Passing to) the limit (on both sides|as n grows), (we obtain|one obtains|we get) {formula}, (as required|which completes the proof|and we are done).
    (For|As) (example|an example), (take|consider) the {n} (with|where) {formula}; (here|then) the {n} is {adj} but not {adj}.
    (Most|Many) (textbooks|lecture notes|references) (state|give) this (result|lemma) (only|just) for {adj} {ns}, (but|although) the (proof|argument) (is the same|carries over unchanged).
    """
)


def _math_writer(rng: random.Random) -> Writer:
    w = Writer(rng, MATH_TOPIC)
    w.extra_slots.update(
        {
            "formula": lambda: formula(rng),
            "F": lambda: pick(rng, ("G", "R", "V", "A", "S", "f", "T", "H")),
            "var": lambda: pick(rng, _VARS),
        }
    )
    return w


@register_genre("math_qa", "math", words=(220, 950))
def math_qa(rng: random.Random, target_words: int) -> Doc:
    w = _math_writer(rng)
    body = Deck(rng, MATH_BODY)
    title = sentence_case(
        w.phrase(
            pick(
                rng,
                (
                    "(Proving|Showing) that a {adj} {n} is {adj}",
                    "Why is every {adj} {n} {adj}?",
                    "(Bound|Estimate) for the {n} of a {adj} {n}",
                ),
            )
        )
    )
    blocks = [Block("h1", title), Block("p", w.paragraph(body, 3, 5)), Block("p", w.paragraph(body, 2, 3))]
    n = [0]

    def an_answer() -> list[Block]:
        n[0] += 1
        return [
            Block("meta", f"Answer {n[0]} by {make_handle(rng)}, score {rng.randint(0, 90)}"),
            Block("p", w.paragraph(body, 3, 5)),
            Block("p", w.paragraph(body, 2, 4)),
        ]

    fill_to(target_words, an_answer, blocks)
    return Doc(title, blocks, "math_qa", "math", byline=f"Asked by {make_handle(rng)}")


PAPER = lines(
    """
    (In this paper|Here|In this note) we (study|consider|investigate) {adj} {ns} (of|in) {adj} {ns} and (prove|establish|show) that {formula}.
    (Our|The) main (result|theorem|contribution) (extends|generalises|sharpens) (an earlier|a classical|a recent) (bound|estimate|result) of {sur} (from|in) {year}.
    (The|Our) (proof|argument|method) (combines|uses) a {adj} (decomposition|counting argument|compactness argument) with (an|a) (explicit|careful|new) estimate for the {n}.
    (As|For) (an application|applications), we (obtain|derive|deduce) (new|improved|sharp) (bounds|estimates|results) for {adj} {ns}.
    Section {num} (recalls|collects|reviews) the (necessary|basic|standard) (background|definitions|facts) (on|about) {adj} {ns}.
    (We|Throughout, we) (write|denote) by {F} the {n} and (assume|suppose) (throughout|always|that) {formula}.
    (The|These) (question|problem) (of|concerning) (whether|how) {adj} {ns} (behave|grow) (goes back|dates back) to {sur} and has (attracted|received) (considerable|renewed|much) attention.
    (We|Finally we) (conclude|close) with (several|some|a few) open (questions|problems) and (a|one) conjecture about {adj} {ns}.
    """
)


@register_genre("paper", "math", words=(300, 1300))
def paper(rng: random.Random, target_words: int) -> Doc:
    w = _math_writer(rng)
    intro, body = Deck(rng, PAPER), Deck(rng, MATH_BODY)
    title = sentence_case(w.phrase("(On|Remarks on|A note on|Bounds for) {adj} {ns} (of|in) {adj} {ns}"))
    authors = ", ".join(w.people[:2])
    blocks = [
        Block("h1", title),
        Block("meta", authors),
        Block("h2", "Abstract"),
        Block("p", w.paragraph(intro, 4, 5)),
    ]
    sections = [
        "1. Introduction",
        "2. Preliminaries",
        "3. The main estimate",
        "4. Proof of the theorem",
        "5. Open problems",
    ]

    def section() -> list[Block]:
        head = (
            sections.pop(0)
            if sections
            else sentence_case(w.phrase("(Further remarks on|Examples of) {adj} {ns}"))
        )
        return [Block("h2", head), Block("p", w.paragraph(body if rng.random() < 0.6 else intro, 3, 5))]

    fill_to(target_words, section, blocks)
    return Doc(title, blocks, "paper", "math", byline=authors)
