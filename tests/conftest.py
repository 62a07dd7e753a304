"""Shared fixtures: the guide's sample page, the example wiki, the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
EXAMPLE_WIKI = ROOT / "examples" / "wiki"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GUIDE = SHARED / "spec" / "workflow-page-guide.md"


@pytest.fixture(scope="session")
def guide_page() -> str:
    """The guide's samples assembled into one canonical page (tests/data/guide_sample.wiki)."""
    return (DATA / "guide_sample.wiki").read_text(encoding="utf-8")


def corpus_workflows() -> list[Path]:
    return sorted(CORPUS.glob("*/workflows/*.md")) if CORPUS.is_dir() else []


def corpus_pages() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*/*/*.md")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}")
