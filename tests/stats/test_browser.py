"""The report and the compare view as a person sees them: opened in headless Chromium (Debian's
``chromium``), every chart drawn on screen with the numbers of the report document, no console
error, loaded in under two seconds; a full-page screenshot of each is kept for a person to look
at (``out/screenshots/`` under the project, or ``$HEADWATER_SCREENSHOTS``)."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
import yaml
from PIL import Image

from corpus.policy import main as policy_main
from corpus.stats import svg
from corpus.stats.__main__ import main
from tests.stats.browser import Chromium, find_chromium
from tests.stats.stage1 import ROOT, clean_config, write_run
from tests.stats.test_report import corpus

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian package `chromium`; .ci/run installs it): "
    "the report cannot be opened in a browser here",
)
SCREENSHOTS = Path(os.environ.get("HEADWATER_SCREENSHOTS", ROOT / "out" / "screenshots"))
OPEN_MS = 2000

CHARTS = """Array.from(document.querySelectorAll('svg.chart')).map(s => {
  const box = s.getBoundingClientRect();
  const bars = Array.from(s.querySelectorAll('rect.bar'));
  return {kind: s.classList[1], title: s.getAttribute('aria-label'), width: box.width, height: box.height,
          total: bars.reduce((n, b) => n + Number(b.dataset.n), 0),
          drawn: bars.filter(b => b.getBoundingClientRect().height > 0).length};
})"""


@pytest.fixture(scope="module")
def browser():
    with Chromium(CHROMIUM) as b:
        yield b


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """The report and the compare view of a run and its re-decision: page and JSON document."""
    root = tmp_path_factory.mktemp("browser")
    a, b = root / "a", root / "b"
    write_run(a, corpus(), dropped_text=True)
    strict = root / "strict.yaml"
    strict.write_text(
        yaml.safe_dump(clean_config(**{"gopher_quality.min_words": 60}).model_dump(mode="json"))
    )
    assert policy_main(["--input", str(a), "--config", str(strict), "--output", str(b)]) == 0
    out = {}
    for name, argv in (("stats", ["--input", str(a)]), ("compare", ["--input", str(a), "--compare", str(b)])):
        page, doc = root / f"{name}.html", root / f"{name}.json"
        with doc.open("w") as f, contextlib.redirect_stdout(f):
            assert main([*argv, "--html", str(page), "--json"]) == 0
        out[name] = (page, json.loads(doc.read_text()))
    return out


def _colours(png: Path) -> set[tuple[int, int, int]]:
    image = Image.open(png).convert("RGB")
    return {c for _, c in image.getcolors(maxcolors=1 << 20)}


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_the_report_renders_its_charts_in_chromium_without_console_errors(browser, pages):
    page, report = pages["stats"]
    visit = browser.visit(page, {"charts": CHARTS}, screenshot=SCREENSHOTS / "stats.png")
    assert visit.errors == []
    assert visit.load_ms < OPEN_MS
    charts = visit.values["charts"]
    assert all(c["width"] > 100 and c["height"] > 0 for c in charts)
    funnel = next(c for c in charts if c["kind"] == "hbars")
    assert funnel["total"] == sum(s["documents"] for s in report["funnel"])
    histograms = {c["title"]: c for c in charts if c["kind"] == "histogram"}
    drawn = [h for h in report["scores"] if h["edges"]]
    assert len(histograms) == len(drawn)
    for h in drawn:  # every value of every score is in its chart's bars
        assert histograms[h["score"]]["total"] == h["documents"]
        assert histograms[h["score"]]["drawn"] == sum(1 for side in h["counts"].values() for n in side if n)
    colours = _colours(visit.screenshot)
    assert {_rgb(svg.KEPT), _rgb(svg.DROPPED), _rgb(svg.READ)} <= colours
    assert Image.open(visit.screenshot).size[0] == 1280


def test_the_compare_view_renders_both_funnels_in_chromium_without_console_errors(browser, pages):
    page, cmp = pages["compare"]
    visit = browser.visit(page, {"charts": CHARTS}, screenshot=SCREENSHOTS / "compare.png")
    assert visit.errors == []
    assert visit.load_ms < OPEN_MS
    charts = visit.values["charts"]
    funnels = [c for c in charts if c["kind"] == "hbars"]
    assert len(funnels) == 2 and all(c["drawn"] > 0 for c in funnels)
    assert [f["total"] for f in funnels] == [sum(s["documents"] for s in cmp[r]["funnel"]) for r in "ab"]
    assert {_rgb(svg.KEPT), _rgb(svg.OTHER_RUN)} <= _colours(visit.screenshot)


def test_a_console_error_would_be_caught(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><html><body><script>undefinedFunction()</script></body></html>")
    visit = browser.visit(page, {})
    assert [e["level"] for e in visit.errors] == ["exception"]
