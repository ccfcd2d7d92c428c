"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) opens it from file://.

Driven through Playwright with ``executable_path`` set to the system Chromium: Playwright never
downloads a browser of its own here. The page must show every section, every image must have
loaded (``naturalWidth > 0``), and the browser must log no console error, no page error and no
failed request (a missing asset or a CDN script would show up as one of those).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from neo4j import Driver

import report_graph
from influence.report import html
from influence.report.html import build_report

pytestmark = pytest.mark.integration

CHROMIUM = os.environ.get("INFLUENCE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing; .ci/run installs Debian's chromium package")
        pytest.skip("no chromium here (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def report(clean_db: Driver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A full report (every section, model card and scored drafts) of the small test graph."""
    # the small graph has 2 viral posts: below the emotions section's floor of 20 (tested in
    # test_report_safety); lowered here so that every section shows its data in the browser
    monkeypatch.setattr(html, "MIN_EMOTION_GROUP", 1)
    report_graph.load(clean_db, tmp_path)
    model = report_graph.trained_model(tmp_path / "model")
    preds = report_graph.predictions_file(tmp_path / "scored.json")
    drafts = report_graph.drafts_file(tmp_path / "drafts.csv")
    return build_report(
        clean_db, tmp_path / "report", top=10, model_dir=model, predictions=preds, drafts=drafts
    ).path


def test_report_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    problems: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            headless=True,
            args=FLAGS,
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(report.as_uri(), wait_until="load")
            page.wait_for_load_state("networkidle")

            for sid, title in html.SECTIONS.items():
                section = page.locator(f"section#{sid}")
                assert section.count() == 1, f"section {sid} missing"
                assert section.locator("h2").inner_text() == title
                assert section.is_visible()
            assert page.locator("[data-note]").count() == 0, "every section has its data"

            images: list[dict[str, Any]] = page.eval_on_selector_all(
                "img",
                "els => els.map(e => ({src: e.getAttribute('src'), w: e.naturalWidth, done: e.complete}))",
            )
            assert (
                len(images) == 10
            )  # 6 charts (incl. the audience overlap heat map) + 4 model-card plots (ROC, PR,
            # importance and the reliability curve on held-out authors)
            broken = [i for i in images if not (i["done"] and i["w"] > 0)]
            assert not broken, f"images that did not load: {broken}"

            # scraped text is shown as text: the hostile caption is visible, and no script ran or exists
            assert page.locator("script").count() == 0
            assert "<img src=x onerror=alert(1)>" in page.locator("section#viral").inner_text()
            assert page.locator("#influencers-table tbody tr").first.inner_text().startswith("1\t@x<script>")
            assert page.locator("#predictions-table tr.unsafe").count() == 1
            assert page.locator("a[data-network]").get_attribute("href") == "network.html"

            # every table fits its card (the drafts table with a long caption overflowed before)
            overflowing: list[str] = page.eval_on_selector_all(
                "section table",
                """els => els.filter(t => {
                     const card = t.closest('section').getBoundingClientRect();
                     const box = t.getBoundingClientRect();
                     return box.right > card.right + 0.5 || t.scrollWidth > t.clientWidth + 1;
                   }).map(t => t.id || t.className)""",
            )
            assert not overflowing, f"tables wider than their card: {overflowing}"
            caption = page.locator("#predictions-table tr.unsafe .caption").first
            assert caption.get_attribute("title") == report_graph.LONG_CAPTION  # the full text on hover
            assert caption.evaluate("e => e.getBoundingClientRect().height") < 120  # cut to a few lines
            assert "very negative tone" in page.locator("#predictions-table").inner_text()

            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)

            # the interactive network page (analytics' viz) opens offline too and draws its canvas
            page.goto(report.parent.joinpath("network.html").as_uri(), wait_until="load")
            page.wait_for_selector("#mynetwork canvas", state="attached", timeout=30_000)
            assert "Most influential accounts" in page.locator("#influence-legend").inner_text()
        finally:
            context.close()

    assert not problems, problems
    assert all(u.startswith("file://") or u.startswith("data:") for u in requests), requests
    assert (tmp_path / "report.png").stat().st_size > 10_000
