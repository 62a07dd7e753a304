"""Which files a walk reads as pages, and what it says it left out (files.find_page_files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikiflow.lint import runner as api
from wikiflow.config import Config
from wikiflow.errors import InputError
from wikiflow.files.pages import DEFAULT_EXCLUDE, OTHER_TYPE, find_page_files


def _tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def test_excluded_and_other_type_files_are_skipped_and_counted(tmp_path: Path) -> None:
    _tree(tmp_path, "workflows/A.wiki", "workflows/drafts/B.wiki", "workflows/C.md",
          "principles/P.wiki", "principles/sub/Q.md", "principles/image.png",
          "venv/lib/X.md", ".git/Y.md", "_Index.md", "README.md")
    found = find_page_files([tmp_path], exclude=(*DEFAULT_EXCLUDE, "drafts", "*/C.md"))
    assert found.pages == [str(tmp_path / "workflows" / "A.wiki")]
    assert [(s.path, s.reason, s.pages) for s in found.skipped] == [
        (f"{tmp_path / 'principles'}/", OTHER_TYPE, 2),
        (f"{tmp_path / 'venv'}/", "excluded by 'venv'", 0),
        (f"{tmp_path / 'workflows' / 'C.md'}", "excluded by '*/C.md'", 0),
        (f"{tmp_path / 'workflows' / 'drafts'}/", "excluded by 'drafts'", 0),
    ]
    assert (found.other_type_pages, found.excluded, found.empty) == (2, 3, [])


def test_a_path_below_the_root_matches_a_path_glob(tmp_path: Path) -> None:
    _tree(tmp_path, "workflows/old/A.wiki", "workflows/new/old/B.wiki")
    found = find_page_files([tmp_path], exclude=("workflows/old",))
    assert found.pages == [str(tmp_path / "workflows" / "new" / "old" / "B.wiki")]


def test_a_folder_without_pages_is_an_input_error_but_a_named_file_is_read(
        tmp_path: Path) -> None:
    _tree(tmp_path, "wiki/principles/P.wiki", "wiki/notes.pdf", "excluded/drafts/A.wiki")
    with pytest.raises(InputError, match=r"wiki: no page found under this folder \(looked for "
                                         r"\.md \.wiki \.mediawiki \.txt files\); 1 file"):
        api.page_files([tmp_path / "wiki"])
    with pytest.raises(InputError, match="no page found"):
        api.lint_paths([str(tmp_path / "excluded")], Config(extend_exclude=("drafts",)))
    named = tmp_path / "excluded" / "drafts" / "A.wiki"
    assert api.page_files([named], exclude=("drafts",)).pages == [str(named)]
