"""The watches page (newsmine/api.py calls `add_routes`): GET /watches lists the saved searches
with the matches waiting for the next digest; POST /watches creates one and POST
/watches/delete forgets one.

The pages need no script: the forms post the token in a password field, checked by the same
rule as the API's bearer header (403 when the server has no token, 401 for a missing or wrong
one). The token is what keeps another site's page from changing the watches through the
user's browser (a cross-site form cannot know it); the Host check keeps it from reading them.
A change answers 303 to the list, so reloading the page does not post again.
"""

from __future__ import annotations

from typing import Annotated, Any, Callable
from urllib.parse import parse_qs

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from index import QueryError
from newsmine import watches
from newsmine.web.format import link
from newsmine.web.messages import query_error

MAX_BODY = 16 * 1024  # a form with a name, a query and a token
TOKEN_MESSAGES = {
    403: "이 서버에는 토큰이 설정되어 있지 않아 저장된 검색을 바꿀 수 없습니다 "
         "(서버를 NEWSMINE_TOKEN과 함께 시작하세요).",
    401: "토큰이 없거나 틀립니다.",
}


async def _form(request: Request) -> dict[str, str]:
    """The posted form's fields (the first value of each); 400 for anything but a small
    URL-encoded form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise HTTPException(400, "양식으로 보내 주세요 (application/x-www-form-urlencoded).")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise HTTPException(413, "보낸 양식이 너무 큽니다.")
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise HTTPException(400, "양식을 읽을 수 없습니다.") from None
    return {k: v[0] for k, v in fields.items()}


def add_routes(app: FastAPI, store: Any, page: Callable[..., HTMLResponse]) -> None:
    from newsmine.api import check_token

    def listing(status: int = 200, **context: Any) -> HTMLResponse:
        items = watches.list_watches(store, pending=True)
        base = {"section": "watches", "items": items, "changes": app.state.token is not None,
                "error": None, "notice": None, "form": {"name": "", "query": "", "since_now": False}}
        return page("watches.html", status, **{**base, **context})

    def token_problem(form: dict[str, str]) -> tuple[int, str] | None:
        try:
            check_token(app.state.token, form.get("token", "").strip())
        except HTTPException as exc:
            return exc.status_code, TOKEN_MESSAGES[exc.status_code]
        return None

    @app.get("/watches", response_class=HTMLResponse, include_in_schema=False)
    def watches_page(
        added: Annotated[str, Query(max_length=200)] = "",
        removed: Annotated[str, Query(max_length=200)] = "",
    ) -> HTMLResponse:
        notice = None
        if added or removed:
            notice = {"name": watches.shown_name(added or removed), "done": "저장했습니다" if added else "지웠습니다"}
        return listing(notice=notice)

    @app.post("/watches", response_class=HTMLResponse, include_in_schema=False)
    async def create_watch(request: Request) -> Response:
        form = await _form(request)
        kept = {"name": form.get("name", ""), "query": form.get("query", ""),
                "since_now": form.get("since_now", "") not in ("", "0")}
        problem = token_problem(form)
        if problem is None:
            try:
                made = await run_in_threadpool(watches.add_watch, store, kept["name"], kept["query"],
                                               since_now=kept["since_now"])
            except QueryError as exc:
                problem = 400, f"검색어를 이해하지 못했습니다: {query_error(str(exc).splitlines()[0])}"
            except watches.WatchError as exc:
                if "exists" in str(exc):
                    problem = 409, f"'{watches.shown_name(kept['name'].strip())}'(이)라는 저장된 검색이 이미 있습니다."
                else:
                    problem = 400, ("이름은 글자나 숫자로 시작하는 1–64자의 글자, 숫자, 공백, '.', '-', '_'로 "
                                    "지어 주세요.")
            else:
                return RedirectResponse(link("/watches", added=made["name"]), status_code=303)
        status, message = problem
        return await run_in_threadpool(listing, status, error=message, form=kept)

    @app.post("/watches/delete", response_class=HTMLResponse, include_in_schema=False)
    async def delete_watch(request: Request) -> Response:
        form = await _form(request)
        name = form.get("name", "")
        problem = token_problem(form)
        if problem is None:
            if await run_in_threadpool(watches.remove_watch, store, name):
                return RedirectResponse(link("/watches", removed=name), status_code=303)
            problem = 404, f"'{watches.shown_name(name)}'(이)라는 저장된 검색이 없습니다."
        status, message = problem
        return await run_in_threadpool(listing, status, error=message)
