"""`newsmine serve`: the JSON API and the Korean web pages over one index.

`create_app(db_url, token)` builds the FastAPI app. Reads need nothing; changes (saved
searches) need `Authorization: Bearer TOKEN` with the token from `serve --token` or
NEWSMINE_TOKEN, and are refused outright (403) when no token is configured, so a server
started without one can never be changed over HTTP.

Every error is `{"detail": "one line"}`: a malformed query or parameter is 400, an unknown
article, story or organisation 404. The pages are rendered on the server with autoescaping;
they need no script and load nothing from outside (a strict Content-Security-Policy says so).
"""

from __future__ import annotations

import hmac
import io
import os
import queue
import threading
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any, AsyncIterator, Iterable, Iterator, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index import QueryError, Store, StoreError, open_store
from index.export import write_export
from index.query import compile_query
from index.snippet import pattern_regex
from newsmine import __version__, achievements, dashboard, queries, releases, releases_web, watches, watches_web
from newsmine.web import STATIC_DIR, environment
from newsmine.web.charts import top_series
from newsmine.web.messages import query_error

PAGE_SIZE = 20
EXPORT_TYPES = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
HOSTS_ENV = "NEWSMINE_ALLOWED_HOSTS"
COVERAGE_BINS = {"week": "주", "month": "월", "quarter": "분기", "year": "연도"}
COVERAGE_LABELS = {"outlet": "매체", "org": "기관", "region": "지역", "month": "월"}
OrgKind = Literal["firm", "government", "public", "university", "association", "media", "other"]
ArticleKind = Literal["article", "press_release"]


def _one_line(error: BaseException | str) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def allowed_hosts(extra: Iterable[str] = ()) -> list[str]:
    """The Host-header names the server answers: loopback names, the given ones and those in
    NEWSMINE_ALLOWED_HOSTS (comma-separated; `*.example.org` allowed). IPv6 literals are
    also accepted in brackets, as they appear in a Host header. Anything else gets 400, so a
    page on another site cannot read the index through DNS rebinding."""
    names = [*LOOPBACK_HOSTS, *extra, *os.environ.get(HOSTS_ENV, "").split(",")]
    out: list[str] = []
    for name in names:
        name = name.strip().lower()
        if name.startswith("[") and name.endswith("]"):
            name = name[1:-1]
        if not name:
            continue
        for form in (name, f"[{name}]") if ":" in name else (name,):
            if form not in out:
                out.append(form)
    return out


class HeadAsGet:
    """HEAD answered like GET without the body (FastAPI routes answer HEAD with 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


class WatchIn(BaseModel):
    """A saved search to create."""

    name: str = Field(description="1–64 letters, digits, spaces, '.', '-', '_'", examples=["아이티스테이션"])
    query: str = Field(description="a query in the search language", examples=["firm:아이티스테이션"])
    since_now: bool = Field(False, description="start from the current articles (first digest holds only later ones)")


# ---------------------------------------------------------------- auth

bearer = HTTPBearer(auto_error=False, description="the token given to `newsmine serve --token` or NEWSMINE_TOKEN")


def require_token(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """403 when the server has no token (changes disabled), 401 for a missing or wrong one."""
    check_token(request.app.state.token, credentials.credentials if credentials else "")


def check_token(configured: str | None, given: str) -> None:
    """The token rule, for the API's bearer header and the watches page's form field alike."""
    if configured is None:
        raise HTTPException(403, "changes are disabled: the server has no token (set NEWSMINE_TOKEN or serve --token)")
    if not given or not hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})


# ---------------------------------------------------------------- achievement filters


def achievement_filters(
    q: Annotated[str, Query(max_length=1000, description="query in the search language; empty for all")] = "",
    type: Annotated[list[str], Query(max_length=12, description="achievement type (repeatable)")] = [],  # noqa: B006
    min: Annotated[str, Query(max_length=40, description="smallest amount, in Korean: 10억, 100만달러")] = "",
    max: Annotated[str, Query(max_length=40, description="largest amount (the unit of min)")] = "",
    kind: Annotated[str, Query(max_length=20, description="kind of the credited organisation")] = "",
    region: Annotated[str, Query(max_length=20, description="region the article is about (전북, 경기 …)")] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Annotated[str, Query(max_length=10, description="date (newest first), amount (largest first) or story (most copies first)")] = "date",
    org: Annotated[str, Query(max_length=200, description="the credited organisation (merged spellings too)")] = "",
) -> achievements.Filters:
    """The filters of /api/achievements and its export, checked (FilterError → 400)."""
    return achievements.Filters(query=q, types=tuple(type), min_amount=min, max_amount=max, kind=kind,
                                region=region, outlet=outlet, date_from=date_from, date_to=date_to,
                                sort=sort, org=org).check()


def achievement_form(
    q: Annotated[str, Query(max_length=1000)] = "",
    type: Annotated[list[str], Query(max_length=12)] = [],  # noqa: B006
    min: Annotated[str, Query(max_length=40)] = "",
    max: Annotated[str, Query(max_length=40)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
    region: Annotated[str, Query(max_length=20)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    sort: Annotated[str, Query(max_length=10)] = "date",
    org: Annotated[str, Query(max_length=200)] = "",
) -> tuple[achievements.Filters, dict[str, str]]:
    """The same filters for the /achievements and /org pages, not yet checked (a page shows
    what it cannot read), and the form's values as typed."""
    form = {"q": q, "type": ",".join(t for t in type if t), "min": min, "max": max, "kind": kind,
            "region": region, "outlet": outlet, "from": date_from, "to": date_to, "sort": sort, "org": org}
    return achievements.Filters(query=q, types=tuple(type), min_amount=min, max_amount=max, kind=kind, region=region,
                                outlet=outlet, date_from=date_from, date_to=date_to, sort=sort, org=org), form


# ---------------------------------------------------------------- export streaming


class _QueueWriter(io.RawIOBase):
    """A write-only binary stream that hands chunks to the response through a bounded queue,
    so the export writer runs in a thread while the client reads at its own pace."""

    CHUNK = 64 * 1024

    def __init__(self, sink: "queue.Queue[bytes | BaseException | None]", cancelled: threading.Event) -> None:
        self.sink = sink
        self.cancelled = cancelled
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if self.cancelled.is_set():
            raise BrokenPipeError("client went away")
        self.buffer += bytes(data)
        if len(self.buffer) >= self.CHUNK:
            self._push()
        return len(data)

    def _push(self) -> None:
        chunk, self.buffer = bytes(self.buffer), bytearray()
        while not self.cancelled.is_set():
            try:
                self.sink.put(chunk, timeout=0.5)
                return
            except queue.Full:
                continue
        raise BrokenPipeError("client went away")

    def flush(self) -> None:
        if self.buffer:
            self._push()


def stream_export(store: Store, query: str | None, fmt: str, records: Any = None, layout: Any = None) -> Iterator[bytes]:
    """The export file in chunks; memory stays flat (XLSX is zipped as it is written).
    `records` and `layout`: other rows than the articles `query` matches (achievements)."""
    sink: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
    cancelled = threading.Event()

    def produce() -> None:
        writer = _QueueWriter(sink, cancelled)
        try:
            write_export(store.iter_records(query) if records is None else records, fmt, writer, layout)
            writer.flush()
            sink.put(None)
        except BrokenPipeError:
            return
        except BaseException as exc:  # noqa: BLE001 — handed to the consumer
            sink.put(exc)

    thread = threading.Thread(target=produce, name="newsmine-export", daemon=True)
    thread.start()
    try:
        while True:
            item = sink.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        cancelled.set()


def download(chunks: Iterator[bytes], fmt: str, name: str) -> StreamingResponse:
    """A streamed export as a file download called NAME-TIMESTAMP.FMT."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(chunks, media_type=EXPORT_TYPES[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{name}-{stamp}.{fmt}"'})


# ---------------------------------------------------------------- app


def create_app(db_url: str | None = None, token: str | None = None, hosts: Iterable[str] | None = None) -> FastAPI:
    """The app over the index at `db_url` (StoreError if it cannot be opened).

    `token`: the bearer token for changes; None reads NEWSMINE_TOKEN; empty means none.
    `hosts`: the Host-header names answered; None means the loopback names and those in
    NEWSMINE_ALLOWED_HOSTS (see allowed_hosts); other Host headers get 400.
    """
    store = open_store(db_url)
    configured = token if token is not None else os.environ.get("NEWSMINE_TOKEN", "")
    configured = configured.strip() or None
    templates = environment()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newsmine",
        version=__version__,
        description=(
            "Search Korean regional news for organisations and firm achievements. "
            "Reads are open; POST/DELETE /api/watches need `Authorization: Bearer TOKEN` "
            "and are refused (403) when the server has no token configured."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.token = configured
    app.state.allowed_hosts = allowed_hosts() if hosts is None else allowed_hosts(hosts)
    _mount_docs(app)  # before /static, which would otherwise shadow /static/swagger
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    # ------------------------------------------------------------ errors and headers

    def wants_html(request: Request) -> bool:
        path = request.url.path
        return not (path.startswith("/api/") or path in ("/openapi.json", "/docs"))

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(**context), status_code=status)

    def error_response(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        if wants_html(request):
            title = {404: "찾을 수 없습니다", 400: "잘못된 요청입니다"}.get(status, "오류")
            return page("error.html", status, title=title, message=message, section=None)
        return JSONResponse({"detail": message}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())[1:]) or "request"
        return error_response(request, 400, _one_line(f"{where}: {first.get('msg', 'invalid')}"))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        if wants_html(request):  # the pages are Korean; the API keeps the parser's line
            return error_response(request, 400, query_error(_one_line(exc)))
        return error_response(request, 400, _one_line(exc))

    @app.exception_handler(achievements.FilterError)
    async def bad_filter(request: Request, exc: achievements.FilterError) -> Response:
        return error_response(request, 400, _one_line(exc))

    @app.exception_handler(queries.NotFound)
    async def not_found(request: Request, exc: queries.NotFound) -> Response:
        return error_response(request, 404, _one_line(exc))

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        return error_response(request, 503, _one_line(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = "no such page" if not wants_html(request) else "요청한 페이지가 없습니다."
        return error_response(request, exc.status_code, _one_line(message), getattr(exc, "headers", None))

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        docs = request.url.path == "/docs" and getattr(request.app.state, "docs_csp", None)
        response.headers.setdefault("Content-Security-Policy", docs or CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    # outermost: HEAD becomes GET, then the Host header is checked before anything runs
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=app.state.allowed_hosts, www_redirect=False)
    app.add_middleware(HeadAsGet)

    # ------------------------------------------------------------ auth

    # ------------------------------------------------------------ JSON API

    @app.get("/api/search", tags=["search"], summary="Search articles (same JSON as `newsmine search --json`)")
    def api_search(
        q: Annotated[str, Query(description="query in the search language", max_length=1000)],
        limit: Annotated[int, Query(ge=1, le=1000)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        sort: Annotated[Literal["relevance", "recency", "recent"], Query()] = "relevance",
        collapse: Annotated[bool, Query(description="one hit per story (syndicated copies folded)")] = True,
        group: Annotated[Literal["release"] | None, Query(
            description="release: the rewrites of one press release as one hit, with `release` on each hit")] = None,
        kind: Annotated[ArticleKind | None, Query(description="only news articles or press releases (kind: filter)")] = None,
        exact_total: Annotated[bool, Query(
            description="count every match of a broad query (else its total may be a floor or an estimate: "
                        "`total_relation` gte or approx)")] = False,
    ) -> dict[str, Any]:
        return store.search(queries.with_kind(q, kind), limit=limit, offset=offset,
                            sort="recency" if sort == "recent" else sort, collapse=collapse, group=group,
                            exact_total=exact_total)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article with organisations and achievements")
    def api_article(article_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        article = store.get_article(article_id)
        if article is None:
            raise queries.NotFound(f"no article '{article_id}'")
        article["source_release"] = releases.source_release(store, article_id)
        return article

    @app.get("/api/stories/{story_id}", tags=["articles"], summary="The syndicated copies of one story")
    def api_story(story_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        return queries.story_articles(store, story_id)

    @app.get("/api/organizations/{name:path}", tags=["organisations"], summary="Organisation profile")
    def api_org(name: str) -> dict[str, Any]:
        return queries.organization_profile(store, name)

    @app.get("/api/coverage", tags=["reports"], summary="Article counts by outlet, month, organisation or region")
    def api_coverage(
        q: Annotated[str, Query(max_length=1000, description="query; empty counts every article")] = "",
        by: Annotated[Literal["outlet", "month", "org", "region"], Query()] = "outlet",
        date_from: Annotated[str | None, Query(alias="from", max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        kind: Annotated[OrgKind | None, Query(description="with by=org: only organisations of this kind")] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    ) -> dict[str, Any]:
        try:
            return queries.coverage(store, q, by, date_from=date_from, date_to=date_to, kind=kind, limit=limit)
        except QueryError:
            raise
        except ValueError as exc:  # kind with another grouping than org
            raise HTTPException(400, _one_line(exc)) from None

    @app.get("/api/share", tags=["reports"], summary="Share of voice of several organisations")
    def api_share(
        org: Annotated[list[str], Query(min_length=1, max_length=20, description="repeat for each organisation")],
        by: Annotated[Literal["month", "all"], Query()] = "month",
        unit: Annotated[Literal["articles", "mentions"], Query()] = "articles",
        q: Annotated[str, Query(max_length=1000)] = "",
        date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    ) -> dict[str, Any]:
        try:
            return queries.share_of_voice(store, org, by=by, query=q, unit=unit, date_from=date_from, date_to=date_to)
        except QueryError:
            raise
        except ValueError as exc:  # an empty organisation name
            raise HTTPException(400, _one_line(exc)) from None

    @app.get("/api/dashboard", tags=["reports"], summary="The home page's numbers: newest achievements, "
             "firms of the month, articles per month, silent sources")
    def api_dashboard() -> dict[str, Any]:
        return dashboard.dashboard(store)

    @app.get("/api/summary", tags=["reports"], summary="What the index holds")
    def api_summary() -> dict[str, Any]:
        return store.summary()

    @app.get(
        "/api/export",
        tags=["export"],
        summary="Every matching article as JSONL, CSV (UTF-8 with BOM) or XLSX, streamed, no row cap",
        response_class=StreamingResponse,
        responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()}}},
    )
    def api_export(
        q: Annotated[str, Query(max_length=1000, description="query; empty exports every article")] = "",
        format: Annotated[Literal["jsonl", "csv", "xlsx"], Query()] = "csv",
    ) -> StreamingResponse:
        query = q if q.strip() else None
        if query is not None:
            compile_query(query)  # a malformed query is a 400 before any byte is sent
        return download(stream_export(store, query, format), format, "newsmine")

    @app.get("/api/achievements", tags=["achievements"],
             summary="Achievements, one row each, syndicated copies folded (same JSON as `newsmine achievements --json`)")
    def api_achievements(
        filters: Annotated[achievements.Filters, Depends(achievement_filters)],
        limit: Annotated[int, Query(ge=1, le=achievements.MAX_LIMIT)] = PAGE_SIZE,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        exact_total: Annotated[bool, Query(
            description="read every article that common words match (else a page by date reads their newest "
                        "matches and scales the total: `total_relation` approx)")] = False,
    ) -> dict[str, Any]:
        return achievements.list_achievements(store, filters, limit=limit, offset=offset, exact_total=exact_total)

    @app.get(
        "/api/achievements/export",
        tags=["achievements"],
        summary="Every matching achievement as JSONL, CSV (UTF-8 with BOM) or XLSX, streamed, no row cap",
        response_class=StreamingResponse,
        responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()}}},
    )
    def api_achievements_export(
        filters: Annotated[achievements.Filters, Depends(achievement_filters)],
        format: Annotated[Literal["jsonl", "csv", "xlsx"], Query()] = "csv",
    ) -> StreamingResponse:
        if filters.query:
            compile_query(filters.query)  # a malformed query is a 400 before any byte is sent
        rows = achievements.export_rows(store, filters, format)
        return download(stream_export(store, None, format, rows, achievements.EXPORT_LAYOUT), format,
                        "newsmine-achievements")

    @app.get("/api/watches", tags=["watches"], summary="Saved searches, with matches waiting for the next digest")
    def api_watches() -> list[dict[str, Any]]:
        return watches.list_watches(store, pending=True)

    @app.post("/api/watches", tags=["watches"], status_code=201, summary="Save a search (needs the bearer token)",
              dependencies=[Depends(require_token)])
    def api_add_watch(watch: WatchIn) -> dict[str, Any]:
        try:
            return watches.add_watch(store, watch.name, watch.query, since_now=watch.since_now)
        except watches.WatchError as exc:
            status = 409 if "exists" in str(exc) else 400
            raise HTTPException(status, _one_line(exc)) from None

    @app.delete("/api/watches/{name}", tags=["watches"], status_code=204, summary="Forget a saved search (needs the bearer token)",
                dependencies=[Depends(require_token)])
    def api_remove_watch(name: str) -> Response:
        if not watches.remove_watch(store, name):
            raise HTTPException(404, f"no watch named '{watches.shown_name(name)}'")
        return Response(status_code=204)

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        q: Annotated[str, Query(max_length=1000)] = "",
        sort: Annotated[Literal["relevance", "recency"], Query()] = "relevance",
        all_copies: Annotated[bool, Query(alias="all")] = False,
        group: Annotated[Literal["", "release"], Query()] = "",
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
        date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
        orgkind: Annotated[OrgKind | Literal[""], Query()] = "",
        exact: Annotated[bool, Query()] = False,
    ) -> HTMLResponse:
        # the date pickers and the organisation-kind menu add from:/to:/orgkind: to the query
        filters = {"from": date_from.strip(), "to": date_to.strip(), "orgkind": orgkind}
        query = " ".join(part for part in (queries.with_dates(q, date_from, date_to),
                                        f"orgkind:{orgkind}" if orgkind else "") if part)
        context: dict[str, Any] = {"q": q, "sort": sort, "all_copies": all_copies, "group": group, "offset": offset,
                                   "limit": PAGE_SIZE, "section": "search", "result": None, "error": None,
                                   "query": query, "filters": filters, "title_regex": None, "exact": exact}
        status = 200
        if query.strip():
            try:
                context["result"] = store.search(query, limit=PAGE_SIZE, offset=offset, sort=sort,
                                                 collapse=not all_copies, group=group or None, exact_total=exact)
                with store.read() as db:  # the snippets' patterns mark the titles too
                    context["title_regex"] = pattern_regex(store.compile(db, query).patterns)
            except QueryError as exc:
                context["error"], status = query_error(_one_line(exc)), 400
            else:  # each hit's achievements, shown inline (계약 · 20억 원 · 한국전력공사)
                context["achievements"] = achievements.for_articles(
                    store, [hit["id"] for hit in context["result"]["hits"]])
        else:
            context["dash"] = dashboard.dashboard(store)
        return page("search.html", status, **context)

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = store.get_article(article_id)
        if article is None:
            raise queries.NotFound("기사를 찾을 수 없습니다.")
        return page("article.html", article=article, paragraphs=releases.paragraphs(article.get("body") or ""),
                    parts=releases.body_parts(article), section=None,
                    source_release=releases.source_release(store, article_id), delay=releases.delay_text)

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(story_id: str) -> HTMLResponse:
        return page("story.html", story=queries.story_articles(store, story_id), section=None)

    @app.get("/org/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def org_page(
        name: str,
        asked: Annotated[tuple[achievements.Filters, dict[str, str]], Depends(achievement_form)],
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> HTMLResponse:
        try:
            profile = queries.organization_profile(store, name)
        except queries.NotFound:
            raise queries.NotFound(f"'{name}'(이)라는 기관이 색인에 없습니다.") from None
        # the achievement table: the rows, filters and exports of /achievements, for this organisation
        filters, form = asked
        filters.org = form["org"] = profile["name"]
        params = {k: v for k, v in form.items() if v and k != "org" and not (k == "sort" and v == "date")}
        achieved, error, status = listed(filters, offset)
        return page("org.html", status, org=profile, section=None, form=form, params=params, offset=offset,
                    limit=PAGE_SIZE, achieved=achieved, error=error)

    @app.get("/coverage", response_class=HTMLResponse, include_in_schema=False)
    def coverage_page(
        q: Annotated[str, Query(max_length=1000)] = "",
        by: Annotated[Literal["outlet", "month", "org", "region"], Query()] = "outlet",
        date_from: Annotated[str, Query(alias="from", max_length=10)] = "",
        date_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    ) -> HTMLResponse:
        from newsmine.web.format import link

        context: dict[str, Any] = {"q": q, "by": by, "date_from": date_from, "date_to": date_to,
                                   "section": "coverage", "labels": COVERAGE_LABELS, "cov": None, "error": None}
        status = 200
        try:
            cov = queries.coverage(store, q, by, date_from=date_from or None, date_to=date_to or None, limit=200)
        except QueryError as exc:
            context["error"], status = f"검색어를 이해하지 못했습니다: {query_error(_one_line(exc))}", 400
        else:
            context.update(  # columns: the periods of the bin chosen for the range (week … year)
                cov=cov,
                bin_label=COVERAGE_BINS[cov["bin"]],
                series=top_series(cov["rows"], field="by_period"),
                month_values=[cov["period_totals"].get(p, 0) for p in cov["periods"]],
                json_url=link("/api/coverage", q=q, by=by, **{"from": date_from, "to": date_to}),
                csv_url=link("/api/export", q=queries.with_dates(q, date_from, date_to), format="csv"),
            )
        return page("coverage.html", status, **context)

    @app.get("/achievements", response_class=HTMLResponse, include_in_schema=False)
    def achievements_page(
        asked: Annotated[tuple[achievements.Filters, dict[str, str]], Depends(achievement_form)],
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
        exact: Annotated[bool, Query()] = False,
    ) -> HTMLResponse:
        from index.regions import REGIONS

        filters, form = asked
        params = {k: v for k, v in form.items() if v and not (k == "sort" and v == "date")}
        result, error, status = listed(filters, offset, exact)
        if exact:
            params["exact"] = "1"
        return page("achievements.html", status, q=form["q"], form=form, params=params, offset=offset,
                    limit=PAGE_SIZE, regions=list(REGIONS), section="achievements", result=result, error=error)

    def listed(filters: achievements.Filters, offset: int,
               exact: bool = False) -> tuple[dict[str, Any] | None, str | None, int]:
        """One page of achievement rows for a page, or the Korean reason it cannot be read (400)."""
        try:
            return achievements.list_achievements(store, filters, limit=PAGE_SIZE, offset=offset, titles=True,
                                                  exact_total=exact), None, 200
        except QueryError as exc:
            return None, f"검색어를 이해하지 못했습니다: {query_error(_one_line(exc))}", 400
        except achievements.FilterError as exc:
            return None, f"조건을 이해하지 못했습니다: {_one_line(exc)}", 400

    watches_web.add_routes(app, store, page)  # /watches: list, create and delete with the token
    releases_web.add_routes(app, store, page)  # /api/releases/{id}, /api/pickup, /releases/{id}, /pickup
    from newsmine import programmes_web

    programmes_web.add_routes(app, store, page)  # /api/programmes[/{name}], /programmes[/{name}]
    return app


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI at /docs from the swagger-ui-bundle package (served here, no CDN)."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        import swagger_ui_bundle
    except ImportError:  # pragma: no cover — the package is a dependency; never fall back to a CDN

        @app.get("/docs", include_in_schema=False)
        def docs_plain() -> HTMLResponse:
            return HTMLResponse('<!doctype html><meta charset="utf-8"><title>newsmine API</title>'
                                '<p>Swagger UI is not installed; the API is described in <a href="/openapi.json">/openapi.json</a>.</p>')

        return
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="swagger")
    page = get_swagger_ui_html(openapi_url="/openapi.json", title="newsmine API",
                               swagger_js_url="/static/swagger/swagger-ui-bundle.js",
                               swagger_css_url="/static/swagger/swagger-ui.css",
                               swagger_favicon_url="/static/swagger/favicon-32x32.png").body
    app.state.docs_csp = docs_csp(page.decode("utf-8"))

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)


def docs_csp(page: str) -> str:
    """The Content-Security-Policy of /docs: the pages' policy, except that the page's own
    inline start-up script is allowed by its hash (nothing else inline runs) and Swagger UI may
    set inline styles."""
    import base64
    import hashlib
    import re

    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<script>(.*?)</script>", page, re.S)
    )
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}").replace(
        "style-src 'self'", "style-src 'self' 'unsafe-inline'")
