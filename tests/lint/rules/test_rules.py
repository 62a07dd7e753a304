"""Every registered rule, driven by the registry: docs, examples, fixes, and case files.

For each rule: its bad example (spliced into the clean reference page) raises its code, its good
example does not, fixing the bad example removes the code without adding any other finding, and a
second fix changes nothing. Case files in tests/lint/rules/cases/CODE.yml add named cases.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import DATA
from tests.lint.rules.splice import splice
from wikiflow.config import config_from_mapping
from wikiflow.lint.edits import Applicability
from wikiflow.lint.engine import lint_page, lint_source
from wikiflow.lint.rules import RULES

REFERENCE = (DATA / "guide_sample.wiki").read_text()
CASES = Path(__file__).resolve().parent / "cases"
IDS = [rule.code for rule in RULES]


ENCODING = re.compile(r"<!-- encoding: (\S+) -->\n")


def as_saved(text: str | bytes) -> str | bytes:
    """An example that starts with ``<!-- encoding: X -->`` is a file saved in encoding X."""
    if isinstance(text, bytes):  # a case file's page given as bytes (YAML !!binary)
        return text
    match = ENCODING.search(text)
    return text.encode(match.group(1)) if match else text


def codes(text: str, **kwargs) -> set[str]:
    return {d.code for d in lint_page(as_saved(text), **kwargs)}


def test_reference_page_is_clean() -> None:
    assert lint_page(REFERENCE) == []


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_bad_example_raises_the_rule(rule) -> None:
    assert rule.code in codes(splice(rule.doc().bad, REFERENCE))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_good_example_does_not(rule) -> None:
    assert rule.code not in codes(splice(rule.doc().good, REFERENCE))


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_fix_removes_the_finding_and_adds_none(rule) -> None:
    bad = splice(rule.doc().bad, REFERENCE)
    found = [d for d in lint_page(as_saved(bad)) if d.code == rule.code]
    if rule.fix is None:
        assert all(d.fix is None for d in found)
        return
    assert any(d.fix is not None and d.fix.applicability is rule.fix for d in found)
    unsafe = rule.fix is Applicability.UNSAFE
    before = codes(bad)
    fixed = lint_source(as_saved(bad), fix=True, unsafe=unsafe)
    after = {d.code for d in fixed.diagnostics}
    assert rule.code not in after
    assert after <= before, f"fix added {after - before}"
    again = lint_source(fixed.source, fix=True, unsafe=unsafe)
    assert again.source == fixed.source


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docs_have_every_section(rule) -> None:
    doc = rule.doc()
    assert doc.summary and doc.why and doc.fix_safety
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert doc.fix_safety.split(":")[0].lower() in ("safe", "unsafe", "no fix")
    expected = {None: "no fix", Applicability.SAFE: "safe", Applicability.UNSAFE: "unsafe"}
    assert doc.fix_safety.split(":")[0].lower() == expected[rule.fix]


def _cases() -> list[tuple[str, dict]]:
    result = []
    for path in sorted(CASES.glob("*.yml")):
        for case in yaml.safe_load(path.read_text()):
            result.append((f"{path.stem}:{case['name']}", case | {"code": path.stem}))
    return result


@pytest.mark.parametrize(("name", "case"), _cases(), ids=[c[0] for c in _cases()])
def test_case_file(name: str, case: dict) -> None:
    text = case["page"] if "page" in case else splice(case["fragment"], REFERENCE)
    config = config_from_mapping(case.get("config", {}))
    found = codes(text, config=config)
    if case.get("fails", True):
        assert case["code"] in found
    else:
        assert case["code"] not in found
    if "fixed" in case:
        result = lint_source(text, config=config, fix=True, unsafe=case.get("unsafe", False))
        assert result.source == case["fixed"]
