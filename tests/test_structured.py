"""Structured form: validation messages, JSON Schema, spec → page → spec."""

from __future__ import annotations

import json

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
    assert str(error.value).startswith("spec.yaml: ") and field in str(error.value)


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
