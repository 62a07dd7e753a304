"""wikiflow: parse, format, lint and index Semantic MediaWiki Workflow pages.

The public names below are imported on first use (PEP 562): ``import wikiflow.cli.main`` or
``import wikiflow.page.parse`` loads this package first, and a command such as ``wikiflow index``
should not pay for pydantic, the rules and every other module at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .lint.runner import (
        FormatResult,
        format_paths,
        format_text,
        lint_paths,
        new_page,
        parse_file,
        parse_paths,
    )
    from .config import Config, load_config
    from .errors import ConfigError, InputError, SpecError, WikiflowError
    from .lint.engine import LintResult, lint_page, lint_source
    from .page.model import Page, Problem, Step
    from .page.names import page_name
    from .page.parse import parse_page
    from .page.render import render_page
    from .page.structured import PageSpec, json_schema, load_spec, page_from_spec, spec_from_page
    from .graph.wiki import Wiki

#: Public name → the module that defines it.
_MODULES = {
    **dict.fromkeys(("FormatResult", "format_paths", "format_text", "lint_paths", "new_page",
                     "parse_file", "parse_paths"), "lint.runner"),
    **dict.fromkeys(("Config", "load_config"), "config"),
    **dict.fromkeys(("ConfigError", "InputError", "SpecError", "WikiflowError"), "errors"),
    **dict.fromkeys(("LintResult", "lint_page", "lint_source"), "lint.engine"),
    **dict.fromkeys(("Page", "Problem", "Step"), "page.model"),
    "page_name": "page.names",
    "parse_page": "page.parse",
    "render_page": "page.render",
    **dict.fromkeys(("PageSpec", "json_schema", "load_spec", "page_from_spec", "spec_from_page"),
                    "page.structured"),
    "Wiki": "graph.wiki",
}

__all__ = sorted([*_MODULES, "__version__"])


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'wikiflow' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return __all__
