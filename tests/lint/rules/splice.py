"""Splice a rule's example fragment into the clean reference page (the guide's samples).

The fragment's first line says what it replaces:
- ``{|`` → the metadata table (everything before the first heading);
- ``== Title ==`` → that level-2 section with its subsections (appended if absent);
- ``=== Title ===`` → the level-3 subsection with that title (Description, Usage, Execution
  Steps under Related Pages, Tips and Tricks);
- anything else → put before the page (a Markdown title line, text above the table).

A fragment whose last line is ``<!-- end of page -->`` also ends the page there (the marker is
dropped): that is how an example shows a page without its last sections.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"^(={2,3})\s*(.*?)\s*\1\s*$", re.MULTILINE)


def _fold(title: str) -> str:
    return " ".join(title.replace("_", " ").split()).casefold()


def _section_range(page: str, level: int, title: str, after: int = 0) -> tuple[int, int] | None:
    headings = list(HEADING.finditer(page))
    for n, match in enumerate(headings):
        if match.start() < after or len(match.group(1)) != level or \
                _fold(match.group(2)) != _fold(title):
            continue
        end = len(page)
        for later in headings[n + 1:]:
            if len(later.group(1)) <= level:
                end = later.start()
                break
        return match.start(), end
    return None


END_OF_PAGE = "<!-- end of page -->"


def splice(fragment: str, page: str) -> str:
    fragment = fragment.strip("\n") + "\n"
    if fragment.rstrip("\n").endswith(END_OF_PAGE):
        body = fragment.rstrip("\n")[:-len(END_OF_PAGE)].strip("\n") + "\n"
        return _truncate(splice(body, page), body)
    return _splice(fragment, page)


def _truncate(page: str, body: str) -> str:
    """``page`` cut right after the spliced ``body``."""
    return page[:page.index(body) + len(body)]


def _splice(fragment: str, page: str) -> str:
    first = fragment.splitlines()[0]
    if first.startswith("{|"):
        return fragment + "\n" + page[page.index("\n== "):].lstrip("\n")
    match = HEADING.match(first)
    if match is None:
        return fragment + page
    level, title = len(match.group(1)), match.group(2)
    after = 0
    if level == 3 and _fold(title) in ("execution steps", "tips and tricks"):
        after = page.index("== Related Pages ==")
    where = _section_range(page, level, title, after)
    if where is None:
        return page.rstrip("\n") + "\n\n" + fragment
    start, end = where
    tail = "\n" if end < len(page) else ""
    return page[:start] + fragment + tail + page[end:]
