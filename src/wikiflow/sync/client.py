"""The MediaWiki client: the few API calls sync needs, over mwclient.

mwclient keeps the HTTP session, logs in (bot passwords, ``User@Bot``), fetches tokens, sends
``maxlag`` with every call and retries with a growing wait on connection errors and 5xx answers.
This module adds what sync needs on top: batched revision look-ups without text, edits that carry
their base revision (so the wiki itself refuses to overwrite a newer edit), a retry on
``ratelimited``, an edit rate, and errors that name the page and never the password.

Every query uses ``formatversion=2``: plain lists, booleans and one ``content`` field per slot.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from ..errors import WikiflowError
from ..version import __version__

#: Titles per query; MediaWiki's limit for clients without the ``apihighlimits`` right.
BATCH = 50
USER_AGENT = f"wikiflow/{__version__} (https://pypi.org/project/wikiflow/)"


class SyncError(WikiflowError):
    """The wiki could not be reached, refused a login or an action; the message says which."""


class EditRefused(SyncError):
    """The wiki refused an edit because the page moved on (``editconflict``, ``articleexists``,
    ``missingtitle``, ``pagedeleted``): a conflict to report, not a failure."""

    def __init__(self, title: str, code: str, reason: str) -> None:
        super().__init__(f"{title}: {reason}")
        self.title = title
        self.code = code
        self.reason = reason


_CONFLICT_CODES = {
    "editconflict": "edited on the wiki since the last pull",
    "articleexists": "created on the wiki since the last pull",
    "missingtitle": "deleted on the wiki since the last pull",
    "pagedeleted": "deleted on the wiki since the last pull",
}


@dataclass(slots=True)
class Base:
    """A wiki revision as an edit's base: its id and timestamp (``baserevid``/``basetimestamp``)."""

    revid: int
    timestamp: str


@dataclass(frozen=True, slots=True)
class Revision:
    """A page's latest revision; ``text`` only when it was asked for."""

    title: str
    revid: int
    timestamp: str
    sha1: str
    text: str | None = None

    @property
    def base(self) -> Base:
        return Base(self.revid, self.timestamp)


@dataclass(frozen=True, slots=True)
class Saved:
    """What an edit left on the wiki: the new revision, or the old one when nothing changed."""

    revid: int
    timestamp: str
    changed: bool


@dataclass(frozen=True, slots=True)
class WikiAddress:
    """A wiki URL taken apart: where its ``api.php`` is, and the login the URL carried.

    ``url`` is the address without the login: what messages print and the state file keys.
    """

    scheme: str
    host: str  # with its port, without the login
    path: str  # the folder that holds api.php, ending in "/"
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}{self.path}"


#: Everything before the last ``@`` of a URL (after its scheme) may be a login.
_LOGIN = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://)?(?P<login>.*)@", re.DOTALL)
#: A host name (letters of any script, digits, ``-``, ``.``, ``_``) or an IP address, and a port.
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[\w.-]+)(?::[0-9]{1,5})?")


def redact_url(url: str) -> str:
    """``url`` fit to print: a password it holds becomes ``***`` (``http://user:***@host/``).

    Used on URLs that may not parse, so it assumes the worst: anything between the scheme
    and the last ``@`` is a login.
    """
    match = _LOGIN.match(url)
    if match is None or ":" not in match["login"]:
        return url
    user = match["login"].split(":", 1)[0]
    return f"{match['head'] or ''}{user}:***@{url[match.end():]}"


def parse_wiki_url(url: str) -> WikiAddress:
    """The one reading of a wiki URL (``--wiki``, ``WIKIFLOW_WIKI_URL``, ``wiki.url``).

    ``http(s)://[user[:password]@]host[:port]/path/`` where the path is the folder that holds
    ``api.php``, or ``api.php`` (or another script) in it; mwclient wants the folder, with a
    trailing ``/``. The scheme is required: ``wiki.example.org/w/`` could mean either, and a
    word such as ``not-a-url`` must not become a host; nothing is guessed or trimmed. A login
    in the URL (``%40`` for the ``@`` of a bot name) is returned apart from the address, never
    inside it. A ``SyncError`` says what is wrong, with a password shown as ``***``.
    """
    try:
        parts = urlsplit(url)
        why = _url_problem(url, parts)
    except ValueError as error:  # a broken [IPv6] address
        why = str(error)
    if why:
        raise SyncError(f"not a wiki URL: {redact_url(url)!r}: {why}")
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    path = parts.path
    if path.endswith(".php"):
        path = path.rsplit("/", 1)[0]
    return WikiAddress(parts.scheme, parts.netloc.rpartition("@")[2], path.rstrip("/") + "/",
                       user, password)


def _url_problem(url: str, parts: SplitResult) -> str:
    """What makes ``url`` no wiki URL ('' when nothing does); never quotes the URL's login."""
    if parts.scheme not in ("http", "https") or not url.lower().startswith(
            f"{parts.scheme}://"):
        return "it must start with http:// or https:// (such as 'https://wiki.example.org/w/')"
    if not parts.hostname:
        return "it names no host"
    if not _HOST.fullmatch(parts.netloc.rpartition("@")[2]):
        return "its host or port is not valid"
    if parts.query or parts.fragment:
        return "a wiki URL has no query (?…) or fragment (#…); give the folder of api.php"
    if parts.password and not parts.username:
        return "a password but no user"
    return ""


class WikiClient:
    """A connection to one wiki, logged in when a user is given.

    A login in ``url`` (``http://user:password@host/w/``) is used before ``user`` and
    ``password``, as git uses one; ``url`` (what messages show) never holds it.
    """

    def __init__(self, url: str, *, user: str | None = None, password: str | None = None,
                 maxlag: int = 5, retries: int = 5, retry_wait: float = 2.0,
                 edit_rate: float | None = None, timeout: float = 30.0) -> None:
        address = parse_wiki_url(url)
        scheme, host, path = address.scheme, address.host, address.path
        if address.user:
            user, password = address.user, address.password or password
        self.url = address.url
        self._min_interval = 1.0 / edit_rate if edit_rate else 0.0
        self._last_edit = 0.0
        self._retries = retries
        self._retry_wait = retry_wait
        import mwclient  # here, not at the top: every command that never syncs would load it

        self.site = _call(self.url, lambda: mwclient.Site(
            host, path=path, scheme=scheme, max_lag=maxlag, max_retries=retries,
            retry_timeout=retry_wait, clients_useragent=USER_AGENT,
            connection_options={"timeout": timeout}))
        if user:
            self._login(user, password or "")

    def _login(self, user: str, password: str) -> None:
        try:
            _call(self.url, lambda: self.site.login(user, password))
        except SyncError as error:
            raise SyncError(f"{self.url}: login as {user} failed ({error}); a bot password is "
                            f"'User@BotName' with the password Special:BotPasswords gave")
        if not self.site.logged_in:
            raise SyncError(f"{self.url}: login as {user} failed; check the bot password")

    # -- reading ---------------------------------------------------------------------------

    def namespaces(self) -> dict[str, int]:
        """Every namespace name the wiki knows (canonical, local and aliases, lower case) → id."""
        data = self._query(meta="siteinfo", siprop="namespaces|namespacealiases")["query"]
        names: dict[str, int] = {}
        for info in data["namespaces"].values():
            for key in ("name", "canonical"):
                if info.get(key):
                    names[info[key].lower().replace("_", " ")] = info["id"]
        for alias in data.get("namespacealiases", []):
            names[alias["alias"].lower().replace("_", " ")] = alias["id"]
        return names

    def list_pages(self, namespace: int) -> Iterator[Revision]:
        """Every page of a namespace with its latest revision's id, time and sha1 (no text)."""
        params = {"generator": "allpages", "gapnamespace": namespace, "gaplimit": "max",
                  "prop": "revisions", "rvprop": "ids|timestamp|sha1"}
        for page in self._pages(params):
            revision = _revision(page)
            if revision is not None:
                yield revision

    def latest(self, titles: Iterable[str], *, text: bool = False) -> dict[str, Revision | None]:
        """The latest revision of each title (``None``: no such page), with its text if asked.

        Keys are the titles as given: MediaWiki's title normalisation is undone here, so the
        caller need not know that ``Workflow:a_b`` comes back as ``Workflow:A b``.
        """
        rvprop = "ids|timestamp|sha1" + ("|content" if text else "")
        found: dict[str, Revision | None] = {}
        batch: list[str] = []
        for title in titles:
            batch.append(title)
            if len(batch) == BATCH:
                found.update(self._latest_batch(batch, rvprop))
                batch = []
        if batch:
            found.update(self._latest_batch(batch, rvprop))
        return found

    def _latest_batch(self, titles: list[str], rvprop: str) -> dict[str, Revision | None]:
        data = self._query(titles="|".join(titles), prop="revisions", rvprop=rvprop,
                           rvslots="main")["query"]
        alias = {entry["to"]: entry["from"] for entry in data.get("normalized", [])}
        result: dict[str, Revision | None] = dict.fromkeys(titles)
        for page in data.get("pages", []):
            if page.get("invalid"):
                raise SyncError(f"{page.get('title', '?')}: the wiki rejects this title "
                                f"({page.get('invalidreason', 'invalid')})")
            result[alias.get(page["title"], page["title"])] = _revision(page)
        return result

    def server_time(self) -> str:
        """The wiki's clock, for ``starttimestamp`` (a deletion after it is a conflict)."""
        return str(self._query(curtimestamp=1)["curtimestamp"])

    def _pages(self, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """The pages of a generator query, following ``continue``."""
        cont: dict[str, Any] = {}
        while True:
            data = self._query(**params, **cont)
            yield from data.get("query", {}).get("pages", [])
            if "continue" not in data:
                return
            cont = data["continue"]

    def _query(self, **params: Any) -> dict[str, Any]:
        return self._api("query", formatversion=2, **params)

    # -- writing ---------------------------------------------------------------------------

    def save(self, title: str, text: str, *, summary: str, base: Base | None,
             start: str | None = None) -> Saved:
        """Create (``base`` None: only if the page does not exist) or update ``title``.

        ``base`` is the revision the local text was made from: MediaWiki refuses the edit
        (``EditRefused``) when the page has a newer revision, or was deleted since ``start``.
        """
        params: dict[str, Any] = {"title": title, "text": text, "summary": summary, "bot": 1,
                                  "formatversion": 2}
        if base is None:
            params["createonly"] = 1
        else:
            params.update(nocreate=1, baserevid=base.revid, basetimestamp=base.timestamp)
        if start is not None:
            params["starttimestamp"] = start
        result = self._edit("edit", title, params)["edit"]
        if result.get("result") != "Success":
            raise SyncError(f"{title}: the wiki did not save the edit: {result}")
        if result.get("nochange"):
            return Saved(base.revid if base else 0, base.timestamp if base else "", False)
        return Saved(int(result["newrevid"]), str(result["newtimestamp"]), True)

    def delete(self, title: str, *, reason: str) -> None:
        self._edit("delete", title, {"title": title, "reason": reason, "formatversion": 2})

    def _edit(self, action: str, title: str, params: dict[str, Any]) -> dict[str, Any]:
        """A write: at the configured rate, retried with a growing wait when ``ratelimited``."""
        for attempt in range(self._retries + 1):
            if attempt:
                time.sleep(self._retry_wait * attempt)
            self._throttle()
            params["token"] = _call(self.url, lambda: self.site.get_token("csrf"))
            try:
                return self._api(action, **params)
            except _RateLimited:
                continue
        raise SyncError(f"{title}: the wiki keeps answering 'ratelimited'; lower the edit rate")

    def _throttle(self) -> None:
        wait = self._last_edit + self._min_interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_edit = time.monotonic()

    def _api(self, action: str, **params: Any) -> dict[str, Any]:
        try:
            return _call(self.url, lambda: self.site.api(action, **params))
        except _ApiRefusal as refusal:
            code, info = refusal.code, refusal.info
            title = str(params.get("title", ""))
            if code in _CONFLICT_CODES and title:
                raise EditRefused(title, code, _CONFLICT_CODES[code]) from None
            if code == "ratelimited":
                raise _RateLimited() from None
            where = f"{title}: " if title else f"{self.url}: "
            raise SyncError(f"{where}the wiki refused '{action}': {code}: {info}") from None


class _ApiRefusal(SyncError):
    """An API error answer, before ``_api`` turns it into a sync outcome."""

    def __init__(self, code: str, info: str) -> None:
        super().__init__(f"the wiki refused: {code}: {info}")
        self.code = code
        self.info = info


class _RateLimited(Exception):
    pass


def _call(url: str, thunk: Any) -> Any:
    """Run an mwclient call; network and protocol failures become ``SyncError`` naming ``url``.

    Messages are built from the error's kind and code only: a request's form data (which holds
    the password during login) is never part of them.
    """
    import requests  # loaded with mwclient by the client; imported here to name its errors
    from mwclient.errors import APIError, LoginError, MaximumRetriesExceeded, MwClientError

    try:
        return thunk()
    except APIError as error:
        raise _ApiRefusal(str(error.code), str(error.info)) from None
    except LoginError as error:
        result = error.args[1] if len(error.args) > 1 else {}
        reason = result.get("reason") if isinstance(result, dict) else None
        raise SyncError(str(reason or "login refused")) from None
    except MaximumRetriesExceeded:
        raise SyncError(f"{url}: no answer after retrying; is the wiki up?") from None
    except requests.exceptions.HTTPError as error:
        status = error.response.status_code if error.response is not None else "?"
        raise SyncError(f"{url}: HTTP {status}") from None
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
        raise SyncError(f"{url}: cannot connect ({type(error).__name__})") from None
    except (MwClientError, requests.exceptions.RequestException, ValueError) as error:
        raise SyncError(f"{url}: {type(error).__name__}: {error}") from None


def _revision(page: dict[str, Any]) -> Revision | None:
    if page.get("missing") or not page.get("revisions"):
        return None
    rev = page["revisions"][0]
    slot = rev.get("slots", {}).get("main", {})
    return Revision(page["title"], int(rev["revid"]), str(rev["timestamp"]),
                    str(rev.get("sha1", "")), slot.get("content"))
