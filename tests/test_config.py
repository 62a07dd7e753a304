"""Configuration files: discovery, keys, errors that name the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from wikiflow.config import Config, config_from_mapping, describe_config, load_config
from wikiflow.errors import ConfigError
from wikiflow.page.model import Severity


def test_defaults_when_no_file(tmp_path: Path) -> None:
    assert load_config(start=tmp_path) == Config()


def test_pyproject_tool_table_is_found_upwards(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.wikiflow]\nignore = ["WF105"]\nallowed-source-types = ["Repo", "Doc"]\n'
        'extensions = [".wiki"]\n[tool.wikiflow.severity]\nWF208 = "info"\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    config = load_config(start=nested)
    assert config.ignore == ("WF105",) and config.allowed_source_types == ("Repo", "Doc")
    assert config.severity == {"WF208": Severity.INFO} and config.extensions == (".wiki",)


def test_wikiflow_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.wikiflow]\nignore = ["WF105"]\n')
    (tmp_path / "wikiflow.toml").write_text('select = ["WF3"]\n')
    assert load_config(start=tmp_path).select == ("WF3",)


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(start=tmp_path).path is None


@pytest.mark.parametrize(("table", "message"), [
    ({"selcet": ["WF1"]}, "selcet: unknown key; did you mean 'select'\\?"),
    ({"wiki": {"pasword": "x"}}, "wiki.pasword: unknown key; did you mean 'password'\\?"),
    ({"zzz": 1}, "zzz: unknown key; known keys: allowed-source-types, "),
    ({"fail-on": "never"}, "fail-on must be one of error, warning, info"),
    ({"exclude": "drafts"}, None),
    ({"extend-exclude": [1]}, "extend-exclude must be a list of strings"),
    ({"select": 3}, "select must be a list of strings"),
    ({"severity": {"WF101": "fatal"}}, "severity.WF101 must be one of error, warning, info"),
    ({"per-file-ignores": ["x"]}, "per-file-ignores must be a table"),
])
def test_bad_values_name_the_key(table: dict, message: str | None) -> None:
    if message is None:  # a single string is a list of one, as for select
        assert config_from_mapping(table).exclude == ("drafts",)
        return
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(table)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "wikiflow.toml"
    path.write_text('ignore = []\nselect = ["WF1"\nfail-on = "info"\n')
    with pytest.raises(ConfigError, match=r"wikiflow\.toml:3:1: invalid TOML: "):
        load_config(path)
    path.write_text("ignore = []\nselect = [\n")
    with pytest.raises(ConfigError, match=r"wikiflow\.toml:2: invalid TOML: "):
        load_config(path)


@pytest.mark.parametrize(("text", "message"), [
    ('[tool.wikiflow]\nselect = ["WF1"\n', r"pyproject\.toml:2: invalid TOML: Unclosed array"),
    ('[tool.wikiflow]\nselct = ["WF1"]\n',
     r"pyproject\.toml: tool\.wikiflow\.selct: unknown key; did you mean 'select'\?"),
    ('[tool.wikiflow]\nselect = 3\n', r"pyproject\.toml: tool\.wikiflow\.select must be a list"),
    ('[tool.wikiflow.severity]\nWF101 = 1\n', r"tool\.wikiflow\.severity\.WF101 must be one"),
    ('[tool]\nwikiflow = 3\n', r"pyproject\.toml: tool\.wikiflow must be a table"),
])
def test_a_broken_pyproject_found_upwards_is_an_error_not_ignored(tmp_path: Path, text: str,
                                                                  message: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    nested = tmp_path / "wiki"
    nested.mkdir()
    with pytest.raises(ConfigError, match=message):
        load_config(start=nested)


def test_wf708_runs_only_when_selected_or_given_an_age() -> None:
    assert not Config().enabled("WF708", "stale-page")
    assert not config_from_mapping({"select": ["WF7"]}).enabled("WF708", "stale-page")
    assert config_from_mapping({"select": ["WF7"]}).enabled("WF707", "duplicate-workflow")
    assert config_from_mapping({"extend-select": ["stale-page"]}).enabled("WF708", "stale-page")
    assert config_from_mapping({"max-age-days": 30}).enabled("WF708", "stale-page")
    assert not config_from_mapping({"max-age-days": 30, "ignore": ["WF708"]}).enabled(
        "WF708", "stale-page")


def test_fail_on_is_the_lowest_failing_severity() -> None:
    assert [Config().fails(s) for s in Severity] == [True, True, False]
    assert [config_from_mapping({"fail-on": "error"}).fails(s) for s in Severity] == \
        [True, False, False]
    assert all(config_from_mapping({"fail-on": "info"}).fails(s) for s in Severity)


def test_show_settings_names_the_file_and_hides_the_password(tmp_path: Path) -> None:
    (tmp_path / "wikiflow.toml").write_text(
        'fail-on = "error"\nextend-exclude = ["drafts"]\n[wiki]\n'
        'url = "https://bot:s3cret@wiki.example.org/w/"\npassword = "hunter2"\n')
    config = load_config(start=tmp_path)
    text = describe_config(config)
    assert text.splitlines()[0] == f"# settings from {tmp_path / 'wikiflow.toml'}"
    assert 'fail-on = "error"' in text and 'extend-exclude = ["drafts"]' in text
    assert "s3cret" not in text and "hunter2" not in text and "password is set" in text
    data = tomllib.loads(text)  # it is TOML a config file can take
    assert config_from_mapping({k: v for k, v in data.items() if k != "wiki"}).fail_on == \
        Severity.ERROR
    assert describe_config(Config()).startswith("# defaults: no wikiflow.toml")
