"""Parser: each element of the guide, SMW annotation rules, bad input."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from hypothesis import given
from hypothesis import strategies as st

from wikiflow import parse_page, render_page
from wikiflow.page.parse import parse_date
from wikiflow.page.model import Severity
from wikiflow.page.decode import decode_page
from wikiflow.page.outline import SUB_SECTIONS, TOP_SECTIONS


def test_guide_sample_fields(guide_page: str) -> None:
    page = parse_page(guide_page, "LLM_Fine_Tuning")
    assert page.title == "LLM_Fine_Tuning"
    assert [(s.type, s.title, s.url) for s in page.sources] == [
        ("Repo", "HuggingFace Examples",
         "https://github.com/huggingface/transformers/tree/main/examples"),
        ("Blog", "Fine-tuning Llama 2", "https://www.philschmid.de/sagemaker-llama2-qlora"),
    ]
    assert [d.name for d in page.domains] == ["LLMs", "Fine_Tuning"]
    assert page.last_updated == datetime(2023, 11, 20, 14, 0, tzinfo=timezone.utc)
    assert page.last_updated_raw == "2023-11-20 14:00 GMT"
    assert page.overview.startswith("End-to-end process for parameter-efficient")
    assert page.description.startswith("This workflow outlines")
    assert page.usage.startswith("Execute this workflow when")
    assert [(s.number, s.name, s.principle) for s in page.steps] == [
        (1, "Data Preparation", "Data_Formatting"),
        (2, "Model Quantization", "Quantization"),
        (3, "Adapter Training", "Low_Rank_Adaptation"),
    ]
    assert page.steps[1].body == "Load the base model in 4-bit precision (NF4) to fit in memory."
    assert [(r.principle, r.step) for r in page.related_steps] == [
        ("Data_Formatting", 1), ("Quantization", 2), ("Low_Rank_Adaptation", 3)]
    assert [h.name for h in page.heuristics] == [
        "Gradient_Checkpointing_Optimization", "Packing_Short_Sequences"]
    assert page.diagram is not None and page.diagram.direction == "TD"
    assert [(e.source, e.target) for e in page.diagram.edges] == [("A", "B"), ("B", "C")]
    assert [n.label for n in page.diagram.nodes] == [s.name for s in page.steps]
    assert page.problems == []
    assert page.sections == [] and page.extras == {}


def test_spans_point_at_the_source(guide_page: str) -> None:
    page = parse_page(guide_page)
    step = page.steps[0]
    assert step.heading_span is not None and step.link_span is not None
    assert guide_page[step.heading_span.start:step.heading_span.end] == \
        "=== Step 1: Data Preparation ==="
    assert (step.link_span.line, step.link_span.column) == (26, 1)
    assert guide_page[step.link_span.start:step.link_span.end] == \
        "[[step::Principle:Data_Formatting]]"
    domain = page.domains[1]
    assert guide_page[domain.span.start:domain.span.end] == "[[domain::Fine_Tuning]]"
    assert (domain.span.line, domain.span.column, domain.span.end_column) == (9, 21, 44)
    edge = page.diagram.edges[1]
    assert guide_page[edge.span.start:edge.span.end].startswith("B --> C")


def test_smw_annotation_rules() -> None:
    text = ("[[p::v|caption]] [[q::w| ]] [[empty::]] [[a::b::c]] [[Plain link]] "
            "[[x|y::z]] [[ Uses heuristic :: Heuristic:H ]]")
    annotations = parse_page(text).annotations
    assert [(a.property, a.value, a.caption) for a in annotations] == [
        ("p", "v", "caption"), ("q", "w", " "), ("a", "b::c", None),
        ("Uses heuristic", "Heuristic:H", None)]
    assert annotations[-1].prop == "uses_heuristic"


def test_single_brackets_in_a_value_are_value_text() -> None:
    """With links in values SMW hides single brackets before it reads a value
    (``LinksEncoder::findAndEncodeLinks``): ``LLMs]`` and ``e [f`` are values; a ``[[`` that
    pairs with no ``]]`` still ends the pattern (``[[step::[[]]`` makes no fact)."""
    text = "[[domain::LLMs]|], x]] [[step::[[]] [[a::b [x] c]] [[d::e [f|g]]"
    assert [(a.prop, a.value, a.caption) for a in parse_page(text).annotations] == [
        ("domain", "LLMs]", "], x"), ("a", "b [x] c", None), ("d", "e [f", "g")]


def test_no_annotation_inside_comments_nowiki_pre_code() -> None:
    text = ("<!-- [[step::Principle:A]] --> <nowiki>[[step::Principle:B]]</nowiki>\n"
            "<pre>[[step::Principle:C]]</pre>\n"
            "<syntaxhighlight lang=\"python\">[[step::Principle:D]]</syntaxhighlight>\n"
            "<source>[[step::Principle:E]]</source> [[step::Principle:F]]\n")
    assert [a.value for a in parse_page(text).annotations] == ["Principle:F"]


def test_step_link_not_first_keeps_body_verbatim() -> None:
    text = ("== Execution Steps ==\n=== Step 1: Load ===\nFirst load it.\n"
            "[[step::Principle:Loading]]\n")
    step = parse_page(text).steps[0]
    assert step.principle == "Loading" and not step.link_first
    assert step.body == "First load it.\n[[step::Principle:Loading]]"


def test_step_without_link_and_without_namespace() -> None:
    text = ("== Execution Steps ==\n=== Step 1: A ===\nNo link.\n\n"
            "=== Step 2: B ===\n[[step::Loading]]\nBody.\n")
    first, second = parse_page(text).steps
    assert first.target is None and first.principle is None and first.body == "No link."
    assert second.target == "Loading" and second.principle == "Loading"


def test_step_heading_variants() -> None:
    text = "== Execution Steps ==\n=== Step 2 - Train ===\n=== step3: Eval ===\n=== Step 4 ===\n"
    steps = parse_page(text).steps
    assert [(s.number, s.name) for s in steps] == [(2, "Train"), (3, "Eval"), (4, "")]


def test_malformed_step_headings_are_steps_with_a_problem_at_the_heading() -> None:
    # "== Step 2 ==" at the wrong level, and a sub-heading with a step link but no "Step N:",
    # are steps in their place (each with one problem at its heading), not unknown sections.
    text = ("== Execution Steps ==\n=== Step 1: Load ===\n[[step::Principle:A]]\nOne.\n"
            "== Step 2: Train ==\n[[step::Principle:B]]\nTwo.\n"
            "=== Evaluate ===\n[[step::Principle:C]]\nThree.\n"
            "=== Notes ===\nNo link: a section.\n=== Step 4: Ship ===\nFour.\n"
            "== Related Pages ==\n=== Execution Steps ===\n* [[step::Principle:A]] - Step 1\n")
    page = parse_page(text)
    assert [(s.number, s.name, s.target, s.body) for s in page.steps] == [
        (1, "Load", "Principle:A", "One."), (2, "Train", "Principle:B", "Two."),
        (None, "Evaluate", "Principle:C", "Three."), (4, "Ship", None, "Four.")]
    assert [s.title for s in page.sections] == ["Notes"]
    found = [(p.code, text[p.span.start:p.span.end]) for p in page.problems]
    assert found == [("section-level", "== Step 2: Train =="),
                     ("step-number-missing", "=== Evaluate ===")]
    assert [r.principle for r in page.related_steps] == ["A"]


def test_related_pages_tails_and_flat_lists() -> None:
    text = ("== Related Pages ==\n* [[step::Principle:A]]\nSome note.\n"
            "=== Execution Steps ===\n* [[step::Principle:B]] - Step 2: Loading\n"
            "* [[step::Principle:C]] - Steps 3, 4: Merge\n"
            "=== Tips and Tricks ===\n* [[uses_heuristic::Heuristic:H]] - saves memory\n")
    page = parse_page(text)
    assert [(r.principle, r.step, r.note) for r in page.related_steps] == [
        ("A", None, ""), ("B", 2, ": Loading"), ("C", None, " - Steps 3, 4: Merge")]
    assert [(h.name, h.note) for h in page.heuristics] == [("H", " - saves memory")]
    assert page.extras["related_pages"] == "Some note."


def test_unknown_sections_and_rows_are_kept_with_anchor() -> None:
    text = ("{| class=\"wikitable\"\n|-\n! Stars\n| 41,200\n|}\n"
            "== Overview ==\nGoal.\n\n== GitHub URL ==\nhttps://github.com/x/y\n")
    page = parse_page(text)
    assert [(r.header, r.value) for r in page.metadata_rows] == [("Stars", "41,200")]
    assert [(s.title, s.level, s.body, s.after) for s in page.sections] == [
        ("GitHub URL", 2, "https://github.com/x/y", "overview")]


def test_duplicate_and_misleveled_sections_are_problems() -> None:
    text = "== Overview ==\nA.\n== Description ==\nB.\n== Overview ==\nC.\n"
    page = parse_page(text)
    codes = {(p.code, p.severity) for p in page.problems}
    assert ("section-level", Severity.WARNING) in codes
    assert ("duplicate-section", Severity.ERROR) in codes
    assert page.overview == "A." and page.description == "B."
    assert [s.body for s in page.sections] == ["C."]


def test_metadata_text_outside_annotations_is_kept() -> None:
    text = ("{|\n|-\n! Last Updated\n| 2024-01-01 (manual)\n|-\n! Domains\n"
            "| [[domain::A]], [[domain::B]]\n|}\n")
    page = parse_page(text)
    assert page.last_updated is None
    assert page.extras["meta:last_updated"] == "2024-01-01 (manual)"
    assert [d.name for d in page.domains] == ["A", "B"]


def test_dates_in_other_forms() -> None:
    def date_of(raw: str) -> datetime | None:
        return parse_page(f"{{|\n|-\n! Last Updated\n| [[last_updated::{raw}]]\n|}}\n").last_updated

    assert date_of("2026-01-12") == datetime(2026, 1, 12, tzinfo=timezone.utc)
    assert date_of("2026-01-12T10:30:00Z") == datetime(2026, 1, 12, 10, 30, tzinfo=timezone.utc)
    assert date_of("yesterday") is None


def test_markdown_title_line_gives_title_when_none_given() -> None:
    assert parse_page("# Workflow: CLI_Finetuning\n\n== Overview ==\nX.\n").title == \
        "CLI_Finetuning"
    assert parse_page("# Workflow: A\n", "B").title == "B"


def test_bom_and_crlf() -> None:
    page = parse_page("\ufeff== Overview ==\r\nGoal.\r\n".encode())
    assert page.overview == "Goal." and page.newline == "\r\n"
    assert page.spans["overview"].line == 1


def test_other_encoding_is_reported_by_name_and_position() -> None:
    page = parse_page("== Overview ==\ncaf\u00e9\n".encode("latin-1"), path="x.wiki")
    problem = page.problems[0]
    assert problem.code == "encoding"
    assert "x.wiki" in problem.message and "line 2, column 4" in problem.message
    assert page.overview == "caf\ufffd"


def test_truncated_page_gives_model_and_problems() -> None:
    text = "{| class=\"wikitable\"\n|-\n! Domains\n| [[domain::A]], [[dom"
    page = parse_page(text)
    assert [d.name for d in page.domains] == ["A"]
    assert {p.code for p in page.problems} >= {"unclosed-table", "unclosed-link"}


def test_mermaid_problems_reach_the_page() -> None:
    text = "== Execution Diagram ==\n{{#mermaid:graph TD\n    A[Load (4-bit)] --> B\n}}\n"
    page = parse_page(text)
    assert any(p.code.startswith("mermaid") for p in page.problems)
    assert page.problems[0].span.line == 3


def test_second_diagram_is_reported_and_kept() -> None:
    text = ("== Execution Diagram ==\n{{#mermaid:graph TD\n A --> B\n}}\n"
            "{{#mermaid:graph TD\n C --> D\n}}\n")
    page = parse_page(text)
    assert [p.code for p in page.problems] == ["extra-diagram"]
    assert "C --> D" in page.extras["execution_diagram"]
    unread = parse_page(text, diagram=False)
    assert unread.diagram is None and [p.code for p in unread.problems] == ["extra-diagram"]
    assert unread.extras == page.extras


@given(st.tuples(st.sampled_from([b"", b"\xef\xbb\xbf"]), st.binary()).map(b"".join))
def test_bytes_decode_as_utf_8_sig_does(data: bytes) -> None:
    text, _, problems = decode_page(data)
    # Line ends as MediaWiki stores them: CRLF and a lone CR are each one "\n".
    assert text == data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n").replace(
        "\r", "\n")
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        assert f"byte 0x{data[error.start]:02X}" in problems[0].message
    else:
        assert problems == []


_GUIDE_TITLES = {*TOP_SECTIONS, *SUB_SECTIONS}
_TITLE = st.one_of(st.text(st.sampled_from("abcXYZ019 :-.()"), min_size=1, max_size=30)
                   .filter(str.strip),
                   st.sampled_from(["Step 2: Train", "step3", "Usage", "Tips and Tricks",
                                    "Execution Steps", "Notes"]))


def _fold(title: str) -> str:
    return " ".join(title.split()).casefold()


@given(st.lists(st.tuples(st.integers(2, 5), _TITLE, st.booleans())
                .map(lambda h: (max(h[0], 3), *h[1:]) if _fold(h[1]) in _GUIDE_TITLES else h),
                min_size=1, max_size=6))
def test_every_heading_among_the_steps_with_a_step_link_or_a_number_is_a_step(
        headings: list[tuple[int, str, bool]]) -> None:
    # Each heading below Execution Steps is a step, in order, when it says "Step N" or (below
    # level 2) carries a step link and is no guide section (those are sub-headings here: a
    # level-2 one would end the steps); everything else stays a section, and rendering the
    # page and reading it again keeps the steps.
    blocks = [f"{'=' * level} {title} {'=' * level}\n"
              + (f"[[step::Principle:P{n}]]\n" if linked else "") + f"Body {n}.\n"
              for n, (level, title, linked) in enumerate(headings)]
    page = parse_page("== Execution Steps ==\n" + "".join(blocks))
    expected = []
    for n, (level, title, linked) in enumerate(headings):
        name, folded = title.strip(), _fold(title)
        numbered = re.match(r"step\s*(\d+)", name, re.IGNORECASE)
        if numbered or (linked and level > 2 and name and folded not in _GUIDE_TITLES):
            expected.append((f"Principle:P{n}" if linked else None, numbered is None))
    assert [(s.target, s.number is None) for s in page.steps] == expected
    unnumbered = [p for p in page.problems if p.code == "step-number-missing"]
    assert len(unnumbered) == sum(missing for _, missing in expected)
    again = parse_page(render_page(page))
    assert [(s.number, s.name, s.target) for s in again.steps] == [
        (s.number, s.name, s.target) for s in page.steps]


_DATE_FORMATS_AS_WRITTEN = ("%Y-%m-%d %H:%M GMT", "%Y-%m-%d")


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)),
       st.sampled_from(_DATE_FORMATS_AS_WRITTEN), st.integers(0, 99), st.integers(0, 99),
       st.booleans())
def test_parse_date_reads_the_guide_forms_as_strptime_does(moment, fmt, hour, day, broken):
    """The guide's two forms take a fast path; it must agree with ``strptime`` on every value,
    impossible days and times (``2025-02-30``, ``25:61``) included."""
    raw = moment.strftime(fmt)
    if broken:  # an impossible day or time, written in the guide's shape
        raw = f"{raw[:8]}{day:02d}{raw[10:]}"
        if len(raw) > 10:
            raw = f"{raw[:11]}{hour:02d}{raw[13:]}"
    try:
        expected = datetime.strptime(raw, fmt).replace(tzinfo=timezone.utc)
    except ValueError:
        expected = None
    assert parse_date(raw) == expected
    assert parse_date(f"  {raw}\n") == expected
