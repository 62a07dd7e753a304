"""Exceptions for the environment (files, configuration), never for page content.

Page problems are values (``Problem``); an exception escaping the parser is a wikiflow bug.
"""

from __future__ import annotations


class WikiflowError(Exception):
    """Base class: the CLI turns any of these into a message and exit code 2."""


class InputError(WikiflowError):
    """A file or stream could not be read or understood as a page; the message names it."""


class SpecError(WikiflowError):
    """A structured (YAML/JSON) page spec is invalid; the message names the field."""


class ConfigError(WikiflowError):
    """A configuration value is invalid; the message names the key."""


class StoreError(WikiflowError):
    """The index file cannot be opened, read or written; the message names it."""


class NotAPage(InputError):
    """A file holds binary data (an image, an archive), not page text; the message names it."""


class WorkerError(WikiflowError):
    """A worker process of a parallel run ended without a result (killed, out of memory)."""


class WriteRefused(WikiflowError):
    """A page write was refused, with nothing written: the message says why (errors in the
    page, a file changed since the revision it was based on, a name that is no page's)."""
