"""How the diagram rules match steps to nodes: the near-miss search agrees with difflib."""

from __future__ import annotations

from difflib import get_close_matches

from hypothesis import example, given, settings
from hypothesis import strategies as st

from wikiflow.lint.rules.diagram.diagram_step_missing import closest

#: Few letters, so that generated words and labels share many characters and land on both
#: sides of each bound; spaces, case and non-ASCII as labels have them.
LABELS = st.text(alphabet="aabeinorst -_?Éé", max_size=24)


@settings(max_examples=500, deadline=None)
@given(word=LABELS, candidates=st.lists(LABELS, max_size=8),
       cutoff=st.sampled_from((0.0, 0.5, 0.75, 0.9, 1.0)))
@example(word="model quantization", candidates=["model quantisation", "quantization"],
         cutoff=0.75)
@example(word="ab", candidates=["ba", "ab "], cutoff=0.75)  # equal scores: the larger wins
@example(word="", candidates=["", "a"], cutoff=0.75)
def test_closest_is_difflibs_closest_match(word: str, candidates: list[str],
                                           cutoff: float) -> None:
    # closest() restates get_close_matches(n=1) with cheaper bounds; it must pick the same
    # label, ties and empty strings included.
    expected = get_close_matches(word, candidates, n=1, cutoff=cutoff)
    assert closest(word, candidates, cutoff) == (expected[0] if expected else None)


@settings(max_examples=500, deadline=None)
@given(word=LABELS, candidate=LABELS, repeat=st.sampled_from((1, 9)))
@example(word="a" * 150 + "b" * 60, candidate="a" * 100 + "b" * 90, repeat=1)  # autojunk
@example(word="abcab", candidate="cabca", repeat=1)  # two longest runs: the first counts
@example(word="aba", candidate="aa", repeat=1)  # the run's earliest place in the word counts
def test_the_near_miss_ratio_is_difflibs(word: str, candidate: str, repeat: int) -> None:
    # closest() scores a candidate with _ratio_to, difflib's ratio restated for words difflib
    # finds no junk in (shorter than 200 characters); longer ones (repeat 9) go to difflib.
    from difflib import SequenceMatcher

    from wikiflow.lint.rules.diagram.diagram_step_missing import _ratio_to

    word, candidate = word * repeat, candidate * repeat
    assert _ratio_to(word)(candidate) == SequenceMatcher(None, candidate, word).ratio()
