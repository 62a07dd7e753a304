"""The built site in a real Chromium: diagrams draw, hostile pages run no script, the graph
view and search work, nothing is loaded from the network. Screenshots go to the test's tmp
folder and, when $WIKIFLOW_SCREENSHOTS names a folder, are copied there for people to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.site.conftest import Tab, screenshot
from wikiflow.files.layout import page_for_path
from wikiflow.page.parse import parse_page
from wikiflow.site.paths import page_path

#: What any payload of the hostile wiki sets or logs if it runs.
PWNED = "window.pwned !== undefined"


def drawable(wiki: Path) -> list[tuple[str, int]]:
    """(site path, node count) of each Workflow of ``wiki`` whose diagram wikiflow reads
    without a problem (a diagram with a syntax error is the linter's to report)."""
    found = []
    for file in sorted((wiki / "workflows").glob("*.md")):
        page = parse_page(file.read_bytes())
        if page.diagram is not None and page.diagram.nodes and not page.diagram.problems:
            path = page_path(page_for_path(file.relative_to(wiki)).key)
            assert path is not None
            found.append((path, len(page.diagram.nodes)))
    return found


def drawn_nodes(tab: Tab) -> int:
    return tab.page.locator("pre.mermaid svg g.node").count()


def test_every_corpus_diagram_draws_with_its_nodes(corpus_site: Path, tab: Tab) -> None:
    checked = 0
    for wiki in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        for path, nodes in drawable(wiki):
            tab.open((corpus_site / wiki.name / "site" / path).as_uri(), diagrams=True)
            assert tab.page.evaluate("document.documentElement.dataset.diagrams") == "drawn", path
            assert drawn_nodes(tab) == nodes, path
            checked += 1
    assert checked > 10
    assert tab.console_errors == []
    assert tab.outside == []


def test_hostile_pages_run_no_script(hostile_site: Path, tab: Tab, tmp_path: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        tab.open(page.as_uri(), diagrams=page.name == "Hostile_Workflow.html")
        tab.page.mouse.move(300, 300)
        for node in tab.page.locator("pre.mermaid svg g.node").all():
            node.click()  # a click directive, had it survived, would run here
        assert not tab.page.evaluate(PWNED), page
    workflow = hostile_site / "workflows" / "Hostile_Workflow.html"
    tab.open(workflow.as_uri(), diagrams=True)
    assert drawn_nodes(tab) == 4  # drawn, with its HTML labels as text
    scripts = tab.page.eval_on_selector_all("script", "s => s.map(e => e.getAttribute('src'))")
    assert None not in scripts  # no inline script reached the page
    assert not any("pwned" in message for message in tab.console)
    assert tab.outside == []
    screenshot(tab, tmp_path, "hostile-workflow.png")


def test_workflow_page_links_its_diagram_nodes_to_step_sections(example_site: Path, tab: Tab,
                                                              tmp_path: Path) -> None:
    tab.open((example_site / "workflows" / "QLoRA_Fine_Tuning.html").as_uri(), diagrams=True)
    linked = tab.page.locator("pre.mermaid g.node.step-link")
    assert linked.count() >= 3
    linked.first.click()
    anchor = tab.page.evaluate("window.location.hash")
    assert anchor.startswith("#step-")
    assert tab.page.locator(anchor).count() == 1
    assert tab.console_errors == []
    screenshot(tab, tmp_path, "workflow.png")


def test_principle_page_lists_the_workflows_using_it(example_site: Path, tab: Tab,
                                                     tmp_path: Path) -> None:
    tab.open((example_site / "principles" / "Low_Rank_Adaptation.html").as_uri())
    used = tab.page.locator("section.used-by li").all_inner_texts()
    assert any("QLoRA" in item and "step" in item for item in used), used
    tab.page.wait_for_selector("canvas.graph[data-settled]")
    assert tab.console_errors == []
    screenshot(tab, tmp_path, "principle.png")


def test_graph_view_opens_a_page_on_click(example_site: Path, tab: Tab, tmp_path: Path) -> None:
    tab.open((example_site / "graph.html").as_uri())
    canvas = tab.page.wait_for_selector("canvas.graph.whole[data-settled]")
    assert canvas is not None
    screenshot(tab, tmp_path, "graph.png")
    # The page of the node the canvas draws nearest to its centre opens on a click there.
    target = tab.page.evaluate("""() => {
        const canvas = document.querySelector('canvas.graph.whole'), g = canvas.wikiflowGraph;
        const box = canvas.getBoundingClientRect();
        const mid = n => Math.hypot(g.dx + n.x * g.scale - box.width / 2,
                                    g.dy + n.y * g.scale - box.height / 2);
        const n = g.nodes.filter(n => n.h).sort((a, b) => mid(a) - mid(b))[0];
        return {x: box.left + g.dx + n.x * g.scale, y: box.top + g.dy + n.y * g.scale, h: n.h};
    }""")
    with tab.page.expect_navigation():
        tab.page.mouse.click(target["x"], target["y"])
    assert tab.page.url.endswith(target["h"].split("/")[-1])
    assert tab.console_errors == []


def test_search_box_finds_a_page_by_title_and_overview(example_site: Path, tab: Tab) -> None:
    tab.open((example_site / "index.html").as_uri())
    tab.page.fill("form.search input", "qlora")
    hits = tab.page.locator(".search-results li a")
    hits.first.wait_for()
    assert "QLoRA" in hits.first.inner_text()
    with tab.page.expect_navigation():
        hits.first.click()
    assert tab.page.url.endswith("QLoRA_Fine_Tuning.html")


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_pages_read_on_a_phone(example_site: Path, browser: object, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740},  # type: ignore[attr-defined]
                                  color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto((example_site / "workflows" / "RAG_Pipeline.html").as_uri())
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0  # nothing wider than the phone's screen
    finally:
        context.close()
