"""The release routes of the app (newsmine/api.py calls `add_routes`): GET /api/releases/{id},
GET /api/pickup, and the Korean pages /releases/{id} and /pickup."""

from __future__ import annotations

from typing import Annotated, Any, Callable

from fastapi import FastAPI, HTTPException, Path, Query
from fastapi.responses import HTMLResponse

from newsmine import releases
from newsmine.queries import NotFound


def add_routes(app: FastAPI, store: Any, page: Callable[..., HTMLResponse]) -> None:
    @app.get("/api/releases/{release_id}", tags=["releases"],
             summary="A press release and the outlets that carried it (same JSON as `newsmine releases show --json`)")
    def api_release(release_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
        return releases.release_view(store, release_id)

    @app.get("/api/pickup", tags=["releases"],
             summary="Each release of an issuing body and how many outlets carried it within N days")
    def api_pickup(
        issuer: Annotated[str, Query(min_length=1, max_length=200, description="issuing body (part of its name)")],
        days: Annotated[int, Query(ge=0, le=365)] = 14,
    ) -> dict[str, Any]:
        return _pickup(store, issuer, days)

    @app.get("/releases/{release_id}", response_class=HTMLResponse, include_in_schema=False)
    def release_page(release_id: Annotated[str, Path(max_length=64)]) -> HTMLResponse:
        try:
            view = releases.release_view(store, release_id)
        except NotFound:
            raise NotFound("보도자료를 찾을 수 없습니다.") from None
        return page("release.html", view=view, delay=releases.delay_text, section=None)

    @app.get("/pickup", response_class=HTMLResponse, include_in_schema=False)
    def pickup_page(
        issuer: Annotated[str, Query(min_length=1, max_length=200)],
        days: Annotated[int, Query(ge=0, le=365)] = 14,
    ) -> HTMLResponse:
        if not issuer.strip():
            raise HTTPException(400, "발표 기관 이름을 적어 주세요.")
        return page("pickup.html", result=_pickup(store, issuer, days), delay=releases.delay_text,
                    section=None)


def _pickup(store: Any, issuer: str, days: int) -> dict[str, Any]:
    try:
        return releases.pickup(store, issuer, days)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
