"""wikiflow: parse, format, lint and index Semantic MediaWiki Workflow pages.

The public names below are imported on first use (PEP 562): ``import wikiflow.cli`` or
``import wikiflow.parse`` loads this package first, and a command such as ``wikiflow index``
should not pay for pydantic, the rules and every other module at start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .api import (
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
    from .lint import LintResult, lint_page, lint_source
    from .model import Page, Problem, Step
    from .names import page_name
    from .parse import parse_page
    from .render import render_page
    from .structured import PageSpec, json_schema, load_spec, page_from_spec, spec_from_page
    from .wiki import Wiki

#: Public name → the module that defines it.
_MODULES = {
    **dict.fromkeys(("FormatResult", "format_paths", "format_text", "lint_paths", "new_page",
                     "parse_file", "parse_paths"), "api"),
    **dict.fromkeys(("Config", "load_config"), "config"),
    **dict.fromkeys(("ConfigError", "InputError", "SpecError", "WikiflowError"), "errors"),
    **dict.fromkeys(("LintResult", "lint_page", "lint_source"), "lint"),
    **dict.fromkeys(("Page", "Problem", "Step"), "model"),
    "page_name": "names",
    "parse_page": "parse",
    "render_page": "render",
    **dict.fromkeys(("PageSpec", "json_schema", "load_spec", "page_from_spec", "spec_from_page"),
                    "structured"),
    "Wiki": "wiki",
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
