"""Structured form: validation messages, JSON Schema, spec → page → spec."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from wikiflow import (
    json_schema,
    load_spec,
    page_from_spec,
    parse_page,
    render_page,
    spec_from_page,
)
from wikiflow.errors import SpecError

SPEC = """\
title: LoRA_Fine_Tuning
sources:
  - {type: Repo, title: PEFT, url: "https://github.com/huggingface/peft"}
domains: [LLMs, Fine_Tuning]
last_updated: 2026-03-01 10:00 GMT
overview: End-to-end process for LoRA fine-tuning.
description: Trains low-rank adapters.
usage: When memory is short.
steps:
  - {name: Data Preparation, principle: Data_Formatting, body: Format the data.}
  - {name: Adapter Training, principle: Low_Rank_Adaptation}
heuristics: [Gradient_Checkpointing]
"""


def test_spec_renders_a_complete_canonical_page() -> None:
    text = render_page(page_from_spec(load_spec(SPEC)))
    page = parse_page(text, "LoRA_Fine_Tuning")
    assert page.problems == []
    assert [(s.number, s.principle) for s in page.steps] == [
        (1, "Data_Formatting"), (2, "Low_Rank_Adaptation")]
    assert [(r.principle, r.step) for r in page.related_steps] == [
        ("Data_Formatting", 1), ("Low_Rank_Adaptation", 2)]
    assert [n.label for n in page.diagram.nodes] == ["Data Preparation", "Adapter Training"]
    assert "[[last_updated::2026-03-01 10:00 GMT]]" in text
    assert render_page(page) == text


def test_page_to_spec_round_trip() -> None:
    spec = load_spec(SPEC)
    page = parse_page(render_page(page_from_spec(spec)), spec.title)
    again = spec_from_page(page)
    assert again.model_dump(exclude={"diagram"}) == spec.model_dump(exclude={"diagram"})


@pytest.mark.parametrize(("change", "field"), [
    ({"steps": []}, "steps"),
    ({"sources": [{"type": "Repo", "title": "X", "url": "github.com/x"}]}, "sources.0.url"),
    ({"domains": ["Has Space"]}, "domains.0"),
    ({"last_updated": "last week"}, "last_updated"),
    ({"unknown": 1}, "unknown"),
])
def test_invalid_specs_name_the_field(change: dict, field: str) -> None:
    data = yaml.safe_load(SPEC) | change
    with pytest.raises(SpecError) as error:
        load_spec(yaml.safe_dump(data), "spec.yaml")
    assert re.match(rf"spec\.yaml:\d+:\d+: {re.escape(field)}: ", str(error.value))


def test_each_problem_is_given_at_its_yaml_line_and_column() -> None:
    text = SPEC.replace("domains: [LLMs, Fine_Tuning]", "domains: [LLMs, Fine Tuning]").replace(
        "  - {name: Adapter Training, principle: Low_Rank_Adaptation}",
        "  - {name: Adapter Training, principle: 'Principle:Low_Rank_Adaptation'}")
    text = text.replace("usage: When memory is short.\n", "")
    lines = text.splitlines()
    with pytest.raises(SpecError) as error:
        load_spec(text, "spec.yaml")
    reported = str(error.value).splitlines()
    assert reported[0] == "spec.yaml: 3 problems in the page spec:"
    where = {line.split(": ")[1]: line.split(": ")[0] for line in reported[1:]}
    domains_line = next(n for n, line in enumerate(lines, 1) if line.startswith("domains:"))
    assert where["domains.1"] == f"spec.yaml:{domains_line}:{lines[domains_line - 1].index('Fine') + 1}"
    step_line = next(n for n, line in enumerate(lines, 1) if "Adapter Training" in line)
    assert where["steps.1.principle"].startswith(f"spec.yaml:{step_line}:")
    assert where["usage"] == "spec.yaml:1:1"  # a missing field: the table that lacks it
    assert "cannot contain ' '" in str(error.value) and "pattern" not in str(error.value)


def test_json_specs_and_yaml_syntax_errors_are_positioned() -> None:
    with pytest.raises(SpecError, match=r"^spec\.json:2:12: title: not a valid page name: "
                                        r"it contains '\|'"):
        load_spec(json.dumps(yaml.safe_load(SPEC) | {"title": "A|B"}, indent=2), "spec.json")
    with pytest.raises(SpecError, match=r"^bad\.yaml:2:6: not valid YAML"):
        load_spec("title: x\n  bad: [\n", "bad.yaml")


@pytest.mark.parametrize("title", ["", "  ", "A:B", "A[B", "A#B", "A{B}", "A<B>", "A|B", "~~~"])
def test_invalid_titles_say_why_in_words(title: str) -> None:
    data = yaml.safe_load(SPEC) | {"title": title}
    with pytest.raises(SpecError, match=r"title: not a valid page name: it "):
        load_spec(yaml.safe_dump(data), "spec.yaml")


def test_schema_is_valid_and_accepts_the_example() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(json.dumps(yaml.safe_load(SPEC), default=str))
    jsonschema.validate(data, schema)
    bad = dict(data, steps=[])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_not_yaml_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="not valid YAML"):
        load_spec("title: [unclosed", "bad.yaml")
