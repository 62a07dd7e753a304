from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from ....page.model import Page
from ..base import Context, Diagnostic, Rule

#: The common case, checked without ``urlsplit``.
_PLAIN = re.compile(r"https?://[\w.-]+(?::\d+)?(?:/\S*)?", re.IGNORECASE)


class SourceUrl(Rule):
    """A knowledge source's URL is not an absolute http(s) URL.

    ## Why is this bad?
    The URL is how a reader reaches the source and how the graph links to it. A relative
    path, a bare host (``github.com/…``) or another scheme does not open from the wiki.

    ## Example
    ```wikitext
    {| class="wikitable" style="float:right; margin-left:1em; width:300px;"
    |-
    ! Knowledge Sources
    |
    * [[source::Repo|PEFT|github.com/huggingface/peft]]
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
    No fix: whether the site speaks https, or what the full address is, is not known here.
    """

    code, name = "WF209", "source-url"

    def check(self, page: Page, ctx: Context) -> Iterator[Diagnostic]:
        for source in page.sources:
            url = source.url
            # An empty URL or one with extra "|" parts is a malformed source: WF207.
            if not url or "|" in url or source.span is None or _absolute(url):
                continue
            host = url.split("/", 1)[0]
            hint = f"'https://{url}'" if "://" not in url and "." in host and " " not in url \
                else "'https://host/path'"
            yield self.report(f"source URL '{url}' is not an absolute http(s) URL; expected "
                              f"{hint}", source.span)


def _absolute(url: str) -> bool:
    if _PLAIN.fullmatch(url):
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc) \
        and not any(char.isspace() for char in url)
