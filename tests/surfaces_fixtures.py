"""Articles for the surface tests (API, web pages, watches, reports): written for these tests,
about made-up firms, in three made-up outlets, spread over four months, with one press
release syndicated by two outlets. Organisations and achievements are annotated by hand so
the assertions do not move when the NLP stage improves; the XSS article goes through the real
ingest path instead.

`filled_db` is a SQLite file; `filled_url` the same articles on each back end (SQLite and
PostgreSQL, see tests/index_backends.py), for the surfaces that must work on both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from index_backends import BACKENDS, Backend, make_backend

RELEASE = (
    "전북 익산의 자동차 부품 기업 ㈜한빛정밀은 완성차 협력사와 약 35억 원 규모의 제동장치 부품 "
    "공급 계약을 맺었다고 15일 밝혔다. 회사는 올해 하반기부터 3년 동안 부품을 납품한다. "
    "전북특별자치도는 도내 부품 기업의 판로 개척을 계속 돕겠다고 말했다."
)
RELEASE_COPY = (
    "전북 익산의 자동차 부품 기업 ㈜한빛정밀은 완성차 협력사와 약 35억 원 규모의 제동장치 부품 "
    "공급 계약을 맺었다고 15일 밝혔다. 회사는 올해 하반기부터 3년 동안 부품을 납품할 예정이다. "
    "전북특별자치도는 도내 부품 기업의 판로 개척을 계속 지원하겠다고 덧붙였다."
)
SELECTION = (
    "전주의 소프트웨어 기업 ㈜새벽소프트가 전북특별자치도의 올해 SW 강소기업으로 선정됐다. "
    "새벽소프트는 농업용 드론 영상을 분석하는 서비스를 만든다. 도는 선정 기업에 2년 동안 "
    "기술 개발과 마케팅 비용을 지원한다."
)
EXPORT = (
    "군산의 수산물 가공업체 ㈜바다찬은 미국 유통업체와 300만 달러 규모의 수출 계약을 체결했다고 "
    "10일 밝혔다. 회사는 김 스낵을 현지 대형마트에 공급한다. 군산시는 수출 기업 지원을 늘리겠다고 했다."
)
HIRING = (
    "㈜한빛정밀이 익산 제2공장 가동을 앞두고 생산직과 연구직 50명을 새로 채용했다. 회사 관계자는 "
    "지역 인재를 우선 뽑았다고 말했다. 익산시는 고용 장려금을 지원한다."
)
PROGRAMME = (
    "전북특별자치도가 도내 소프트웨어 기업을 돕는 성장 지원 사업 참여 기업을 모집한다. 지난해에는 "
    "㈜새벽소프트와 ㈜한빛정밀 등이 참여했다. 도는 다음 달 설명회를 열 계획이다."
)


def org(name: str, kind: str, body: str, surface: str) -> dict[str, Any]:
    start = body.index(surface)
    return {"name": name, "kind": kind, "surface": [surface], "mentions": [[start, start + len(surface)]]}


def achievement(kind: str, firm: str, body: str, evidence: str, amount: dict | None = None,
                date: str | None = None) -> dict[str, Any]:
    start = body.index(evidence)
    return {"type": kind, "organization": firm, "amount": amount, "date": date, "evidence": evidence,
            "span": [start, start + len(evidence)], "confidence": 0.9, "scope": "firm"}


def record(url: str, outlet: str, title: str, body: str, published: str,
           orgs: list[tuple[str, str, str]], achievements: list[dict] | None = None) -> dict[str, Any]:
    return {
        "url": url, "canonical_url": url, "outlet": outlet, "title": title, "body": body,
        "published_at": published, "authors": ["김기자"],
        "organizations": [org(n, k, body, s) for n, k, s in orgs],
        "achievements": achievements or [],
    }


CONTRACT_EVIDENCE = "㈜한빛정밀은 완성차 협력사와 약 35억 원 규모의 제동장치 부품 공급 계약을 맺었다고 15일 밝혔다."
KRW_35 = {"value": 3500000000, "unit": "KRW", "approximate": True}

BATCH_ONE = [
    record("https://hnews.example/a/101", "호남경제뉴스", "한빛정밀, 35억 원 제동장치 부품 공급 계약",
           RELEASE, "2024-07-15T10:00:00+09:00",
           [("한빛정밀", "firm", "㈜한빛정밀"), ("전북특별자치도", "government", "전북특별자치도")],
           [achievement("contract", "한빛정밀", RELEASE, CONTRACT_EVIDENCE, KRW_35, "2024-07-15")]),
    record("https://saenal.example/news/7", "전북새날신문", "익산 한빛정밀 35억 규모 부품 계약",
           RELEASE_COPY, "2024-07-16T09:00:00+09:00",
           [("한빛정밀", "firm", "㈜한빛정밀"), ("전북특별자치도", "government", "전북특별자치도")],
           [achievement("contract", "한빛정밀", RELEASE_COPY, CONTRACT_EVIDENCE, KRW_35, "2024-07-15")]),
    record("https://iksan.example/view/33", "익산투데이", "새벽소프트, 전북 SW 강소기업 선정",
           SELECTION, "2024-08-05T14:00:00+09:00",
           [("새벽소프트", "firm", "㈜새벽소프트"), ("전북특별자치도", "government", "전북특별자치도")],
           [achievement("selection", "새벽소프트", SELECTION,
                        "㈜새벽소프트가 전북특별자치도의 올해 SW 강소기업으로 선정됐다.")]),
]
BATCH_TWO = [
    record("https://hnews.example/a/140", "호남경제뉴스", "바다찬, 미국에 김 스낵 300만 달러 수출",
           EXPORT, "2024-09-10T08:30:00+09:00",
           [("바다찬", "firm", "㈜바다찬"), ("군산시", "government", "군산시")],
           [achievement("export", "바다찬", EXPORT,
                        "㈜바다찬은 미국 유통업체와 300만 달러 규모의 수출 계약을 체결했다고 10일 밝혔다.",
                        {"value": 3000000, "unit": "USD", "approximate": False}, "2024-09-10")]),
    record("https://saenal.example/news/19", "전북새날신문", "한빛정밀, 제2공장 앞두고 50명 채용",
           HIRING, "2024-09-20T11:00:00+09:00",
           [("한빛정밀", "firm", "㈜한빛정밀"), ("익산시", "government", "익산시")],
           [achievement("hiring", "한빛정밀", HIRING, "생산직과 연구직 50명을 새로 채용했다.",
                        {"value": 50, "unit": "persons", "approximate": False})]),
    record("https://iksan.example/view/41", "익산투데이", "전북도, SW 기업 성장 지원 사업 참여 기업 모집",
           PROGRAMME, "2024-10-02T16:00:00+09:00",
           [("전북특별자치도", "government", "전북특별자치도"), ("새벽소프트", "firm", "㈜새벽소프트"),
            ("한빛정밀", "firm", "㈜한빛정밀")]),
]
ALL = BATCH_ONE + BATCH_TWO

XSS_TITLE = '<script>alert(1)</script> 한빛정밀 " onmouseover="x 특집'
XSS_BODY = (
    '㈜한빛정밀은 <script>alert(1)</script> 약 12억 원 규모의 공급 계약을 맺었다고 밝혔다. '
    '" onmouseover="x <img src=x onerror=alert(2)> 회사는 내년에도 납품을 이어간다. '
    "전북특별자치도는 부품 기업을 계속 돕겠다고 말했다."
)
XSS_ARTICLE = {"url": "https://evil.example/a/1", "outlet": '악성<b>매체</b>" onmouseover="x',
               "title": XSS_TITLE, "body": XSS_BODY, "published_at": "2024-10-05T09:00:00+09:00"}


def fill(db: Path | str, records: list[dict]) -> None:
    from index import open_store

    store = open_store(str(db))
    try:
        store.upsert_many([dict(r) for r in records])
    finally:
        store.close()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def filled_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite index holding the six annotated articles (read-only for the tests using it)."""
    db = tmp_path_factory.mktemp("surfaces") / "news.sqlite"
    fill(db, ALL)
    return db


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture(scope="module")
def filled_url(backend: Backend) -> str:
    """The six annotated articles in an index of each back end (read-only for its tests)."""
    url = backend.url("surfaces")
    fill(url, ALL)
    return url
