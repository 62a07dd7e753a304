from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from ....page.mermaid import linear_diagram
from ....page.model import Diagram, DiagramNode, Page, Severity, Step
from ....page.names import fold_label
from ....page.render import step_title
from ..base import Context, Diagnostic, Rule

_WORDS = re.compile(r"[^\W_]+")


class StepNode(NamedTuple):
    """A step and the diagram node that stands for it; ``exact`` when the label is the step's
    name (or its ``Step N: Name`` title), false for a near label (``Configure LoRA`` for
    ``Configure LoRA Adapter``), None node when there is neither."""

    step: Step
    node: DiagramNode | None
    exact: bool


def readable(diagram: Diagram | None) -> bool:
    """A flowchart whose nodes were read (another diagram type is WF410's)."""
    return diagram is not None and not any(
        problem.code == "mermaid-not-flowchart" for problem in diagram.problems)


#: Labels and step names recur on every lint round of a page; folding them is the hot path.
label_key = lru_cache(maxsize=8192)(fold_label)


def step_keys(step: Step) -> tuple[str, str]:
    """The labels a node for ``step`` may carry, folded: its name and its heading title."""
    return _step_keys(step.number, step.name)


@lru_cache(maxsize=8192)
def _step_keys(number: int | None, name: str) -> tuple[str, str]:
    return fold_label(name), fold_label(step_title(number, name))


def match_steps(page: Page) -> list[StepNode]:
    """Each step with its node: first by label (folded), then by a unique near label among the
    nodes no step claims. A near label has the same words, or contains the step name's words
    (or is contained in them) when the shorter side has two words or more."""
    by_label: dict[str, DiagramNode] = {}
    if page.diagram is not None:
        for node in page.diagram.nodes:
            if node.label:
                by_label.setdefault(label_key(node.label), node)
    found: list[StepNode] = []
    missing: list[int] = []
    for step in page.steps:
        name = label_key(step.name)
        node = by_label.get(name) if name else None
        if node is None and name:
            node = by_label.get(step_keys(step)[1])
            if node is None:
                missing.append(len(found))
        found.append(StepNode(step, node, node is not None))
    if missing:
        _near_nodes(page, by_label, found, missing)
    return found


def _near_nodes(page: Page, by_label: dict[str, DiagramNode], found: list[StepNode],
                missing: list[int]) -> None:
    """Give each step in ``missing`` the one node no step claims whose label is near its name."""
    claimed = {key for step in page.steps for key in step_keys(step)}
    free = [(node, *_words(node.label)) for key, node in by_label.items() if key not in claimed]
    for i in missing:
        words, padded, several = _words(found[i].step.name)
        near = [item for item in free if item[1] == words
                or (several and padded in item[2]) or (item[3] and item[2] in padded)]
        if len(near) == 1:
            found[i] = StepNode(found[i].step, near[0][0], False)
            free.remove(near[0])


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, str, bool]:
    """The words of ``text`` folded, the same padded with spaces (for whole-word containment),
    and whether there are two words or more (one shared word is too weak a link)."""
    words = " ".join(_WORDS.findall(text.casefold()))
    return words, f" {words} ", " " in words


def node_text(node_id: str, label: str) -> str:
    """How the guide writes a node: ``B[Label]``, quoted when Mermaid needs it (the quoting is
    the renderer's, through the one flowchart writer)."""
    line = linear_diagram([label]).splitlines()[1].strip()
    return node_id + line[1:]


class DiagramStepMissing(Rule):
    """A step has no node labelled with its name in the diagram.

    ## Why is this bad?
    The guide draws the diagram with the step names as node labels, so a reader can match each
    box to its step. A step that is missing, or drawn under another name, makes the diagram and
    the steps disagree. Names are compared ignoring case, ``_`` versus space and spacing; a
    node labelled with the whole step title (``Step 2: Model Quantization``) counts too. When a
    node no step claims has a near label (``Configure LoRA`` for ``Configure LoRA Adapter``),
    the finding points at it. Another diagram type than a flowchart is WF410's.

    ## Example
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Quantization]
        B --> C[Adapter Training]
    }}
    ```
    Use instead:
    ```wikitext
    == Execution Diagram ==
    {{#mermaid:graph TD
        A[Data Preparation] --> B[Model Quantization]
        B --> C[Adapter Training]
    }}
    ```

    ## Fix safety
    No fix: whether to rename a node or add one is the writer's choice.
    """

    code, name, severity = "WF404", "diagram-step-missing", Severity.WARNING

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        diagram = page.diagram
        if not readable(diagram) or not page.steps:
            return
        for step, node, exact in match_steps(page):
            if exact or not step.name.strip():  # an empty name is WF304's
                continue
            which = f"step {step.number} '{step.name}'"
            if node is not None:
                yield self.report(
                    f"diagram node {node.id} '{node.label}' seems to stand for {which}; "
                    f"expected the step name as its label, '{node_text(node.id, step.name)}'",
                    node.span or diagram.span or ctx.top)
            else:
                yield self.report(
                    f"{which} has no node in the diagram; expected a node labelled with the "
                    f"step name, such as '{node_text('X', step.name)}'", diagram.span or ctx.top)
