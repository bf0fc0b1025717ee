"""Release tracing: a replay crawl of tests/data/rewrites (three releases of a fictional county,
one of them only in an attached HWPX file; seven rewrites on four outlet hosts; three unrelated
articles and a near-miss about the same firm) and `newsmine trace` link every rewrite to its
release and nothing else, on SQLite and PostgreSQL. GOLD.tsv in the archive is the truth.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess

import pytest
from fastapi.testclient import TestClient

from conftest import NEWSMINE, REPO
from index_backends import BACKENDS, make_backend

pytestmark = pytest.mark.slow

ARCHIVE = REPO / "tests" / "data" / "rewrites"


def gold() -> dict[str, str]:
    """Article url -> the release url it rewrites ('' for none)."""
    with (ARCHIVE / "GOLD.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["url"]: row["release_url"] for row in csv.DictReader(handle, delimiter="\t")}


def keys() -> dict[str, str]:
    with (ARCHIVE / "GOLD.tsv").open(encoding="utf-8", newline="") as handle:
        return {row["key"]: row["url"] for row in csv.DictReader(handle, delimiter="\t")}


def run(*args: str) -> str:
    done = subprocess.run([*NEWSMINE, *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NEWSMINE_CPU_WORKERS": "0"})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request, tmp_path_factory):
    yield from make_backend(request, tmp_path_factory)


@pytest.fixture(scope="module")
def traced(backend) -> str:
    url = backend.url("rewrites")
    report = json.loads(run("crawl", "--replay", str(ARCHIVE), "--db", url, "--json").strip().splitlines()[-1])
    assert sum(s["new"] for s in report["sources"]) == 14
    result = json.loads(run("trace", "--db", url, "--json"))
    assert result == {"releases": 3, "links": 7, "releases_picked_up": 3, "days": 14, "since": None}
    return url


def release_ids(url: str) -> dict[str, str]:
    """Release url -> id, from an export."""
    out = {}
    for line in run("export", "--db", url, "--format", "jsonl").splitlines():
        record = json.loads(line)
        if record["kind"] == "press_release":
            out[record["url"]] = record["id"]
    return out


def links(url: str) -> dict[str, tuple[str, dict]]:
    """Article url -> (release url, its entry in `releases show --json`), over every release."""
    out = {}
    for release_url, rid in release_ids(url).items():
        view = json.loads(run("releases", "show", rid, "--db", url, "--json"))
        assert view["release"]["url"] == release_url
        for article in view["articles"]:
            assert article["url"] not in out          # one source release per article
            out[article["url"]] = (release_url, article)
    return out


def test_every_rewrite_is_linked_to_its_release_and_nothing_else(traced: str) -> None:
    found = {article: release for article, (release, _) in links(traced).items()}
    expected = {article: release for article, release in gold().items() if release}
    assert found == expected
    assert keys()["n1"] not in found              # the near-miss: same firm, other news


def test_kept_share_and_additions_of_known_rewrites(traced: str) -> None:
    found, key = links(traced), keys()
    copy = found[key["a1a"]][1]       # five of the release's seven sentences, nothing added
    assert (copy["kept_sentences"], copy["release_sentences"]) == (5, 7)
    assert copy["kept"] == pytest.approx(5 / 7, abs=1e-3) and copy["overlap"] > 0.8
    assert copy["additions"] == {"quotes": [], "figures": [], "firms": []}
    assert copy["outlet"] == "예시일보" and copy["delay_hours"] == pytest.approx(5.33, abs=0.01)
    extended = found[key["a1b"]][1]   # a paraphrase with the CEO's two quotes and two sales figures
    assert extended["additions"]["quotes"] == ["현지 소비자 입맛에 맞춘 덜 매운 김치를 따로 개발한 것이 계약으로 이어졌다",
                                               "내년에는 태국과 말레이시아에도 진출하겠다"]
    assert extended["additions"]["figures"] == ["85억 원", "110억 원"]
    assert extended["additions"]["firms"] == []
    short = found[key["a1c"]][1]      # the county head's quote is the release's own: not new
    assert short["additions"] == {"quotes": [], "figures": [], "firms": ["바다유통"]}
    tv = found[key["a2b"]][1]         # a rewrite of the HWPX-only release
    assert tv["additions"] == {"quotes": ["예시군의 빠른 인허가 지원이 투자 결정에 큰 힘이 됐다"],
                               "figures": ["30억 원"], "firms": ["한결건설"]}


def test_trace_is_idempotent(traced: str, backend) -> None:
    def rows() -> list[tuple]:
        with backend.open("rewrites") as store, store.read() as db:
            return db.execute("SELECT article_seq, release_seq, overlap, kept, kept_sentences, release_sentences, "
                              "delay_hours, additions FROM release_links ORDER BY article_seq").fetchall()

    before = rows()
    assert len(before) == 7
    assert json.loads(run("trace", "--db", traced, "--json"))["links"] == 7
    assert rows() == before
    # only the releases from 3 April on: the same links, none doubled
    assert json.loads(run("trace", "--db", traced, "--since", "2025-04-03", "--json"))["releases"] == 2
    assert rows() == before


def test_date_window_bounds_the_candidates(backend, traced: str) -> None:
    url = backend.url("window")
    run("crawl", "--replay", str(ARCHIVE), "--db", url, "--json")
    assert json.loads(run("trace", "--db", url, "--days", "2", "--json"))["links"] == 4
    key = keys()
    found = set(links(url))
    # a1c (3 days after), a2b (4 days), a3b (4 days) fall outside two days
    assert found == {key["a1a"], key["a1b"], key["a2a"], key["a3a"]}


def test_pickup_report(traced: str) -> None:
    report = json.loads(run("releases", "pickup", "--issuer", "예시군", "--days", "14", "--db", traced, "--json"))
    assert [(r["title"][:12], r["outlets"]) for r in report["releases"]] == [
        ("예시군, 청년 창업기업", 2), ("예시군, ㈜솔빛에너지와", 2), ("예시군 ㈜한빛푸드, 베", 3)]
    assert report["picked_up"] == 3 and report["traced"]["days"] == 14
    within_a_day = json.loads(run("releases", "pickup", "--issuer", "예시군", "--days", "1", "--db", traced, "--json"))
    assert [r["outlets"] for r in within_a_day["releases"]] == [1, 1, 2]
    nobody = json.loads(run("releases", "pickup", "--issuer", "없는기관", "--db", traced, "--json"))
    assert nobody["releases"] == [] and nobody["picked_up"] == 0
    table = run("releases", "pickup", "--issuer", "예시군", "--db", traced)
    assert "3 of 3 release(s)" in table


def test_api_and_pages(traced: str) -> None:
    from newsmine.api import create_app

    rid = release_ids(traced)["https://www.example-gun.go.kr/board/press/view.do?bbsId=PRESS&nttId=201"]
    key = keys()
    with TestClient(create_app(traced), base_url="http://localhost") as client:
        view = client.get(f"/api/releases/{rid}").json()
        assert view["outlets"] == 3 and [a["outlet"] for a in view["articles"]] == ["예시일보", "예시타임즈", "예시경제"]
        assert client.get("/api/releases/0000000000000000").status_code == 404
        pickup = client.get("/api/pickup", params={"issuer": "예시군", "days": 1}).json()
        assert [r["outlets"] for r in pickup["releases"]] == [1, 1, 2]
        assert client.get("/api/pickup", params={"issuer": "예시군", "days": -1}).status_code == 400
        page = client.get(f"/releases/{rid}")
        assert page.status_code == 200 and "매체 3곳" in page.text and "바다유통" in page.text
        assert "새 수치: <bdi>85억 원, 110억 원</bdi>" in page.text
        assert client.get("/pickup", params={"issuer": "예시군"}).status_code == 200
        article_id = view["articles"][1]["id"]
        assert view["articles"][1]["url"] == key["a1b"]
        article = client.get(f"/api/articles/{article_id}").json()
        assert article["source_release"]["id"] == rid
        assert "원 보도자료" in client.get(f"/article/{article_id}").text
        from index.common import article_id_for

        unrelated = client.get("/api/articles/" + article_id_for(key["u1"])).json()
        assert unrelated["source_release"] is None


def test_pages_escape_what_they_show(backend) -> None:
    """Titles, outlets, quotes and firm names from the crawled pages are text, never markup."""
    from index.tracing import trace
    from newsmine.api import create_app

    release = ("예시군(군수 김예시)은 ㈜<b>굵은</b>기업이 <script>alert(1)</script> 공장을 짓는다고 밝혔다.\n"
               "공장은 내년 상반기에 완공되고 지역 주민 50명을 새로 채용할 예정이라고 군은 설명했다.\n"
               "군은 공장 설립에 필요한 인허가를 빠르게 처리하고 기반 시설 조성에 협조하기로 했다.")
    with backend.open("escape") as store:
        store.upsert_article({"url": "https://gun.example.kr/press/1", "title": "<img src=x onerror=alert(1)>",
                              "body": release, "kind": "press_release", "published_at": "2025-05-01T10:00:00+09:00",
                              "release": {"issuer": "<i>예시군</i>", "attachments": [], "sections": []}})
        store.upsert_article({"url": "https://news.example.kr/1", "title": "기사 <script>x</script>",
                              "outlet": "<b>일보</b>", "published_at": "2025-05-02T10:00:00+09:00",
                              "body": release + "\n대표는 “<script>인용</script> 잘 짓겠다”고 말했다."})
        assert trace(store)["links"] == 1
        url = backend.url("escape")
    with TestClient(create_app(url), base_url="http://localhost") as client:
        from index.common import article_id_for

        rid, aid = article_id_for("https://gun.example.kr/press/1"), article_id_for("https://news.example.kr/1")
        for path in (f"/releases/{rid}", f"/article/{aid}", "/pickup?issuer=%3Ci%3E"):
            text = client.get(path).text
            assert "<script>" not in text and "<img" not in text and "<b>일보" not in text, path
            assert "<i>예시군" not in text, path
        assert "&lt;script&gt;" in client.get(f"/releases/{rid}").text


def test_sentences_quotes_and_header_lines() -> None:
    from index.tracing import quotes, release_sentences

    text = ("보도시점 : 2025. 4. 1.(화) 10:00\n담당자 | 주무관 박민수 (063-530-1234)\n예시군, 새 공장 유치\n"
            "보도에 따르면 군은 새 공장을 유치했다고 밝혔다. 군수는 \"일자리가 늘어날 것\"이라고 말했다.")
    assert release_sentences(text) == ["보도에 따르면 군은 새 공장을 유치했다고 밝혔다.", "군수는 \"일자리가 늘어날 것\"이라고 말했다."]
    assert quotes("대표는 “좋은 제품으로 보답하겠다”고 했고 \"짧다\"는 말도 했다.") == ["좋은 제품으로 보답하겠다"]
