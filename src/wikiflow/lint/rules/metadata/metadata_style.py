from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Applicability, Fix
from ....page.model import Page, Severity
from ....page.render import TABLE_OPEN
from ....page.spans import Span
from ..base import Context, Diagnostic, Rule

# A name starts where a run of name characters does: tried from inside a long run, the name
# read the rest of it from every character (quadratic in a long table line).
_ATTRIBUTE = re.compile(
    r"""(?<![^\s="'])([^\s="']+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))""")


def attributes(text: str) -> tuple[dict[str, frozenset[str]], str]:
    """Table attributes as comparable values, and any text that is no attribute.

    ``class`` is a set of names; ``style`` a set of ``property:value`` declarations with
    spacing, case and ``;`` placement normalised; other values are whitespace-folded.
    """
    result: dict[str, frozenset[str]] = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match.group(1).casefold()
        value = next(group for group in match.groups()[1:] if group is not None)
        if name == "style":
            result[name] = frozenset(
                ":".join(" ".join(part.split()).casefold() for part in item.split(":", 1))
                for item in value.split(";") if item.strip())
        elif name == "class":
            result[name] = frozenset(value.split())
        else:
            result[name] = frozenset((" ".join(value.split()),))
    return result, _ATTRIBUTE.sub(" ", text).strip()


EXPECTED, _ = attributes(TABLE_OPEN[2:])
_CANONICAL = TABLE_OPEN[2:].strip()


def table_open_line(page: Page, ctx: Context) -> Span | None:
    """The metadata table's ``{|`` line, or None when the page has no table."""
    table = page.spans.get("metadata")
    if table is None:
        return None
    end = ctx.text.find("\n", table.start, table.end)
    return ctx.at(table.start, table.end if end == -1 else end)


class MetadataStyle(Rule):
    """The metadata table's attributes differ from the guide's.

    ## Why is this bad?
    The guide writes the table as ``{| class="wikitable" style="float:right; margin-left:1em;
    width:300px;"``: a bordered box floated to the right of the Overview, the same width on
    every page. Other attributes make pages look different for no reason.

    ## Example
    ```wikitext
    {| class="wikitable"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Last Updated
    | [[last_updated::2023-11-20 14:00 GMT]]
    |}
    ```
    Use instead:
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|https://github.com/huggingface/peft]]
    |-
    ! Domains
    | [[domain::LLMs]], [[domain::Fine_Tuning]]
    |-
    ! Last Updated
    | [[last_updated::2023-11-20 14:00 GMT]]
    |}
    ```

    ## Fix safety
    Safe: the ``{|`` line is rewritten as the guide writes it when that only adds what is
    missing or restates what is there; unsafe when it drops or changes an attribute the writer
    set (another width, an extra class) or anything else written on the line (an HTML comment,
    a link).
    """

    code, name, severity = "WF203", "metadata-style", Severity.WARNING
    fix = Applicability.SAFE

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        written = page.table_attributes
        if written is None or written == _CANONICAL:
            return
        found, stray = attributes(written)
        if found == EXPECTED and not stray:
            return
        line = table_open_line(page, ctx)
        if line is None:
            return
        subset = not stray and all(name in EXPECTED and value <= EXPECTED[name]
                                   for name, value in found.items())
        # The fix rewrites the whole line: safe only when the line holds the attributes alone.
        # The attributes end before a comment or a tag MediaWiki takes out, and what follows
        # them on the line (``{|<!-- c -->[[step::A]]``: a fact) would go with the line.
        alone = ctx.source(line).strip()[2:].strip() == written
        safety = Applicability.SAFE if subset and alone else Applicability.UNSAFE
        yield self.report(f"metadata table opens with '{ctx.source(line).strip()}'; expected "
                          f"'{TABLE_OPEN}'", line,
                          Fix.replace("Write the table's attributes as the guide does",
                                      line.start, line.end, TABLE_OPEN, safety))
