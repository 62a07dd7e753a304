from __future__ import annotations

import re
from collections.abc import Iterator

from ....page.model import Page
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule

#: Words ending in a period that do not end a sentence (compared case-folded).
ABBREVIATIONS = frozenset({
    "e.g.", "i.e.", "etc.", "vs.", "v.", "approx.", "cf.", "fig.", "figs.", "no.", "nos.",
    "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "jr.", "sr.", "inc.", "ltd.", "co.", "corp.",
    "al.", "eq.", "eqs.", "ref.", "refs.", "sec.", "ch.", "vol.", "pp.", "p.", "ca.", "resp.",
    "esp.", "incl.", "min.", "max.", "avg.", "est.", "ver.",
})
#: A sentence ends at . ! ? (then closing quotes or brackets) before blanks, or at a paragraph
#: break or a list item (a "!" opening a line is a table header, not an exclamation); whether
#: a period really ends one is decided in ``sentences``.
#: A run of stops is tried from its start only (after a blank, from its second character), not
#: from each of its characters, which read the rest of a long run each (quadratic).
_BREAK = re.compile(r"""(?:(?<=[^\s.!?])|(?<=\s[.!?]))(?P<stop>[.!?]+)["'”’\]]*\s+(?=(?P<next>\S))"""
                    r"|\n[ \t]*\n\s*|\n(?=[*#:;])")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_INITIALS = re.compile(r"(?:[a-z]\.){2,}")  # "U.S.", "a.k.a." (not "R.", which ends "…and R.")
_STOPS_INSIDE = frozenset(".!?")
#: What ``_BREAK`` needs to end a sentence inside a line: stops, closing quotes, a blank (or
#: a parenthetical, which ``sentences`` blanks out before it looks: ``1?(x) Y``). Tried from the
#: start of a run of stops only, each run read once (possessive): tried from each stop of a
#: run, it read the rest of the run each time, quadratic in a long one (``tests/test_linear.py``).
_STOP_THEN_BLANK = re.compile(r"""(?<![.!?])[.!?]++["'”’\]]*+[\s(]""")
_OPENERS = "\"'“‘([*#"


def block_body(page: Page, ctx: Context, key: str) -> tuple[int, str] | None:
    """Where block ``key``'s text starts and that text (up to the next heading) with HTML
    comments blanked out, offsets unchanged; None when the page has no such block."""
    span = page.spans.get(key)
    if span is None:
        return None
    line_end = ctx.text.find("\n", span.start, span.end)
    start = span.end if line_end == -1 else line_end + 1
    body = ctx.text[start:span.end]
    if "<!--" in body:
        chars = list(body)
        for comment in page.comments:
            if comment.span is not None and start <= comment.span.start < span.end:
                for i in range(comment.span.start - start, min(comment.span.end, span.end) - start):
                    chars[i] = " "
        body = "".join(chars)
    return start, body


def heading_line(ctx: Context, span: Span) -> Span:
    """The heading line that opens the block at ``span``."""
    end = ctx.text.find("\n", span.start, span.end)
    return ctx.at(span.start, span.end if end == -1 else end)


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence, list item or paragraph of ``text`` that has words.

    Abbreviations (``e.g.``, ``Fig.``, ``U.S.``), decimals, versions and file names (no blank
    after the period) and parentheticals do not end a sentence; a stop followed by a lower-case
    word does not either (an abbreviation missing from the list is likelier than a sentence
    starting in lower case).
    """
    analysed = _PARENTHETICAL.sub(_blank, _PARENTHETICAL.sub(_blank, text))
    result = []
    begin = 0
    for match in _BREAK.finditer(analysed):
        stop = match.group("stop")
        if stop is not None:
            following = match.group("next")
            if not (following.isupper() or following.isdigit() or following in _OPENERS):
                continue
            if stop == "." and _abbreviation(analysed, match.start()):
                continue
        end = match.start("stop") + len(stop) if stop is not None else match.start()
        _add(result, text, begin, end)
        begin = match.end()
    _add(result, text, begin, len(text))
    return result


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _abbreviation(text: str, period: int) -> bool:
    start = period
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    word = text[start:period + 1].lstrip("\"'“‘([*").casefold()
    return word in ABBREVIATIONS or _INITIALS.fullmatch(word) is not None


def _add(result: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    if any(char.isalnum() for char in piece):
        lead = len(piece) - len(piece.lstrip())
        result.append((start + lead, start + len(piece.rstrip())))


def _one_line_sentence(text: str) -> bool:
    """True when the Overview as read is one line that ``sentences`` reads as one sentence:
    no stop before its end, or none that a blank follows (``llama.cpp``, ``v1.5``) and some
    word. A third of the corpus's pages have such a stop, and each had its sentences split."""
    if not text or "\n" in text or "<!--" in text:
        return False
    if _STOPS_INSIDE.isdisjoint(text[:-1]):
        return True
    return _STOP_THEN_BLANK.search(text) is None and any(char.isalnum() for char in text)


class OverviewSentences(Rule):
    """The Overview is not exactly one sentence.

    ## Why is this bad?
    The guide defines the goal in one sentence — "End-to-end process for {Goal} using
    {Technique}." — because the Overview is the search snippet and the page's card. An empty
    Overview leaves the card blank; more sentences belong in Description.

    ## Example
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with LoRA. It uses 4-bit quantization.
    ```
    Use instead:
    ```wikitext
    == Overview ==
    End-to-end process for fine-tuning Llama-2 with LoRA using 4-bit quantization (QLoRA).
    ```

    ## Fix safety
    No fix: which sentence is the summary, and where the rest goes, is the writer's call.
    """

    code, name = "WF110", "overview-sentences"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        if "overview" not in page.spans:
            return  # WF101
        if _one_line_sentence(page.overview):
            return  # most pages
        start, text = block_body(page, ctx, "overview")
        found = sentences(text)
        if not found:
            where = heading_line(ctx, page.spans["overview"])
            yield self.report(f"'{ctx.source(where).strip()}' is empty; the guide expects one "
                              "sentence: 'End-to-end process for {Goal} using {Technique}.'",
                              where)
        elif len(found) > 1:
            second_start, second_end = found[1]
            second = " ".join(ctx.text[start + second_start:start + second_end].split())
            if len(second) > 60:
                second = second[:57].rstrip() + "…"
            yield self.report(
                f"the Overview holds {len(found)} sentences, paragraphs or list items (the "
                f"second: '{second}'); the guide expects exactly one sentence, the search "
                "snippet — move the rest to '=== Description ==='",
                ctx.at(start + second_start, start + found[-1][1]))
