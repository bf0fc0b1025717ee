"""Search by press release: hits grouped under the release they rewrite (`--group release`,
`group=release`, the search page's toggle), the `kind:` filter (`--kind`, `kind=`), and the
article page of a press release (its header fields, attachments and which text came from which
file). On the replay archives tests/data/rewrites (traced as in test_tracing.py; GOLD.tsv is the
truth) and tests/data/press-board (real attachments), SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import sqlite3

import pytest
from fastapi.testclient import TestClient

from index import QueryError, open_store
from index.common import article_id_for
from test_crawl_attachments import POST, crawled  # noqa: F401  (module fixture: the board, crawled)
from test_tracing import backend, gold, keys, release_ids, run, traced  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


def _group_urls(hit: dict) -> set[str]:
    return {a["url"] for a in hit["release"]["articles"]}


def test_rewrites_of_one_release_are_one_hit_under_it(traced: str) -> None:
    key, releases = keys(), release_ids(traced)
    first = "https://www.example-gun.go.kr/board/press/view.do?bbsId=PRESS&nttId=201"
    with open_store(traced) as store:
        plain = store.search("한빛푸드")
        assert plain["total"] == 4 and all("release" not in h for h in plain["hits"]) and "group" not in plain
        grouped = store.search("한빛푸드", group="release")
        assert grouped["group"] == "release" and grouped["total"] == 2
        (group,) = [h for h in grouped["hits"] if h["release"]]
        (alone,) = [h for h in grouped["hits"] if not h["release"]]
        assert alone["url"] == key["n1"]                       # the near-miss stays a hit of its own
        release = group["release"]
        assert (release["id"], release["url"], release["issuer"]) == (releases[first], first, "예시군")
        assert release["title"] == "예시군 ㈜한빛푸드, 베트남에 김치 120만 달러 수출 계약"
        assert (release["outlets"], release["rewrites"], release["matched"]) == (3, 3, 4)
        assert _group_urls(group) == {first, key["a1a"], key["a1b"], key["a1c"]}
        assert group["id"] == release["articles"][0]["id"]    # the group's best hit stands for it
        assert grouped["facets"] == plain["facets"]            # facets still count articles
        # every copy listed (no story collapse): still one hit per release
        assert store.search("한빛푸드", group="release", collapse=False)["total"] == 2
        with pytest.raises(QueryError):
            store.search("한빛푸드", group="outlet")


def test_every_group_holds_only_the_rewrites_of_its_release(traced: str) -> None:
    truth = gold()
    with open_store(traced) as store:
        everything = store.search("from:2025", group="release", collapse=False, limit=100)
        assert everything["total"] == 3 + 4                    # three releases, four unrelated or near-miss
        seen: list[str] = []
        for hit in everything["hits"]:
            if hit["release"] is None:
                assert truth.get(hit["url"], "") == ""          # an ungrouped hit rewrites nothing
                seen.append(hit["url"])
                continue
            members = _group_urls(hit)
            assert all(truth.get(url, hit["release"]["url"]) == hit["release"]["url"] for url in members)
            assert hit["release"]["matched"] == len(members)
            seen.extend(members)
        assert sorted(seen) == sorted({*truth, *release_ids(traced)})   # every article, once
        pages = [store.search("from:2025", group="release", collapse=False, limit=2, offset=o)["hits"]
                 for o in (0, 2, 4, 6)]
        assert [h["id"] for page in pages for h in page] == [h["id"] for h in everything["hits"]]


def test_kind_filter(traced: str) -> None:
    releases = release_ids(traced)
    with open_store(traced) as store:
        only = store.search("kind:press_release", collapse=False, limit=50)
        assert {h["url"] for h in only["hits"]} == set(releases) and {h["kind"] for h in only["hits"]} == {"press_release"}
        news = store.search("kind:article", collapse=False, limit=50)
        assert news["total"] == 11 and {h["kind"] for h in news["hits"]} == {"article"}
        assert store.search("-kind:press_release", collapse=False)["total"] == 11
        assert store.search("한빛푸드 kind:release", collapse=False)["total"] == 1       # an alias
        assert store.search("예시군 (kind:press_release OR outlet:예시TV)", collapse=False)["total"] == 5
        with pytest.raises(QueryError, match="unknown kind 'blog'"):
            store.search("kind:blog")
    exported = [json.loads(line) for line in run("export", "--db", traced, "--query", "kind:press_release").splitlines()]
    assert {r["url"] for r in exported} == set(releases)


def test_cli_and_api(traced: str) -> None:
    from newsmine.api import create_app

    cli = json.loads(run("search", "한빛푸드", "--group", "release", "--json", "--db", traced))
    assert cli["total"] == 2 and cli["group"] == "release"
    text = run("search", "한빛푸드", "--group", "release", "--db", traced)
    assert "press release: 예시군 ㈜한빛푸드" in text and "carried by 3 outlet(s)" in text
    kinds = json.loads(run("search", "한빛푸드", "--kind", "press_release", "--json", "--db", traced))
    assert kinds["query"] == "한빛푸드 kind:press_release" and [h["kind"] for h in kinds["hits"]] == ["press_release"]
    with TestClient(create_app(traced), base_url="http://localhost") as client:
        api = client.get("/api/search", params={"q": "한빛푸드", "group": "release", "limit": 10}).json()
        assert api == cli
        assert client.get("/api/search", params={"q": "한빛푸드", "kind": "press_release", "limit": 10}).json() == kinds
        assert client.get("/api/search", params={"q": "한빛푸드", "group": "story"}).status_code == 400
        assert client.get("/api/search", params={"q": "kind:blog"}).json()["detail"].startswith("unknown kind")
        page = client.get("/", params={"q": "한빛푸드", "group": "release"}).text
        rid = cli["hits"][[h["release"] is not None for h in cli["hits"]].index(True)]["release"]["id"]
        assert f'<a href="/releases/{rid}">' in page and "옮겨 쓴 매체 3곳" in page
        assert "이 보도자료에서 나온 검색 결과 4건" in page and 'value="release" checked' in page
        assert "2건 (보도자료·같은 기사 묶음 기준)" in page
        plain = client.get("/", params={"q": "한빛푸드"}).text
        assert "release-head" not in plain and 'value="release" checked' not in plain
        # paging and facet links keep the grouping
        assert "group=release" in client.get("/", params={"q": "예시군", "group": "release"}).text.split('class="facets"')[1]


def test_release_article_page_shows_its_header_files_and_sections(crawled) -> None:  # noqa: F811
    from newsmine.api import create_app

    db, _ = crawled
    with TestClient(create_app(str(db)), base_url="http://localhost") as client:
        page = client.get("/article/" + article_id_for(POST.format(101))).text
        assert "<dt>발표 기관</dt><dd><bdi>농림축산식품부</bdi></dd>" in page
        assert "<dd><bdi>동물복지환경정책관실</bdi></dd>" in page and "<dd><bdi>김현우 044-201-2651</bdi></dd>" in page
        assert "<dd><bdi>2024. 3. 5.(화) 17:00</bdi></dd>" in page
        assert "<bdi>반려동물 사료 수출 지원 보도자료.hwp</bdi> (HWP)" in page
        # which text came from which file: the board page's text, then each file's
        heads = [chunk.split("</h3>")[0] for chunk in page.split('<section class="body-part">\n    <h3>')[1:]]
        assert heads == ["게시판 글", "첨부파일 <bdi>반려동물 사료 수출 지원 보도자료.hwp</bdi>에서 읽은 글",
                         "첨부파일 <bdi>첨부파일 2</bdi>에서 읽은 글"]
        board_part = page.split("<h3>게시판 글</h3>")[1].split("</section>")[0]
        assert "반려동물 사료를 만드는 도내 수출기업" in board_part
        errors = client.get("/article/" + article_id_for(POST.format(103))).text
        assert "읽지 못함: encrypted" in errors and "읽지 못함: distribution-protected" in errors
        assert "읽지 못함: no text layer" in errors


def test_rewrite_page_links_its_source_release(traced: str) -> None:
    from newsmine.api import create_app

    rid = release_ids(traced)["https://www.example-gun.go.kr/board/press/view.do?bbsId=PRESS&nttId=202"]
    with TestClient(create_app(traced), base_url="http://localhost") as client:
        page = client.get("/article/" + article_id_for(keys()["a2b"])).text
        assert f'<h2>원 보도자료</h2>\n    <p><a href="/releases/{rid}">' in page
        release = client.get(f"/article/{rid}").text
        assert "첨부파일 <bdi>솔빛에너지 투자협약 보도자료.hwpx</bdi>에서 읽은 글" in release
        assert "<dd><bdi>투자유치과</bdi></dd>" in release


def test_sqlite_v8_file_gains_the_kind_of_its_releases(tmp_path) -> None:
    from index.sqlite import SQLiteStore

    path = str(tmp_path / "v8.sqlite")
    old = SQLiteStore(path, schema_version=8)
    old.conn.execute("INSERT INTO articles (id, canonical_url, url, story_id, created_at, updated_at, content_hash, "
                     "kind) VALUES ('r', 'https://gun.example.kr/1', 'https://gun.example.kr/1', 'r', '2025-01-01', "
                     "'2025-01-01', 'h', 'press_release')")
    old.conn.execute("INSERT INTO article_meta (seq, story_id) SELECT seq, story_id FROM articles")
    old.conn.execute("INSERT INTO article_fts (rowid, title_t, body_t, title_c, body_c) SELECT seq, '보도', '', '', '' "
                     "FROM articles")
    old.close()
    with open_store(path) as store:
        assert store.search("kind:press_release")["total"] == 1
        assert store.search("kind:article")["total"] == 0
    assert sqlite3.connect(path).execute("SELECT kind FROM article_meta").fetchall() == [("press_release",)]
