from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from difflib import SequenceMatcher
from functools import lru_cache, partial
from typing import NamedTuple

from ....page.mermaid import linear_diagram
from ....page.model import Diagram, DiagramNode, Page, Severity, Step
from ....page.names import fold_label
from ....page.render import step_title
from ..base import Context, Diagnostic, Rule, label_key

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


def step_keys(step: Step) -> tuple[str, str]:
    """The labels a node for ``step`` may carry, folded: its name and its heading title."""
    return _step_keys(step.number, step.name)


@lru_cache(maxsize=8192)
def _step_keys(number: int | None, name: str) -> tuple[str, str]:
    return label_key(name), fold_label(step_title(number, name))


def match_steps(page: Page) -> list[StepNode]:
    """Each step with its node: first by label (folded), then by a near miss among the nodes no
    step claims (see ``_near_nodes``)."""
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
    """Give each step in ``missing`` the node no step claims that stands for it, in three passes
    from the surest: a label with the step name's words (the same words, or containing them or
    contained in them when the shorter side has two words or more); a label spelled like the
    name (difflib's ratio of at least ``_CLOSE``); the one free node drawn where the step
    belongs, next to the node of the step before or after it (``C[Vectorize]`` between the
    nodes of steps 2 and 4 stands for step 3, whatever its words).

    The free nodes are kept by their folded label (their key in ``by_label``), so a pass finds
    a node's label without folding it again for every step it is compared with; and a pass is
    set up (the labels' words, the diagram's neighbours) only when a step is left for it."""
    claimed = {key for step in page.steps for key in step_keys(step)}
    free = {key: node for key, node in by_label.items() if key not in claimed}
    passes: list[_Pass] = [_same_words_pass, _drawn_in_place_pass]
    if len(missing) * len(free) <= _CLOSE_PAIRS:
        passes.insert(1, _spelled_alike_pass)
    for make in passes:
        left = [i for i in missing if found[i].node is None]
        if not left or not free:
            return
        near = make(page, free)
        for i in left:
            key = near(found, i, free)
            if key is not None:
                found[i] = StepNode(found[i].step, free.pop(key), False)
                if not free:
                    return


#: A pass of ``_near_nodes``: the key (folded label) of the free node that stands for step
#: ``i``, or None.
_Near = Callable[[list[StepNode], int, dict[str, DiagramNode]], str | None]
#: What sets a pass up for a page and its free nodes.
_Pass = Callable[[Page, dict[str, DiagramNode]], _Near]


def _same_words_pass(page: Page, free: dict[str, DiagramNode]) -> _Near:
    return partial(_same_words, {key: _words(node.label or "") for key, node in free.items()})


def _same_words(labels: dict[str, tuple[str, str, bool]], found: list[StepNode], i: int,
                free: dict[str, DiagramNode]) -> str | None:
    words, padded, several = _words(found[i].step.name)
    near = []
    for key in free:
        theirs, their_padded, their_several = labels[key]
        if theirs == words or (several and padded in their_padded) \
                or (their_several and their_padded in padded):
            near.append(key)
    return near[0] if len(near) == 1 else None


#: The least difflib ratio for a label to be a misspelling of a step name.
_CLOSE = 0.75
#: Pairs of unmatched steps and free nodes beyond which misspellings are not looked for:
#: difflib compares every pair, and a diagram with hundreds of unmatched nodes is no misspelling.
_CLOSE_PAIRS = 10_000


def _spelled_alike_pass(page: Page, free: dict[str, DiagramNode]) -> _Near:
    return _spelled_alike


def _spelled_alike(found: list[StepNode], i: int, free: dict[str, DiagramNode]) -> str | None:
    return closest(label_key(found[i].step.name), free)


def closest(word: str, candidates: Iterable[str], cutoff: float = _CLOSE) -> str | None:
    """``difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)``'s one answer, found
    sooner. difflib's two cheap bounds come first, as there: the lengths, then the characters
    in common, counted here with ``str.count`` over the word's distinct characters instead of
    a dictionary walk over each candidate's characters; and the matcher indexes ``word`` only
    once a candidate passes both. On the corpus about one pair in twenty does, and the bounds
    were two thirds of WF404's time (issue 18). Between the two, a looser bound costs one call
    in C: the candidate's characters that occur in ``word`` at all (it turns away two pairs in
    three of those the lengths let through); the word's characters are counted only once a
    candidate passes it. Each bound is difflib's ``2.0 * matches / length``, so it decides as
    difflib does; two empty strings (length 0) are alike. The ratio itself is ``_ratio_to``'s.
    ``bench/bench_lint.py`` holds both to difflib: the same answers, 1.7x faster each.
    """
    size = len(word)
    others = dict.fromkeys(map(ord, word))  # str.translate drops the word's characters
    counts: Iterable[tuple[str, int]] | None = None
    ratio: Callable[[str], float] | None = None
    best: tuple[float, str] | None = None
    for candidate in candidates:
        have = len(candidate)
        length = have + size
        if length and (2.0 * (have if have < size else size) / length < cutoff or 2.0 * (
                have - len(candidate.translate(others))) / length < cutoff):
            continue
        if counts is None:
            counts = Counter(word).items()
        shared = 0
        for char, wanted in counts:
            found = candidate.count(char)
            shared += found if found < wanted else wanted
        if length and 2.0 * shared / length < cutoff:
            continue
        if ratio is None:
            ratio = _ratio_to(word)
        score = ratio(candidate)
        if score >= cutoff and (best is None or (score, candidate) > best):
            best = score, candidate
    return None if best is None else best[1]


#: From this length on, difflib's matcher treats a word's frequent characters as junk
#: (``autojunk``); ``_ratio_to`` restates it only below.
_AUTOJUNK = 200


def _ratio_to(word: str) -> Callable[[str], float]:
    """``SequenceMatcher(None, candidate, word).ratio()`` as a function of the candidate. For a
    word shorter than ``_AUTOJUNK`` difflib marks no character as junk, and its ratio is
    ``_matched``'s count, found without the matcher's bookkeeping (named tuples, sorting and
    merging its blocks): a third of the time of the near-miss search on the corpus (issue 18)."""
    if len(word) >= _AUTOJUNK:
        matcher = SequenceMatcher(None, "", word)

        def ratio(candidate: str) -> float:
            matcher.set_seq1(candidate)
            return matcher.ratio()
        return ratio

    def ratio(candidate: str) -> float:
        length = len(candidate) + len(word)
        return 2.0 * _matched(candidate, word) / length if length else 1.0
    return ratio


def _matched(a: str, b: str) -> int:
    """How many characters difflib's matcher pairs between ``a`` and ``b`` when it marks none
    as junk: the longest common run, then the same on each side of it (``find_longest_match``
    with ``get_matching_blocks``; the first longest run in ``a``, then in ``b``, as there).

    The longest run is found by growing it: at each start in ``a`` only a run one longer than
    the best so far is looked for in ``b`` (``str.find``, whose first hit is the earliest in
    ``b``), so the first start to reach a length is the earliest in ``a`` with a run that long.
    A character-by-character walk of every pair of offsets in Python was 9 of the 38 µs a
    corpus page spends matching its steps to its diagram (issue 18)."""
    total = 0
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        best_i = best_j = best = 0
        for i in range(alo, ahi):
            if i + best >= ahi:
                break
            while i + best < ahi:
                j = b.find(a[i:i + best + 1], blo, bhi)
                if j < 0:
                    break
                best_i, best_j, best = i, j, best + 1
        if best:
            total += best
            if alo < best_i and blo < best_j:
                todo.append((alo, best_i, blo, best_j))
            if best_i + best < ahi and best_j + best < bhi:
                todo.append((best_i + best, ahi, best_j + best, bhi))
    return total


def _neighbours(diagram: Diagram | None) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Each node id's successors and predecessors, built once for every step's look-up."""
    after: dict[str, set[str]] = defaultdict(set)
    before: dict[str, set[str]] = defaultdict(set)
    for edge in diagram.edges if diagram is not None else ():
        after[edge.source].add(edge.target)
        before[edge.target].add(edge.source)
    return after, before


def _drawn_in_place_pass(page: Page, free: dict[str, DiagramNode]) -> _Near:
    return partial(_drawn_in_place, *_neighbours(page.diagram))


def _drawn_in_place(successors: dict[str, set[str]], predecessors: dict[str, set[str]],
                    found: list[StepNode], i: int,
                    free: dict[str, DiagramNode]) -> str | None:
    previous = found[i - 1].node if i > 0 else None
    following = found[i + 1].node if i + 1 < len(found) else None
    near = (successors.get(previous.id, set()) if previous else set()) \
        | (predecessors.get(following.id, set()) if following else set())
    candidates = [key for key, node in free.items() if node.id in near]
    return candidates[0] if len(candidates) == 1 else None


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
    node no step claims is a near miss, the finding points at that node and asks "did you mean"
    the step: a label with the name's words (``Configure LoRA`` for ``Configure LoRA
    Adapter``), one spelled alike (``Model Quantisation``), or the one node drawn where the step
    belongs, after the previous step's node or before the next one's (``C[Vectorize]`` for step
    3, ``Embedding and Indexing``). Another diagram type than a flowchart is WF410's.

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
        for step, node, exact in ctx.derived(match_steps, page):
            if exact or not step.name.strip():  # an empty name is WF304's
                continue
            if node is not None:
                yield self.report(
                    f"diagram node {node.id} '{node.label}' is not a step name; did you mean "
                    f"'{step.name}' (step {step.number})? expected "
                    f"'{node_text(node.id, step.name)}'", node.span or diagram.span or ctx.top)
            else:
                yield self.report(
                    f"step {step.number} '{step.name}' has no node in the diagram; expected a "
                    f"node labelled with the step name, such as '{node_text('X', step.name)}'",
                    diagram.span or ctx.top)
