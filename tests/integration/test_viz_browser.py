"""`influence viz` on a big, dense neighbourhood opens in headless Chromium in seconds and stays still.

The graph is built like the case that failed (`viz --user` on the Congress follow graph drew
11,417 relationships whose layout never settled): 150 accounts around one, each following
about half of the others. Driven like tests/test_report_browser.py (Playwright on the system
Chromium, never a downloaded browser).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver
from test_report_browser import FLAGS, _chromium

from influence import db
from influence.cli import cli

pytestmark = pytest.mark.integration

USERS = 150


def _dense_neighbourhood(driver: Driver) -> int:
    """150 users: u0 follows everyone, the others follow about half of the rest. Returns the FOLLOWS count."""
    users = [
        {"id": f"u{i}", "pagerank": float(USERS - i), "community": i % 4, "followers": 1000 * (USERS - i)}
        for i in range(USERS)
    ]
    follows = [
        {"a": f"u{i}", "b": f"u{j}"}
        for i in range(USERS)
        for j in range(USERS)
        if i != j and (i == 0 or (i * 7 + j * 3) % 2 == 0)
    ]
    db.write(
        driver,
        "UNWIND $rows AS r MERGE (u:User {id: r.id}) "
        "SET u.username = r.id, u.pagerank = r.pagerank, u.community = r.community, u.followers = r.followers",
        {"rows": users},
    )
    db.write(
        driver,
        "UNWIND $rows AS r MATCH (a:User {id: r.a}), (b:User {id: r.b}) MERGE (a)-[:FOLLOWS]->(b)",
        {"rows": follows},
    )
    return len(follows)


def test_dense_neighbourhood_opens_still_and_fast(
    clean_db: Driver, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    total = _dense_neighbourhood(clean_db)
    assert total > 10_000
    out = tmp_path / "around.html"
    result = CliRunner().invoke(
        cli, ["viz", "--user", "u0", "--max-edges", "600", "-o", str(out)], env=cli_env
    )
    assert result.exit_code == 0, result.output
    assert (
        f"150 users, 600 of {total:,} relationships drawn (the strongest; {total - 600:,} left out"
        in result.output
    )

    executable = _chromium()
    problems: list[str] = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=executable,
            headless=True,
            args=FLAGS,
            viewport={"width": 1300, "height": 950},
        )
        try:
            page = context.new_page()
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
            )
            started = time.monotonic()
            page.goto(out.as_uri(), wait_until="load")
            page.wait_for_selector("#mynetwork canvas", state="attached", timeout=30_000)
            page.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0")
            opened = time.monotonic() - started
            before = page.evaluate("JSON.stringify(network.getPositions())")
            page.wait_for_timeout(1500)
            after = page.evaluate("JSON.stringify(network.getPositions())")
            drawn = page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
            legend = page.locator("#influence-legend").inner_text()
            page.screenshot(path=str(tmp_path / "viz.png"))
        finally:
            context.close()

    assert not problems, problems
    assert opened < 10, f"the page took {opened:.1f} s to open"
    assert before == after, "the layout still moves after the page opened"
    assert drawn == [USERS, 600]
    assert (
        f"the strongest 600 of {total:,} relationships are drawn; {total - 600:,} weaker ones are left out"
        in legend
    )
    assert (tmp_path / "viz.png").stat().st_size > 10_000
