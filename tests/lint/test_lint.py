"""The lint engine: suppressions, severities, selection, the fix loop (through the library)."""

from __future__ import annotations

import pytest

from tests.conftest import EXAMPLE_WIKI
from wikiflow import lint_page, lint_source, parse_page
from wikiflow.config import Config, config_from_mapping

RENUMBERED = ("=== Step 2: Model Quantization ===", "=== Step 4: Model Quantization ===")
#: The engine tests watch two rules, so findings of other rules do not blur them.
ONLY = Config(select=("WF303", "WF611"))


def bad_page(guide_page: str) -> str:
    return guide_page.replace(*RENUMBERED)


def codes(text: str, **kwargs) -> list[str]:
    kwargs.setdefault("config", ONLY)
    return [d.code for d in lint_page(text, **kwargs)]


def test_lint_page_reports_path_position_and_fix(guide_page: str) -> None:
    [diagnostic] = lint_page(bad_page(guide_page), path="p.wiki", config=ONLY)
    assert (diagnostic.path, diagnostic.code, diagnostic.span.line) == ("p.wiki", "WF303", 29)
    assert diagnostic.fixable and diagnostic.fix.title.startswith("Renumber")


def test_disable_next_line(guide_page: str) -> None:
    text = bad_page(guide_page).replace(
        RENUMBERED[1], "<!-- wikiflow-disable-next-line WF303 -->\n" + RENUMBERED[1])
    assert codes(text) == []


def test_disable_enable_range_by_name(guide_page: str) -> None:
    text = bad_page(guide_page).replace(
        RENUMBERED[1], "<!-- wikiflow-disable step-number-gap -->\n" + RENUMBERED[1] +
        "\n<!-- wikiflow-enable step-number-gap -->")
    assert codes(text) == []


def test_enable_ends_the_range(guide_page: str) -> None:
    text = "<!-- wikiflow-disable WF303 -->\n<!-- wikiflow-enable WF303 -->\n" + \
        bad_page(guide_page)
    assert "WF303" in codes(text)


def test_unused_suppression_is_reported_and_removable(guide_page: str) -> None:
    text = guide_page.replace("== Overview ==\n",
                              "== Overview ==\n<!-- wikiflow-disable-next-line WF303 -->\n")
    assert codes(text) == ["WF611"]
    result = lint_source(text, fix=True, unsafe=True, config=ONLY)
    assert result.source == guide_page


def test_suppression_for_other_code_does_not_hide(guide_page: str) -> None:
    text = bad_page(guide_page).replace(
        RENUMBERED[1], "<!-- wikiflow-disable-next-line WF502 -->\n" + RENUMBERED[1])
    assert sorted(codes(text)) == ["WF303", "WF611"]


def test_select_ignore_and_specificity(guide_page: str) -> None:
    text = bad_page(guide_page)  # WF303 (the numbers) and WF502 (Related Pages disagree)
    both = ("WF3", "WF5")
    assert codes(text, config=Config(select=("WF1",))) == []
    assert codes(text, config=Config(select=both)) == ["WF303", "WF502"]
    assert codes(text, config=Config(select=both, ignore=("WF3",))) == ["WF502"]
    assert codes(text, config=Config(select=both, ignore=("WF3",), extend_select=("WF303",))) \
        == ["WF303", "WF502"]
    assert codes(text, config=Config(select=both, ignore=("step-number-gap",))) == ["WF502"]


def test_per_file_ignores_and_severity(guide_page: str) -> None:
    config = config_from_mapping({"select": ["WF303"], "per-file-ignores": {"drafts/*": ["WF303"]},
                                  "severity": {"WF303": "info"}})
    assert codes(bad_page(guide_page), path="drafts/x.wiki", config=config) == []
    [diagnostic] = lint_page(bad_page(guide_page), path="x.wiki", config=config)
    assert diagnostic.severity.value == "info"


def test_fix_loop_converges_and_is_idempotent(guide_page: str) -> None:
    text = bad_page(guide_page).replace("* [[step::Principle:Quantization]] - Step 2\n", "")
    result = lint_source(text, fix=True)
    assert result.source == guide_page and result.diagnostics == [] and result.converged
    assert lint_source(result.source, fix=True).fixes_applied == 0


def test_crlf_and_non_utf8_input() -> None:
    assert lint_source(b"== Overview ==\r\nGoal.\r\n").newline == "\r\n"
    encoded = lint_source("== Overview ==\ncaf\u00e9\n".encode("latin-1"), path="l.wiki",
                          fix=True)
    assert encoded.fixes_applied == 0  # a page we cannot decode is never rewritten


def _selector_checks(pages: list[str], config: Config, monkeypatch) -> int:
    """How often a run over ``pages`` matched a rule against the selectors."""
    from wikiflow import config as config_module
    from wikiflow.lint import engine

    engine._active_rules.cache_clear()
    calls = []
    specificity = config_module._specificity
    monkeypatch.setattr(config_module, "_specificity",
                        lambda *args: calls.append(1) or specificity(*args))
    for page in pages:
        lint_page(page, path="workflows/A.mediawiki", config=config)
    return len(calls)


def test_the_rule_selection_is_worked_out_once_per_run(guide_page: str, monkeypatch) -> None:
    # Issue 18: every page rebuilt the list of enabled rules (63 Config.enabled calls a page).
    # Now only the unused-suppression check (two selector matches) is left per page.
    config = config_from_mapping({"select": ["ALL"], "ignore": ["WF5"],
                                  "per-file-ignores": {"workflows/*": ["WF301"]}})
    one = _selector_checks([guide_page], config, monkeypatch)
    eleven = _selector_checks([guide_page] * 11, config, monkeypatch)
    assert eleven - one <= 10 * 2


def test_a_fix_is_built_only_when_asked_for(guide_page: str, monkeypatch) -> None:
    # Issue 18: rules built (and re-parsed, to judge safety) their fix text on every lint.
    import pickle

    from wikiflow.lint.rules.related import related_pages_missing

    built = []
    render = related_pages_missing.render_related_pages
    monkeypatch.setattr(related_pages_missing, "render_related_pages",
                        lambda page: built.append(1) or render(page))
    found = lint_page(guide_page.split("== Related Pages ==")[0])
    assert built == []
    missing = next(d for d in found if d.code == "WF501")
    assert missing.fix is not None and "== Related Pages ==" in missing.fix.edits[0].content
    assert built == [1]
    assert pickle.loads(pickle.dumps(missing)) == missing  # lint --jobs sends it built


def test_a_lint_without_suppressions_leaves_line_positions_unfound(guide_page: str) -> None:
    # Issue 18: finding every diagnostic's line (for suppression comments the page does not
    # have) was about 7% of a lint_page; the line index stays lazy until a position is asked.
    found = lint_page(bad_page(guide_page))
    assert found and all(d.span.index._text is not None for d in found)
    assert [d.span.line for d in found] == [d.span.position[0] for d in found]


def test_the_steps_diagram_nodes_are_matched_once_per_page(guide_page: str,
                                                          monkeypatch) -> None:
    # Issue 18: WF404, WF405, WF407 and WF408 each matched the steps to the diagram's nodes
    # (difflib for the near misses), about a third of lint_page on the corpus.
    from wikiflow.lint.rules.diagram import (
        diagram_extra_node, diagram_step_missing, diagram_unreachable)

    calls = []
    match = diagram_step_missing.match_steps

    def counted(page):
        calls.append(page)
        return match(page)

    for module in (diagram_step_missing, diagram_extra_node, diagram_unreachable):
        monkeypatch.setattr(module, "match_steps", counted)
    text = guide_page.replace("B[Model Quantization]", "B[Model Quantisation]")
    found = lint_page(text)
    assert "WF404" in {d.code for d in found}  # the near miss is still found
    assert len(calls) == 1
    lint_page(text)
    assert len(calls) == 2  # once per page linted, not once per run


def test_the_diagrams_arrows_are_followed_once_per_page(guide_page: str, monkeypatch) -> None:
    # WF407 and WF408 each built the diagram's successor lists; one is built for both.
    from wikiflow.lint.rules.diagram import diagram_order, diagram_unreachable

    calls = []
    successors = diagram_unreachable.successors

    def counted(diagram):
        calls.append(diagram)
        return successors(diagram)

    for module in (diagram_unreachable, diagram_order):
        monkeypatch.setattr(module, "successors", counted, raising=False)
    swapped = guide_page.replace("A[Data Preparation] --> B[Model Quantization]",
                                 "B[Model Quantization] --> A[Data Preparation]")
    assert {"WF407", "WF408"} <= {d.code for d in lint_page(swapped)}
    assert len(calls) == 1


def test_a_malformed_step_heading_is_one_finding_at_the_heading_and_fixes_safely(
        guide_page: str) -> None:
    # A step heading at the wrong level, or without "Step N:", is one finding at that heading
    # (no unknown section, no numbering error further down), and the safe fix restores the page.
    clean = {(d.code, d.message) for d in lint_source(guide_page).diagnostics}
    heading = "=== Step 2: Model Quantization ==="
    line = guide_page[:guide_page.index(heading)].count("\n") + 1
    for written, code in (("== Step 2: Model Quantization ==", "WF104"),
                          ("=== Model Quantization ===", "WF310"),
                          ("===Model Quantization===", "WF310")):
        bad = guide_page.replace(heading, written)
        new = [d for d in lint_source(bad).diagnostics if (d.code, d.message) not in clean]
        assert [(d.code, d.span.line, d.fix is not None) for d in new] == [(code, line, True)]
        assert lint_source(bad, fix=True).source == guide_page


RAG = EXAMPLE_WIKI / "workflows" / "RAG_Pipeline.mediawiki"


@pytest.mark.parametrize(("label", "meant"), [
    ("Vectorize", "Vector Indexing"),  # no word in common: drawn where step 3 belongs
    ("Vector Indexng", "Vector Indexing"),  # misspelt
    ("Embedding Generation step", "Embedding Generation"),  # the name's words and more
])
def test_a_diagram_node_that_is_no_step_name_is_reported_at_the_node_with_a_near_miss(
        label: str, meant: str) -> None:
    text = RAG.read_text(encoding="utf-8")
    written = f"C[{meant}]" if meant == "Vector Indexing" else f"B[{meant}]"
    node = written[0] + f"[{label}]"
    bad = text.replace(written, node, 1)
    at = bad.index(node)
    found = [d for d in lint_source(bad).diagnostics if d.code.startswith("WF4")]
    assert [(d.code, d.span.start, d.span.end) for d in found] == [("WF404", at, at + len(node))]
    step = next(s for s in parse_page(text).steps if s.name == meant)
    assert f"did you mean '{meant}' (step {step.number})?" in found[0].message


def test_lint_source_gives_the_page_it_read(guide_page: str) -> None:
    """The site and the MCP server show a page's findings beside the page: they take the page
    the linter parsed instead of parsing it a second time."""
    broken = guide_page.replace("=== Step 2:", "=== Step 7:", 1)
    result = lint_source(broken, title="Workflow:Guide")
    assert result.diagnostics and result.page == parse_page(broken, "Workflow:Guide")
    skipped = lint_source(guide_page, path="principles/X.wiki")
    assert skipped.other_type and skipped.diagnostics == [] and skipped.page.steps


def recorded(monkeypatch, owner: object, name: str) -> list[tuple]:
    """The arguments of each call of ``owner.name`` from now on (each call still runs)."""
    calls: list[tuple] = []
    function = getattr(owner, name)

    def record(*args):
        calls.append(args)
        return function(*args)

    monkeypatch.setattr(owner, name, record)
    return calls


def test_the_related_pages_rewrite_is_worked_out_once_for_its_rules(guide_page: str,
                                                                   monkeypatch) -> None:
    # Issue 18: WF503 and WF504 (most corpus pages have both) each rendered Related Pages and
    # parsed both texts for the fix's safety; the rewrite is shared, each fix keeps its title,
    # and each equals the fix its rule built on its own before.
    from wikiflow.lint.rules.base import Context, Settings
    from wikiflow.lint.rules.related import related_pages_missing
    from wikiflow.page.spans import LineIndex

    text = guide_page.replace("=== Execution Steps ===\n", "").replace(
        "=== Tips and Tricks ===\n", "")
    found = {d.code: d for d in lint_page(text) if d.code in ("WF503", "WF504")}
    assert set(found) == {"WF503", "WF504"}
    page = parse_page(text)
    alone = {code: related_pages_missing.related_pages_fix(
        page, Context(text, LineIndex(text), Settings()), d.fix.title)
        for code, d in found.items()}
    rendered = recorded(monkeypatch, related_pages_missing, "render_related_pages")
    fixes = {d.code: d.fix for d in lint_page(text) if d.code in found}
    assert len(rendered) == 1
    assert fixes == alone
    assert fixes["WF503"].title != fixes["WF504"].title


def test_the_written_related_pages_are_read_once_for_their_fixes(guide_page: str,
                                                                 monkeypatch) -> None:
    # Issue 18: WF502's fix and WF503's both parse the Related Pages text as written, to see
    # that no annotation is dropped; the same text is parsed once.
    from wikiflow.lint.rules import fixes

    text = guide_page.replace("=== Execution Steps ===\n", "").replace(
        "Principle:Quantization]] - Step 2", "Principle:Quantization]] - Step 3")
    parsed = recorded(monkeypatch, fixes, "parse_text")
    getattr(fixes._annotations, "cache_clear", lambda: None)()  # nothing kept from before
    found = {d.code: d.fix for d in lint_page(text) if d.code in ("WF502", "WF503")}
    assert set(found) == {"WF502", "WF503"} and all(found.values())
    assert len(parsed) == len(set(parsed)) == 3  # the written text, and each fix's own


def _reaches_a_page(root: object) -> bool:
    """Whether a ``Page`` can be reached from ``root`` through objects and containers (not
    through functions' globals, modules or classes, which reach everything)."""
    import gc
    import types

    from wikiflow.page.model import Page

    skipped = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)
    seen: set[int] = set()
    todo = [root]
    while todo:
        item = todo.pop()
        if id(item) in seen or isinstance(item, skipped):
            continue
        if isinstance(item, Page):
            return True
        seen.add(id(item))
        todo.extend(gc.get_referents(item))
    return False


def test_a_lint_over_files_holds_no_page(guide_page: str, tmp_path) -> None:
    # Issue 18: a fix still to build holds its page and context, so `wikiflow lint --jobs 1`
    # held every page with one (most real pages: WF503) until its report built them all;
    # the fixes are built page by page, and are the ones lint_source gives.
    from wikiflow import lint_paths

    text = guide_page.replace("=== Execution Steps ===\n", "")
    (tmp_path / "Workflow_A.wiki").write_text(text, encoding="utf-8")
    [result] = lint_paths([str(tmp_path)], Config())
    assert "WF503" in {d.code for d in result.diagnostics}
    assert not _reaches_a_page(result)
    alone = lint_source(text, path=result.path, title="Workflow_A").diagnostics
    assert _reaches_a_page(alone)  # the check can see a page held by a fix still to build
    assert [d.to_data() for d in result.diagnostics] == [d.to_data() for d in alone]
