"""The renderer's fast paths give what the general paths they skip would give (property tests
on generated wikitext; each fast path is kept beside the general one it shortens)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wikiflow.site import inline

#: Pieces of text around URLs: schemes in any case, letters Unicode folds onto ASCII ones
#: ("ſ" is an "s", "K" a "k" to a case-blind match), word characters and stops.
URL_PIECES = st.lists(st.sampled_from([
    "http", "HTTPS", "hTTp", "://", "ftp", "mailto", "tel", "sip", "xmpp", "urn", "ſ", "K",
    "s", ":", " ", "a", "_", "1", "é", "'", "''", "[", "]", "\x7f", ".", ")", "(", "/", "İ",
]), max_size=16).map("".join)


@settings(max_examples=500)
@given(URL_PIECES)
def test_the_bare_url_search_finds_what_the_plain_pattern_finds(text: str) -> None:
    plain = re.compile(rf"\b{inline.FREE_URL}", re.IGNORECASE)
    assert [m.span() for m in inline._FREE.finditer(text)] == [
        m.span() for m in plain.finditer(text)]
