"""Bytes or text → the text every later stage reads: UTF-8 decoded, line ends decoded once.

Spans are offsets into this text, and fixes edit it, so it is made in one place only.
"""

from __future__ import annotations

from codecs import BOM_UTF8

from .model import Problem, Severity
from .spans import LineIndex


def decode_page(source: str | bytes, path: str | None = None) -> tuple[str, str, list[Problem]]:
    """Text with ``\\n`` line ends, the page's own line end, and any decoding problem.

    The one place line ends are decoded, as MediaWiki does when it saves a page: CRLF and a CR
    alone (``\\r\\r\\n`` is two line ends) each become ``\\n``, so the text is what the wiki
    would store and holds no CR. The page's line end is CRLF if it has any, else a lone CR if
    it has only those, else LF; the text is written back with it for each ``\\n``.
    """
    problems: list[Problem] = []
    if isinstance(source, bytes):
        try:
            # Plain UTF-8 when there is no BOM to drop: the "-sig" codec takes four times as
            # long (``bench/bench_index.py`` decodes every page of a wiki).
            text = source.decode("utf-8-sig" if source.startswith(BOM_UTF8) else "utf-8")
        except UnicodeDecodeError as error:
            text = source.decode("utf-8-sig", errors="replace")
            problems.append(_encoding_problem(source, error, path))
    else:
        text = source.removeprefix("\ufeff")
    text, newline = _line_ends(text)
    return text, newline, problems


def _line_ends(text: str) -> tuple[str, str]:
    """``text`` with every line end as ``\\n``, and the line end it had (see ``decode_page``)."""
    if "\r" not in text:  # one scan of the text in the usual case, where there is none
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\n" if "\n" in text else "\r"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def _encoding_problem(data: bytes, error: UnicodeDecodeError, path: str | None) -> Problem:
    """Say where the first non-UTF-8 byte is, in the page's own lines."""
    before = _line_ends(data[: error.start].decode("utf-8-sig", errors="replace"))[0]
    index = LineIndex(before)
    span = index.span(len(before), len(before) + 1)
    line, column = index.position(len(before))
    message = (
        f"{path or '<input>'} is not UTF-8: byte 0x{data[error.start]:02X} at line {line}, "
        f"column {column} cannot be decoded (is the file in another encoding such as "
        "Windows-1252 or Latin-1? re-save it as UTF-8)"
    )
    return Problem("encoding", message, span, Severity.ERROR)
