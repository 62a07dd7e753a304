"""The structured form of a page: YAML or JSON that people and agents write instead of wikitext.

Validated with pydantic, which also publishes the JSON Schema (``wikiflow schema``). A spec
becomes a complete :class:`~wikiflow.model.Page` (steps numbered, step links in the Principle
namespace, diagram and Related Pages derived from the steps) that ``render_page`` writes out.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import SpecError
from .mermaid import linear_diagram, parse_mermaid
from .model import HEURISTIC, PRINCIPLE, Domain, Heuristic, Page, Source, Step
from .parse import parse_date
from .render import DATE_FORMAT, related_steps_of

SCHEMA_ID = "https://wikiflow.dev/schema/workflow-page.json"

#: A page name as MediaWiki accepts it, without a namespace prefix.
PageTitle = Annotated[str, Field(min_length=1, pattern=r"^[^#<>\[\]|{}:\n]+$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceSpec(_Spec):
    """A knowledge source: where the recipe comes from."""

    type: str = Field(min_length=1, pattern=r"^[^|\]\n]+$",
                      description="Repo (example scripts), Blog (tutorial) or Paper (methodology)")
    title: str = Field(min_length=1, pattern=r"^[^|\]\n]+$")
    url: str = Field(pattern=r"^https?://[^\s|\]]+$", description="Absolute http(s) URL")


class StepSpec(_Spec):
    """One step: its name, the Principle page it applies, and the workflow-specific context."""

    name: str = Field(min_length=1, pattern=r"^[^\n=]+$")
    principle: PageTitle = Field(description="Principle page name without 'Principle:'")
    body: str = Field(default="", description="Wikitext: specifics of this step here")


class PageSpec(_Spec):
    """A whole Workflow page (see the workflow page guide)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True,
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": SCHEMA_ID},
    )

    title: PageTitle
    sources: list[SourceSpec] = Field(min_length=1)
    domains: list[Annotated[str, Field(min_length=1, pattern=r"^[^\s|\]]+$")]] = Field(
        min_length=1, description="Tags such as LLMs, Fine_Tuning (no spaces)")
    last_updated: datetime = Field(
        description="UTC time; 'YYYY-MM-DD HH:MM GMT' or ISO 8601")
    overview: str = Field(min_length=1, description="One sentence: the goal")
    description: str = Field(min_length=1, description="The process: goal, scope, strategy")
    usage: str = Field(min_length=1, description="When to run this recipe")
    steps: list[StepSpec] = Field(min_length=1)
    heuristics: list[PageTitle] = Field(
        default_factory=list, description="Heuristic page names without 'Heuristic:'")
    diagram: str | None = Field(
        default=None, description="Mermaid flowchart text; generated from the steps if absent")

    @field_validator("last_updated", mode="before")
    @classmethod
    def _read_date(cls, value: Any) -> Any:
        if isinstance(value, str):
            parsed = parse_date(value)
            if parsed is None:
                raise ValueError("expected 'YYYY-MM-DD HH:MM GMT' or an ISO 8601 date")
            return parsed
        if isinstance(value, date) and not isinstance(value, datetime):
            return datetime.combine(value, time(), timezone.utc)
        return value

    @field_validator("last_updated")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def json_schema() -> dict[str, Any]:
    """The published JSON Schema of the structured form."""
    return PageSpec.model_json_schema()


def load_spec(text: str | bytes, name: str = "<spec>") -> PageSpec:
    """Read a YAML or JSON spec; a ``SpecError`` names the file and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SpecError(f"{name}: not valid YAML or JSON: {error}") from error
    try:
        return PageSpec.model_validate(data)
    except ValidationError as error:
        raise SpecError(f"{name}: {_describe(error)}") from error


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "(top level)"
        problems.append(f"{where}: {item['msg']}")
    return "; ".join(problems)


def page_from_spec(spec: PageSpec) -> Page:
    """A complete page: numbered steps, derived diagram and Related Pages."""
    steps = [Step(n, step.name, f"{PRINCIPLE}:{step.principle}", step.body)
             for n, step in enumerate(spec.steps, start=1)]
    diagram_text = spec.diagram if spec.diagram is not None else linear_diagram(
        [step.name for step in steps])
    page = Page(
        title=spec.title,
        sources=[Source(s.type, s.title, s.url) for s in spec.sources],
        domains=[Domain(name) for name in spec.domains],
        last_updated=spec.last_updated,
        last_updated_raw=spec.last_updated.strftime(DATE_FORMAT),
        overview=spec.overview,
        description=spec.description,
        usage=spec.usage,
        steps=steps,
        diagram=parse_mermaid(_diagram_source(diagram_text)),
        heuristics=[Heuristic(f"{HEURISTIC}:{name}") for name in spec.heuristics],
    )
    page.related_steps = related_steps_of(page)
    return page


def _diagram_source(text: str) -> str:
    """Diagram text as it sits in ``{{#mermaid:…}}``: ending with a newline before ``}}``."""
    return text if text.endswith("\n") else text + "\n"


def spec_from_page(page: Page) -> PageSpec:
    """The structured form of a parsed page (what does not fit the form is left out)."""
    data = {
        "title": page.title or "",
        "sources": [{"type": s.type, "title": s.title, "url": s.url} for s in page.sources],
        "domains": [d.name for d in page.domains],
        "last_updated": page.last_updated,
        "overview": page.overview,
        "description": page.description,
        "usage": page.usage,
        "steps": [{"name": s.name, "principle": s.principle or "", "body": s.body}
                  for s in page.steps],
        "heuristics": [h.name for h in page.heuristics],
        "diagram": page.diagram.source if page.diagram else None,
    }
    return PageSpec.model_validate(data)



def scaffold_spec(name: str) -> PageSpec:
    """A valid spec with placeholder text to replace (every section the guide requires)."""
    label = name.replace("_", " ")
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    steps = [
        {"name": "Data Preparation", "principle": "Data_Formatting",
         "body": "Describe what this step does in this workflow (inputs, settings, outputs)."},
        {"name": "Model Training", "principle": "Model_Training",
         "body": "Describe the specifics of training here (hyper-parameters, hardware)."},
        {"name": "Evaluation", "principle": "Model_Evaluation",
         "body": "Describe how the result is checked before it is used."},
    ]
    return PageSpec.model_validate({
        "title": name,
        "sources": [{"type": "Repo", "title": f"{label} example code",
                     "url": "https://github.com/example/repository"}],
        "domains": ["LLMs"],
        "last_updated": now,
        "overview": f"End-to-end process for {label} using the techniques below.",
        "description": "Explain the process: its goal (what is produced), its scope (from what "
                       "input to what output) and its strategy (the high-level approach).",
        "usage": "Execute this workflow when you have the input described here and need the "
                 "output it produces.",
        "steps": steps,
        "heuristics": ["Gradient_Checkpointing"],
    })
