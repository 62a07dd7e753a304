"""``wikiflow serve``: the site's pages rendered live from the wiki's files and its index.

A page is rendered when asked for. Before that its file's size and modification time are
compared with the index's, and a changed file is re-indexed alone (``Wiki.index_files``), so an
edit shows on the next request; each page asks the server once a second whether its file
changed and reloads itself when it did (``assets/live.js``). The home page re-indexes the wiki
incrementally, so new and removed files show there.

The HTTP server answers in threads, but SQLite connections belong to the thread that opened
them: every request is handed to the calling thread, which owns the ``Wiki`` and answers them
one at a time.
"""

from __future__ import annotations

import json
import mimetypes
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..config import Config
from ..errors import InputError, WikiflowError
from ..graph.ask import AskResult
from ..graph.wiki import Wiki
from .build import home_page, render_page, site_lists
from .catalog import read_catalog
from .graphview import graph_data
from .markup import CSP, render
from .pages import page_view
from .paths import ASSETS

#: How long a request waits for its answer before the server says it is busy.
ANSWER_SECONDS = 60
#: Hits of a search or rows of an #ask shown.
SHOWN = 50
#: Pages changed at once beyond which the catalog is read whole rather than page by page.
REFRESH_MOST = 200


@dataclass(slots=True)
class Reply:
    status: int
    body: bytes
    type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


class LiveSite:
    """The pages of a wiki, each rendered when asked for (use from one thread only)."""

    def __init__(self, wiki: Wiki, config: Config) -> None:
        if wiki.source is None or not wiki.source.is_dir():
            raise InputError("serve needs a wiki folder")
        self.wiki, self.config, self.root = wiki, config, wiki.source
        self.found: dict[str, tuple[str, int]] = {}  # key → (stamp, findings) of pages seen
        self.assets = {p.name: p for p in files("wikiflow.site").joinpath(ASSETS).iterdir()
                       if p.is_file()}
        self.wiki.index()
        self.reload()

    def reload(self) -> None:
        """Read the index again (after a re-index changed much of it)."""
        self.catalog = read_catalog(self.wiki.conn)
        self.keys = {path: key for key, path in self.catalog.paths.items()}

    def update(self, keys: list[str]) -> None:
        """Read again what the index holds of the pages ``keys`` (after they were
        re-indexed); many pages at once are read whole."""
        if len(keys) > REFRESH_MOST:
            self.reload()
            return
        for key in keys:
            self.keys.pop(self.catalog.paths.get(key, ""), None)
        self.catalog.refresh(self.wiki.conn, keys)
        for key in keys:
            if key in self.catalog.paths:
                self.keys[self.catalog.paths[key]] = key

    def respond(self, target: str) -> Reply:
        """The answer to a GET of ``target`` (a path with its query)."""
        url = urlsplit(target)
        path = unquote(url.path).lstrip("/") or "index.html"
        query = {name: values[0] for name, values in parse_qs(url.query).items()}
        if path.startswith(f"{ASSETS}/") and path[len(ASSETS) + 1:] in self.assets:
            asset = self.assets[path[len(ASSETS) + 1:]]
            kind = mimetypes.guess_type(asset.name)[0] or "text/plain"
            return Reply(200, asset.read_bytes(), f"{kind}; charset=utf-8")
        routes: dict[str, Callable[[dict[str, str]], Reply]] = {
            "_stamp": self._stamp, "search": self._search, "ask": self._ask,
            "graph-data.js": lambda q: Reply(200, graph_data(self.catalog).encode(),
                                             "text/javascript; charset=utf-8")}
        if path in routes:
            return routes[path](query)
        if path == "index.html":
            self._index_all()
            return self._html(home_page(self.catalog, self._findings(), live=True))
        if path not in self.keys and path.endswith(".html"):
            self._index_all()  # a page made since the index was read
        if path in self.keys:
            page = self.page(self.keys[path])
            if page is not None:
                return self._html(page)
        lists = site_lists(self.catalog, {}, live=True)
        if path in lists:
            return self._html(lists[path]())
        return self._html(self._message("Not found", f"No page at /{path}."), 404)

    def page(self, key: str) -> str | None:
        """The page ``key`` rendered from its file as it is now (re-indexed if it changed);
        None when its file is gone."""
        self.fresh(key)
        if key not in self.catalog.paths:
            return None
        view = page_view(self.catalog, self.root, key, self.config)
        stamp = self.stamp(key)
        self.found[key] = (stamp, len(view.findings))
        return render_page(view, self.config, live=True, stamp=(view.path, stamp))

    def fresh(self, key: str) -> None:
        """Re-index the file of ``key`` when it differs from what the index holds."""
        entry = self.catalog.entries.get(key)
        if entry is None or entry.file is None:
            return
        row = self.wiki.conn.execute("SELECT mtime_ns, size FROM files WHERE path = ?",
                                     (entry.file,)).fetchone()
        if row is None or f"{row[0]}-{row[1]}" != self.stamp(key):
            stats = self.wiki.index_files([entry.file])
            self.update([key, *stats.changed_keys])

    def stamp(self, key: str) -> str:
        """The page file's modification time and size (``gone`` when it is not there)."""
        entry = self.catalog.entries.get(key)
        try:
            info = (self.root / (entry.file or "")).stat() if entry else None
        except OSError:
            info = None
        return "gone" if info is None else f"{info.st_mtime_ns}-{info.st_size}"

    def _stamp(self, query: dict[str, str]) -> Reply:
        key = self.keys.get(query.get("page", ""))
        return Reply(200, (self.stamp(key) if key else "gone").encode(), "text/plain")

    def _index_all(self) -> None:
        stats = self.wiki.index()
        if stats.removed:  # the keys of removed pages are not named
            self.reload()
        elif stats.changed_keys:
            self.update(stats.changed_keys)

    def _findings(self) -> dict[str, int]:
        """The number of findings of each page, linting those not seen since they changed."""
        for key in self.catalog.paths:
            stamp = self.stamp(key)
            if self.found.get(key, ("", 0))[0] != stamp:
                view = page_view(self.catalog, self.root, key, self.config)
                self.found[key] = (stamp, len(view.findings))
        return {key: n for key, (_, n) in self.found.items() if n and key in self.catalog.paths}

    def _search(self, query: dict[str, str]) -> Reply:
        """The index's full-text search, best first, with the #ask box below."""
        text = query.get("q", "")
        hits = self.wiki.search(text, limit=SHOWN + 1) if text.strip() else []
        rows = [(hit["page"].replace("_", " "), self._link(hit["page"]), hit["snippet"])
                for hit in hits[:SHOWN]]
        more = (f"Only the best {SHOWN} matches are shown: more pages match. Add words to "
                "narrow the search." if len(hits) > SHOWN else "")
        return self._html(render("list.html", title=f"Search: {text}" if text else "Search",
                                 kind="Full-text search", groups=[("", rows)], root="",
                                 live=True, search_action="search", ask="", columns=[],
                                 more=more))

    def _ask(self, query: dict[str, str]) -> Reply:
        """An ``#ask`` query's rows as a table; a query that does not read says why."""
        text = query.get("q", "")
        columns: list[str] = []
        rows: list[list[tuple[str, str | None]]] = []
        groups: list[tuple[str, list[tuple[str, str | None, str]]]] = []
        more = ""
        if text.strip():
            try:
                result = self.wiki.ask(text, limit=SHOWN)
            except WikiflowError as error:
                groups = [(f"The query does not read: {error}", [])]
            else:
                found = result.rows
                columns = list(found[0]) if found else []
                rows = [[self._cell(row[c], c == "page") for c in columns] for row in found]
                groups = [] if found else [("No page matches.", [])]
                more = " ".join([*(f"Not applied: {w}." for w in result.warnings),
                                   _further(result)]).strip()
        return self._html(render("list.html", title="#ask", kind="Query", groups=groups,
                                 root="", live=True, search_action="search", ask=text,
                                 columns=columns, rows=rows, more=more))

    def _cell(self, value: object, page: bool) -> tuple[str, str | None]:
        """An #ask value as text (a list of values joined), with the link to its page."""
        if isinstance(value, list):
            return ", ".join(self._cell(v, False)[0] for v in value), None
        text = "" if value is None else str(value)
        return text, self._link(text) if page else None

    def _link(self, key: str) -> str | None:
        path = self.catalog.paths.get(key)
        return None if path is None else "/" + path

    def _message(self, title: str, text: str) -> str:
        return render("list.html", title=title, kind=text, groups=[], root="/", live=True,
                      search_action="search")

    @staticmethod
    def _html(text: str, status: int = 200) -> Reply:
        return Reply(status, text.encode("utf-8"))


def serve(wiki: Wiki, *, host: str = "127.0.0.1", port: int = 8000, config: Config | None = None,
          started: Callable[[str], None] = lambda url: None) -> None:
    """Serve ``wiki``'s pages until interrupted (Ctrl-C raises ``KeyboardInterrupt`` here).
    ``started`` is given the URL once the server listens (port 0 takes a free port)."""
    site = LiveSite(wiki, config or Config())
    requests: queue.Queue[tuple[str, queue.Queue[Reply]]] = queue.Queue()
    try:
        server = ThreadingHTTPServer((host, port), _handler(requests))
    except OSError as error:
        raise InputError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="wikiflow-serve", daemon=True)
    thread.start()
    try:
        bound_host, bound_port = server.server_address[:2]
        started(f"http://{_url_host(str(bound_host))}:{bound_port}/")
        while True:
            try:
                target, answer = requests.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                reply = site.respond(target)
            except WikiflowError as error:
                reply = Reply(500, site._message("Error", str(error)).encode("utf-8"))
            answer.put(reply)
    finally:
        server.shutdown()
        server.server_close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _handler(requests: queue.Queue[tuple[str, queue.Queue[Reply]]]
             ) -> type[BaseHTTPRequestHandler]:
    """A request handler that hands each GET to the thread that owns the wiki."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "wikiflow"

        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            self._answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            answer: queue.Queue[Reply] = queue.Queue(maxsize=1)
            requests.put((self.path, answer))
            try:
                reply = answer.get(timeout=ANSWER_SECONDS)
            except queue.Empty:
                reply = Reply(503, b"busy", "text/plain")
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the terminal shows the URL and errors, not every request."""

    return Handler


def _further(result: AskResult) -> str:
    """SMW's "further results": what the rows shown leave out, never a silent cut."""
    if not result.further:
        return ""
    end = result.next_offset
    return (f"Results {result.offset + 1}–{end} of {result.total} are shown. Add "
            f"|offset={end} (and |limit=) to the query to see more.")
