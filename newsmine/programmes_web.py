"""The programme routes of the app (newsmine/api.py calls `add_routes`): GET /api/programmes,
GET /api/programmes/{name}, and the Korean pages /programmes and /programmes/{name}."""

from __future__ import annotations

from typing import Annotated, Any, Callable, Literal

from fastapi import FastAPI, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, StreamingResponse

from newsmine import programmes
from newsmine.queries import NotFound

# The pages are Korean: the one-line reason of a bad name, in Korean.
KOREAN = {
    "empty": "프로그램 이름을 적어 주세요.",
    "longer": f"프로그램 이름은 {programmes.MAX_NAME}자까지 적을 수 있습니다.",
    "control": "프로그램 이름에 줄바꿈이나 제어 문자를 넣을 수 없습니다.",
    "besides": "연도나 회차 말고 프로그램의 이름을 적어 주세요.",
}


def add_routes(app: FastAPI, store: Any, page: Callable[..., HTMLResponse]) -> None:
    @app.get("/api/programmes", tags=["programmes"],
             summary="Programmes firms were selected into or awarded (same JSON as `newsmine programmes --json`)")
    def api_programmes(
        q: Annotated[str, Query(max_length=programmes.MAX_NAME, description="part of a programme's name")] = "",
        limit: Annotated[int, Query(ge=1, le=programmes.MAX_LIMIT)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> dict[str, Any]:
        return _checked(lambda: programmes.list_programmes(store, q or None, limit=limit, offset=offset))

    @app.get("/api/programmes/{name:path}", tags=["programmes"],
             summary="One programme: firms per year and what they achieved afterwards, by year since selection; "
                     "with `format`, the same as one row per selection and outcome (JSONL, CSV with BOM, XLSX)",
             response_model=None)
    def api_programme(
        name: Annotated[str, Path(max_length=1000)],
        format: Annotated[Literal["jsonl", "csv", "xlsx"] | None, Query()] = None,
    ) -> dict[str, Any] | StreamingResponse:
        view = _checked(lambda: programmes.programme_view(store, name))
        if format is None:
            return view
        from newsmine.api import download, stream_export

        rows = programmes.export_rows(view, format)
        return download(stream_export(store, None, format, rows, programmes.EXPORT_LAYOUT), format,
                        "newsmine-programme")

    @app.get("/programmes", response_class=HTMLResponse, include_in_schema=False)
    def programmes_page(
        q: Annotated[str, Query(max_length=programmes.MAX_NAME)] = "",
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> HTMLResponse:
        result = _checked(lambda: programmes.list_programmes(store, q or None, limit=50, offset=offset), korean=True)
        return page("programmes.html", result=result, q=q, offset=offset, limit=50, section="programmes")

    @app.get("/programmes/{name:path}", response_class=HTMLResponse, include_in_schema=False)
    def programme_page(name: Annotated[str, Path(max_length=1000)]) -> HTMLResponse:
        try:
            view = _checked(lambda: programmes.programme_view(store, name), korean=True)
        except NotFound:
            raise NotFound(f"'{programmes._shown(name)}'(이)라는 프로그램이 색인에 없습니다.") from None
        return page("programme.html", view=view, section="programmes")


def _checked(call: Callable[[], dict[str, Any]], korean: bool = False) -> dict[str, Any]:
    """The call's result; a bad name or query is HTTP 400 with one line (Korean on pages)."""
    try:
        return call()
    except programmes.ProgrammeError as error:
        message = str(error)
        if korean:
            message = next((text for word, text in KOREAN.items() if word in message), "프로그램 이름을 이해하지 못했습니다.")
        raise HTTPException(400, message) from None
