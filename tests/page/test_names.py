import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wikiflow.page.names import (
    NAMESPACES,
    _resolve,
    fold_label,
    namespaced_key,
    page_name,
    same_page,
    title_error,
)


def test_underscore_and_space_are_the_same_page():
    assert same_page("Principle:Data_Formatting", "Principle:Data Formatting")
    assert page_name("Principle:Data_Formatting").key == "Principle:Data_Formatting"
    assert page_name("Principle:Data_Formatting").full == "Principle:Data Formatting"


def test_first_letter_of_title_and_namespace_upper_cased():
    name = page_name("principle:data_formatting")
    assert (name.namespace, name.title) == ("Principle", "Data formatting")


def test_runs_of_white_space_fold_and_ends_are_trimmed():
    assert page_name("  Heuristic:  Packing__short  sequences ").key == \
        "Heuristic:Packing_short_sequences"


def test_unknown_prefix_stays_in_main_namespace_title():
    name = page_name("Foo:Bar")
    assert (name.namespace, name.title) == ("", "Foo:Bar")


def test_default_namespace_applies_without_prefix():
    assert page_name("Quantization", "Principle").key == "Principle:Quantization"
    assert page_name("Heuristic:X", "Principle").namespace == "Heuristic"


def test_raw_spelling_is_kept_for_messages():
    assert page_name("principle:data_formatting").raw == "principle:data_formatting"


def test_illegal_characters_make_a_name_invalid():
    assert not page_name("Principle:A[b]").valid
    assert not page_name("Principle:").valid
    assert page_name("Principle:A (b)").valid


def test_image_alias_maps_to_file_namespace():
    assert page_name("Image:x.png").namespace == "File"


def test_fold_label_ignores_case_underscores_and_spacing():
    assert fold_label("Model_Quantization") == fold_label("model  quantization")


def _key_the_long_way(value: str) -> str | None:
    name = _resolve(value, "")
    return name.key if name.namespace and name.valid else None


#: Pieces that reach every branch of the fast paths: separators page_name folds or skips,
#: prefixes in any case, characters whose case mapping is not one to one (Kelvin sign, dotted
#: I, sharp s, title-case digraph), illegal and control characters.
_SEPARATORS = st.sampled_from([":", "::", "_", "__", " ", "\t", "\n", "\u00a0", "\u2003",
                               "\x1c"])
_PREFIXES = st.sampled_from([*NAMESPACES, *NAMESPACES.values(), "User_talk", "PRINCIPLE",
                             "Foo", "2023-11-01", "Tal\u212a", "\u0130mage", ""])
_PIECES = st.one_of(_SEPARATORS, _PREFIXES, st.sampled_from([
    "x", "Data", "a b", "\u212a", "\u0130", "\u00df", "\u01c5", "#", "[", "|", "\x7f", "é", "É",
    "1"]))
_NAMELIKE = st.tuples(st.lists(_SEPARATORS, max_size=3), _PREFIXES,
                      st.lists(_SEPARATORS, max_size=2), st.lists(_PIECES, max_size=5)).map(
    lambda parts: "".join(parts[0]) + parts[1] + "".join(parts[2]) + "".join(parts[3]))


_EXAMPLES = ("Principle:Data_Formatting", "principle:data_formatting", "User_talk:X__y",
             "Tal\u212a:X", " :_Heuristic:X", "\tPrinciple:X", ": :Principle:X", "Principle:\u00dfx",
             "Principle::X", "Principle:\u01c6x", "2023-11-01 23:30 GMT")
_ANY_NAME = st.one_of(st.text(), st.lists(_PIECES, max_size=6).map("".join), _NAMELIKE,
                      st.sampled_from(_EXAMPLES))


@settings(max_examples=3000, deadline=None)
@given(_ANY_NAME)
def test_namespaced_key_agrees_with_page_name(value: str) -> None:
    assert namespaced_key(value) == _key_the_long_way(value)


@settings(max_examples=3000, deadline=None)
@given(_ANY_NAME, st.sampled_from(["", "Principle"]))
def test_page_name_of_a_key_agrees_with_the_long_way(value: str, default: str) -> None:
    assert page_name.__wrapped__(value, default) == _resolve(value, default)


@pytest.mark.parametrize(("title", "why"), [
    ("", "empty"), (" _ ", "empty"), ("A[B", "'['"), ("A|B", "'|'"), ("A\x7fB", "'\\x7f'"),
    ("A%2FB", "percent-encoding"), ("Sig ~~~", "'~~~'"), ("..", "relative path"),
    ("A/../B", "relative path"), ("x" * 256, "256 bytes"), ("é" * 128, "256 bytes"),
])
def test_title_error_says_why_mediawiki_refuses_a_title(title: str, why: str) -> None:
    assert why in (title_error(title) or "")


@pytest.mark.parametrize("title", ["QLoRA Fine Tuning", "A:B", "C++", "x" * 255, "A.B", "100%"])
def test_title_error_accepts_titles_mediawiki_accepts(title: str) -> None:
    assert title_error(title) is None
