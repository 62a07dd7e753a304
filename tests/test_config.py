"""Configuration files: discovery, keys, errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikiflow.config import Config, config_from_mapping, load_config
from wikiflow.errors import ConfigError
from wikiflow.model import Severity


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
    ({"selcet": ["WF1"]}, "unknown key 'selcet'"),
    ({"select": 3}, "select must be a list of strings"),
    ({"severity": {"WF101": "fatal"}}, "severity.WF101 must be one of error, warning, info"),
    ({"per-file-ignores": ["x"]}, "per-file-ignores must be a table"),
])
def test_bad_values_name_the_key(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        config_from_mapping(table)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "wikiflow.toml"
    path.write_text("select = [\n")
    with pytest.raises(ConfigError, match="wikiflow.toml: invalid TOML"):
        load_config(path)
