"""Saved searches and digests: only new arrivals, syndicated copies folded, Markdown + HTML
files, mail to a loopback SMTP sink and a JSON webhook on a loopback HTTP server; on both back
ends (SQLite and PostgreSQL), and an older SQLite file keeps its watches when upgraded."""

from __future__ import annotations

import email
import json
import socketserver
import sqlite3
import uuid
import threading
from email import policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from index import QueryError, open_store
from newsmine import watches
from index_backends import Backend
from surfaces_fixtures import BATCH_ONE, BATCH_TWO, XSS_BODY, XSS_TITLE, backend, fill, record  # noqa: F401


@pytest.fixture()
def db(backend: Backend) -> str:
    """A fresh index of the test's back end holding the first batch of articles."""
    url = backend.url(uuid.uuid4().hex[:8])
    fill(url, BATCH_ONE)
    return url


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from newsmine.cli import main

    code = 0
    try:
        main(argv)
    except SystemExit as exit_info:
        code = int(exit_info.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- loopback servers


class _Sink:
    """Messages received by the SMTP sink."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []


def _smtp_handler(sink: _Sink) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

        def reply(self, line: str) -> None:
            self.wfile.write((line + "\r\n").encode("ascii"))

        def handle(self) -> None:
            self.reply("220 sink.test ESMTP")
            sender, recipients = "", []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                command = line.decode("ascii", "replace").strip()
                verb = command[:4].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250-sink.test")
                    self.reply("250-8BITMIME")
                    self.reply("250 SMTPUTF8")
                elif verb == "MAIL":
                    sender, recipients = command.split(":", 1)[1].split()[0].strip("<>"), []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 go on")
                    data = bytearray()
                    while True:
                        chunk = self.rfile.readline()
                        if chunk in (b".\r\n", b".\n", b""):
                            break
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    sink.messages.append(bytes(data))
                    sink.envelopes.append((sender, recipients))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 OK")

    return Handler


@pytest.fixture()
def smtp_sink() -> Iterator[tuple[str, _Sink]]:
    sink = _Sink()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _smtp_handler(sink))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"smtp://127.0.0.1:{server.server_address[1]}", sink
    server.shutdown()
    server.server_close()


@pytest.fixture()
def webhook() -> Iterator[tuple[str, list[dict], list[int]]]:
    """(url, received JSON bodies, status codes to answer with — 200 once the list is empty)."""
    received: list[dict] = []
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 — http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            received.append(json.loads(self.rfile.read(length).decode("utf-8")))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received, statuses
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- watches


def test_add_list_remove(db: str) -> None:
    store = open_store(db)
    try:
        watches.add_watch(store, "한빛", "firm:한빛정밀")
        watches.add_watch(store, "all-new", "강소기업 OR 한빛정밀", since_now=True)
        listed = {w["name"]: w for w in watches.list_watches(store, pending=True)}
        assert listed["한빛"]["pending"] == 2 and listed["all-new"]["pending"] == 0
        with pytest.raises(watches.WatchError, match="exists"):
            watches.add_watch(store, "한빛", "x")
        with pytest.raises(watches.WatchError, match="watch name"):
            watches.add_watch(store, "../etc", "x")
        with pytest.raises(QueryError):
            watches.add_watch(store, "broken", "한빛정밀 (")
        assert watches.remove_watch(store, "한빛") is True
        assert watches.remove_watch(store, "한빛") is False
        assert [w["name"] for w in watches.list_watches(store)] == ["all-new"]
    finally:
        store.close()


def test_watch_commands(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["watch", "add", "부품", "제동장치 OR 채용", "--db", db], capsys)
    assert code == 0 and "saved watch '부품'" in out
    code, _, err = run_cli(["watch", "add", "부품", "x", "--db", db], capsys)
    assert code == 2 and err.strip().splitlines() == ["newsmine: error: a watch named '부품' exists (remove it first)"]
    code, _, err = run_cli(["watch", "add", "bad", 'type:"nothing"', "--db", db], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "achievement type" in err
    code, out, _ = run_cli(["watch", "list", "--json", "--db", db], capsys)
    assert [(w["name"], w["pending"]) for w in json.loads(out)] == [("부품", 2)]
    code, out, _ = run_cli(["watch", "list", "--db", db], capsys)
    assert "부품" in out
    code, out, _ = run_cli(["watch", "remove", "부품", "--db", db], capsys)
    assert code == 0
    code, _, err = run_cli(["watch", "remove", "부품", "--db", db], capsys)
    assert code == 2 and "no watch named" in err


# ---------------------------------------------------------------- digests


def test_second_digest_holds_only_new_arrivals(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = tmp_path / "digests"
    code, _, _ = run_cli(["watch", "add", "한빛정밀", "한빛정밀", "--db", db], capsys)
    assert code == 0
    code, out, _ = run_cli(["digest", "--out", str(out_dir), "--db", db], capsys)
    assert code == 0 and "한빛정밀: 2 new article(s) in 1 story(ies)" in out
    first_md = sorted(out_dir.glob("*.md"))
    assert len(first_md) == 1 and len(list(out_dir.glob("*.html"))) == 1
    text = first_md[0].read_text(encoding="utf-8")
    assert text.count("\n- **") == 1  # the two outlets' copies are one line
    assert "+1 개 매체" in text and "**한빛정밀**" in text

    fill(db, BATCH_TWO)  # two more 한빛정밀 articles (and one about another firm) arrive
    fill(db, BATCH_ONE)  # re-storing old articles is not an arrival
    code, out, _ = run_cli(["digest", "--out", str(out_dir), "--json", "--db", db], capsys)
    result = json.loads(out)
    assert [(r["watch"], r["articles"], r["stories"]) for r in result] == [("한빛정밀", 2, 2)]
    second_md = Path(result[0]["files"][0])
    assert second_md not in first_md
    text = second_md.read_text(encoding="utf-8")
    assert "한빛정밀, 제2공장 앞두고 50명 채용" in text
    assert "전북도, SW 기업 성장 지원 사업 참여 기업 모집" in text
    assert "35억" not in text and "바다찬" not in text
    html = Path(result[0]["files"][1]).read_text(encoding="utf-8")
    assert "<mark>한빛정밀</mark>" in html and "50명 채용" in html

    code, out, _ = run_cli(["digest", "--out", str(out_dir), "--db", db], capsys)
    assert "한빛정밀: 0 new article(s)" in out
    assert len(list(out_dir.glob("*.md"))) == 2  # nothing new, no file


def test_digest_escapes_hostile_articles(backend: Backend, tmp_path: Path) -> None:
    db = backend.url("hostile")
    fill(db, [record("https://evil.example/1", "악성<b>매체</b>", XSS_TITLE, XSS_BODY, "2024-10-05T09:00:00+09:00",
                     [("한빛정밀", "firm", "㈜한빛정밀")])])
    store = open_store(db)
    try:
        watches.add_watch(store, "hostile", "특집 OR 한빛정밀")
        [outcome] = watches.run_digests(store, tmp_path / "out", env={})
    finally:
        store.close()
    markdown, html = (p.read_text(encoding="utf-8") for p in outcome.files)
    assert "<script>" not in html and "<img" not in html and '" onmouseover="x' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in markdown and "\\<script\\>" in markdown


def test_digest_mail_and_webhook(db: str, tmp_path: Path, smtp_sink: tuple[str, _Sink],
                                 webhook: tuple[str, list[dict], list[int]]) -> None:
    smtp_url, sink = smtp_sink
    hook_url, received, statuses = webhook
    env = {"NEWSMINE_SMTP_URL": smtp_url, "NEWSMINE_MAIL_FROM": "newsmine@localhost",
           "NEWSMINE_MAIL_TO": "pr@localhost, boss@localhost", "NEWSMINE_WEBHOOK_URL": hook_url}
    store = open_store(db)
    try:
        watches.add_watch(store, "새벽", "새벽소프트")
        [outcome] = watches.run_digests(store, tmp_path / "out", env=env)
        assert outcome.errors == [] and outcome.articles == 1

        assert sink.envelopes == [("newsmine@localhost", ["pr@localhost", "boss@localhost"])]
        message = email.message_from_bytes(sink.messages[0], policy=policy.default)
        assert message["Subject"] == "[newsmine] 새벽: 새 기사 1건"
        html = message.get_body(("html",)).get_content()
        assert "<mark>새벽소프트</mark>" in html
        assert "새벽소프트, 전북 SW 강소기업 선정" in message.get_body(("plain",)).get_content()

        assert len(received) == 1
        payload = received[0]
        assert payload["watch"] == "새벽" and payload["articles"] == 1
        assert payload["stories"][0]["title"] == "새벽소프트, 전북 SW 강소기업 선정"
        assert payload["files"]["markdown"].endswith(".md")

        # A failed delivery keeps the mark where it was: the next run sends the same articles.
        fill(db, BATCH_TWO)
        statuses.append(500)
        [failed] = watches.run_digests(store, tmp_path / "out", env=env)
        assert failed.articles == 1 and failed.errors == ["webhook answered HTTP 500"]
        [retried] = watches.run_digests(store, tmp_path / "out", env=env)
        assert retried.articles == 1 and retried.errors == []
        assert [p["stories"][0]["title"] for p in received[1:]] == ["전북도, SW 기업 성장 지원 사업 참여 기업 모집"] * 2
        [quiet] = watches.run_digests(store, tmp_path / "out", env=env)
        assert quiet.articles == 0 and len(received) == 3 and len(sink.messages) == 3
    finally:
        store.close()


def test_digest_delivery_settings_are_checked(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db)
    try:
        watches.add_watch(store, "x", "한빛정밀")
        with pytest.raises(watches.WatchError, match="NEWSMINE_MAIL_FROM"):
            watches.run_digests(store, tmp_path, env={"NEWSMINE_SMTP_URL": "smtp://127.0.0.1:1"})
        with pytest.raises(watches.WatchError, match="no watch named"):
            watches.run_digests(store, tmp_path, env={}, names=["nope"])
    finally:
        store.close()
    # An unreachable mail server: files are written, one error line, exit status 1.
    monkeypatch.setenv("NEWSMINE_SMTP_URL", "smtp://127.0.0.1:1")
    monkeypatch.setenv("NEWSMINE_MAIL_FROM", "a@localhost")
    monkeypatch.setenv("NEWSMINE_MAIL_TO", "b@localhost")
    monkeypatch.delenv("NEWSMINE_WEBHOOK_URL", raising=False)
    code, out, err = run_cli(["digest", "--out", str(tmp_path / "d"), "--db", db], capsys)
    assert code == 1 and "x: 2 new article(s)" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("newsmine: error: watch 'x': mail to 127.0.0.1:1 failed")
    assert len(list((tmp_path / "d").glob("*.html"))) == 1


def test_v3_file_with_a_lazily_made_watches_table_keeps_its_watches(tmp_path: Path) -> None:
    """Before schema v4 the first `watch add` created the table; the upgrade must not trip on
    it nor lose what it holds."""
    from index.schema import SCHEMA_VERSION, migrate

    path = tmp_path / "v3.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, 3) == 3
    conn.execute("CREATE TABLE IF NOT EXISTS watches (name TEXT PRIMARY KEY, query TEXT NOT NULL, "
                 "created_at TEXT NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0, last_digest_at TEXT)")
    conn.execute("INSERT INTO watches (name, query, created_at) "
                 "VALUES ('한빛', 'firm:한빛정밀', '2024-06-01T00:00:00+00:00')")
    conn.close()
    fill(path, BATCH_ONE)  # opening the file upgrades it
    store = open_store(str(path))
    try:
        with store.read() as db:
            assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
        [kept] = watches.list_watches(store, pending=True)
        assert (kept["name"], kept["query"], kept["created_at"], kept["pending"]) == (
            "한빛", "firm:한빛정밀", "2024-06-01T00:00:00+00:00", 2)
        watches.add_watch(store, "새벽", "새벽소프트")
        assert [w["name"] for w in watches.list_watches(store)] == ["새벽", "한빛"]
    finally:
        store.close()
