"""A real MediaWiki for tests and benchmarks: Debian's ``mediawiki`` package (1.39, SQLite),
installed into a temporary folder and served by ``php -S`` on 127.0.0.1 and a free port.

Debian reads ``/etc/mediawiki/LocalSettings.php`` unless ``MW_CONFIG_FILE`` names another, so
every PHP process started here (the server and the maintenance scripts) gets it in its
environment. The Workflow, Principle and Heuristic namespaces are declared the way a wiki of
recipes declares them (``$wgExtraNamespaces``), and ``Property`` (102) as Semantic MediaWiki
would (SMW itself is not packaged by Debian).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

MEDIAWIKI = Path("/usr/share/mediawiki")
INSTALL = MEDIAWIKI / "maintenance" / "install.php"
REQUIRED = "apt-get install -y --no-install-recommends mediawiki php-sqlite3 php-cli"
ADMIN = "Admin"
BOT = "wikiflow"
#: Someone else editing the wiki. MediaWiki never reports an edit conflict with one's own
#: edits, so the wiki-side edits of the tests must come from another account.
EDITOR = "Editor"

_NAMESPACES = """
$wgExtraNamespaces[3000] = "Workflow";
$wgExtraNamespaces[3001] = "Workflow_talk";
$wgExtraNamespaces[3002] = "Principle";
$wgExtraNamespaces[3003] = "Principle_talk";
$wgExtraNamespaces[3004] = "Heuristic";
$wgExtraNamespaces[3005] = "Heuristic_talk";
$wgExtraNamespaces[102] = "Property";
$wgExtraNamespaces[103] = "Property_talk";
$wgEnableBotPasswords = true;
$wgRateLimits = [];
"""


def missing_reason() -> str | None:
    """Why a MediaWiki cannot be started here (None: it can)."""
    if shutil.which("php") is None or not INSTALL.is_file():
        return f"MediaWiki 1.39 and PHP are not installed ({REQUIRED})"
    probe = subprocess.run(["php", "-r", "exit(extension_loaded('pdo_sqlite') ? 0 : 1);"],
                           check=False)
    if probe.returncode != 0:
        return f"PHP has no SQLite driver ({REQUIRED})"
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MediaWikiServer:
    """One throw-away wiki. ``start``/``stop`` may be called again: the data stays."""

    def __init__(self, root: Path, namespaces: str = _NAMESPACES) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.settings = root / "LocalSettings.php"
        self.user = f"{ADMIN}@{BOT}"
        # Bot passwords must match ^[0-9a-w]{32,}$ or the login fails without saying why.
        self.password = secrets.token_hex(16)
        self._process: subprocess.Popen[bytes] | None = None
        self._install(namespaces)

    def _env(self) -> dict[str, str]:
        return {**os.environ, "MW_CONFIG_FILE": str(self.settings)}

    def php(self, script: str, *args: str, stdin: str | None = None) -> str:
        """Run a maintenance script against this wiki; its output, or an error with it."""
        done = subprocess.run(["php", str(MEDIAWIKI / "maintenance" / script), *args],
                              input=stdin, capture_output=True, text=True, env=self._env(),
                              cwd=self.root, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{script} failed ({done.returncode}): {done.stdout}{done.stderr}")
        return done.stdout

    def _install(self, namespaces: str) -> None:
        data = self.root / "data"
        data.mkdir(parents=True)
        self.php("install.php", "--dbtype", "sqlite", "--dbpath", str(data), "--dbname", "wiki",
                 "--confpath", str(self.root), "--server", f"http://127.0.0.1:{self.port}",
                 "--scriptpath", "", "--pass", secrets.token_hex(12), "--skins", "",
                 "wikiflow-test", ADMIN)
        with self.settings.open("a", encoding="utf-8") as handle:
            handle.write(namespaces)
        self.php("createBotPassword.php", "--appid", BOT, "--grants",
                 "basic,highvolume,editpage,createeditmovepage,delete", ADMIN, self.password)
        self.php("createAndPromote.php", EDITOR, secrets.token_hex(12))

    def start(self) -> None:
        log = (self.root / "server.log").open("ab")
        self._process = subprocess.Popen(
            # OPcache keeps MediaWiki compiled between requests (a request took a second
            # without it, a tenth with it); settings files are still read anew each time.
            ["php", "-d", "opcache.enable_cli=1", "-d", "opcache.revalidate_freq=0", "-S",
             f"127.0.0.1:{self.port}", "-t", str(MEDIAWIKI)],
            stdout=log, stderr=subprocess.STDOUT, env={**self._env(),
                                                       "PHP_CLI_SERVER_WORKERS": "2"},
            cwd=self.root, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}api.php?action=query&format=json",
                                timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"MediaWiki did not answer on {self.url}; see {log.name}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            self._process.wait(timeout=10)
        self._process = None

    def edit(self, title: str, text: str, summary: str = "edited on the wiki") -> None:
        """An edit made on the wiki by someone else (another account, through edit.php)."""
        self.php("edit.php", "--user", EDITOR, "--summary", summary, title, stdin=text)

    def text(self, title: str) -> str | None:
        """The page's current text as the wiki stores it, read by a plain API call."""
        answer = requests.get(f"{self.url}api.php", timeout=10, params={
            "action": "query", "prop": "revisions", "rvprop": "content", "rvslots": "main",
            "titles": title, "format": "json", "formatversion": 2}).json()
        page = answer["query"]["pages"][0]
        return None if page.get("missing") else page["revisions"][0]["slots"]["main"]["content"]

    def revision_count(self) -> int:
        """How many revisions the wiki holds (every saved edit adds one)."""
        answer = requests.get(f"{self.url}api.php", timeout=10, params={
            "action": "query", "meta": "siteinfo", "siprop": "statistics",
            "format": "json", "formatversion": 2}).json()
        return int(answer["query"]["statistics"]["edits"])
