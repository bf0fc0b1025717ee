"""Saved searches ("watches") and their digests of new matches.

A watch is a name and a query, kept in the index database (table `watches`, made by the
schema migrations of both back ends), so a team sharing one PostgreSQL index shares its
watches. A digest lists
the matches that *arrived* since the watch's previous digest: articles whose storage sequence
number (`articles.seq`, which grows with every new article) is above the watch's high-water
mark. An article that is only updated keeps its seq, so a corrected typo does not reappear.
Syndicated copies of one story are folded into one line with "+N 개 매체".

Each digest becomes a Markdown and an HTML file; when configured it is also mailed
(NEWSMINE_SMTP_URL, NEWSMINE_MAIL_FROM, NEWSMINE_MAIL_TO) and posted as JSON to
NEWSMINE_WEBHOOK_URL. The high-water mark moves only after every configured delivery worked,
so a failed mail is retried by the next run rather than lost.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qs, unquote, urlsplit

from index.query import compile_query
from index.snippet import make_snippet, pattern_regex
from index.sqlbase import Db, SQLStore
from newsmine.queries import in_chunks, run
from newsmine.web import environment
from newsmine.web.format import markdown_escape, safe_url, snippet_markdown

NAME_RE = re.compile(r"^\w[\w .\-]{0,63}$")
MAX_LINES = 300  # stories listed in one digest; the rest are counted
NETWORK_TIMEOUT = 20  # seconds, for SMTP and the webhook


class WatchError(ValueError):
    """A bad watch name or query, a duplicate, or incomplete delivery settings; one line."""


class DeliveryError(RuntimeError):
    """Mail or webhook delivery failed; the digest files were still written."""


def shown_name(name: str, limit: int = 80) -> str:
    """A watch name as quoted back in a message: on one line (newlines and other control
    characters escaped) and at most `limit` characters, so a bad name cannot flood the answer."""
    text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# ---------------------------------------------------------------- watches


def add_watch(store: SQLStore, name: str, query: str, *, since_now: bool = False) -> dict[str, Any]:
    """Save a search. Its first digest holds every current match, unless `since_now`."""
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise WatchError(
            f"bad watch name '{shown_name(name)}': 1–64 letters, digits, spaces, '.', '-' or '_', starting with a letter or digit"
        )
    compile_query(query)  # QueryError now rather than at digest time
    created = _now().isoformat()
    with store.write() as db:
        if run(db, "SELECT 1 FROM watches WHERE name = ?", (name,)):
            raise WatchError(f"a watch named '{name}' exists (remove it first)")
        start = _last_seq(db) if since_now else 0
        run(db, "INSERT INTO watches (name, query, created_at, last_seq) VALUES (?, ?, ?, ?)",
            (name, query, created, start))
    return {"name": name, "query": query, "created_at": created, "last_seq": start, "last_digest_at": None}


def _last_seq(db: Db) -> int:
    """The newest article's seq: what has arrived so far."""
    return int(run(db, "SELECT COALESCE(MAX(seq), 0) FROM articles")[0][0])


def list_watches(store: SQLStore, *, pending: bool = False) -> list[dict[str, Any]]:
    """Every watch, by name; with `pending`, how many matches wait for the next digest."""
    with store.read() as db:
        rows = run(db, "SELECT name, query, created_at, last_seq, last_digest_at FROM watches ORDER BY name")
        out = []
        for name, query, created, last_seq, last_at in rows:
            item = {"name": name, "query": query, "created_at": created, "last_seq": last_seq,
                    "last_digest_at": last_at}
            if pending:
                item["pending"] = int(store.matching(db, query, "COUNT(*)", "a.seq > ?", (last_seq,))[0][0])
            out.append(item)
    return out


def get_watch(store: SQLStore, name: str) -> dict[str, Any] | None:
    return next((w for w in list_watches(store) if w["name"] == name), None)


def remove_watch(store: SQLStore, name: str) -> bool:
    """Forget a watch; False if there was none by that name."""
    with store.write() as db:
        return bool(run(db, "DELETE FROM watches WHERE name = ? RETURNING name", (name,)))


# ---------------------------------------------------------------- digests


@dataclass
class StoryLine:
    """One story in a digest: its earliest new copy stands for all of them."""

    story_id: str
    id: str
    title: str
    url: str | None
    outlet: str | None
    published_at: str | None
    snippet: str
    story_size: int
    new_copies: int
    outlets: list[str] = field(default_factory=list)


@dataclass
class Digest:
    watch: str
    query: str
    since_seq: int
    until_seq: int
    generated_at: str
    articles: int
    stories: list[StoryLine]
    omitted: int = 0  # stories past MAX_LINES

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def collect(store: SQLStore, watch: Mapping[str, Any], *, now: datetime | None = None) -> Digest:
    """The new matches of a watch: seq in (last_seq, current max]."""
    with store.read() as db:
        regex = pattern_regex(store.compile(db, watch["query"]).patterns)
        until = _last_seq(db)
        rows = store.matching(
            db, watch["query"],
            "a.seq, a.id, a.title, a.url, a.outlet, a.published_at, a.story_id, a.body",
            "a.seq > ? AND a.seq <= ?",
            (watch["last_seq"], until),
        )
        rows.sort(key=lambda r: r[0])
        sizes: dict[str, int] = dict(in_chunks(
            db, "SELECT story_id, COUNT(*) FROM articles WHERE story_id IN ({marks}) GROUP BY story_id",
            sorted({r[6] for r in rows}),
        ))
    lines: dict[str, StoryLine] = {}
    for seq, id_, title, url, outlet, published, story, body in rows:
        line = lines.get(story)
        if line is None:
            lines[story] = StoryLine(
                story_id=story, id=id_, title=title, url=url, outlet=outlet, published_at=published,
                snippet=make_snippet(body or "", regex), story_size=sizes.get(story, 1), new_copies=1,
                outlets=[outlet] if outlet else [],
            )
        else:
            line.new_copies += 1
            if outlet and outlet not in line.outlets:
                line.outlets.append(outlet)
    ordered = sorted(lines.values(), key=lambda s: (s.published_at or "", s.id), reverse=True)
    return Digest(
        watch=watch["name"], query=watch["query"], since_seq=watch["last_seq"], until_seq=until,
        generated_at=(now or _now()).isoformat(), articles=len(rows),
        stories=ordered[:MAX_LINES], omitted=max(0, len(ordered) - MAX_LINES),
    )


def render_markdown(digest: Digest) -> str:
    out = [
        f"# newsmine 다이제스트: {markdown_escape(digest.watch)}",
        "",
        f"- 검색어: `{digest.query.replace('`', '')}`",
        f"- 생성: {digest.generated_at}",
        f"- 새 기사 {digest.articles}건, 기사 묶음 {len(digest.stories) + digest.omitted}건",
        "",
    ]
    for line in digest.stories:
        title = markdown_escape(line.title or "(제목 없음)")
        url = safe_url(line.url)
        head = f"[{title}](<{url.replace('>', '%3E')}>)" if url else title
        extra = f" · +{line.story_size - 1} 개 매체" if line.story_size > 1 else ""
        meta = f"{markdown_escape(line.outlet or '-')} · {(line.published_at or '-')[:10]}{extra}"
        out.append(f"- **{head}** — {meta}")
        if line.snippet:
            out.append(f"  > {snippet_markdown(line.snippet)}")
    if digest.omitted:
        out.append(f"\n…외 {digest.omitted}건 (`newsmine search`로 모두 볼 수 있습니다)")
    if not digest.stories:
        out.append("새 기사가 없습니다.")
    return "\n".join(out) + "\n"


def render_html(digest: Digest) -> str:
    return environment().get_template("digest.html").render(digest=digest)


def _slug(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-.") or "watch"


def write_files(digest: Digest, out_dir: Path) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = digest.generated_at.replace("-", "").replace(":", "").replace("+0000", "Z")[:15]
    stem = f"{stamp}-{_slug(digest.watch)}"
    markdown, html = out_dir / f"{stem}.md", out_dir / f"{stem}.html"
    n = 1
    while markdown.exists() or html.exists():  # two digests within one second
        n += 1
        markdown, html = out_dir / f"{stem}-{n}.md", out_dir / f"{stem}-{n}.html"
    markdown.write_text(render_markdown(digest), encoding="utf-8")
    html.write_text(render_html(digest), encoding="utf-8")
    return markdown, html


# ---------------------------------------------------------------- delivery


def send_mail(digest: Digest, smtp_url: str, sender: str, recipients: list[str]) -> None:
    """One message per digest: Markdown as the plain-text part, the HTML page as the rich one.

    smtp://[user:password@]host[:port][?starttls=1] or smtps://… (TLS from the start)."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise WatchError(f"NEWSMINE_SMTP_URL must look like smtp://host:port (got '{smtp_url}')")
    message = EmailMessage()
    message["Subject"] = f"[newsmine] {digest.watch}: 새 기사 {digest.articles}건"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message.set_content(render_markdown(digest))
    message.add_alternative(render_html(digest), subtype="html")
    options = parse_qs(parts.query)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    try:
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(parts.hostname, port, timeout=NETWORK_TIMEOUT,
                                                   context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(parts.hostname, port, timeout=NETWORK_TIMEOUT)
        with client:
            if options.get("starttls", ["0"])[0] in ("1", "true", "yes"):
                client.starttls(context=ssl.create_default_context())
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"mail to {parts.hostname}:{port} failed: {exc}") from None


def post_webhook(digest: Digest, url: str, files: tuple[Path, Path] | None = None) -> None:
    """POST the digest as JSON; any non-2xx answer is a failure."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise WatchError(f"NEWSMINE_WEBHOOK_URL must be http(s) (got '{url}')")
    payload = digest.to_json()
    if files:
        payload["files"] = {"markdown": str(files[0]), "html": str(files[1])}
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "newsmine-digest"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=NETWORK_TIMEOUT) as response:
            if not 200 <= response.status < 300:
                raise DeliveryError(f"webhook answered HTTP {response.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"webhook answered HTTP {exc.code}") from None
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"webhook {urlsplit(url).netloc} unreachable: {exc}") from None


@dataclass
class DeliverySettings:
    smtp_url: str | None = None
    mail_from: str | None = None
    mail_to: list[str] = field(default_factory=list)
    webhook_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "DeliverySettings":
        settings = cls(
            smtp_url=env.get("NEWSMINE_SMTP_URL") or None,
            mail_from=env.get("NEWSMINE_MAIL_FROM") or None,
            mail_to=[a.strip() for a in (env.get("NEWSMINE_MAIL_TO") or "").split(",") if a.strip()],
            webhook_url=env.get("NEWSMINE_WEBHOOK_URL") or None,
        )
        if settings.smtp_url and not (settings.mail_from and settings.mail_to):
            raise WatchError("NEWSMINE_SMTP_URL is set: also set NEWSMINE_MAIL_FROM and NEWSMINE_MAIL_TO")
        return settings


@dataclass
class Outcome:
    watch: str
    articles: int
    stories: int
    files: tuple[Path, Path] | None
    errors: list[str]


def run_digests(
    store: SQLStore,
    out_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    names: list[str] | None = None,
    now: datetime | None = None,
) -> list[Outcome]:
    """Digest every watch (or the named ones). A watch with nothing new writes no file and
    sends nothing; its mark still moves up so the next digest starts from here."""
    settings = DeliverySettings.from_env(os.environ if env is None else env)
    watches = list_watches(store)
    if names:
        unknown = sorted(set(names) - {w["name"] for w in watches})
        if unknown:
            raise WatchError(f"no watch named {', '.join(unknown)}")
        watches = [w for w in watches if w["name"] in names]
    outcomes = []
    for watch in watches:
        digest = collect(store, watch, now=now)
        files = None
        errors: list[str] = []
        if digest.articles:
            files = write_files(digest, out_dir)
            if settings.smtp_url:
                try:
                    send_mail(digest, settings.smtp_url, settings.mail_from or "", settings.mail_to)
                except DeliveryError as exc:
                    errors.append(str(exc))
            if settings.webhook_url:
                try:
                    post_webhook(digest, settings.webhook_url, files)
                except DeliveryError as exc:
                    errors.append(str(exc))
        if not errors:
            with store.write() as db:
                run(db, "UPDATE watches SET last_seq = ?, last_digest_at = ? WHERE name = ? AND last_seq = ?",
                    (digest.until_seq, digest.generated_at, watch["name"], watch["last_seq"]))
        outcomes.append(Outcome(watch["name"], digest.articles, len(digest.stories) + digest.omitted, files, errors))
    return outcomes
