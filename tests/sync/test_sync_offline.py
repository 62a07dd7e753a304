"""Sync pieces that need no wiki: the stored-text form, the state file, settings, dumps, names."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_WIKI
from tests.mediawiki_server import free_port
from wikiflow.cli.main import main
from wikiflow.config import config_from_mapping
from wikiflow.graph.dump import DumpPage, is_dump, read_dump, write_dump
from wikiflow.errors import ConfigError, InputError
from wikiflow.files.layout import page_for_path, path_for_page, walk_wiki
from wikiflow.sync.client import SyncError, parse_wiki_url, redact_url
from wikiflow.page.names import page_name
from wikiflow.sync.transfer import REMOTE_SUFFIX, canonical_namespaces, connect, local_pages
from wikiflow.graph.dump import wiki_text
from wikiflow.sync.state import STATE_FILE, SyncState, file_text, text_sha1
from wikiflow.graph.wiki import Wiki

page_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(page_texts)
def test_wiki_text_is_what_a_pulled_file_gives_back(text: str) -> None:
    stored = wiki_text(text)
    assert wiki_text(stored) == stored
    assert wiki_text(file_text(stored)) == stored
    # A file written with CRLF line ends (the stored text has no CR: a CR of the text itself
    # is a line end of its own, as in MediaWiki, so "\r\n" in ``text`` must not be doubled).
    assert wiki_text(file_text(stored).replace("\n", "\r\n")) == stored


def test_wiki_text_trims_the_end_only() -> None:
    assert wiki_text("a  \r\nb\t\r\n\n  ") == "a  \nb"
    assert wiki_text("a\rb\r\r\nc") == "a\nb\n\nc"  # a lone CR ends a line, as in MediaWiki
    assert wiki_text("e\u0301") == "\u00e9"  # NFC, as MediaWiki normalises input
    assert text_sha1("hello  \n\nworld") == "d80de2dfe02869c3305d3b615cb6b8defd473b70"


#: Namespaces with a type folder, flat ones (one with a space) and the main namespace.
layout_namespaces = st.sampled_from(["Workflow", "Principle", "Heuristic", "Implementation",
                                     "Property", "User talk", ""])
#: Any text at all: NUL, control characters, lone surrogates, what MediaWiki rejects.
any_titles = st.builds(lambda text, times: text * times,
                       st.text(st.characters() | st.sampled_from("\x00/%:_ .#é"), max_size=40),
                       st.integers(min_value=1, max_value=60))
#: What MediaWiki allows in a title, heavy on what a file name must encode; repeated, so that
#: many come near its limit of 255 bytes (and are cut there).
legal_titles = st.builds(
    lambda pieces, times: "".join(pieces * times).encode()[:255].decode("utf-8", "ignore"),
    st.lists(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="#<>[]|{}\x7f")
             | st.sampled_from(["/", "%", ":", "_", " ", ".", "é", "漢", "\U0001f600", "README.",
                                "%+"]), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=100))


def file_names(path: str) -> list[bytes]:
    return [part.encode("utf-8") for part in path.split("/")]


@given(layout_namespaces, any_titles)
def test_any_title_is_a_path_that_names_it_back_or_a_clear_error(namespace: str,
                                                                  title: str) -> None:
    """Whatever the wiki answers: a path whose every name fits a file system (with push's
    ``.remote`` beside the file) and that reads back as the page, or an ``InputError``
    naming the page, escaped; never another exception."""
    name = page_name(f"{namespace}:{title}" if namespace else title)
    try:
        path = path_for_page(name)
    except InputError as error:
        assert repr(name.full) in str(error)
        return
    assert page_for_path(path).key == name.key
    assert all(0 < len(part) <= 255 and b"\0" not in part for part in file_names(path))
    assert len(file_names(path + REMOTE_SUFFIX)[-1]) <= 255
    assert not any(part.startswith((".", "_")) for part in path.split("/"))
    assert not path.rsplit("/", 1)[-1].lower().startswith("readme.")


@given(layout_namespaces, legal_titles)
def test_every_title_mediawiki_allows_has_a_file(namespace: str, title: str) -> None:
    """Titles in the form the wiki lists them (the normal form ``page_name`` gives back)."""
    name = page_name(f"{namespace}:{title}" if namespace else title)
    if name.title and len(name.title.encode()) <= 255 and page_name(name.full).key == name.key:
        assert page_for_path(path_for_page(name)).key == name.key


def test_a_long_title_is_cut_into_folders_the_index_reads_back(tmp_path: Path) -> None:
    name = page_name("Workflow:" + "Fine tuning é " * 17)  # 254 bytes
    path = path_for_page(name)
    folder, rest = path.split("/", 1)
    assert folder == "workflows" and "%+/" in rest
    joined = "".join(rest.split("%+/")).removesuffix(".mediawiki")
    assert unquote(joined) == name.title.replace(" ", "_")
    (tmp_path / path).parent.mkdir(parents=True)
    (tmp_path / path).write_text("Long.\n")
    assert [found.name.key for found in walk_wiki(tmp_path)] == [name.key]
    with Wiki.open(tmp_path, db=tmp_path / "index.db") as wiki:
        wiki.index(jobs=1)
        assert wiki.show(name.full)["path"] == path


@pytest.mark.parametrize("title", ["Workflow:A\x00B", "Workflow:", "Workflow:A|B",
                                   "Workflow:" + "x" * 256, "Workflow:\ud800"])
def test_a_title_no_file_can_hold_is_named(title: str) -> None:
    with pytest.raises(InputError, match="cannot store the page 'Workflow:"):
        path_for_page(page_name(title))


def test_state_file_round_trip_keeps_wikis_apart(tmp_path: Path) -> None:
    state = SyncState(tmp_path, "http://a/")
    state.record("Workflow:X", "workflows/X.mediawiki", 7, "2026-01-01T00:00:00Z", "ab")
    state.save()
    other = SyncState(tmp_path, "http://b/")
    assert other.pages == {}
    other.record("Workflow:Y", "workflows/Y.mediawiki", 1, "t", "cd")
    other.save()
    again = SyncState(tmp_path, "http://a/")
    assert again.pages["Workflow:X"].revid == 7 and "Workflow:Y" not in again.pages
    assert sorted(p.name for p in (tmp_path / ".wikiflow").iterdir()) == [".gitignore",
                                                                           "sync.json"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_sync_state_keeps_itself_out_of_git(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, timeout=60)
    (tmp_path / "page.wiki").write_text("x\n")
    state = SyncState(tmp_path, "http://a/")
    state.record("Workflow:X", "workflows/X.mediawiki", 7, "2026-01-01T00:00:00Z", "ab")
    state.save()
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],
                            cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
    assert status.stdout == "?? page.wiki\n"


@pytest.mark.parametrize("content", ["{not json", '{"format": 99}',
                                     '{"format": 1, "wikis": {"u": {"pages": {"K": {}}}}}'])
def test_a_broken_state_file_is_named(tmp_path: Path, content: str) -> None:
    (tmp_path / STATE_FILE).parent.mkdir()
    (tmp_path / STATE_FILE).write_text(content)
    with pytest.raises(InputError, match="sync.json"):
        SyncState(tmp_path, "u")


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8080/", ("http://127.0.0.1:8080/", None, None)),
    ("https://wiki.example.org/w/api.php", ("https://wiki.example.org/w/", None, None)),
    ("HTTPS://wiki.example.org/w", ("https://wiki.example.org/w/", None, None)),
    ("http://[::1]:8080/w/index.php", ("http://[::1]:8080/w/", None, None)),
    ("http://Alice%40bot:pa%3Ass@wiki/w/", ("http://wiki/w/", "Alice@bot", "pa:ss")),
    ("http://Alice@bot:pass@wiki/w/", ("http://wiki/w/", "Alice@bot", "pass")),
    ("http://Alice%40bot@wiki/", ("http://wiki/", "Alice@bot", None)),
])
def test_wiki_urls(url: str, expected: tuple[str, str | None, str | None]) -> None:
    address = parse_wiki_url(url)
    assert (address.url, address.user, address.password) == expected
    assert "pass" not in repr(address)


@pytest.mark.parametrize(("url", "why"), [
    ("not-a-url", "must start with http:// or https://"),
    ("wiki.example.org/w/", "must start with http:// or https://"),
    ("localhost:8080/w/", "must start with http:// or https://"),
    ("ftp://x/", "must start with http:// or https://"),
    ("http:/x/", "must start with http:// or https://"),
    ("http:///w/", "names no host"),
    ("http://x:80a/", "host or port is not valid"),
    ("http://a b/", "host or port is not valid"),
    ("http://[::1/", "Invalid IPv6 URL"),
    ("http://x/w/index.php?title=Main_Page", "no query"),
    ("http://:s3cret@x/", "a password but no user"),
])
def test_not_a_wiki_url(url: str, why: str) -> None:
    with pytest.raises(SyncError, match=re.escape(why)) as raised:
        parse_wiki_url(url)
    assert str(raised.value).startswith(f"not a wiki URL: {redact_url(url)!r}")


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user:s3cret@host/w/", "http://user:***@host/w/"),
    ("http://Alice@bot:s3cret@host/", "http://Alice@bot:***@host/"),
    ("user:s3cret@host/w/", "user:***@host/w/"),
    ("http://u:s3/cret@host/", "http://u:***@host/"),
    ("http://user@host/", "http://user@host/"),
    ("https://host/w/", "https://host/w/"),
])
def test_a_password_in_a_url_is_never_shown(url: str, shown: str) -> None:
    assert redact_url(url) == shown


@pytest.mark.parametrize("command", [["pull", "DIR"], ["push", "DIR"], ["smw-setup"]])
@pytest.mark.parametrize("url", ["not-a-url", "http://Alice%40bot:s3cret@127.0.0.1:PORT/w/",
                                 "ftp://Alice%40bot:s3cret@127.0.0.1/w/"])
def test_a_wiki_url_that_fails_says_why_without_its_password(tmp_path: Path, command: list[str],
                                                              url: str) -> None:
    """A bad URL is an error naming where it came from; a wiki that does not answer (a closed
    port) is an error naming its address; neither shows the password or writes a file."""
    folder = tmp_path / "folder"
    if command[0] == "push":
        folder.mkdir()
    url = url.replace("PORT", str(free_port()))
    args = [str(folder) if arg == "DIR" else arg for arg in command]
    for given, env in (([*args, "--wiki", url], {}), (args, {"WIKIFLOW_WIKI_URL": url})):
        result = CliRunner().invoke(main, given, env={"WIKIFLOW_WIKI_USER": None, **env})
        assert result.exit_code == 2, result.output
        assert "s3cret" not in result.output and "Traceback" not in result.output
        source = "--wiki" if not env else "WIKIFLOW_WIKI_URL"
        assert (f"{source}: not a wiki URL" in result.stderr if "127.0.0.1:" not in url
                else "http://127.0.0.1:" in result.stderr and "cannot connect" in result.stderr)
        assert not (folder / STATE_FILE).exists()
    assert command[0] == "push" or not folder.exists()


def test_a_state_file_keeps_no_login(tmp_path: Path) -> None:
    """An older state file keyed a wiki by the URL as given, login and all: the next save
    keys it by the address alone, and its pages are still known."""
    (tmp_path / STATE_FILE).parent.mkdir()
    (tmp_path / STATE_FILE).write_text(json.dumps({"format": 1, "wikis": {
        "http://Alice%40bot:s3cret@wiki/w/": {"pages": {"Workflow:X": {
            "path": "workflows/X.mediawiki", "revid": 7, "timestamp": "t", "sha1": "ab"}}}}}))
    state = SyncState(tmp_path, "http://wiki/w/")
    assert state.pages["Workflow:X"].revid == 7
    state.save()
    assert "s3cret" not in (tmp_path / STATE_FILE).read_text()
    assert SyncState(tmp_path, "http://Alice%40bot:other@wiki/w/").url == "http://wiki/w/"


def test_namespaces_are_canonical_and_checked() -> None:
    assert canonical_namespaces(["workflow", " Principle", "Workflow"]) == ("Workflow",
                                                                            "Principle")
    with pytest.raises(SyncError, match="unknown namespace 'Recipe'"):
        canonical_namespaces(["Recipe"])


def test_wiki_settings_are_validated_and_hide_the_password() -> None:
    config = config_from_mapping({"wiki": {"url": "http://x/", "password": "s3cret",
                                           "edit-rate": 2, "namespaces": ["Workflow"]}})
    assert config.wiki.edit_rate == 2.0 and "s3cret" not in repr(config)
    for bad in ({"edit-rate": 0}, {"maxlag": "5"}, {"token": "x"}, {"url": ""}):
        with pytest.raises(ConfigError, match="wiki"):
            config_from_mapping({"wiki": bad})


def test_connect_needs_a_url_and_a_password_for_a_user() -> None:
    settings = config_from_mapping({}).wiki
    with pytest.raises(SyncError, match="WIKIFLOW_WIKI_URL"):
        connect(settings, environ={})
    with pytest.raises(SyncError, match="no password"):
        connect(settings, environ={"WIKIFLOW_WIKI_URL": "http://127.0.0.1:9/",
                                   "WIKIFLOW_WIKI_USER": "A@b"})


def test_local_pages_report_unreadable_and_duplicate_files(tmp_path: Path) -> None:
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows/A.mediawiki").write_text("a\r\n")
    (tmp_path / "workflows/a.wiki").write_text("also a\n")
    (tmp_path / "workflows/B.mediawiki").write_bytes(b"\xff\xfe bad")
    (tmp_path / "workflows/A.mediawiki.remote").write_text("not a page")
    pages, problems = local_pages(tmp_path, ("Workflow",))
    assert list(pages) == ["Workflow:A"] and pages["Workflow:A"].text in ("a", "also a")
    assert sorted((p.path, p.action) for p in problems) == [
        ("workflows/A.mediawiki" if pages["Workflow:A"].path.endswith(".wiki")
         else "workflows/a.wiki", "blocked"), ("workflows/B.mediawiki", "blocked")]


dump_pages = st.lists(st.tuples(
    st.sampled_from(["Workflow", "Principle", "Heuristic"]),
    st.text(st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=20),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t"),
            max_size=200)), max_size=5, unique_by=lambda t: (t[0], t[1].lower()))


#: Suffixes a dump may be kept under, with how to make its bytes so.
COMPRESSIONS = {".xml": bytes, ".xml.gz": gzip.compress, ".xml.bz2": bz2.compress,
                ".xml.xz": lzma.compress}


@given(dump_pages, st.sampled_from(sorted(COMPRESSIONS)))
def test_a_written_dump_reads_back_the_same_pages(pages: list[tuple[str, str, str]],
                                                  suffix: str) -> None:
    written = [DumpPage(page_name(f"{ns}:{title}"), text, None, "2026-01-02T03:04:05Z")
               for ns, title, text in pages]
    out = io.BytesIO()
    assert write_dump(written, out) == len(written)
    path = Path(f"/tmp/wikiflow-dump-{id(out)}{suffix}")
    path.write_bytes(COMPRESSIONS[suffix](out.getvalue()))
    assert is_dump(path)
    try:
        back = list(read_dump(path))
    finally:
        path.unlink()
    assert [(p.name.key, p.text.replace("\r", ""), p.timestamp) for p in back] == [
        (p.name.key, p.text.replace("\r", ""), p.timestamp) for p in written]


def test_a_text_xml_cannot_carry_is_an_error_naming_the_page() -> None:
    page = DumpPage(page_name("Workflow:Bad"), "bell \x07", None, None)
    with pytest.raises(InputError, match="Workflow:Bad"):
        write_dump([page], io.BytesIO())


def test_the_index_reads_a_mediawiki_xml_export_as_the_same_graph(tmp_path: Path) -> None:
    dump = tmp_path / "pages.xml"
    with Wiki.open(EXAMPLE_WIKI, db=tmp_path / "folder.db") as wiki:
        wiki.index(jobs=1)
        assert wiki.export("mediawiki-xml", dump).nodes == 27
        expected = wiki.stats()
    with Wiki.open(dump, db=tmp_path / "dump.db") as wiki:
        assert wiki.index().added == 27
        assert wiki.stats() == expected
        assert [s["principle"] for s in wiki.workflow("QLoRA_Fine_Tuning")["steps"]][:2] == [
            "Principle:Data_Formatting", "Principle:Quantization"]
