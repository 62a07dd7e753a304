"""Pull, push and smw-setup against a real MediaWiki (tests/mediawiki_server.py).

Each test gets a fresh wiki. "On the wiki" edits are made by the admin with MediaWiki's own
edit.php, as another person would; what the wiki holds is read back with plain API calls.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from click.testing import CliRunner

from tests.conftest import EXAMPLE_WIKI
from tests.mediawiki_server import MediaWikiServer
from wikiflow.cli.main import main
from wikiflow.files.layout import page_for_path, walk_wiki
from wikiflow.sync.client import Saved, SyncError, WikiClient
from wikiflow.sync.transfer import REMOTE_SUFFIX, pull, push
from wikiflow.sync.state import STATE_FILE, SyncState
from wikiflow.graph.wiki import Wiki

QLORA = "Workflow:QLoRA Fine Tuning"
QLORA_FILE = "workflows/QLoRA_Fine_Tuning.mediawiki"


def client(wiki: MediaWikiServer, **options: object) -> WikiClient:
    return WikiClient(wiki.url, user=wiki.user, password=wiki.password, retries=1,
                      retry_wait=0.1, **options)  # type: ignore[arg-type]


def example_copy(tmp_path: Path, name: str = "local") -> Path:
    return Path(shutil.copytree(EXAMPLE_WIKI, tmp_path / name))


def page_files(folder: Path) -> dict[str, str]:
    return {found.path: (folder / found.path).read_text(encoding="utf-8")
            for found in walk_wiki(folder)}


def run(wiki: MediaWikiServer, *args: str) -> object:
    env = {"WIKIFLOW_WIKI_URL": wiki.url, "WIKIFLOW_WIKI_USER": wiki.user,
           "WIKIFLOW_WIKI_PASSWORD": wiki.password}
    result = CliRunner().invoke(main, list(args), env=env)
    assert wiki.password not in result.output
    return result


def test_push_then_pull_into_an_empty_folder_gives_the_same_pages(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    report = push(client(mediawiki), local)
    assert report.edits == len(page_files(local)) == 27
    assert mediawiki.text(QLORA) == (local / QLORA_FILE).read_text().rstrip()

    copy = tmp_path / "copy"
    pulled = pull(client(mediawiki), copy)
    assert len(pulled.fetched) == 27
    assert page_files(copy) == page_files(local)

    revisions = mediawiki.revision_count()
    again = push(client(mediawiki), local)
    assert again.edits == 0 and again.outcomes == []
    assert push(client(mediawiki), copy).edits == 0
    assert mediawiki.revision_count() == revisions


def test_cli_push_twice_makes_one_set_of_edits(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    first = run(mediawiki, "push", str(local), "--format", "json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert data["edits"] == 27 and {p["action"] for p in data["pages"]} == {"create"}
    second = run(mediawiki, "push", str(local))
    assert second.exit_code == 0 and "0 edit(s)" in second.output


def test_stale_local_copy_is_a_conflict_and_nothing_is_overwritten(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    mediawiki.edit(QLORA, "Rewritten on the wiki.")
    mine = (local / QLORA_FILE).read_text() + "\nA local addition.\n"
    (local / QLORA_FILE).write_text(mine)

    result = run(mediawiki, "push", str(local))
    assert result.exit_code == 1
    assert "conflict" in result.stderr and QLORA_FILE in result.stderr
    assert mediawiki.text(QLORA) == "Rewritten on the wiki."
    assert (local / QLORA_FILE).read_text() == mine
    remote = local / (QLORA_FILE + REMOTE_SUFFIX)
    assert remote.read_text() == "Rewritten on the wiki.\n"

    assert run(mediawiki, "push", str(local)).exit_code == 1, "unresolved while .remote exists"
    assert mediawiki.text(QLORA) == "Rewritten on the wiki."
    remote.unlink()  # merged: the user keeps the local text
    resolved = push(client(mediawiki), local)
    assert [o.action for o in resolved.outcomes] == ["update"]
    assert mediawiki.text(QLORA) == mine.rstrip()


def test_a_race_the_pre_check_misses_is_refused_by_the_wiki(mediawiki, tmp_path) -> None:
    """The edit carries its base revision: MediaWiki itself refuses to overwrite a newer one.

    MediaWiki 1.39 compares revision *timestamps*, to the second: an edit in the same second
    as the base goes unnoticed by the wiki (push's own check compares revision ids).
    """
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    conn = client(mediawiki)
    base = conn.latest([QLORA])[QLORA]
    time.sleep(1.1)
    mediawiki.edit(QLORA, "Line one.\nLine two.")
    with pytest.raises(SyncError, match="edited on the wiki"):
        conn.save(QLORA, "Line one.\nMine.", summary="t", base=base)
    assert mediawiki.text(QLORA) == "Line one.\nLine two."


def test_pull_after_a_wiki_edit_fetches_exactly_that_page(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    copy = tmp_path / "copy"
    pull(client(mediawiki), copy)
    mediawiki.edit("Principle:Quantization", "New theory.")

    report = pull(client(mediawiki), copy)
    assert report.fetched == ["Principle:Quantization"]
    assert (copy / "principles/Quantization.mediawiki").read_text() == "New theory.\n"
    assert pull(client(mediawiki), copy).fetched == []


def test_pull_keeps_a_local_edit_and_writes_the_wiki_text_beside_it(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    mediawiki.edit(QLORA, "Wiki version.")
    (local / QLORA_FILE).write_text("Local version.\n")

    report = pull(client(mediawiki), local)
    assert [(o.path, o.action) for o in report.problems] == [(QLORA_FILE, "conflict")]
    assert (local / QLORA_FILE).read_text() == "Local version.\n"
    assert (local / (QLORA_FILE + REMOTE_SUFFIX)).read_text() == "Wiki version.\n"


def test_a_page_never_pulled_can_be_merged_and_pushed(mediawiki, tmp_path) -> None:
    """A folder without a state file (a fresh git clone) meets a wiki with other text."""
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    clone = example_copy(tmp_path, "clone")
    mediawiki.edit(QLORA, "Wiki version.")

    report = pull(client(mediawiki), clone)
    assert [(o.path, o.action) for o in report.problems] == [(QLORA_FILE, "conflict")]
    assert push(client(mediawiki), clone).edits == 0
    (clone / (QLORA_FILE + REMOTE_SUFFIX)).unlink()
    assert push(client(mediawiki), clone).edits == 1
    assert mediawiki.text(QLORA) == (clone / QLORA_FILE).read_text().rstrip()


def test_dry_run_prints_a_diff_and_edits_nothing(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    state = (local / STATE_FILE).read_text()
    page = local / QLORA_FILE
    page.write_text(page.read_text().replace("The output of this", "A new line. The output of this"))
    revisions = mediawiki.revision_count()

    result = run(mediawiki, "push", str(local), "--dry-run")
    assert result.exit_code == 0
    assert f"+++ {QLORA_FILE}" in result.stdout and "+A new line." in result.stdout
    assert "would be updated on the wiki" in result.stdout
    assert mediawiki.revision_count() == revisions
    assert (local / STATE_FILE).read_text() == state


def test_lint_errors_block_a_push_unless_forced(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    (local / "workflows/Broken.mediawiki").write_text("Just a sentence, no sections.\n")

    blocked = run(mediawiki, "push", str(local))
    assert blocked.exit_code == 1 and "lint error" in blocked.stderr
    assert mediawiki.text("Workflow:Broken") is None
    forced = run(mediawiki, "push", str(local), "--force")
    assert forced.exit_code == 0
    assert mediawiki.text("Workflow:Broken") == "Just a sentence, no sections."


def test_deletions_propagate_only_when_asked(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    push(client(mediawiki), local)
    (local / "heuristics/Prefix_Caching.mediawiki").unlink()

    assert push(client(mediawiki), local).outcomes == []
    dry = push(client(mediawiki), local, delete=True, dry_run=True)
    assert [o.action for o in dry.outcomes] == ["delete"]
    assert mediawiki.text("Heuristic:Prefix Caching") is not None
    push(client(mediawiki), local, delete=True)
    assert mediawiki.text("Heuristic:Prefix Caching") is None
    assert "Heuristic:Prefix_Caching" not in SyncState(local, client(mediawiki).url).pages


def test_a_server_stopped_mid_push_leaves_a_true_state_file(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    saved: list[str] = []

    class StopsAfterThree(WikiClient):
        def save(self, title: str, text: str, **kwargs: object) -> Saved:
            result = super().save(title, text, **kwargs)  # type: ignore[arg-type]
            saved.append(title)
            if len(saved) == 3:
                mediawiki.stop()
            return result

    conn = StopsAfterThree(mediawiki.url, user=mediawiki.user, password=mediawiki.password,
                           retries=1, retry_wait=0.1)
    with pytest.raises(SyncError, match="cannot connect|no answer"):
        push(conn, local)
    mediawiki.start()
    state = SyncState(local, conn.url).pages
    assert len(saved) == 3 and len(state) == 3
    for title in saved:
        key = title.replace(" ", "_")
        assert client(mediawiki).latest([title])[title].revid == state[key].revid

    rest = push(client(mediawiki), local)
    assert rest.edits == 24
    assert push(client(mediawiki), local).edits == 0


def test_a_push_rides_out_a_short_outage(mediawiki, tmp_path) -> None:
    """Connection failures are retried with a growing wait: a wiki back within it loses nothing."""
    local = example_copy(tmp_path)
    restarted = threading.Event()

    class OutageAfterTwo(WikiClient):
        saves = 0

        def save(self, title: str, text: str, **kwargs: object) -> Saved:
            result = super().save(title, text, **kwargs)  # type: ignore[arg-type]
            self.saves += 1
            if self.saves == 2:
                mediawiki.stop()
                threading.Timer(1.0, lambda: (mediawiki.start(), restarted.set())).start()
            return result

    conn = OutageAfterTwo(mediawiki.url, user=mediawiki.user, password=mediawiki.password,
                          retries=6, retry_wait=0.5)
    report = push(conn, local)
    assert restarted.is_set() and report.edits == 27 and not report.problems
    assert push(client(mediawiki), local).edits == 0


def test_wiki_normalisation_is_not_a_change(mediawiki, tmp_path) -> None:
    """MediaWiki trims the end of a page and stores LF line ends; such files make no edit."""
    local = tmp_path / "local"
    (local / "principles").mkdir(parents=True)
    page = local / "principles/Spaces.mediawiki"
    page.write_bytes(b"First line.  \r\nSecond line.\r\n\r\n   \r\n")
    first = push(client(mediawiki), local)
    assert first.edits == 1 and first.not_exact == 1
    assert mediawiki.text("Principle:Spaces") == "First line.  \nSecond line."
    assert push(client(mediawiki), local).edits == 0
    copy = tmp_path / "copy"
    pull(client(mediawiki), copy)
    assert (copy / "principles/Spaces.mediawiki").read_bytes() == b"First line.  \nSecond line.\n"


def test_a_namespace_the_wiki_lacks_is_a_clear_error(mediawiki, tmp_path) -> None:
    result = run(mediawiki, "pull", str(tmp_path / "copy"), "--namespaces",
                 "Workflow,Implementation")
    assert result.exit_code == 2
    assert "has no Implementation namespace" in result.stderr


def test_a_wrong_password_is_refused_without_showing_it(mediawiki, tmp_path) -> None:
    wrong = "0" * 32
    result = CliRunner().invoke(main, ["pull", str(tmp_path), "--wiki", mediawiki.url], env={
        "WIKIFLOW_WIKI_USER": mediawiki.user, "WIKIFLOW_WIKI_PASSWORD": wrong})
    assert result.exit_code == 2 and "login as Admin@wikiflow failed" in result.stderr
    assert wrong not in result.output


def test_wiki_settings_from_the_configuration(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    (local / "wikiflow.toml").write_text(
        f'[wiki]\nurl = "{mediawiki.url}api.php"\nnamespaces = ["Heuristic"]\n'
        f'summary = "from config"\n')
    result = CliRunner().invoke(main, ["push", str(local)], env={
        "WIKIFLOW_WIKI_USER": mediawiki.user, "WIKIFLOW_WIKI_PASSWORD": mediawiki.password})
    assert result.exit_code == 0, result.output
    assert "8 create" in result.stderr
    assert mediawiki.text(QLORA) is None


def test_smw_setup_creates_the_property_pages_once(mediawiki) -> None:
    first = run(mediawiki, "smw-setup")
    assert first.exit_code == 0, first.output
    assert "[[Has type::Date]]" in mediawiki.text("Property:Last updated")
    assert "[[Has type::Page]]" in mediawiki.text("Property:Uses heuristic")
    revisions = mediawiki.revision_count()
    assert "0 edit(s)" in run(mediawiki, "smw-setup").output
    mediawiki.edit("Property:Domain", "Our own description. [[Has type::Text]]")
    changed = run(mediawiki, "smw-setup")
    assert changed.exit_code == 1 and "--overwrite" in changed.stderr
    assert mediawiki.revision_count() == revisions + 1


def test_mediawiki_xml_export_imports_with_import_dump(mediawiki, tmp_path) -> None:
    local = example_copy(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["index", str(local)]).exit_code == 0
    dump = tmp_path / "pages.xml"
    result = runner.invoke(main, ["export", "--db", str(local / ".wikiflow/index.db"),
                                  "--format", "mediawiki-xml", "-o", str(dump)])
    assert result.exit_code == 0 and "exported 27 page(s)" in result.stderr
    mediawiki.php("importDump.php", str(dump))

    copy = tmp_path / "copy"
    pull(client(mediawiki), copy)
    assert page_files(copy) == page_files(local)


def test_a_title_of_250_bytes_is_pulled_pushed_and_indexed_as_itself(mediawiki, tmp_path) -> None:
    """MediaWiki allows 255 bytes of title, more than a file name holds with its extension; a
    page pull cannot write is named, and the other pages are pulled all the same."""
    title = "Workflow:" + ("Fine-tuning 50%/ü " * 20).encode()[:250].decode().strip()
    assert len(title.removeprefix("Workflow:").encode()) == 250
    mediawiki.edit(title, "A page with a long title.")
    mediawiki.edit("Workflow:Blocked", "Its file's place is taken by a folder.")
    mediawiki.edit("Workflow:Short", "A short one.")
    copy = tmp_path / "copy"
    (copy / "workflows/Blocked.mediawiki").mkdir(parents=True)

    result = run(mediawiki, "pull", str(copy))
    assert result.exit_code == 2, result.output
    assert "Workflow:Blocked: not written" in result.stderr
    pulled = {page_for_path(path).full: text for path, text in page_files(copy).items()}
    assert pulled == {title: "A page with a long title.\n", "Workflow:Short": "A short one.\n"}

    revisions = mediawiki.revision_count()
    again = run(mediawiki, "push", str(copy))
    assert again.exit_code == 0 and "0 edit(s)" in again.output
    assert mediawiki.revision_count() == revisions
    with Wiki.open(copy, db=tmp_path / "index.db") as wiki:
        wiki.index(jobs=1)
        assert wiki.show(title)["page"] == title.replace(" ", "_")

    mediawiki.php("deleteBatch.php", "-u", "Editor", stdin=f"{title}\n")
    (copy / "workflows/Blocked.mediawiki").rmdir()
    assert run(mediawiki, "pull", str(copy), "--delete").exit_code == 0
    assert sorted(path.name for path in (copy / "workflows").iterdir()) == [
        "Blocked.mediawiki", "Short.mediawiki"], "no folder of the long title is left"


def login_url(wiki: MediaWikiServer, user: str, password: str) -> str:
    return wiki.url.replace("http://", f"http://{quote(user, safe='')}:{password}@")


def last_editor(wiki: MediaWikiServer, title: str) -> str:
    answer = requests.get(f"{wiki.url}api.php", timeout=10, params={
        "action": "query", "prop": "revisions", "rvprop": "user", "titles": title,
        "format": "json", "formatversion": 2}).json()
    return str(answer["query"]["pages"][0]["revisions"][0]["user"])


def test_a_login_in_the_wiki_url_is_used_and_never_shown_or_stored(mediawiki, tmp_path) -> None:
    """As git does, a login in the URL is used (before the environment's); no output and no
    state file holds its password, whether the run succeeds or the login is refused."""
    local = example_copy(tmp_path)
    url = login_url(mediawiki, mediawiki.user, mediawiki.password)
    env = {"WIKIFLOW_WIKI_URL": None, "WIKIFLOW_WIKI_USER": "Nobody@none",
           "WIKIFLOW_WIKI_PASSWORD": "0" * 32}
    pushed = CliRunner().invoke(main, ["push", str(local), "--wiki", url], env=env)
    assert pushed.exit_code == 0, pushed.output
    assert "a password in --wiki is seen by other users" in pushed.stderr
    assert last_editor(mediawiki, QLORA) == "Admin"
    copy = tmp_path / "copy"
    pulled = CliRunner().invoke(main, ["pull", str(copy)], env={**env, "WIKIFLOW_WIKI_URL": url})
    assert pulled.exit_code == 0 and "warning" not in pulled.stderr
    assert page_files(copy) == page_files(local)
    wrong = "1" * 32
    refused = CliRunner().invoke(main, ["pull", str(copy), "--wiki",
                                        login_url(mediawiki, mediawiki.user, wrong)], env=env)
    assert refused.exit_code == 2 and "login as Admin@wikiflow failed" in refused.stderr
    for result in (pushed, pulled, refused):
        assert mediawiki.password not in result.stdout + result.stderr
        assert wrong not in result.stdout + result.stderr
    for folder in (local, copy):
        state = (folder / STATE_FILE).read_text()
        assert mediawiki.password not in state
        assert list(json.loads(state)["wikis"]) == [mediawiki.url]
