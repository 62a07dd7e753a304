"""#ask queries against a small hand-built index (schema.sql filled by INSERTs, as the indexer fills
it), and against the example wiki indexed by the store."""

from __future__ import annotations

import sqlite3
from importlib import resources

import pytest
from hypothesis import example, given, reject, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_WIKI
from wikiflow.graph.ask import (
    AskError,
    CategoryCondition,
    NamespaceCondition,
    Or,
    PageCondition,
    PropertyCondition,
    Subquery,
    Value,
    ask_result,
    compile_ask,
    parse_ask,
    run_ask,
)
from wikiflow.graph.records import julian_day, page_value
from wikiflow.page.parse import parse_date
from wikiflow.graph.indexer import index_folder
from wikiflow.graph.store import Store


# key: (exists, domains, last_updated as written, gpu_memory, steps, heuristics, categories)
PAGES: dict[str, tuple] = {
    "Workflow:QLoRA_Fine_Tuning": (
        1, ["Fine_Tuning", "LLMs"], "2024-05-01 10:00 GMT", 24,
        # The step summary list repeats the steps, as real pages do; printouts show them once.
        ["Principle:Quantization", "Principle:LoRA_Adapters", "Principle:Evaluation",
         "Principle:Quantization"],
        ["Heuristic:Small_Batch_Size"], ["Workflows"]),
    "Workflow:LoRA_Fine_Tuning": (
        1, ["Fine Tuning"], "2023-11-20", 16,
        ["Principle:LoRA Adapters", "Principle:Evaluation"], [], ["Workflows"]),
    "Workflow:Model_Serving": (
        1, ["Inference", "LLMs"], "2025-01-15 08:30 GMT", 80,
        ["Principle:Quantization", "Principle:Batching"], ["Heuristic:Warm_Cache"],
        ["Workflows", "Serving"]),
    "Workflow:Data_Pipeline": (
        1, ["Data_Engineering"], None, None, ["Principle:Data_Formatting"], [], ["Workflows"]),
    "Principle:Quantization": (
        1, ["Fine_Tuning", "Inference"], "2024-02-10", None, [], [], ["Principles"]),
    "Principle:LoRA_Adapters": (1, ["Fine_Tuning"], "2024-03-01", None, [], [], ["Principles"]),
    "Principle:Evaluation": (1, ["Evaluation"], None, None, [], [], ["Principles"]),
    "Principle:Data_Formatting": (1, ["Data_Engineering"], None, None, [], [], ["Principles"]),
    "Principle:Batching": (0, [], None, None, [], [], []),
    "Heuristic:Small_Batch_Size": (1, ["Fine_Tuning"], None, None, [], [], ["Heuristics"]),
    "Heuristic:Warm_Cache": (1, ["LLMs"], None, None, [], [], ["Heuristics"]),
}

QLORA, LORA, SERVING, PIPELINE = ("Workflow:QLoRA_Fine_Tuning", "Workflow:LoRA_Fine_Tuning",
                                  "Workflow:Model_Serving", "Workflow:Data_Pipeline")
QUANT, ADAPTERS, EVAL, FORMATTING, BATCHING = (
    "Principle:Quantization", "Principle:LoRA_Adapters", "Principle:Evaluation",
    "Principle:Data_Formatting", "Principle:Batching")
SMALL, WARM = "Heuristic:Small_Batch_Size", "Heuristic:Warm_Cache"
EXISTING = sorted(key for key, row in PAGES.items() if row[0])


def build_index() -> sqlite3.Connection:
    """The schema filled the way the store fills it (``records._props``): a value of a Page
    property as its page's key, other values as written; numbers and dates derived."""
    conn = sqlite3.connect(":memory:")
    conn.executescript(resources.files("wikiflow.graph").joinpath("schema.sql").read_text())
    ids = {key: i for i, key in enumerate(PAGES, start=1)}
    for key, (exists, *_rest) in PAGES.items():
        namespace, _, title = key.partition(":")
        conn.execute("INSERT INTO pages (id, key, namespace, title, exists_) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (ids[key], key, namespace, title.replace("_", " "), exists))
    for key, (_, domains, updated, gpu, steps, heuristics, categories) in PAGES.items():
        page, line = ids[key], iter(range(1, 100))
        for domain in domains:
            _page_value(conn, ids, page, "domain", domain, None, next(line))
        if updated:
            conn.execute("INSERT INTO props (page, property, value, number, line) "
                         "VALUES (?, 'last_updated', ?, ?, ?)",
                         (page, updated, julian_day(parse_date(updated)), next(line)))
        if gpu is not None:
            _page_value(conn, ids, page, "gpu_memory", str(gpu), gpu, next(line))
        conn.execute("INSERT INTO props (page, property, value, line) VALUES (?, 'source', ?, ?)",
                     (page, "Repo", next(line)))
        _links(conn, ids, page, "step", steps, line)
        _links(conn, ids, page, "uses_heuristic", heuristics, line)
        conn.executemany("INSERT INTO categories (page, name) VALUES (?, ?)",
                         [(page, name) for name in categories])
    return conn


def _page_value(conn: sqlite3.Connection, ids: dict[str, int], page: int, prop: str,
                value: str, number: float | None, line: int) -> int | None:
    """A props row of a Page property, its value the page's key; the page's id if it has one."""
    key = page_value(value)
    conn.execute("INSERT INTO props (page, property, value, number, line) "
                 "VALUES (?, ?, ?, ?, ?)", (page, prop, key, number, line))
    return ids.get(key)


def _links(conn: sqlite3.Connection, ids: dict[str, int], page: int, prop: str,
           values: list[str], line) -> None:
    for position, value in enumerate(values):
        number = next(line)
        target = _page_value(conn, ids, page, prop, value, None, number)
        conn.execute("INSERT INTO edges (source, target, property, step_number, position, line, "
                     "column_) VALUES (?, ?, ?, ?, ?, ?, 1)",
                     (page, target, prop, position + 1 if prop == "step" else None, position,
                      number))


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    return build_index()


def pages(conn: sqlite3.Connection, query: str) -> list[str]:
    return [row["page"] for row in run_ask(conn, query)]


# ── Conditions ───────────────────────────────────────────────────────────────────────────────

CASES = [
    # property values: as written, page-normalised, through the target page
    ("[[step::Principle:Quantization]]", [SERVING, QLORA]),
    ("[[step::principle:quantization]]", [SERVING, QLORA]),
    ("[[Step::Principle:Quantization]]", [SERVING, QLORA]),
    ("[[uses heuristic::Heuristic:Warm Cache]]", [SERVING]),
    ("[[step::Principle:LoRA_Adapters]]", [LORA, QLORA]),
    ("[[step::Principle:Quantization]] [[domain::Fine_Tuning]]", [QLORA]),
    ("[[domain::Fine Tuning]]", [SMALL, ADAPTERS, QUANT, LORA, QLORA]),
    ("[[domain::Nothing]]", []),
    # ! is SMW's "some value differs": Warm_Cache has only LLMs
    ("[[domain::!LLMs]]", [x for x in EXISTING if x != WARM]),
    ("[[domain::!LLMs]] [[Heuristic:+]]", [SMALL]),
    ("[[-step::!Workflow:QLoRA_Fine_Tuning]]", [FORMATTING, ADAPTERS, EVAL, QUANT]),
    ("[[last_updated::+]]", [ADAPTERS, QUANT, LORA, SERVING, QLORA]),
    ("[[domain::~Fine*]]", [SMALL, ADAPTERS, QUANT, LORA, QLORA]),
    ("[[domain::~*Engineer*]]", [FORMATTING, PIPELINE]),
    # Case-sensitive, as SMW's ~ (q-0903); a space matches the key's _.
    ("[[domain::~*engineer*]]", []),
    ("[[domain::~Fine tuning]]", []),
    ("[[domain::~Fine Tuning]]", [SMALL, ADAPTERS, QUANT, LORA, QLORA]),
    ("[[domain::~LLM?]]", [WARM, SERVING, QLORA]),
    ("[[domain::~100%]]", []),
    ("[[domain::!~*Tuning]]", [WARM, EVAL, FORMATTING, QUANT, PIPELINE, SERVING, QLORA]),
    # numbers: < and > include the bound, << and >> do not
    ("[[gpu_memory::<24]]", [LORA, QLORA]),
    ("[[gpu_memory::<<24]]", [LORA]),
    ("[[gpu_memory::>24]]", [SERVING, QLORA]),
    ("[[gpu_memory::>>24]]", [SERVING]),
    ("[[gpu_memory::≥80]]", [SERVING]),
    ("[[gpu_memory::>1.5e1]] [[gpu_memory::<<2.4e1]]", [LORA]),
    # dates compare as Julian days, to the minute
    ("[[last_updated::>2024-03-01]]", [ADAPTERS, SERVING, QLORA]),
    ("[[last_updated::>>2024-03-01]]", [SERVING, QLORA]),
    ("[[last_updated::<2024-05-01 10:00 GMT]]", [ADAPTERS, QUANT, LORA, QLORA]),
    ("[[last_updated::<<2024-05-01 10:00]]", [ADAPTERS, QUANT, LORA]),
    ("[[last_updated::>2025-01-15T08:30:00Z]]", [SERVING]),
    ("[[domain::Inference||Data_Engineering]]", [FORMATTING, QUANT, PIPELINE, SERVING]),
    ("[[domain::Inference|| ~Data*]]", [FORMATTING, QUANT, PIPELINE, SERVING]),
    # pages, namespaces, categories
    ("[[Principle:Quantization]]", [QUANT]),
    ("[[principle:quantization]]", [QUANT]),
    ("[[Principle:Batching]]", [BATCHING]),
    ("[[Principle:Quantization||Heuristic:Warm_Cache]]", [WARM, QUANT]),
    ("[[Principle:Quantization]] [[domain::Evaluation]]", []),
    ("[[Workflow:+]]", [PIPELINE, LORA, SERVING, QLORA]),
    ("[[Principle:+]]", [EVAL, FORMATTING, ADAPTERS, QUANT]),
    ("[[:+]]", []),
    ("[[:Category:+]]", []),
    ("[[~Workflow:*Fine*]]", [LORA, QLORA]),
    ("[[~Heuristic:*]]", [SMALL, WARM]),
    # A pattern looks within one namespace; its prefix is read as a page name's is.
    ("[[~heuristic:*]]", [SMALL, WARM]),
    ("[[~*Fine*]]", []),
    ("[[Workflow:~*Fine*]]", [LORA, QLORA]),
    ("[[!~Workflow:*Fine*]]", [PIPELINE, SERVING]),
    ("[[Workflow:!~*Fine*]]", [PIPELINE, SERVING]),
    ("[[!Workflow:Model_Serving]] [[Workflow:+]]", [PIPELINE, LORA, QLORA]),
    ("[[Workflow:+]] AND [[domain::LLMs]]", [SERVING, QLORA]),
    ("[[Category:Workflows]]", [PIPELINE, LORA, SERVING, QLORA]),
    ("[[Category:Serving||Heuristics]]", [SMALL, WARM, SERVING]),
    ("[[Category:Serving||Category:Heuristics]]", [SMALL, WARM, SERVING]),
    ("[[Category:+]]", EXISTING),
    ("[[Category:Workflows]] [[domain::LLMs]]", [SERVING, QLORA]),
    # OR, groups, subqueries, inverse properties, chains
    ("[[domain::Inference]] OR [[domain::Data_Engineering]]",
     [FORMATTING, QUANT, PIPELINE, SERVING]),
    ("[[domain::Inference]] || [[domain::Data_Engineering]]",
     [FORMATTING, QUANT, PIPELINE, SERVING]),
    ("[[Workflow:+]] [[domain::LLMs]] OR [[Heuristic:+]]", [SMALL, WARM, SERVING, QLORA]),
    ("<q>[[domain::Inference]] OR [[domain::Fine_Tuning]]</q> [[Workflow:+]]",
     [LORA, SERVING, QLORA]),
    ("[[step::<q>[[domain::Inference]] [[Principle:+]]</q>]]", [SERVING, QLORA]),
    ("[[uses_heuristic::<q>[[domain::LLMs]]</q>]]", [SERVING]),
    ("[[step::<q>[[Principle:Batching]]</q>||Principle:Data_Formatting]]", [PIPELINE, SERVING]),
    ("[[-step::Workflow:QLoRA_Fine_Tuning]]", [EVAL, ADAPTERS, QUANT]),
    ("[[-step::Workflow:Model_Serving]]", [QUANT]),
    ("[[-step::+]]", [EVAL, FORMATTING, ADAPTERS, QUANT]),
    ("[[-step::<q>[[domain::Inference]]</q>]]", [QUANT]),
    ("[[-uses_heuristic::~Workflow:Q*]]", [SMALL]),
    ("[[-step::!~Workflow:*Fine*]]", [FORMATTING, QUANT]),
    ("[[step.domain::Inference]]", [SERVING, QLORA]),
    ("[[step.-step::Workflow:Data_Pipeline]]", [PIPELINE]),
    ("{{#ask: [[Workflow:+]]\n  [[domain::LLMs]]\n}}", [SERVING, QLORA]),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[case[0] for case in CASES])
def test_conditions_select_exactly(conn: sqlite3.Connection, query: str,
                                   expected: list[str]) -> None:
    assert pages(conn, query) == sorted(expected)


TESTABLE = [case for case in CASES if not case[0].startswith("{{") and BATCHING not in case[1]]


@pytest.mark.parametrize(("query", "expected"), TESTABLE, ids=[case[0] for case in TESTABLE])
def test_conditions_as_tests_of_one_page(conn: sqlite3.Connection, query: str,
                                         expected: list[str]) -> None:
    """Beside a page condition (which always drives), a condition is compiled as a per-page test."""
    for page in EXISTING:
        assert pages(conn, f"[[{page}]] <q>{query}</q>") == ([page] if page in expected else [])


def test_parse_builds_the_condition_tree() -> None:
    query = parse_ask("[[Step::<q>[[Principle:+]]</q>||!X]] OR [[Category:A||B]]")
    assert query.conditions == Or((
        PropertyCondition("step", False, (Subquery(NamespaceCondition("Principle")),
                                          Value("!", "X"))),
        Or((CategoryCondition("A"), CategoryCondition("B")))))
    assert parse_ask("[[Principle:Quantization]]").conditions == PageCondition(QUANT)
    assert parse_ask("[[x::>2024-01-01 10:00 GMT]]").conditions.values == (
        Value(">=", "2024-01-01 10:00 GMT", julian_day(parse_date("2024-01-01 10:00 GMT"))),)
    assert parse_ask("[[x::<<1,000]]").conditions.values == (Value("<", "1,000", 1000.0),)


def test_compile_binds_every_user_value() -> None:
    sql, params = compile_ask(parse_ask("[[source::'; DROP TABLE pages; --]] |sort=domain"))
    assert "DROP" not in sql and "'; DROP TABLE pages; --" in params


# ── Printouts, sort, limit, offset ───────────────────────────────────────────────────────────


def test_printouts_give_page_keys_and_values_as_written(conn: sqlite3.Connection) -> None:
    """A Page property's values are page keys (``Fine Tuning`` is ``Fine_Tuning``); a Date's
    are as written."""
    rows = run_ask(conn, "[[Workflow:+]] [[gpu_memory::+]] |?step |?domain=Domains "
                         "|?last_updated |?Category |?-uses_heuristic=Used by")
    assert rows == [
        {"page": LORA, "step": [ADAPTERS, EVAL], "Domains": ["Fine_Tuning"],
         "last_updated": ["2023-11-20"], "Category": ["Category:Workflows"], "Used by": []},
        {"page": SERVING, "step": [QUANT, BATCHING], "Domains": ["Inference", "LLMs"],
         "last_updated": ["2025-01-15 08:30 GMT"],
         "Category": ["Category:Serving", "Category:Workflows"], "Used by": []},
        {"page": QLORA, "step": [QUANT, ADAPTERS, EVAL], "Domains": ["Fine_Tuning", "LLMs"],
         "last_updated": ["2024-05-01 10:00 GMT"], "Category": ["Category:Workflows"],
         "Used by": []},
    ]


def test_inverse_printout(conn: sqlite3.Connection) -> None:
    assert run_ask(conn, "[[Principle:Quantization]] OR [[Heuristic:+]] |?-step=Used in "
                         "|?-uses_heuristic") == [
        {"page": SMALL, "Used in": [], "-uses_heuristic": [QLORA]},
        {"page": WARM, "Used in": [], "-uses_heuristic": [SERVING]},
        {"page": QUANT, "Used in": [SERVING, QLORA], "-uses_heuristic": []},
    ]


def test_sort_by_property_keeps_only_pages_with_it(conn: sqlite3.Connection) -> None:
    """As SMW (without SMW_QSORT_UNCONDITIONAL): the pages without a value are dropped."""
    dated = [SERVING, QLORA, ADAPTERS, QUANT, LORA]
    assert pages(conn, "[[domain::+]] |sort=last_updated |order=desc") == dated
    assert pages(conn, "[[domain::+]] |sort=last_updated") == dated[::-1]


def test_sort_by_several_keys_and_page_name(conn: sqlite3.Connection) -> None:
    assert pages(conn, "[[Workflow:+]] |sort=gpu_memory |order=descending") == [
        SERVING, QLORA, LORA]
    assert pages(conn, "[[Workflow:+]] |order=desc") == sorted([PIPELINE, LORA, SERVING, QLORA],
                                                              reverse=True)
    assert pages(conn, "[[Category:+]] |sort=source,,domain |order=asc,desc") == sorted(
        EXISTING, reverse=True)


def test_limit_offset_and_default_limit(conn: sqlite3.Connection) -> None:
    everything = pages(conn, "[[domain::+]]")
    assert pages(conn, "[[domain::+]] |limit=3") == everything[:3]
    assert pages(conn, "[[domain::+]] |limit=3 |offset=2") == everything[2:5]
    assert pages(conn, "[[domain::+]] |offset=8") == everything[8:]
    assert pages(conn, "[[domain::+]] |limit=0") == []
    assert len(run_ask(conn, "[[domain::+]]", default_limit=4)) == 4
    assert len(run_ask(conn, "[[domain::+]] |limit=6", default_limit=4)) == 6


def test_mainlabel_and_format_change_nothing_and_say_so(conn: sqlite3.Connection) -> None:
    result = ask_result(conn, "[[Workflow:+]] |mainlabel=Recipe |format=table |Limit=1")
    assert [row["page"] for row in result.rows] == [PIPELINE]
    assert [w.split("'")[1] for w in result.warnings] == ["mainlabel", "format"]
    assert "'mainlabel=Recipe'" in result.warnings[0]
    assert ask_result(conn, "[[Workflow:+]] |limit=1").warnings == []


def test_sort_by_a_property_no_page_has_says_why_nothing_is_found(
        conn: sqlite3.Connection) -> None:
    result = ask_result(conn, "[[Workflow:+]] |sort=gpu_memroy")
    assert result.rows == [] and len(result.warnings) == 1
    assert "'gpu_memroy'" in result.warnings[0]
    assert ask_result(conn, "[[Workflow:+]] |sort=gpu_memory").warnings == []


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(0, 12), offset=st.integers(0, 12), descending=st.booleans(),
       key=st.sampled_from(["", "last_updated", "gpu_memory", "domain"]))
def test_limit_and_offset_slice_the_sorted_results(limit: int, offset: int, descending: bool,
                                                   key: str) -> None:
    conn = build_index()
    order = "desc" if descending else "asc"
    query = f"[[Category:+]] |sort={key} |order={order}"
    everything = pages(conn, query + " |limit=100")
    having = pages(conn, f"[[Category:+]] [[{key}::+]]") if key else EXISTING
    assert sorted(everything) == having
    assert pages(conn, f"{query} |limit={limit} |offset={offset}") == \
        everything[offset:offset + limit]


# ── Errors ───────────────────────────────────────────────────────────────────────────────────

ERRORS = [
    ("[[domain::LLMs]] [[step::Foo", 28, "expected ']]' to close '[[step::…'"),
    ("[[step::<q>[[domain::X]]]]", 24, "expected '</q>' to close '<q>[[domain::X]]'"),
    ("[[step::<q>[[domain::X]]", 24, "expected '</q>'"),
    ("[[::X]]", 2, "expected a property name before '::'"),
    ("[[ ::X]]", 3, "expected a property name before '::'"),
    ("[[step.::X]]", 7, "expected a property name"),
    ("[[Principle:X::Y]]", 2, "expected a property name"),
    ("[[domain::]]", 10, "expected a value in '[[domain::…'"),
    ("[[domain::A|B]]", 11, "use '||' between alternative values"),
    ("[[domain::!]]", 11, "expected a value after '!'"),
    ("[[gpu_memory::>lots]]", 15, "expected a number or a date"),
    ("[[gpu_memory::<<]]", 16, "expected a number or a date"),
    ("[[last_updated::>2024-02-30]]", 17, "but found '2024-02-30'"),
    ("[[-step::>5]]", 9, "the values of an inverse property are pages"),
    ("[[-step::Principle:[x]]]", 9, "expected a page name"),
    ("[[Foo:+]]", 2, "expected a namespace before ':+'"),
    ("[[Category:]]", 2, "expected a category name"),
    ("[[Principle:Quantization", 24, "expected ']]' to close '[[Principle:Quantiza…'"),
    ("[[Principle:A [[B]]", 14, "expected ']]'"),
    ("[[~]]", 3, "expected a page name pattern"),
    ("[[]]", 2, "expected a page name"),
    ("", 0, "expected a condition '[[…]]' but the query ends"),
    ("   |limit=5", 3, "expected a condition"),
    ("[[Workflow:+]] junk", 15, "expected '[[', 'OR' or '|' but found 'junk'"),
    ("[[Workflow:+]] OR", 17, "expected a condition"),
    ("[[Workflow:+]] </q>", 15, "expected '[[', 'OR' or '|'"),
    ("{{#ask: [[Workflow:+]]", 22, "expected '}}' to close '{{#ask:'"),
    ("[[Workflow:+]] |limt=5", 16, "unknown parameter 'limt'"),
    ("[[Workflow:+]] |headers=hide", 16, "unknown parameter 'headers'"),
    ("[[Workflow:+]] |limit=ten", 22, "expected a whole number for 'limit' but found 'ten'"),
    ("[[Workflow:+]] |limit=-1", 22, "expected a whole number"),
    ("[[Workflow:+]] |limit=99999", 22, "'limit' may be at most 10000"),
    ("[[Workflow:+]] |offset=1.5", 23, "expected a whole number for 'offset'"),
    ("[[Workflow:+]] | order = random", 25, "expected 'asc' or 'desc' in 'order' but found"),
    ("[[Workflow:+]] |order=desc,asc", 22, "'order' gives 2 directions but 'sort' names 1 keys"),
    ("[[Workflow:+]] |sort=a,b#c", 23, "expected property names in 'sort' but found 'b#c'"),
    ("[[Workflow:+]] |sort=domain, -step", 29, "inverse properties and Category cannot sort"),
    ("[[Workflow:+]] |sort=Category", 21, "expected property names in 'sort'"),
    ("[[Workflow:+]] |?", 17, "expected a property name after '?'"),
    ("[[Workflow:+]] |?step#-", 17, "expected a property name after '?' but found 'step#-'"),
    ("[[Workflow:+]] |?step |?domain=step", 23, "printout label 'step' is already taken"),
    ("[[Workflow:+]] |?domain=page", 16, "printout label 'page' is already taken"),
    ("[[Workflow:+]] |step", 16, "expected a parameter 'name=value' or a printout '?property'"),
    ("<q>" * 9 + "[[A]]" + "</q>" * 9, 24, "subqueries nest deeper than 8"),
    ("[[a.b.c.d.e.f.g.h.i.j::X]]", 0, "property chains and subqueries nest deeper than 8"),
    ("[[x::" + "||".join(["a"] * 70) + "]]", 194, "more than 64 conditions and values"),
]


@pytest.mark.parametrize(("query", "position", "message"), ERRORS,
                         ids=[case[0][:40] for case in ERRORS])
def test_errors_say_where_and_what_was_expected(query: str, position: int, message: str) -> None:
    with pytest.raises(AskError) as caught:
        parse_ask(query)
    assert message in caught.value.message
    assert caught.value.position == position


def test_error_text_has_line_and_column() -> None:
    with pytest.raises(AskError) as caught:
        parse_ask("[[domain::LLMs]] [[step::Foo")
    assert str(caught.value) == \
        "query:1:29: expected ']]' to close '[[step::…' but the query ends"
    with pytest.raises(AskError) as caught:
        parse_ask("{{#ask: [[Workflow:+]]\n |limit=ten\n}}")
    assert str(caught.value).startswith("query:2:9: expected a whole number")


# ── Properties ───────────────────────────────────────────────────────────────────────────────

TOKENS = ["[[", "]]", "::", "<q>", "</q>", "||", "|", " OR ", "domain", "step", "-step",
          "Principle:Quantization", "Workflow:", "Category:", ":", "+", "!", "~", "*", "?", "<",
          ">>", "2024-01-01", "5", "=", "limit=3", "sort=", "order=desc", "?step", ".", " ",
          "{{#ask:", "}}", "\n", "é", "#"]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_raises_nothing_but_ask_error_on_any_text(text: str) -> None:
    try:
        parse_ask(text)
    except AskError as error:
        assert 0 <= error.position <= len(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=24).map("".join))
def test_whatever_parses_runs(text: str) -> None:
    try:
        parse_ask(text)
    except AskError as error:
        assert 0 <= error.position <= len(text)
        return
    run_ask(CONN, text)


CONN = build_index()

FORWARD_VALUES = ["+", "LLMs", "Fine Tuning", "!LLMs", "~Fine*", "!~*Tuning", ">20", "<<80",
                  "<2024-03-01", "Principle:Quantization", "principle:lora adapters",
                  "Principle:Batching"]
INVERSE_VALUES = ["+", "Workflow:QLoRA_Fine_Tuning", "!Workflow:Model_Serving", "~Workflow:*Fine*",
                  "!~*Pipeline"]
PAGE_CONDITIONS = ["[[Principle:Quantization]]", "[[Workflow:+]]", "[[Principle:+]]",
                   "[[Category:Workflows]]", "[[Category:Heuristics||Serving]]",
                   "[[~Workflow:*Fine*]]", "[[Category:+]]", "[[Heuristic:Warm_Cache]]",
                   "[[!Principle:Quantization]]", "[[Workflow:!~*Fine*]]",
                   "[[Category:!Workflows]]"]


def _property_conditions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    subquery = inner.map(lambda text: f"<q>{text}</q>")
    forward = st.tuples(st.sampled_from(["domain", "gpu_memory", "last_updated", "step",
                                         "uses_heuristic", "step.domain"]),
                        st.lists(st.sampled_from(FORWARD_VALUES) | subquery,
                                 min_size=1, max_size=3))
    inverse = st.tuples(st.sampled_from(["-step", "-uses_heuristic"]),
                        st.lists(st.sampled_from(INVERSE_VALUES) | subquery,
                                 min_size=1, max_size=3))
    return (forward | inverse).map(lambda pair: f"[[{pair[0]}::{'||'.join(pair[1])}]]")


def _combined(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(inner, inner)
    return (pair.map(lambda p: f"<q>{p[0]}</q> <q>{p[1]}</q>")
            | pair.map(lambda p: f"<q>{p[0]}</q> OR <q>{p[1]}</q>")
            | _property_conditions(inner))


#: Conditions over existing pages only, so that "named pages are results" cannot blur the algebra.
CONDITIONS = st.recursive(st.sampled_from(PAGE_CONDITIONS) | _property_conditions(st.nothing()),
                          _combined, max_leaves=4)


def _selected(text: str) -> set[str]:
    """The pages ``text`` selects; a query nested past MAX_DEPTH is no example of the algebra
    (combining two conditions nests each one level deeper)."""
    try:
        parse_ask(text)
    except AskError:
        reject()
    return set(pages(CONN, text + " |limit=100"))


@settings(max_examples=150, deadline=None)
@given(CONDITIONS, CONDITIONS)
# a negated page in a subquery, tested per candidate, over values that are no page
@example("[[domain::<q>[[!Principle:Quantization]]</q>]]", "[[Category:Workflows]]")
def test_and_is_intersection_and_or_is_union(a: str, b: str) -> None:
    """The driving form (IN) and the testing form (EXISTS) of each condition agree."""
    first, second = _selected(a), _selected(b)
    assert first <= set(EXISTING)
    assert _selected(f"<q>{a}</q> <q>{b}</q>") == first & second
    assert _selected(f"<q>{b}</q> <q>{a}</q>") == first & second
    assert _selected(f"<q>{a}</q> AND <q>{b}</q>") == first & second
    assert _selected(f"<q>{a}</q> OR <q>{b}</q>") == first | second


#: Conditions nested as deep as the language allows and deeper: chains, inverses, ORs.
DEEP_CONDITIONS = st.recursive(st.sampled_from(PAGE_CONDITIONS)
                               | _property_conditions(st.nothing()), _combined, max_leaves=16)


@settings(max_examples=200, deadline=None)
@given(DEEP_CONDITIONS)
def test_a_query_within_the_depth_limit_stays_within_sqlites_limits(text: str) -> None:
    """MAX_DEPTH is checked when a query is read, so that its SQL never meets SQLite's own
    limits (its parser stack held some eight nested subqueries of this SQL)."""
    try:
        parse_ask(text)
    except AskError as error:
        assert "deeper than" in error.message or "more than" in error.message, error.message
        return
    run_ask(CONN, text + " |limit=5")


def _nested(prop: str, levels: int) -> str:
    query = "[[domain::LLMs]]"
    for _ in range(levels):
        query = f"[[{prop}::<q>{query}</q>]]"
    return query


@pytest.mark.parametrize("prop", ["domain", "step.domain", "step.domain.domain", "-step",
                                  "-step.domain"])
def test_the_deepest_query_of_each_shape_runs(prop: str) -> None:
    levels = 0
    while True:
        try:
            parse_ask(_nested(prop, levels + 1))
        except AskError:
            break
        levels += 1
    assert levels >= 2
    for query in (_nested(prop, levels), f"[[Workflow:+]] OR {_nested(prop, levels)}",
                  f"[[Workflow:+]] {_nested(prop, levels)} |sort=last_updated"):
        run_ask(CONN, query)


def test_a_query_beyond_sqlites_limits_is_an_ask_error() -> None:
    """The safety net for limits SQLite was built with: an AskError naming the problem.

    On a connection of its own: a statement another test prepared on ``CONN`` (hypothesis may
    make this very query) stays in sqlite3's statement cache and never meets the new limit."""
    conn = build_index()
    depth = conn.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, 4)
    with pytest.raises(AskError, match="too complex for SQLite"):
        run_ask(conn, _nested("domain", 3))
    conn.setlimit(sqlite3.SQLITE_LIMIT_EXPR_DEPTH, depth)
    assert run_ask(conn, _nested("domain", 3)) is not None
    conn.close()


TYPICAL = [
    "[[step::Principle:Quantization]] [[domain::Fine_Tuning]] |?last_updated "
    "|sort=last_updated |order=desc |limit=20",
    "[[Workflow:+]] [[domain::LLMs]] |?step",
    "[[step::<q>[[domain::Inference]] [[Principle:+]]</q>]]",
    "[[-step::Workflow:QLoRA_Fine_Tuning]]",
    "[[domain::Inference]] OR [[uses_heuristic::Heuristic:Warm_Cache]]",
]


@pytest.mark.parametrize("query", TYPICAL)
def test_typical_queries_search_indexes(conn: sqlite3.Connection, query: str) -> None:
    """No step of the plan reads a whole table (SQLite says SCAN for that)."""
    sql, params = compile_ask(parse_ask(query))
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    assert not [step for step in plan if step.startswith("SCAN")], plan


# ── The store's index ────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def example() -> sqlite3.Connection:
    store = Store(":memory:")
    index_folder(store, EXAMPLE_WIKI, jobs=1)
    return store.conn


def test_steps_agree_with_the_store_edges(example: sqlite3.Connection) -> None:
    for (workflow,) in example.execute("SELECT key FROM pages WHERE namespace = 'Workflow'"):
        steps = [key for (key,) in example.execute(
            "SELECT t.key FROM edges JOIN pages AS s ON s.id = edges.source "
            "JOIN pages AS t ON t.id = edges.target WHERE s.key = ? AND edges.property = 'step' "
            "ORDER BY edges.position", (workflow,))]
        assert steps
        assert run_ask(example, f"[[{workflow}]] |?step")[0]["step"] == steps
        assert pages(example, f"[[-step::{workflow}]] |limit=100") == sorted(set(steps))


def test_dates_written_on_pages_are_their_own_bounds(example: sqlite3.Connection) -> None:
    """A date in a query and the same date on a page become the same Julian day."""
    for key, written in example.execute("SELECT p.key, a.value FROM props AS a JOIN pages AS p "
                                        "ON p.id = a.page WHERE a.property = 'last_updated'"):
        assert key in pages(example, f"[[last_updated::<{written}]] [[last_updated::>{written}]]")
        assert key not in pages(example, f"[[last_updated::<<{written}]] |limit=100")


def test_a_cut_result_knows_how_many_there_are_in_all(conn: sqlite3.Connection) -> None:
    """SMW's "further results": the rows a limit lets through, and the total beside them."""
    from wikiflow.graph.ask import ask_result

    every = pages(conn, "[[Workflow:+]] |limit=10000")
    for text, default, offset, count in (("[[Workflow:+]]", 1, 0, 1),
                                         ("[[Workflow:+]] |offset=1 |limit=1", 50, 1, 1),
                                         ("[[Workflow:+]] |limit=0", 50, 0, 0),
                                         ("[[Workflow:+]] |offset=99", 50, 99, 0),
                                         ("[[Workflow:+]]", 10000, 0, len(every))):
        result = ask_result(conn, text, default_limit=default)
        assert [row["page"] for row in result.rows] == every[offset:offset + count]
        assert (result.offset, result.total) == (offset, len(every))
        assert result.further == (offset + count < len(every))
