"""corpus.stats on one run: exact counts, examples behind every number (chosen by id hash, with
their deciding score and first lines), histograms with the recorded thresholds, duplicates,
hosts, languages, tokens, and damaged files named while the rest is still summarised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus.policy import build_filters, decide
from corpus.stats import build_report
from corpus.stats.__main__ import main
from formats.documents import DUPLICATE_EXACT, DUPLICATE_NEAR, Document
from formats.token_manifest import DomainTokens, TokenManifest, write_token_manifest
from tests.stats.stage1 import by_hash, clean_config, write_run

WC = "gopher_quality.word_count"
CONFIG = clean_config()


def _text(tag: str) -> str:
    return f"\n  Heading of {tag}\n\nFirst line of {tag}.\nSecond line of {tag}.\nThird line of {tag}.\nFourth line.\n"


def _doc(i: int, domain: str, url: str, scores: dict[str, float], lang: str = "en") -> Document:
    doc = Document(
        id=f"{domain[0]}{i:03d}",
        url=url,
        domain=domain,
        lang=lang,
        text=_text(f"{domain}-{i}"),
        scores=scores,
    )
    reason = decide(build_filters(CONFIG), scores, domain)
    return doc.drop(reason) if reason else doc


def corpus() -> list[Document]:
    """Web pages with word counts 30..88 (below 50 drop), a few German pages, books, copies of
    kept pages, and records dropped before any filter."""
    docs = [
        _doc(i, "web", f"https://news{i % 3}.example.com/{i}", {"language.en": 0.9, WC: 30.0 + 2 * i})
        for i in range(30)
    ]
    docs += [
        _doc(i, "web", f"https://zeitung.example.de/{i}", {"language.de": 0.99, WC: 300.0}, lang="de")
        for i in range(30, 34)
    ]
    docs += [
        _doc(i, "books", f"https://www.gutenberg.org/{i}", {"language.en": 0.95, WC: 900.0}) for i in range(8)
    ]
    kept_web = [d for d in docs if d.kept and d.domain == "web"]
    head, other = kept_web[0], kept_web[1]
    for k in range(3):
        docs.append(
            Document(id=f"x{k}", url=f"{head.url}?copy={k}", domain="web", lang="en", text=head.text).drop(
                DUPLICATE_EXACT, head.id
            )
        )
    docs.append(
        Document(id="n0", url=f"{other.url}?near", domain="web", lang="en", text=other.text + " more").drop(
            DUPLICATE_NEAR, other.id
        )
    )
    docs.append(Document(id="p0", url="https://files.example.com/a.pdf", domain="web").drop("not_html"))
    return docs


@pytest.fixture
def run(tmp_path) -> Path:
    write_run(tmp_path, corpus())
    return tmp_path


def test_counts_per_domain_and_reason_match_the_manifest_and_the_attributes(run):
    docs = corpus()
    report = build_report(str(run))
    assert not report["problems"]
    domains = {d["domain"]: d for d in report["domains"]}
    assert domains["web"]["kept"] == sum(d.kept and d.domain == "web" for d in docs) == 20
    assert domains["books"]["kept"] == 8 and domains["books"]["dropped"] == 0
    reasons = {r["reason"]: r["documents"] for r in report["reasons"]}
    assert reasons == {WC: 10, "language.language": 4, DUPLICATE_EXACT: 3, DUPLICATE_NEAR: 1, "not_html": 1}
    assert report["funnel"][0] == {"step": "records read", "documents": len(docs)}
    assert report["funnel"][-1] == {"step": "kept", "documents": sum(d.kept for d in docs)}
    lengths = sorted(len(d.text) for d in docs if d.kept and d.domain == "books")
    assert domains["books"]["median_chars"] == lengths[len(lengths) // 2]


def test_examples_per_reason_are_the_smallest_id_hashes_with_the_score_that_decided(run):
    docs = corpus()
    report = build_report(str(run))
    short = next(r for r in report["reasons"] if r["reason"] == WC)
    expected = by_hash([d.id for d in docs if d.drop_reason == WC])[:3]
    assert [e["id"] for e in short["examples"]] == expected
    wc = {d.id: d.scores.get(WC) for d in docs}
    for e in short["examples"]:
        assert e["decided_by"] == {"score": WC, "value": wc[e["id"]], "bound": "min", "threshold": 50}
        assert e["text"] is None  # this run kept no dropped text
    german = next(r for r in report["reasons"] if r["reason"] == "language.language")
    assert german["examples"][0]["decided_by"]["value"] == "-inf"  # top language not configured
    assert any("keep_dropped_text" in n for n in report["notes"])


def test_kept_examples_per_domain_show_their_first_lines_from_the_shards(run):
    docs = {d.id: d for d in corpus()}
    report = build_report(str(run))
    books = next(d for d in report["domains"] if d["domain"] == "books")
    kept = books["examples"]["kept"]
    assert [e["id"] for e in kept] == by_hash([i for i, d in docs.items() if d.domain == "books"])[:3]
    for e in kept:
        tag = f"books-{int(e['id'][1:])}"
        assert e["text"] == [f"Heading of {tag}", f"First line of {tag}.", f"Second line of {tag}."]
        assert e["chars"] == len(docs[e["id"]].text)
        assert e["decided_by"]["closest"] is True  # a kept page shows the rule it came closest to


def test_dropped_examples_have_their_text_when_the_run_kept_it(tmp_path):
    write_run(tmp_path, corpus(), dropped_text=True)
    report = build_report(str(tmp_path))
    short = next(r for r in report["reasons"] if r["reason"] == WC)
    for e in short["examples"]:
        assert e["text"][1] == f"First line of web-{int(e['id'][1:])}."
    assert not any("keep_dropped_text" in n for n in report["notes"])


def test_a_duplicate_example_names_the_document_kept_in_its_place(run):
    docs = corpus()
    report = build_report(str(run))
    exact = next(r for r in report["reasons"] if r["reason"] == DUPLICATE_EXACT)
    head = next(d for d in docs if d.id == "w010")  # the first kept web page: 30 + 2*10 = 50 words
    for e in exact["examples"]:
        assert e["decided_by"] == {"duplicate_of": head.id, "duplicate_of_url": head.url}


def test_near_threshold_examples_are_the_closest_kept_and_dropped_on_each_side(run):
    docs = corpus()
    report = build_report(str(run))
    hist = next(h for h in report["scores"] if h["score"] == WC)
    near = next(n for n in hist["near"] if n["bound"] == "min")
    assert near["value"] == 50
    kept = [d for d in docs if d.kept and WC in d.scores]
    inside = sorted(kept, key=lambda d: abs(d.scores[WC] - 50))  # 50, 52, 54 words: no ties
    assert [e["id"] for e in near["inside"]] == [d.id for d in inside[:3]]
    assert [e["decided_by"]["value"] for e in near["outside"]] == [48.0, 46.0, 44.0]
    assert all(e["outcome"] == WC for e in near["outside"])


def test_histograms_count_every_score_against_the_recorded_thresholds(tmp_path):
    config = clean_config(**{"gopher_quality.min_words": 60})
    docs = corpus()
    write_run(tmp_path, docs, config=config)
    hist = next(h for h in build_report(str(tmp_path))["scores"] if h["score"] == WC)
    assert {(t["bound"], t["value"]) for t in hist["thresholds"]} == {("min", 60.0), ("max", 100000.0)}
    values = [d.scores[WC] for d in docs if WC in d.scores]
    counted = sum(sum(c) for c in hist["counts"].values())
    assert counted == hist["documents"] == len(values)
    edges = hist["edges"]
    for side, want in (("kept", [d for d in docs if d.kept and WC in d.scores]),):
        for i in range(len(edges) - 1):
            last = i == len(edges) - 2
            n = sum(
                1
                for d in want
                if edges[i] <= min(max(d.scores[WC], edges[0]), edges[-1]) < edges[i + 1]
                or (last and min(max(d.scores[WC], edges[0]), edges[-1]) == edges[-1])
            )
            assert hist["counts"][side][i] == n


def test_duplicate_clusters_are_sized_by_the_kept_document(run):
    report = build_report(str(run))
    clusters = {d["reason"]: d for d in report["dedup"]}
    assert clusters[DUPLICATE_EXACT]["sizes"] == [{"size": 4, "clusters": 1}]
    assert clusters[DUPLICATE_EXACT]["largest"][0]["kept_id"] == "w010"
    assert clusters[DUPLICATE_EXACT]["largest"][0]["kept_url"] == "https://news1.example.com/10"
    assert clusters[DUPLICATE_NEAR]["copies"] == 1 and clusters[DUPLICATE_NEAR]["clusters"] == 1


def test_hosts_and_languages_split_kept_from_dropped(run):
    docs = corpus()
    report = build_report(str(run))
    dropped = {h["host"]: h for h in report["hosts"]["dropped"]}
    german = [d for d in docs if d.url.startswith("https://zeitung")]
    assert dropped["zeitung.example.de"]["dropped"] == len(german)
    assert dropped["zeitung.example.de"]["main_reason"] == "language.language"
    kept = {h["host"]: h["kept"] for h in report["hosts"]["kept"]}
    assert kept["www.gutenberg.org"] == 8
    langs = {r["lang"]: (r["kept"], r["dropped"]) for r in report["languages"]}
    assert langs["de"] == (0, 4) and langs["(none)"] == (0, 1)


def test_tokens_per_domain_and_sequence_fill_come_from_the_token_folder(run, tmp_path_factory):
    tokens = tmp_path_factory.mktemp("tokens")
    manifest = TokenManifest(
        seq_len=100,
        vocab_size=512,
        eos_id=1,
        pad_id=0,
        domains={
            "web": DomainTokens(documents=25, tokens=950, sequences=10, padding=50),
            "books": DomainTokens(documents=8, tokens=400, sequences=4, padding=0),
        },
    )
    write_token_manifest(str(tokens), manifest)
    (tokens / "web").mkdir()
    (tokens / "web" / "index.json").write_text("{}")
    report = build_report(str(run), str(tokens))
    rows = {d["domain"]: d for d in report["tokens"]["domains"]}
    assert rows["web"]["fill"] == 950 / 1000 and rows["web"]["tokens_per_document"] == 38
    assert report["tokens"]["fill"] == 1350 / 1400
    assert any("books/index.json: token shards missing" in p for p in report["problems"])


def test_a_missing_shard_is_named_and_the_rest_summarised(run, capsys):
    (run / "parquet/books/part-00000-of-00001.parquet").unlink()
    assert main(["--input", str(run), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert any("parquet/books/part-00000-of-00001.parquet: shard missing" in p for p in report["problems"])
    assert next(d for d in report["domains"] if d["domain"] == "web")["kept"] == 20


def test_a_short_shard_and_a_broken_attributes_file_are_named(run):
    shard = run / "parquet/web/part-00000-of-00001.parquet"
    table = pq.read_table(shard)
    pq.write_table(table.slice(0, 5), shard)
    attributes = run / "attributes/part-00000-of-00001.parquet"
    attributes.write_bytes(attributes.read_bytes()[:100])
    report = build_report(str(run))
    assert any(
        "parquet/web/part-00000-of-00001.parquet: partial shard: 5 documents, the manifest says 20" in p
        for p in report["problems"]
    )
    assert any(
        p.startswith("attributes/part-00000-of-00001.parquet: attributes file unreadable")
        for p in report["problems"]
    )
    assert report["funnel"][0]["documents"] == len(corpus())  # the manifest's counts still stand


def test_json_holds_what_the_html_shows(run, tmp_path_factory, capsys):
    html_path = tmp_path_factory.mktemp("report") / "stats.html"
    assert main(["--input", str(run), "--html", str(html_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    page = html_path.read_text()
    shown = [r["reason"] for r in report["reasons"]] + [h["host"] for h in report["hosts"]["kept"]]
    for group in (r["examples"] for r in report["reasons"]):
        shown += [e["id"] for e in group] + [e["url"] for e in group]
    for h in report["scores"]:
        for n in h["near"]:
            shown += [e["id"] for e in n["inside"] + n["outside"]]
    for d in report["domains"]:
        shown += [e["id"] for e in d["examples"]["kept"] + d["examples"]["dropped"]]
        shown.append(f"{d['kept']:,}")
    assert [s for s in shown if s not in page] == []
    assert page.count("class='chart histogram'") == sum(1 for h in report["scores"] if h["edges"])


def test_the_html_report_has_plots_and_needs_no_network(run):
    html_path = run / "report.html"
    assert main(["--input", str(run), "--html", str(html_path)]) == 0
    page = html_path.read_text()
    assert page.count("<svg") >= 3  # funnel, domains, one histogram per score
    assert "language.language" in page and WC in page
    assert not re.search(r"""(src|href)=["']?https?://""", page)
    assert "<script" not in page


def test_a_run_without_a_recorded_config_is_summarised_without_thresholds(run):
    manifest = json.loads((run / "manifest.json").read_text())
    manifest.pop("config")
    (run / "manifest.json").write_text(json.dumps(manifest))
    report = build_report(str(run))
    assert all(h["thresholds"] == [] for h in report["scores"])
    assert any("records no cleaning config" in n for n in report["notes"])
    assert report["reasons"][0]["examples"]  # examples are still shown


def test_a_folder_without_a_manifest_is_a_clear_error(tmp_path, capsys):
    assert main(["--input", str(tmp_path)]) == 2
    assert "manifest.json: not found" in capsys.readouterr().err


@pytest.mark.parametrize("bad", ["{not json", "[1, 2]"])
def test_a_broken_manifest_is_a_clear_error(tmp_path, capsys, bad):
    (tmp_path / "manifest.json").write_text(bad)
    assert main(["--input", str(tmp_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err
