"""wikiflow: parse, format, lint and index Semantic MediaWiki Workflow pages."""

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
from .version import __version__
from .wiki import Wiki

__all__ = [
    "Config", "LintResult", "Wiki", "lint_page", "lint_paths", "lint_source", "load_config",
    "ConfigError", "FormatResult", "InputError", "Page", "PageSpec", "Problem", "SpecError",
    "Step", "WikiflowError", "format_paths", "format_text", "json_schema", "load_spec",
    "new_page", "page_from_spec", "page_name", "parse_file", "parse_page", "parse_paths",
    "render_page", "spec_from_page", "__version__",
]
