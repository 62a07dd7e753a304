"""Adversarial page texts by kind, about ``size`` characters each: what made a stage
super-linear once (tests/test_linear.py runs them under a CPU limit; bench/bench_adversarial.py
times them). Plain functions of the size, with no test imports, so a child process builds the
text itself instead of receiving a megabyte through its arguments."""

from __future__ import annotations

import random
from collections.abc import Callable

MERMAID = "== Execution Diagram ==\n{{#mermaid:graph TD\n"


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


def _mixed(size: int) -> str:
    """Every metacharacter below, in a random (seeded) order."""
    rng = random.Random(size)
    atoms = ["[[", "]]", "{{", "}}", "|", "{|", "|}", "=", "==", "<!--", "-->", "<pre>", "<pre ",
             "<nowiki>", "[x](http://a", "**", "\n", "\r", "x", " ", "[[step::", "::",
             "{{#mermaid:", "*", "#", "<!-- wikiflow-disable WF601 -->", "```", "[", "]",
             ":=", "@@@", "[[SMW::off]]"]
    return "".join(rng.choice(atoms) for _ in range(size // 3))


KINDS: dict[str, Callable[[int], str]] = {
    "equals-line": lambda n: "=" * n + "x",
    "long-heading-lines": lambda n: _repeat("=" * 2000 + "x\n", n),
    "unclosed-links": lambda n: _repeat("[[", n),
    "unclosed-links-lines": lambda n: _repeat("[[" * 500 + "\n", n),
    "unclosed-templates": lambda n: _repeat("{{x", n),
    "unclosed-comments": lambda n: _repeat("<!--", n),
    "unclosed-pre-openers": lambda n: _repeat("<pre ", n),
    "unclosed-pre": lambda n: _repeat("<pre>", n),
    "unclosed-nowiki": lambda n: _repeat("<nowiki>", n),
    "markdown-links": lambda n: _repeat("[x](http://a", n),
    "pipes": lambda n: "{|\n" + "|" * n,
    "table-cells": lambda n: "{|\n" + _repeat("|\n", n),
    "table-attributes": lambda n: "{|" + "a" * n + "\n|}\n",
    "mermaid-lines": lambda n: MERMAID + _repeat("A-->B\n", n) + "}}\n",
    "mermaid-chain": lambda n: MERMAID + "A" + _repeat("-->A", n) + "\n}}\n",
    "mermaid-groups": lambda n: MERMAID + " & ".join(f"A{i}" for i in range(n // 16))
    + " --> " + " & ".join(f"B{i}" for i in range(n // 16)) + "\n}}\n",
    "suppression-ranges": lambda n: _repeat(
        "<!-- wikiflow-disable WF601 -->\n**x**\n<!-- wikiflow-enable WF601 -->\n", n),
    "suppressions-next-line": lambda n: _repeat(
        "<!-- wikiflow-disable-next-line WF601 -->\n**x**\n", n),
    "suppressions-one-line": lambda n: _repeat("<!-- wikiflow-disable WF601 -->", n),
    "title-blanks": lambda n: "# a" + " " * n + "b\n== Execution Steps ==\n=== Step 1: a"
    + " " * n + "b ===\n",
    "overview-stops": lambda n: "== Overview ==\n" + "." * n + "x\n",
    "markdown-bold": lambda n: _repeat("**x", n),
    "stray-crs": lambda n: _repeat("a\r\r\n[[step:X]]\r", n),
    "steps": lambda n: "== Execution Steps ==\n" + "".join(
        f"=== Step {i}: S ===\nx [[step::Principle:P{i}]]\n" for i in range(n // 40)),
    "nested-annotations": lambda n: "[[a::x " * (n // 9) + "]]" * (n // 9),
    "annotation-lines": lambda n: _repeat("[[p::v [x] [[y]]\n", n) + "]]",
    "mixed": _mixed,
}
