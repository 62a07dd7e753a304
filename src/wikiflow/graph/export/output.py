"""What an export wrote, and where it writes to."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from ...files.pages import atomic_output


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """Nodes and edges as written (RDF counts repeated link triples once: see docs/export.md)."""

    nodes: int
    edges: int


Output = BinaryIO | Path


@contextmanager
def binary_output(out: Output | str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A byte stream for ``out``: a path is written whole or not at all (an export that
    fails leaves no partial file, and an existing file as it was); a stream is left open."""
    if isinstance(out, (str, os.PathLike)):
        with atomic_output(out) as stream:
            yield stream
    else:
        yield out


@contextmanager
def text_output(out: Output | str | os.PathLike[str]) -> Iterator[TextIO]:
    """UTF-8 text over ``out``; detached, not closed, at the end, so a caller's stream lives on."""
    with binary_output(out) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False)
        try:
            yield text
        finally:
            text.flush()
            text.detach()
