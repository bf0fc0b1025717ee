"""The crawl's fault matrix (issue 13): a replay server that misbehaves on purpose, the
bad-page archive, and a crawl run measured for time, memory and log lines.

`FaultServer` is `crawler.replay.ReplayServer` (a loopback forward proxy answering from a
replay archive) with faults injected for chosen URLs:

    faults = {url: Fault("status", status=503, retry_after="1", times=1)}
    with FaultServer(Archive.load(root), faults) as server:
        run_measured(root, db, server.proxy_url)   # newsmine crawl --replay root --replay-proxy …

`bad_archive(root)` writes the bad-page archive: one generated ND Soft site per fault of
`FAULTS` (a few good articles each, one or more pages faulty), and returns the faults to
inject and what each source must end with. tests/test_fault_matrix.py crawls each site
alone; bench/fault_bench.py crawls them all at once and measures the bars.

`run_measured` runs the real CLI (`newsmine crawl`) in a process group of its own, with the
replay's timeouts shortened (`FAST`) so a timeout costs seconds, and samples the RSS of every
process in the group (the crawl and its worker processes) every 0.1 s.
"""

from __future__ import annotations

import json
import os
import random
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Callable

from crawler.manifest import Archive
from crawler.replay import ReplayServer

REPO = Path(__file__).resolve().parents[1]

# The replay's own settings shortened for the matrix (crawler/settings.py REPLAY_OVERRIDES:
# 180 s timeout, 2 retries): a hanging page costs 6 s per attempt, not 3 minutes.
FAST = {"DOWNLOAD_TIMEOUT": 6, "RETRY_TIMES": 1}


@dataclass
class Fault:
    """What the server does instead of serving a page.

    kind: status (answer `status`, with `retry_after` as Retry-After), hang (read the request,
    answer nothing), reset (close the connection with a TCP RST), truncate (promise the page's
    length, send half, close), drip (send the page at `rate` bytes/s), endless (a chunked body
    that never ends), huge (the page followed by `size` bytes of padding, no Content-Length),
    binary (`size` random bytes as text/html), charset (the page re-encoded in CP949 while the
    header and the page's meta say UTF-8), redirect (302 to `location`).
    `times`: fault this many requests of the URL, then serve the page (None: every request).
    """

    kind: str
    status: int = 0
    retry_after: str | None = None
    times: int | None = None
    rate: int = 2048
    size: int = 20 * 1024 * 1024
    location: str = ""


class FaultServer(ReplayServer):
    """The replay server with `faults` {url: Fault}; it counts each URL's faulted answers."""

    def __init__(self, archive: Archive, faults: dict[str, Fault] | None = None, host: str = "127.0.0.1"):
        self.faults = dict(faults or {})
        self.faulted: dict[str, int] = {}
        self.asked: dict[str, list[float]] = {}   # when each URL with a fault was asked for (monotonic)
        self.served_at: list[tuple[str, float]] = []   # every answer: (url, monotonic time)
        self.stopping = threading.Event()
        super().__init__(archive, host)
        base_error = self._httpd.handle_error

        def handle_error(request: object, client_address: object) -> None:
            if isinstance(sys.exc_info()[1], (OSError, ValueError)):
                return   # a client that gave up on a drip or a reset socket: expected here
            base_error(request, client_address)

        self._httpd.handle_error = handle_error  # type: ignore[method-assign]

    def stop(self) -> None:
        self.stopping.set()
        super().stop()

    def _record(self, url: str, status: int) -> None:
        super()._record(url, status)
        with self._lock:
            self.served_at.append((url, time.monotonic()))

    def _take(self, url: str) -> Fault | None:
        fault = self.faults.get(url)
        if fault is None:
            return None
        with self._lock:
            self.asked.setdefault(url, []).append(time.monotonic())
            count = self.faulted.get(url, 0)
            if fault.times is not None and count >= fault.times:
                return None
            self.faulted[url] = count + 1
        return fault

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self
        Replay = super()._handler_class()

        class Handler(Replay):  # type: ignore[valid-type, misc]
            def _answer(self, send_body: bool) -> None:
                url = self.path
                if not url.startswith(("http://", "https://")):
                    url = f"http://{self.headers.get('Host', '')}{url}"
                scheme = self.headers.get("X-Replay-Scheme")
                if scheme in ("http", "https"):
                    url = f"{scheme}://{url.split('://', 1)[1]}"
                fault = server._take(url)
                if fault is None:
                    super()._answer(send_body)
                    return
                server._record(url, -1)
                entry = server.archive.get(url)
                page = entry.file.read_bytes() if entry is not None else b""
                getattr(self, f"_fault_{fault.kind}")(fault, page)

            def _head(self, status: int, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()

            def _fault_status(self, fault: Fault, page: bytes) -> None:
                body = f"error {fault.status}\n".encode()
                headers = {"Content-Type": "text/plain", "Content-Length": str(len(body))}
                if fault.retry_after is not None:
                    headers["Retry-After"] = fault.retry_after
                self._head(fault.status, headers)
                self.wfile.write(body)

            def _fault_redirect(self, fault: Fault, page: bytes) -> None:
                self._head(302, {"Location": fault.location, "Content-Length": "0"})

            def _fault_hang(self, fault: Fault, page: bytes) -> None:
                server.stopping.wait(120)
                self.close_connection = True

            def _fault_reset(self, fault: Fault, page: bytes) -> None:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True

            def _fault_truncate(self, fault: Fault, page: bytes) -> None:
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(page))})
                self.wfile.write(page[: len(page) // 2])
                self.wfile.flush()
                self.close_connection = True

            def _fault_drip(self, fault: Fault, page: bytes) -> None:
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(page))})
                step = max(1, fault.rate // 10)
                for start in range(0, len(page), step):
                    if server.stopping.wait(0.1):
                        break
                    self.wfile.write(page[start : start + step])
                    self.wfile.flush()
                self.close_connection = True

            def _fault_endless(self, fault: Fault, page: bytes) -> None:
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Transfer-Encoding": "chunked"})
                chunk = b"<p>" + "끝나지 않는 페이지. ".encode() * 2000 + b"</p>\n"
                frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
                while not server.stopping.is_set():
                    self.wfile.write(frame)
                self.close_connection = True

            def _fault_huge(self, fault: Fault, page: bytes) -> None:
                self.close_connection = True   # no Content-Length: the body ends when the connection does
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Connection": "close"})
                self.wfile.write(page)
                pad = b"<!-- " + b"0123456789abcdef" * 4096 + b" -->\n"
                for _ in range(fault.size // len(pad)):
                    if server.stopping.is_set():
                        break
                    self.wfile.write(pad)

            def _fault_binary(self, fault: Fault, page: bytes) -> None:
                body = random.Random(fault.size).randbytes(fault.size)
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))})
                self.wfile.write(body)

            def _fault_charset(self, fault: Fault, page: bytes) -> None:
                body = page.decode("utf-8").encode("cp949", errors="xmlcharrefreplace")
                self._head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body))})
                self.wfile.write(body)

        return Handler


# ----------------------------------------------------------------------------- the matrix

@dataclass
class Case:
    """One fault of the matrix: how it is set up on a generated site and what must come of it.

    `faulty` are indexes into the site's articles (newest first) whose pages get `fault`;
    `lost` are those that cannot be stored (the rest of the site must be, once each);
    `errors` is the source's error count by kind the crawl must report exactly (None: only
    that `expect_kinds` appear); `report` are other report fields that must be at least N."""

    name: str
    fault: Fault | None
    faulty: tuple[int, ...] = (1,)
    lost: tuple[int, ...] = (1,)
    errors: dict[str, int] | None = None
    expect_kinds: tuple[str, ...] = ()
    report: dict[str, int] = field(default_factory=dict)
    articles: int = 5
    tree: dict[str, Any] = field(default_factory=dict)
    extra: Callable[..., dict[str, Fault]] | None = None   # (tree) -> more faults
    seconds: float = 60             # the crawl must end within this (crawl process start included)


def _redirect_loop(tree: Any) -> dict[str, Fault]:
    url = tree.allowed[1].url
    return {url: Fault("redirect", location=url + "&hop=1"), url + "&hop=1": Fault("redirect", location=url)}


def _redirect_chain(tree: Any) -> dict[str, Fault]:
    url = tree.allowed[1].url
    return {url if hop == 0 else f"{url}&hop={hop}": Fault("redirect", location=f"{url}&hop={hop + 1}")
            for hop in range(15)}   # 15 hops, past REDIRECT_MAX_TIMES (10)


def _redirect_moved(tree: Any) -> dict[str, Fault]:
    """Two hops to another article of the site: followed, that article stored once."""
    a, b = tree.allowed[1].url, tree.allowed[2].url
    return {a: Fault("redirect", location=a + "&moved=1"), a + "&moved=1": Fault("redirect", location=b)}


CASES: list[Case] = [
    Case("http-403", Fault("status", status=403), errors={"http_403": 1}),
    Case("http-404", Fault("status", status=404), errors={"http_404": 1}),
    Case("http-500", Fault("status", status=500), errors={"http_500": 1}, report={"retried": 1}),
    Case("http-429-long-retry-after", Fault("status", status=429, retry_after="3600"), errors={"http_429": 1}),
    Case("http-503-retry-after-then-ok", Fault("status", status=503, retry_after="2", times=1), lost=(),
         errors={}, report={"retried": 1}),
    Case("http-503-retry-after-date", Fault("status", status=503, retry_after="Wed, 21 Oct 2099 07:28:00 GMT"),
         errors={"http_503": 1}),
    Case("timeout", Fault("hang"), errors={"DownloadTimeoutError": 1}, report={"retried": 1}),
    Case("connection-reset", Fault("reset"), errors={"DownloadFailedError": 1}, report={"retried": 1}),
    Case("truncated-body", Fault("truncate"), errors={"ResponseDataLossError": 1}, report={"retried": 1}),
    Case("slow-drip", Fault("drip", rate=4096), errors={"DownloadTimeoutError": 1}, report={"retried": 1}),
    Case("redirect-loop", None, extra=_redirect_loop, errors={"redirect_loop": 1}),
    Case("redirect-chain", None, extra=_redirect_chain, errors={"redirect_chain": 1}),
    Case("redirect-moved", None, extra=_redirect_moved, errors={}),
    Case("endless-body", Fault("endless"), errors={"too_large": 1}),
    Case("page-20mb", Fault("huge"), errors={"too_large": 1}),
    Case("binary-as-html", Fault("binary", size=300_000), expect_kinds=("extract", "no_article")),
    Case("wrong-charset", Fault("charset"), lost=(), errors={}),
    Case("endless-pagination", None, faulty=(), lost=(), errors={}, report={"capped": 1},
         tree={"trap_pages": 400}),
]


@dataclass
class Site:
    case: Case
    tree: Any
    faults: dict[str, Fault]
    good: set[str]          # article URLs that must be stored, once each

    @property
    def source(self) -> str:
        return self.tree.host.removeprefix("www.")


def build_site(root: Path, case: Case) -> Site:
    """A generated ND Soft site for one case (its host named after the case)."""
    from site_trees import build_tree

    tree = build_tree(root, "ndsoft", case.articles, rss=False, sitemap=False, draft=False,
                      base=f"https://www.{case.name}.test", **case.tree)
    faults = {tree.allowed[i].url: case.fault for i in case.faulty if case.fault is not None}
    if case.extra is not None:
        faults.update(case.extra(tree))
    good = {a.url for i, a in enumerate(tree.allowed) if i not in case.lost}
    return Site(case, tree, faults, good)


def bad_archive(root: Path, cases: list[Case] | None = None) -> list[Site]:
    """The bad-page archive: one site per case, one manifest."""
    from site_trees import write_manifest

    sites = [build_site(root, case) for case in (cases or CASES)]
    write_manifest(root, [s.tree for s in sites])
    return sites


# ----------------------------------------------------------------------------- a measured crawl

_RUNNER = """
import json, os, sys
from crawler import settings
settings.REPLAY_OVERRIDES.update(json.loads(sys.argv[1]))
from crawler.config import load_config, politeness_settings
from crawler.run import build_settings
from pipelines.pool import pool_size
if pool_size(build_settings("", politeness=politeness_settings(load_config(None)),
                            overrides={"NEWSMINE_NLP": "--no-nlp" not in sys.argv}))[0] == 0:
    # Without worker processes (the default within 1 GB, pipelines/pool.py) the first stored
    # article loads Kiwi's model (the search terms) and datasketch (story signatures) in the
    # crawl process: 4-5 s in which the reactor stands still and a short FAST timeout fires on
    # pages that are fine. Load them before it starts.
    import datasketch
    from nlp.kiwi import get_kiwi
    get_kiwi().tokenize("전북 기업이 계약을 맺었다.")
    if "--no-nlp" not in sys.argv:   # the NLP stage's models too
        from nlp.pipeline import enrich_record
        enrich_record({"title": "전북 기업", "body": "㈜한빛정밀은 전북도와 투자 협약을 맺었다."})
from newsmine.cli import main
main(sys.argv[2:])
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: bytes
    seconds: float
    peak_rss: int            # bytes, the whole process group at its largest
    peak_processes: int

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout.strip().splitlines()[-1])

    def source(self, name: str) -> dict[str, Any]:
        return next(s for s in self.report["sources"] if s["source"] == name)

    @property
    def longest_log_line(self) -> int:
        """Bytes of stderr's longest line."""
        return max((len(line) for line in self.stderr.splitlines()), default=0)


def group_rss(pgid: int) -> tuple[int, int]:
    """Resident bytes of all processes in process group `pgid`, and how many there are."""
    page = os.sysconf("SC_PAGE_SIZE")
    total = count = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != pgid:        # fields after the command: state ppid pgrp …
                continue
            with open(f"/proc/{pid}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
            count += 1
        except (OSError, IndexError, ValueError):
            continue
    return total, count


def run_measured(archive: Path, db: str | Path, proxy: str, *args: str, settings: dict[str, Any] | None = None,
                 timeout: float = 600, env: dict[str, str] | None = None) -> Run:
    """`newsmine crawl --replay ARCHIVE --replay-proxy PROXY --db DB --json ARGS` with the
    replay settings `settings` (default FAST), in its own process group; peak RSS sampled."""
    command = [sys.executable, "-c", _RUNNER, json.dumps(FAST if settings is None else settings), "crawl",
               "--replay", str(archive), "--replay-proxy", proxy, "--db", str(db), "--json", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=REPO, start_new_session=True,
                                env={**os.environ, **(env or {})})
        peak = peak_count = 0
        try:
            while proc.poll() is None:
                rss, count = group_rss(proc.pid)
                peak, peak_count = max(peak, rss), max(peak_count, count)
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"the crawl ran past {timeout} s")
                time.sleep(0.1)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, 9)
                proc.wait()
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read(), seconds, peak, peak_count)


def stored_counts(db: str | Path) -> tuple[dict[str, int], int]:
    """Stored rows per canonical URL, and the search index's row count (SQLite)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT canonical_url, COUNT(*) FROM articles GROUP BY canonical_url").fetchall())
        search = conn.execute("SELECT COUNT(*) FROM article_fts").fetchone()[0]
    return rows, search

