"""wikiflow: parse, format, lint and index Semantic MediaWiki Workflow pages."""

from importlib.metadata import PackageNotFoundError, version

from .api import FormatResult, format_paths, format_text, new_page, parse_file, parse_paths
from .errors import ConfigError, InputError, SpecError, WikiflowError
from .model import Page, Problem, Step
from .names import page_name
from .parse import parse_page
from .render import render_page
from .structured import PageSpec, json_schema, load_spec, page_from_spec, spec_from_page

try:
    __version__ = version("wikiflow")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = [
    "ConfigError", "FormatResult", "InputError", "Page", "PageSpec", "Problem", "SpecError",
    "Step", "WikiflowError", "format_paths", "format_text", "json_schema", "load_spec",
    "new_page", "page_from_spec", "page_name", "parse_file", "parse_page", "parse_paths",
    "render_page", "spec_from_page", "__version__",
]
