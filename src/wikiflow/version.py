"""The version of wikiflow: the one place it is written (``pyproject.toml`` reads it here).

A literal rather than ``importlib.metadata``, which costs every command a fortieth of a second
at start-up.
"""

__version__ = "0.1.0"
