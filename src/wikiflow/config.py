"""Configuration: ``[tool.wikiflow]`` in ``pyproject.toml`` or a ``wikiflow.toml``.

Keys (kebab-case, as in ruff): ``select``, ``ignore``, ``extend-select``, ``per-file-ignores``
(glob → codes), ``severity`` (code → error|warning|info), ``allowed-source-types``,
``extensions``, ``max-age-days`` (whole-wiki checks: when a page counts as stale), and a ``wiki``
table for pull and push (``url``, ``user``, ``password``, ``namespaces``, ``edit-rate``,
``maxlag``, ``summary``; docs/sync.md). A selector is a rule code, a code prefix (``WF3`` = every step rule), a rule name,
or ``ALL``. When both a select and an ignore match a code, the more specific one wins.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .files import DEFAULT_EXTENSIONS
from .model import Severity
from .rules.base import DEFAULT_SOURCE_TYPES

CONFIG_FILES = ("wikiflow.toml", "pyproject.toml")
_KEYS = {"select", "ignore", "extend-select", "per-file-ignores", "severity",
         "allowed-source-types", "extensions", "max-age-days", "wiki"}
_WIKI_KEYS = {"url", "user", "password", "namespaces", "edit-rate", "maxlag", "summary"}
DEFAULT_MAX_AGE_DAYS = 365


@dataclass(slots=True)
class WikiSettings:
    """Where ``pull`` and ``push`` go and how politely. ``repr`` never shows the password."""

    url: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    namespaces: tuple[str, ...] | None = None
    edit_rate: float | None = None
    maxlag: int = 5
    summary: str | None = None


@dataclass(slots=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    allowed_source_types: tuple[str, ...] = DEFAULT_SOURCE_TYPES
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    max_age_days: int = DEFAULT_MAX_AGE_DAYS
    wiki: WikiSettings = field(default_factory=lambda: WikiSettings())
    path: Path | None = None

    def enabled(self, code: str, name: str, path: str | None = None) -> bool:
        ignores = list(self.ignore)
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if fnmatch(path, pattern) or fnmatch(Path(path).name, pattern):
                    ignores.extend(codes)
        chosen = _specificity(code, name, (*self.select, *self.extend_select))
        return chosen > _specificity(code, name, ignores)


def _specificity(code: str, name: str, selectors: Any) -> int:
    """How specifically the best of ``selectors`` names this rule (0: not at all)."""
    best = 0
    for selector in selectors:
        if selector == "ALL":
            best = max(best, 1)
        elif selector == name or selector == code:
            best = max(best, 100)
        elif code.startswith(selector):
            best = max(best, 1 + len(selector))
    return best


def find_config(start: Path) -> Path | None:
    """The nearest ``wikiflow.toml``, or ``pyproject.toml`` with ``[tool.wikiflow]``, upwards."""
    for folder in [start, *start.parents]:
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and (name == "wikiflow.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "wikiflow" in _read_toml(path).get("tool", {})
    except ConfigError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read ``path``, or the nearest config file above ``start``; defaults when there is none."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Config()
    data = _read_toml(path)
    table = data.get("tool", {}).get("wikiflow", {}) if path.name == "pyproject.toml" else data
    return config_from_mapping(table, path)


def config_from_mapping(table: dict[str, Any], path: Path | None = None) -> Config:
    where = str(path) if path else "configuration"
    unknown = set(table) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}; known keys: "
                          f"{', '.join(sorted(_KEYS))}")
    config = Config(path=path)
    for key in ("select", "ignore", "extend-select", "allowed-source-types", "extensions"):
        if key in table:
            setattr(config, key.replace("-", "_"), _strings(table[key], f"{where}: {key}"))
    if "per-file-ignores" in table:
        config.per_file_ignores = {
            str(glob): _strings(codes, f"{where}: per-file-ignores.{glob}")
            for glob, codes in _mapping(table["per-file-ignores"], where, "per-file-ignores")}
    if "max-age-days" in table:
        value = table["max-age-days"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}: max-age-days must be a positive whole number of days")
        config.max_age_days = value
    if "wiki" in table:
        config.wiki = _wiki_settings(dict(_mapping(table["wiki"], where, "wiki")), where)
    if "severity" in table:
        config.severity = {str(code): _severity(value, f"{where}: severity.{code}")
                           for code, value in _mapping(table["severity"], where, "severity")}
    return config


def _wiki_settings(table: dict[str, Any], where: str) -> WikiSettings:
    unknown = set(table) - _WIKI_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key wiki.{sorted(unknown)[0]}; known keys: "
                          f"{', '.join(sorted(_WIKI_KEYS))}")
    settings = WikiSettings()
    for key in ("url", "user", "password", "summary"):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise ConfigError(f"{where}: wiki.{key} must be a non-empty string")
            setattr(settings, key, table[key])
    if "namespaces" in table:
        settings.namespaces = _strings(table["namespaces"], f"{where}: wiki.namespaces")
    if "edit-rate" in table:
        rate = table["edit-rate"]
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= 0:
            raise ConfigError(f"{where}: wiki.edit-rate must be a positive number of edits "
                              f"per second")
        settings.edit_rate = float(rate)
    if "maxlag" in table:
        lag = table["maxlag"]
        if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
            raise ConfigError(f"{where}: wiki.maxlag must be a whole number of seconds")
        settings.maxlag = lag
    return settings


def _mapping(value: Any, where: str, key: str) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key} must be a table")
    return list(value.items())


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{key} must be a list of strings")
    return tuple(value)


def _severity(value: Any, key: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"{key} must be one of error, warning, info (got {value!r})") from None
