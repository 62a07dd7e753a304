"""Semantic MediaWiki's ``#ask`` query language over the SQLite index: a documented subset.

The facade joins three steps, each in its own module, over the typed query of ``query.py``:

- ``parse.py``: ``parse_ask`` turns the text after ``{{#ask:`` into a :class:`Query` (or raises
  a positioned :class:`AskError`); it knows nothing of SQL.
- ``compile.py``: ``compile_ask`` turns the query into one parameterised SQL statement over
  ``schema.sql``.
- ``run.py``: ``run_ask`` and ``ask_result`` execute it and fetch the printouts, one statement
  per printout.

docs/ask.md says what is supported and where the semantics differ from SMW's.
"""

from .compile import compile_ask
from .parse import MAX_DEPTH, MAX_LIMIT, MAX_OFFSET, MAX_SIZE, PARAMETERS, parse_ask, property_key
from .query import (
    And,
    AskError,
    CategoryCondition,
    Condition,
    NamespaceCondition,
    Or,
    PageCondition,
    PageLike,
    Printout,
    PropertyCondition,
    Query,
    Subquery,
    Value,
)
from .run import AskResult, ask_result, run_ask

__all__ = [
    "MAX_DEPTH", "MAX_LIMIT", "MAX_OFFSET", "MAX_SIZE", "PARAMETERS",
    "And", "AskError", "AskResult", "CategoryCondition", "Condition", "NamespaceCondition", "Or",
    "PageCondition", "PageLike", "Printout", "PropertyCondition", "Query", "Subquery", "Value",
    "ask_result", "compile_ask", "parse_ask", "property_key", "run_ask",
]
