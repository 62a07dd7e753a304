"""Pull and push: a folder of page files ⇄ a live MediaWiki, without losing an edit on either side.

* **pull** lists the chosen namespaces (revision ids and sha1s, no text), fetches the text of
  pages whose revision moved since the last sync, and writes them where ``layout`` says. A file
  edited locally since the last sync is never overwritten: the wiki's text goes beside it in
  ``FILE.remote``.
* **push** edits the pages whose local text (in the form the wiki stores, see
  ``dump.wiki_text``) differs from the last sync. Each edit carries its base revision; a page
  edited on the wiki since the last pull is a *conflict*: it is reported, the wiki's text is
  written to ``FILE.remote``, and nothing is overwritten. Merge the two, delete the ``.remote``
  file, and push again. Deletions are pushed only when asked.

The state file (``syncstate``) is saved after every edit, so a push that stops half-way leaves
it true and the next push continues where it stopped.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config, WikiSettings
from ..graph.dump import wiki_text
from ..errors import InputError
from ..files.pages import DEFAULT_EXTENSIONS, write_text
from ..files.layout import CONTINUED, path_for_page, walk_wiki
from ..lint.engine import lint_page
from .client import Base, EditRefused, Revision, SyncError, WikiClient, parse_wiki_url
from ..page.model import Severity
from ..page.names import NAMESPACES, PageName, page_name
from ..terminal import track
from .state import Entry, SyncState, file_text, text_sha1

DEFAULT_NAMESPACES = ("Workflow", "Principle", "Heuristic")
REMOTE_SUFFIX = ".remote"
DEFAULT_SUMMARY = "wikiflow push"

#: What happened to a page; a dry run reports what would happen.
ACTIONS = {
    "create": "created on the wiki",
    "update": "updated on the wiki",
    "delete": "deleted on the wiki",
    "write": "written from the wiki",
    "remove": "local file removed (deleted on the wiki)",
    "same": "already the same on both sides",
    "conflict": "conflict",
    "blocked": "not pushed",
    "deleted-on-wiki": "deleted on the wiki, local file kept",
    "failed": "not written",
}
PROBLEMS = frozenset({"conflict", "blocked", "deleted-on-wiki"})
#: Pages a pull could not write (a file system error, a title no file can hold): the others
#: are pulled all the same, and the run ends as an error.
FAILURES = frozenset({"failed"})


@dataclass(frozen=True, slots=True)
class LocalPage:
    """A page file of the folder, with its text in the form the wiki stores."""

    name: PageName
    path: str
    text: str
    exact: bool  # the file holds exactly what a pull would write

    @property
    def sha1(self) -> str:
        return text_sha1(self.text)


@dataclass(slots=True)
class Outcome:
    page: str
    path: str
    action: str
    detail: str = ""
    diff: str = ""

    def to_data(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value}


@dataclass(slots=True)
class SyncReport:
    """Every page a pull or push acted on (or would have, on a dry run)."""

    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)
    edits: int = 0
    not_exact: int = 0

    @property
    def problems(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action in PROBLEMS]

    @property
    def failures(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action in FAILURES]

    def add(self, page: str, path: str, action: str, detail: str = "", diff: str = "") -> None:
        self.outcomes.append(Outcome(page, path, action, detail, diff))

    def to_data(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "edits": self.edits, "fetched": self.fetched,
                "pages": [outcome.to_data() for outcome in self.outcomes]}


# -- namespaces and local pages ---------------------------------------------------------------


def canonical_namespaces(names: Iterable[str]) -> tuple[str, ...]:
    """``workflow, Principle`` → ``('Workflow', 'Principle')``; unknown names are an error."""
    result = []
    for name in names:
        canonical = NAMESPACES.get(name.strip().lower())
        if canonical is None:
            raise SyncError(f"unknown namespace {name.strip()!r}; expected some of "
                            f"{', '.join(sorted(set(NAMESPACES.values()) - {''}))}")
        result.append(canonical)
    return tuple(dict.fromkeys(result))


def namespace_ids(client: WikiClient, namespaces: Sequence[str]) -> dict[str, int]:
    """The wiki's id of each namespace, from its siteinfo; a clear error when one is missing."""
    known = client.namespaces()
    missing = [name for name in namespaces if name.lower() not in known]
    if missing:
        raise SyncError(
            f"{client.url} has no {', '.join(missing)} namespace: declare it in the wiki's "
            f"LocalSettings.php ($wgExtraNamespaces, see docs/sync.md) or choose namespaces "
            f"with --namespaces")
    return {name: known[name.lower()] for name in namespaces}


def local_pages(folder: Path, namespaces: Sequence[str],
                extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
                ) -> tuple[dict[str, LocalPage], list[Outcome]]:
    """The folder's pages in ``namespaces`` by page key, and the files that cannot be synced
    (unreadable, not UTF-8, or a second file for the same page)."""
    pages: dict[str, LocalPage] = {}
    problems: list[Outcome] = []
    for found in walk_wiki(folder, extensions):
        name = found.name
        if name.namespace not in namespaces:
            continue
        try:
            raw = (folder / found.path).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Outcome(name.full, found.path, "blocked", f"cannot read: {error}"))
            continue
        if name.key in pages:
            problems.append(Outcome(name.full, found.path, "blocked",
                                    f"{pages[name.key].path} holds the same page"))
            continue
        text = wiki_text(raw.removeprefix("\ufeff"))
        pages[name.key] = LocalPage(name, found.path, text, raw == file_text(text))
    return pages, problems


# -- pull ---------------------------------------------------------------------------------------


def pull(client: WikiClient, folder: Path, namespaces: Sequence[str] = DEFAULT_NAMESPACES, *,
         delete: bool = False, extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> SyncReport:
    """Bring the folder up to date with the wiki (see the module docstring)."""
    ids = namespace_ids(client, namespaces)
    _mkdir(folder)
    state = SyncState(folder, client.url)
    local, report_problems = local_pages(folder, namespaces, extensions)
    report = SyncReport(outcomes=report_problems)
    remote = {page_name(rev.title).key: rev for ns in ids.values()
              for rev in client.list_pages(ns)}
    wanted = []
    for key, rev in remote.items():
        entry = state.get(key)
        if entry is not None and rev.revid in entry.known_revisions:
            continue
        page = local.get(key)
        if page is not None and page.sha1 == rev.sha1:
            state.record(key, page.path, rev.revid, rev.timestamp, page.sha1)
            report.add(rev.title, page.path, "same")
            continue
        wanted.append(rev.title)
    fetched = client.latest(track(wanted, "Pulling"), text=True) if wanted else {}
    for title, found in fetched.items():
        if found is not None:  # None: deleted since the listing
            report.fetched.append(title)
            _go_on(report, title, _pull_page, folder, state, local.get(page_name(title).key),
                   found, report)
    for key, entry in state:
        if key not in remote and page_name(key).namespace in namespaces:
            _go_on(report, page_name(key).full, _deleted_on_wiki, folder, state, key, entry,
                   local.get(key), delete, report)
    state.save()
    return report


def _go_on(report: SyncReport, title: str, step: Callable[..., None], *args: Any) -> None:
    """Run one page's part of a pull. An ``InputError`` (a file that cannot be written, a
    title no file name can hold) is that page's outcome, naming it, and the pull goes on
    with the other pages."""
    try:
        step(*args)
    except InputError as error:
        report.add(title, "", "failed", str(error))


def _pull_page(folder: Path, state: SyncState, page: LocalPage | None, rev: Revision,
               report: SyncReport) -> None:
    """Write a fetched page, unless the local file has edits of its own (then: a conflict)."""
    key = page_name(rev.title).key
    text = wiki_text(rev.text or "")
    entry = state.get(key)
    if page is None or (entry is not None and entry.conflict is None
                        and page.sha1 == entry.sha1):
        path = page.path if page is not None else path_for_page(page_name(rev.title))
        _write(folder / path, file_text(text))
        state.record(key, path, rev.revid, rev.timestamp, text_sha1(text))
        report.add(rev.title, path, "write", f"revision {rev.revid}")
        return
    _keep_both(folder, state, page, rev, report, "edited both here and on the wiki")


def _keep_both(folder: Path, state: SyncState, page: LocalPage, rev: Revision,
               report: SyncReport, why: str) -> None:
    """A conflict: the wiki's text goes to ``FILE.remote``; the local file is not touched."""
    remote_path = page.path + REMOTE_SUFFIX
    _write(folder / remote_path, file_text(wiki_text(rev.text or "")))
    state.conflict(page.name.key, page.path, rev.base)
    report.add(page.name.full, page.path, "conflict",
               f"{why} (revision {rev.revid}); the wiki's text is in {remote_path}: merge it "
               f"into {page.path}, delete {remote_path}, then push")


def _deleted_on_wiki(folder: Path, state: SyncState, key: str, entry: Entry,
                     page: LocalPage | None, delete: bool, report: SyncReport) -> None:
    title = page_name(key).full
    if page is None:
        state.drop(key)
    elif delete and page.sha1 == entry.sha1:
        _remove(folder, page.path)
        state.drop(key)
        report.add(title, page.path, "remove")
    else:
        entry.deleted_on_wiki = True
        why = "the file has local edits" if page.sha1 != entry.sha1 else "pull --delete removes it"
        report.add(title, page.path, "deleted-on-wiki", why)


# -- push ---------------------------------------------------------------------------------------


LintCheck = Callable[[list[LocalPage]], dict[str, str]]


def push(client: WikiClient, folder: Path, namespaces: Sequence[str] = DEFAULT_NAMESPACES, *,
         summary: str = DEFAULT_SUMMARY, dry_run: bool = False, delete: bool = False,
         lint: LintCheck | None = None,
         extensions: tuple[str, ...] = DEFAULT_EXTENSIONS) -> SyncReport:
    """Publish local edits (see the module docstring).

    ``lint`` maps the pages about to be pushed to a reason, by path, for each one that must not
    be (lint errors); when it names any, nothing is pushed. A network failure raises ``SyncError`` after
    the state file has recorded every edit that was saved.
    """
    namespace_ids(client, namespaces)
    state = SyncState(folder, client.url)
    local, problems = local_pages(folder, namespaces, extensions)
    report = SyncReport(dry_run=dry_run, outcomes=problems)
    report.not_exact = sum(not page.exact for page in local.values())
    changed = [page for key, page in sorted(local.items()) if _changed(state, key, page)]
    gone = [(key, entry) for key, entry in state
            if key not in local and not entry.deleted_on_wiki] if delete else []
    blocked = lint(changed) if lint and changed else {}
    if blocked:
        for page in changed:
            if page.path in blocked:
                report.add(page.name.full, page.path, "blocked", blocked[page.path])
        return report
    if not changed and not gone:
        return report
    start = client.server_time()
    titles = [page.name.full for page in changed] + [page_name(key).full for key, _ in gone]
    latest = client.latest(titles, text=dry_run)
    try:
        for page in track(changed, "Pushing"):
            _push_page(client, folder, state, page, latest[page.name.full], report,
                       summary=summary, start=start)
        for key, entry in gone:
            _push_deletion(client, state, key, entry, latest[page_name(key).full], report,
                           summary=summary)
    finally:
        if not dry_run:
            state.save()
    return report


def _changed(state: SyncState, key: str, page: LocalPage) -> bool:
    entry = state.get(key)
    return entry is None or entry.sha1 != page.sha1 or entry.conflict is not None


def _push_page(client: WikiClient, folder: Path, state: SyncState, page: LocalPage,
               remote: Revision | None, report: SyncReport, *, summary: str, start: str) -> None:
    key, title = page.name.key, page.name.full
    entry = state.get(key)
    base = entry.base if entry is not None else None
    if entry is not None and entry.conflict is not None:
        if (folder / (page.path + REMOTE_SUFFIX)).exists():
            report.add(title, page.path, "conflict",
                       f"unresolved: merge {page.path}{REMOTE_SUFFIX} into {page.path} and "
                       f"delete it, then push")
            return
        base = entry.conflict
    if remote is not None and remote.sha1 == page.sha1:
        if not report.dry_run:
            state.record(key, page.path, remote.revid, remote.timestamp, page.sha1)
        report.add(title, page.path, "same")
        return
    why = _conflict(entry is not None, base, remote)
    if why:
        _report_conflict(client, folder, state, page, remote, report, why)
        return
    action = "create" if remote is None else "update"
    if report.dry_run:
        old = wiki_text(remote.text or "") if remote is not None else ""
        report.add(title, page.path, action, diff=unified_diff(old, page.text, title, page.path))
        return
    try:
        saved = client.save(title, page.text, summary=summary,
                            base=None if remote is None else base, start=start)
    except EditRefused as refused:
        _report_conflict(client, folder, state, page, client.latest([title], text=True)[title],
                         report, refused.reason)
        return
    state.record(key, page.path, saved.revid, saved.timestamp, page.sha1)
    state.save()
    report.edits += saved.changed
    report.add(title, page.path, action, f"revision {saved.revid}")


def _conflict(known: bool, base: Base | None, remote: Revision | None) -> str:
    """Why pushing over ``remote`` would lose an edit made on the wiki ('' when it would not)."""
    if remote is None:
        return "deleted on the wiki since the last pull" if known else ""
    if base is None:
        return "the page exists on the wiki but was never pulled"
    if remote.revid != base.revid:
        return "edited on the wiki since the last pull"
    return ""


def _report_conflict(client: WikiClient, folder: Path, state: SyncState, page: LocalPage,
                     remote: Revision | None, report: SyncReport, why: str) -> None:
    if remote is None:
        report.add(page.name.full, page.path, "conflict", why)
        return
    if remote.text is None:
        remote = client.latest([page.name.full], text=True)[page.name.full] or remote
    if report.dry_run:
        report.add(page.name.full, page.path, "conflict", f"{why} (revision {remote.revid})")
        return
    _keep_both(folder, state, page, remote, report, why)


def _push_deletion(client: WikiClient, state: SyncState, key: str, entry: Entry,
                   remote: Revision | None, report: SyncReport, *, summary: str) -> None:
    title = page_name(key).full
    if remote is None:
        if not report.dry_run:
            state.drop(key)
        report.add(title, entry.path, "same", "already deleted on the wiki")
        return
    if remote.revid != entry.revid:
        report.add(title, entry.path, "conflict",
                   f"edited on the wiki since the last pull (revision {remote.revid}); not deleted")
        return
    if not report.dry_run:
        client.delete(title, reason=summary)
        state.drop(key)
        state.save()
        report.edits += 1
    report.add(title, entry.path, "delete")


def unified_diff(old: str, new: str, title: str, path: str) -> str:
    """The change a push makes, from the wiki's text to the local one."""
    lines = difflib.unified_diff(file_text(old).splitlines(keepends=True),
                                 file_text(new).splitlines(keepends=True),
                                 f"wiki/{title}", path)
    return "".join(lines)


def _write(path: Path, text: str) -> None:
    _mkdir(path.parent)
    write_text(str(path), text)


def _mkdir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{folder}: cannot create: {error.strerror or error}") from error


def _remove(folder: Path, relative: str) -> None:
    """Remove a page's file, and the folders of its long title (``layout``) left empty."""
    path = folder / relative
    try:
        path.unlink()
    except OSError as error:
        raise InputError(f"{path}: cannot remove: {error.strerror or error}") from error
    for parent in path.relative_to(folder).parents:
        if not parent.name.endswith(CONTINUED):
            break
        try:
            (folder / parent).rmdir()
        except OSError:  # not empty: another page's pieces are in it too
            break


# -- connecting and gating ------------------------------------------------------------------------


ENV_URL = "WIKIFLOW_WIKI_URL"
ENV_USER = "WIKIFLOW_WIKI_USER"
ENV_PASSWORD = "WIKIFLOW_WIKI_PASSWORD"


def connect(settings: WikiSettings, *, url: str | None = None, edit_rate: float | None = None,
            environ: Mapping[str, str] = os.environ) -> WikiClient:
    """A client for the wiki: ``url`` (``--wiki``), else the environment, else configuration.

    The login: the one the URL holds (``http://User%40Bot:password@host/w/``, as git takes
    one), else ``WIKIFLOW_WIKI_USER`` / ``WIKIFLOW_WIKI_PASSWORD``, else the configuration; a
    user in the URL without a password takes the password from there. Without a user the wiki
    is read anonymously. The client's ``url``, the only form printed or stored, has no login.
    """
    given = [(where, value) for where, value in (
        ("--wiki", url), (ENV_URL, environ.get(ENV_URL)), ("wiki.url", settings.url)) if value]
    if not given:
        raise SyncError(f"no wiki: give --wiki URL, set {ENV_URL}, or set wiki.url in the "
                        f"configuration")
    source, url = given[0]
    try:
        address = parse_wiki_url(url)
    except SyncError as error:
        raise SyncError(f"{source}: {error}") from None
    user = address.user or environ.get(ENV_USER) or settings.user
    password = address.password or environ.get(ENV_PASSWORD) or settings.password
    if user and not password:
        raise SyncError(f"a user ({user}) but no password: set {ENV_PASSWORD}")
    return WikiClient(address.url, user=user, password=password, maxlag=settings.maxlag,
                      edit_rate=edit_rate or settings.edit_rate)


def lint_gate(config: Config) -> LintCheck:
    """A ``push`` lint check: Workflow pages with lint errors (severity error) are not pushed.

    It lints the text push already read, in the form the wiki will store.
    """
    def check(pages: list[LocalPage]) -> dict[str, str]:
        blocked = {}
        for page in pages:
            if page.name.namespace != "Workflow":
                continue
            errors = [d for d in lint_page(page.text, path=page.path, config=config,
                                           title=page.name.title)
                      if d.severity is Severity.ERROR]
            if errors:
                blocked[page.path] = (f"{len(errors)} lint error(s), the first {errors[0].code}: "
                                      f"{errors[0].message} (wikiflow lint {page.path}; --force "
                                      f"pushes anyway)")
        return blocked
    return check
