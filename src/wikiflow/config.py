"""Configuration: ``[tool.wikiflow]`` in ``pyproject.toml`` or a ``wikiflow.toml``.

Keys (kebab-case, as in ruff): ``select``, ``ignore``, ``extend-select``, ``per-file-ignores``
(glob → codes), ``severity`` (code → error|warning|info), ``fail-on`` (the lowest severity that
fails a run: error|warning|info, default warning), ``allowed-source-types``, ``extensions``,
``exclude`` and ``extend-exclude`` (globs of files and folders a walk leaves out),
``max-age-days`` (when a page counts as stale; setting it turns WF708 on), and a ``wiki`` table
for pull and push (``url``, ``user``, ``password``, ``namespaces``, ``edit-rate``, ``maxlag``,
``summary``; docs/sync.md). A selector is a rule code, a code prefix (``WF3`` = every step
rule), a rule name, or ``ALL``. When both a select and an ignore match a code, the more specific
one wins. Unknown keys are errors, with the nearest known key suggested, as ruff does.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from difflib import get_close_matches
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .files.pages import DEFAULT_EXCLUDE, DEFAULT_EXTENSIONS
from .page.model import Severity

#: The guide's source types (``[[source::Type|Title|URL]]``); ``allowed-source-types`` widens them.
DEFAULT_SOURCE_TYPES = ("Repo", "Blog", "Paper")

CONFIG_FILES = ("wikiflow.toml", "pyproject.toml")
_KEYS = {"select", "ignore", "extend-select", "per-file-ignores", "severity", "fail-on",
         "allowed-source-types", "extensions", "exclude", "extend-exclude", "max-age-days",
         "wiki"}
_WIKI_KEYS = {"url", "user", "password", "namespaces", "edit-rate", "maxlag", "summary"}
DEFAULT_MAX_AGE_DAYS = 365
#: Checks that run only when a selector names them by code or name (``ALL`` and prefixes do
#: not): WF708 flags pages for their age alone, so an unchanged wiki would start failing CI as
#: time passes. Setting ``max-age-days`` selects it too.
OPT_IN = frozenset({"WF708"})
#: Severities from the most to the least severe, for ``fail-on``.
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


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
    fail_on: Severity = Severity.WARNING
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    wiki: WikiSettings = field(default_factory=lambda: WikiSettings())
    path: Path | None = None

    @property
    def excluded(self) -> tuple[str, ...]:
        """Every glob a walk leaves out: ``exclude`` and ``extend-exclude``."""
        return (*self.exclude, *self.extend_exclude)

    def fails(self, severity: Severity) -> bool:
        """Whether a finding of ``severity`` fails the run (exit 1), given ``fail-on``."""
        return _RANK[severity] <= _RANK[self.fail_on]

    def enabled(self, code: str, name: str, path: str | None = None) -> bool:
        return selection_enables(self.selection(path), code, name)

    def selection(self, path: str | None = None) -> Selection:
        """The selectors chosen and ignored for the file at ``path``: a hashable value, so
        that what it enables is worked out once per run (``lint.engine.active_rules``)."""
        ignores = list(self.ignore)
        if path is not None:
            for pattern, codes in self.per_file_ignores.items():
                if fnmatch(path, pattern) or fnmatch(Path(path).name, pattern):
                    ignores.extend(codes)
        return (*self.select, *self.extend_select), tuple(ignores)


#: (selected, ignored) selectors of ``Config.selection``.
Selection = tuple[tuple[str, ...], tuple[str, ...]]


def selection_enables(selection: Selection, code: str, name: str) -> bool:
    """Whether the rule ``code``/``name`` runs under ``selection``: the most specific
    selector wins, and an opt-in rule runs only when named."""
    selected, ignores = selection
    if code in OPT_IN and code not in selected and name not in selected:
        return False
    return _specificity(code, name, selected) > _specificity(code, name, ignores)


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
    """Whether a ``pyproject.toml`` has ``[tool.wikiflow]``. One that is not valid TOML is an
    error, as in ruff: it may hold the table, and skipping it would drop the settings silently."""
    tool = _read_toml(path).get("tool", {})
    return isinstance(tool, dict) and "wikiflow" in tool


#: Where tomllib's message puts the position of a syntax error.
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: not UTF-8 (byte {error.start})") from error
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        at = _TOML_AT.search(message)
        where = f"{path}:{at[1]}:{at[2]}" if at and at[1] else str(path)
        if at and not at[1]:
            where = f"{path}:{_last_line(path)}"
        raise ConfigError(f"{where}: invalid TOML: {_TOML_AT.sub('', message)}") from error


def _last_line(path: Path) -> int:
    """The number of the file's last line, where an error 'at end of document' is."""
    text = path.read_bytes()
    return text.count(b"\n") + (0 if text.endswith(b"\n") or not text else 1)


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read ``path``, or the nearest config file above ``start``; defaults when there is none."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Config()
    data = _read_toml(path)
    if path.name != "pyproject.toml":
        return config_from_mapping(data, path)
    table = data.get("tool", {}).get("wikiflow", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.wikiflow must be a table")
    return config_from_mapping(table, path, prefix="tool.wikiflow.")


def config_from_mapping(table: dict[str, Any], path: Path | None = None, *,
                        prefix: str = "") -> Config:
    """A ``Config`` from a TOML table; a ``ConfigError`` names the file and the key (with
    ``prefix``, its table: ``tool.wikiflow.``)."""
    where = f"{path}: {prefix}" if path else prefix
    _refuse_unknown(table, _KEYS, where)
    config = Config(path=path)
    for key in ("select", "ignore", "extend-select", "allowed-source-types", "extensions",
                "exclude", "extend-exclude"):
        if key in table:
            setattr(config, key.replace("-", "_"), _strings(table[key], f"{where}{key}"))
    if "per-file-ignores" in table:
        config.per_file_ignores = {
            str(glob): _strings(codes, f"{where}per-file-ignores.{glob}")
            for glob, codes in _mapping(table["per-file-ignores"], where, "per-file-ignores")}
    if "max-age-days" in table:
        value = table["max-age-days"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{where}max-age-days must be a positive whole number of days")
        config.max_age_days = value
        config.extend_select = (*config.extend_select, *OPT_IN)  # a limit asks for the check
    if "fail-on" in table:
        config.fail_on = _severity(table["fail-on"], f"{where}fail-on")
    if "wiki" in table:
        config.wiki = _wiki_settings(dict(_mapping(table["wiki"], where, "wiki")), where)
    if "severity" in table:
        config.severity = {str(code): _severity(value, f"{where}severity.{code}")
                           for code, value in _mapping(table["severity"], where, "severity")}
    return config


def _refuse_unknown(table: dict[str, Any], known: set[str], where: str) -> None:
    """An unknown key is an error naming the nearest known one (a typo would otherwise drop
    the setting silently)."""
    for key in sorted(set(table) - known):
        close = get_close_matches(key, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else \
            f"; known keys: {', '.join(sorted(known))}"
        raise ConfigError(f"{where}{key}: unknown key{hint}")


def _wiki_settings(table: dict[str, Any], where: str) -> WikiSettings:
    _refuse_unknown(table, _WIKI_KEYS, f"{where}wiki.")
    settings = WikiSettings()
    for key in ("url", "user", "password", "summary"):
        if key in table:
            if not isinstance(table[key], str) or not table[key]:
                raise ConfigError(f"{where}wiki.{key} must be a non-empty string")
            setattr(settings, key, table[key])
    if "namespaces" in table:
        settings.namespaces = _strings(table["namespaces"], f"{where}wiki.namespaces")
    if "edit-rate" in table:
        rate = table["edit-rate"]
        if not isinstance(rate, (int, float)) or isinstance(rate, bool) or rate <= 0:
            raise ConfigError(f"{where}wiki.edit-rate must be a positive number of edits "
                              f"per second")
        settings.edit_rate = float(rate)
    if "maxlag" in table:
        lag = table["maxlag"]
        if not isinstance(lag, int) or isinstance(lag, bool) or lag < 0:
            raise ConfigError(f"{where}wiki.maxlag must be a whole number of seconds")
        settings.maxlag = lag
    return settings


def _mapping(value: Any, where: str, key: str) -> list[tuple[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}{key} must be a table")
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


def describe_config(config: Config) -> str:
    """The resolved settings as TOML, under a comment naming the file they came from
    (``--show-settings``). The wiki password is never shown, only whether one is set."""
    source = f"# settings from {config.path}" if config.path else \
        "# defaults: no wikiflow.toml or pyproject.toml with [tool.wikiflow] found"
    lines = [source]
    for key in ("select", "ignore", "extend-select", "fail-on", "allowed-source-types",
                "extensions", "exclude", "extend-exclude", "max-age-days"):
        lines.append(f"{key} = {_toml_value(getattr(config, key.replace('-', '_')))}")
    if not config.enabled("WF708", "stale-page"):
        lines[-1] += "  # for WF708, off: select it or set max-age-days"
    lines.append("[per-file-ignores]")
    lines += [f"{_toml_value(glob)} = {_toml_value(codes)}"
              for glob, codes in config.per_file_ignores.items()]
    lines.append("[severity]")
    lines += [f"{code} = {_toml_value(level)}" for code, level in config.severity.items()]
    lines.append("[wiki]")
    wiki = config.wiki
    for key, value in (("url", wiki.url and _USERINFO_PASSWORD.sub(r"\1***@", wiki.url)),
                       ("user", wiki.user), ("namespaces", wiki.namespaces),
                       ("edit-rate", wiki.edit_rate), ("maxlag", wiki.maxlag),
                       ("summary", wiki.summary)):
        if value is not None:
            lines.append(f"{key} = {_toml_value(value)}")
    if wiki.password is not None:
        lines.append("# password is set (not shown)")
    return "\n".join(lines) + "\n"


#: The password of a ``user:password@`` in a URL, which ``--show-settings`` never prints.
_USERINFO_PASSWORD = re.compile(r"(//[^/@:]*:)[^/@]*@")


def _toml_value(value: Any) -> str:
    """A value as TOML writes it: strings quoted (JSON's escapes are TOML's), lists bracketed."""
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(str(value), ensure_ascii=False)
    return str(value)
