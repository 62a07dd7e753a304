"""The structured form of a page: YAML or JSON that people and agents write instead of wikitext.

Validated with pydantic, which also publishes the JSON Schema (``wikiflow schema``). A spec
becomes a complete :class:`~wikiflow.page.model.Page` (steps numbered, step links in the Principle
namespace, diagram and Related Pages derived from the steps) that ``render_page`` writes out.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import SpecError
from .mermaid import linear_diagram, parse_mermaid
from .model import HEURISTIC, PRINCIPLE, Domain, Heuristic, Page, Source, Step
from .names import title_error
from .parse import parse_date
from .render import DATE_FORMAT, related_steps_of

SCHEMA_ID = "https://wikiflow.dev/schema/workflow-page.json"



def page_title_error(name: str) -> str | None:
    """Why ``name`` cannot name a page of the structured form, or None: MediaWiki's title rules
    (``names.title_error``), and no ``:``, since these names are given without a namespace
    prefix (a ``Principle:`` written in would otherwise name a page ``Principle:Principle:X``)."""
    problem = title_error(name)
    if problem is None and ":" in name:
        problem = "it contains ':' (give it without a namespace prefix)"
    return problem


def _valid_title(name: str) -> str:
    problem = page_title_error(name)
    if problem is not None:
        raise ValueError(f"not a valid page name: {problem}")
    return name


#: A page name as MediaWiki accepts it, without a namespace prefix. The length and pattern are
#: for the published JSON Schema; the validator checks them (and more), saying why in words.
PageTitle = Annotated[str, AfterValidator(_valid_title), Field(json_schema_extra={
    "minLength": 1, "pattern": r"^[^#<>\[\]|{}:\n]+$"})]


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
    """Read a YAML or JSON spec; a ``SpecError`` gives each problem as ``NAME:LINE:COL: field:
    message``, the line and column of the value (or of the table missing a field)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = getattr(error, "problem", None) or error
        raise SpecError(f"{where}: not valid YAML or JSON: {problem}") from error
    finally:
        loader.dispose()
    try:
        return PageSpec.model_validate(data)
    except ValidationError as error:
        lines = [_describe(item, node, name) for item in error.errors()]
        raise SpecError("\n".join(lines) if len(lines) == 1 else
                        f"{name}: {len(lines)} problems in the page spec:\n" + "\n".join(lines)
                        ) from error


def _describe(item: Any, root: yaml.Node | None, name: str) -> str:
    """One validation error as ``NAME:LINE:COL: field.path: message``."""
    node = _node_at(root, item["loc"])
    where = f"{name}:{node.start_mark.line + 1}:{node.start_mark.column + 1}" if node else name
    field = ".".join(str(part) for part in item["loc"]) or "(top level)"
    return f"{where}: {field}: {_message(item)}"


def _message(item: Any) -> str:
    """pydantic's message, in words where it would quote a regular expression or say
    'Value error,'."""
    kind = item["type"]
    if kind == "value_error":
        return str(item["ctx"]["error"])
    if kind == "missing":
        return "required field missing"
    if kind == "string_pattern_mismatch" and isinstance(item["input"], str):
        pattern = item["ctx"]["pattern"]
        bad = next((char for char in item["input"] if not re.fullmatch(pattern, char)), None)
        if pattern.startswith("^[^") and bad is not None:
            return f"cannot contain {bad!r} (found in {item['input']!r})"
        return f"{item['input']!r} is not of the form {pattern!r}"
    return str(item["msg"])


def _node_at(node: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The YAML node at pydantic's ``loc``, or the deepest one on the way (a missing field is
    shown at the table that lacks it)."""
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value
                          if isinstance(key, yaml.ScalarNode) and key.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value):
            child = node.value[part]
        else:
            child = None
        if child is None:
            return node
        node = child
    return node


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
